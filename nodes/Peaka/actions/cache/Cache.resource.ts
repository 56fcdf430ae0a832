import type { INodeProperties } from 'n8n-workflow';

import * as cancel from './cancel.operation';
import * as create from './create.operation';
import * as createMany from './createMany.operation';
import * as deleteCache from './delete.operation';
import * as get from './get.operation';
import * as getExecutionHistory from './getExecutionHistory.operation';
import * as getStatus from './getStatus.operation';
import * as startFullRefresh from './startFullRefresh.operation';
import * as startIncrementalUpdate from './startIncrementalUpdate.operation';
import * as updateSchedules from './updateSchedules.operation';

export const operations = {
	cancel,
	create,
	createMany,
	delete: deleteCache,
	get,
	getExecutionHistory,
	getStatus,
	startFullRefresh,
	startIncrementalUpdate,
	updateSchedules,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['cache'] } },
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				description: 'Cancel a running full refresh or incremental sync',
				action: 'Cancel a cache sync',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Cache a table, with optional sync schedules; the first sync starts at once',
				action: 'Create a cache',
			},
			{
				name: 'Create Many',
				value: 'createMany',
				description: 'Cache several tables in one request',
				action: 'Create many caches',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a cache with its cached rows and history',
				action: 'Delete a cache',
			},
			{
				name: 'Get',
				value: 'get',
				description: "Get a cache's table and schedules",
				action: 'Get a cache',
			},
			{
				name: 'Get Execution History',
				value: 'getExecutionHistory',
				description: 'List the past syncs of a cache, newest first',
				action: 'Get the execution history of a cache',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				description: 'Get the sync status of one cache, or of the caches of a project, catalog or schema',
				action: 'Get cache status',
			},
			{
				name: 'Start Full Refresh',
				value: 'startFullRefresh',
				description: 'Rebuild a cache from the whole source table, optionally waiting for it',
				action: 'Start a full refresh of a cache',
			},
			{
				name: 'Start Incremental Update',
				value: 'startIncrementalUpdate',
				description: 'Fetch new and changed rows into a cache, optionally waiting for it',
				action: 'Start an incremental update of a cache',
			},
			{
				name: 'Update Schedules',
				value: 'updateSchedules',
				description: 'Change or turn off the incremental and full refresh schedules of a cache',
				action: 'Update the schedules of a cache',
			},
		],
		default: 'getStatus',
	},
	...create.description,
	...createMany.description,
	...get.description,
	...getStatus.description,
	...updateSchedules.description,
	...deleteCache.description,
	...startFullRefresh.description,
	...startIncrementalUpdate.description,
	...cancel.description,
	...getExecutionHistory.description,
];
