import type { INodeProperties } from 'n8n-workflow';

import * as cancel from './cancel.operation';
import * as exportQuery from './exportQuery.operation';
import * as exportTable from './exportTable.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const operations = { cancel, exportQuery, exportTable, get, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['export'] } },
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				description: 'Cancel a pending or running export',
				action: 'Cancel an export',
			},
			{
				name: 'Export Query',
				value: 'exportQuery',
				description: "Export a saved query's result as a CSV or JSON Lines file",
				action: 'Export a saved query',
			},
			{
				name: 'Export Table',
				value: 'exportTable',
				description: 'Export a table as a CSV or JSON Lines file',
				action: 'Export a table',
			},
			{
				name: 'Get',
				value: 'get',
				description: "Get an export's status, and optionally its files",
				action: 'Get an export',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: "List the project's exports, newest first",
				action: 'Get many exports',
			},
		],
		default: 'exportTable',
	},
	...exportQuery.description,
	...exportTable.description,
	...get.description,
	...getMany.description,
	...cancel.description,
];
