import type { INodeProperties } from 'n8n-workflow';

import * as cancel from './cancel.operation';
import * as getStatus from './getStatus.operation';
import * as refresh from './refresh.operation';

export const operations = { cancel, getStatus, refresh };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['materializedQuery'] } },
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				description: 'Cancel a running refresh',
				action: 'Cancel a materialized query refresh',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				description: 'Get the refresh status and schedule of one or all materialized queries',
				action: 'Get materialized query status',
			},
			{
				name: 'Refresh',
				value: 'refresh',
				description: 'Rebuild the stored result of a materialized query, optionally waiting for it',
				action: 'Refresh a materialized query',
			},
		],
		default: 'getStatus',
	},
	...getStatus.description,
	...refresh.description,
	...cancel.description,
];
