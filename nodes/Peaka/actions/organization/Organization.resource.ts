import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const operations = { get, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['organization'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get an organization (partner key only)',
				action: 'Get an organization',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the organizations of the account (partner key only)',
				action: 'Get many organizations',
			},
		],
		default: 'getMany',
	},
	...get.description,
	...getMany.description,
];
