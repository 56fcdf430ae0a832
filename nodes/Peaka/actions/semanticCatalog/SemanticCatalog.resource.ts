import type { INodeProperties } from 'n8n-workflow';

import * as addTable from './addTable.operation';
import * as create from './create.operation';
import * as deleteTable from './deleteTable.operation';
import * as share from './share.operation';

export const operations = {
	addTable,
	create,
	deleteTable,
	share,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['semanticCatalog'] } },
		options: [
			{
				name: 'Add Table',
				value: 'addTable',
				description: 'Add a table backed by a saved query, readable by SQL like any other table',
				action: 'Add a table to a semantic catalog',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create a semantic catalog to group tables built on saved queries',
				action: 'Create a semantic catalog',
			},
			{
				name: 'Delete Table',
				value: 'deleteTable',
				description: 'Delete a table of a semantic catalog; its saved query stays',
				action: 'Delete a table of a semantic catalog',
			},
			{
				name: 'Share',
				value: 'share',
				description: 'Share a semantic catalog with another project',
				action: 'Share a semantic catalog',
			},
		],
		default: 'create',
	},
	...create.description,
	...addTable.description,
	...deleteTable.description,
	...share.description,
];
