import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteFolder from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getTree from './getTree.operation';
import * as move from './move.operation';
import * as rename from './rename.operation';
import * as updateQueries from './updateQueries.operation';

export const operations = { create, delete: deleteFolder, get, getMany, getTree, move, rename, updateQueries };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['queryFolder'] } },
		options: [
			{
				name: 'Add or Remove Queries',
				value: 'updateQueries',
				description: 'Move saved queries into a folder, or out of it to the root',
				action: 'Add or remove queries in a folder',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create a query folder at the root or inside another folder',
				action: 'Create a query folder',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a query folder',
				action: 'Delete a query folder',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a query folder with its sub-folders and saved queries',
				action: 'Get a query folder',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List every query folder of a project',
				action: 'Get many query folders',
			},
			{
				name: 'Get Tree',
				value: 'getTree',
				description: 'Get the folder hierarchy, optionally with the saved queries in each folder',
				action: 'Get the query folder tree',
			},
			{
				name: 'Move',
				value: 'move',
				description: 'Move a query folder to another path',
				action: 'Move a query folder',
			},
			{
				name: 'Rename',
				value: 'rename',
				description: 'Rename a query folder',
				action: 'Rename a query folder',
			},
		],
		default: 'getMany',
	},
	...create.description,
	...get.description,
	...getMany.description,
	...getTree.description,
	...rename.description,
	...move.description,
	...updateQueries.description,
	...deleteFolder.description,
];
