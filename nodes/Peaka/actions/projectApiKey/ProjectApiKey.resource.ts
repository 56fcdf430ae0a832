import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteApiKey from './delete.operation';
import * as getMany from './getMany.operation';

export const operations = { create, delete: deleteApiKey, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['projectApiKey'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a project API key; the key itself appears once, in the output (partner key only)',
				action: 'Create a project API key',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a project API key, which stops working at once (partner key only)',
				action: 'Delete a project API key',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the API keys of a project, without their secrets (partner key only)',
				action: 'Get many project API keys',
			},
		],
		default: 'getMany',
	},
	...create.description,
	...getMany.description,
	...deleteApiKey.description,
];
