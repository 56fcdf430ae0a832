import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteQuery from './delete.operation';
import * as execute from './execute.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as move from './move.operation';
import * as update from './update.operation';

export const operations = { create, delete: deleteQuery, execute, get, getMany, move, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['query'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Save a query in a project',
				action: 'Create a saved query',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a saved query',
				action: 'Delete a saved query',
			},
			{
				name: 'Execute',
				value: 'execute',
				description: 'Run SQL, a saved query, a table or a query-builder object, one item per row',
				action: 'Execute a query',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a saved query',
				action: 'Get a saved query',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the saved queries of a project',
				action: 'Get many saved queries',
			},
			{
				name: 'Move',
				value: 'move',
				description: 'Move a saved query to a folder path',
				action: 'Move a saved query',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change the name or SQL of a saved query',
				action: 'Update a saved query',
			},
		],
		default: 'execute',
	},
	...execute.description,
	...create.description,
	...get.description,
	...getMany.description,
	...update.description,
	...deleteQuery.description,
	...move.description,
];
