import type { INodeProperties } from 'n8n-workflow';

import * as transpile from './transpile.operation';

export const operations = { transpile };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['sql'] } },
		options: [
			{
				name: 'Transpile',
				value: 'transpile',
				description: "Convert SQL between Peaka's Trino dialect and another dialect, without running it",
				action: 'Transpile SQL',
			},
		],
		default: 'transpile',
	},
	...transpile.description,
];
