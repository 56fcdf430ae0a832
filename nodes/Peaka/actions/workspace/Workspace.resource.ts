import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteWorkspace from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export const operations = { create, delete: deleteWorkspace, get, getMany, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['workspace'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a workspace in an organization (partner key only)',
				action: 'Create a workspace',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a workspace (partner key only)',
				action: 'Delete a workspace',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a workspace (partner key only)',
				action: 'Get a workspace',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the workspaces of an organization (partner key only)',
				action: 'Get many workspaces',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Rename a workspace or change its description (partner key only)',
				action: 'Update a workspace',
			},
		],
		default: 'getMany',
	},
	...create.description,
	...get.description,
	...getMany.description,
	...update.description,
	...deleteWorkspace.description,
];
