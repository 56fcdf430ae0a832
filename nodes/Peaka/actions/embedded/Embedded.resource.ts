import type { INodeProperties } from 'n8n-workflow';

import * as createSession from './createSession.operation';

export const operations = { createSession };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['embedded'] } },
		options: [
			{
				name: 'Create Session',
				value: 'createSession',
				description: 'Start an embedded Peaka session and get the one-time URL to open in an iframe',
				action: 'Create an embedded session',
			},
		],
		default: 'createSession',
	},
	...createSession.description,
];
