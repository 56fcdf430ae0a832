import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteParametricTable from './delete.operation';
import * as getMany from './getMany.operation';

export const operations = {
	create,
	delete: deleteParametricTable,
	getMany,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['parametricTable'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a table that fixes the query parameters of a REST-backed table',
				action: 'Create a parametric table',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a parametric table; its source table stays',
				action: 'Delete a parametric table',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the parametric tables of a catalog',
				action: 'Get many parametric tables',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
	...create.description,
	...deleteParametricTable.description,
];
