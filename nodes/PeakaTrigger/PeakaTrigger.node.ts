import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { projectLocator } from '../Peaka/actions/common.descriptions';
import { searchCatalogs, searchProjects, searchSavedQueries, searchSchemas, searchTables } from '../Peaka/methods/listSearch';
import { JOB_EVENTS, type JobEvent, jobEventProperties, pollJobEvent } from './jobEvents';
import { newRowsProperties, pollNewRows } from './newRows';

export class PeakaTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Peaka Trigger',
		name: 'peakaTrigger',
		icon: { light: 'file:../../icons/peaka.svg', dark: 'file:../../icons/peaka.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description:
			'Starts the workflow when new rows appear in a Peaka table or saved query, or when a cache sync, metadata refresh, materialized query refresh or export ends',
		defaults: { name: 'Peaka Trigger' },
		polling: true,
		inputs: [],
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong -- the community rules require the NodeConnectionTypes constant
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'peakaApi', required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Cache Sync Finished',
						value: 'cacheSyncFinished',
						description: 'A full refresh or incremental sync of a cache completed, failed or was cancelled',
					},
					{
						name: 'Export Finished',
						value: 'exportFinished',
						description: 'An export succeeded, failed or was cancelled',
					},
					{
						name: 'Materialized Query Refreshed',
						value: 'materializedQueryRefreshed',
						description: 'A run of a materialized query completed, failed or was cancelled',
					},
					{
						name: 'Metadata Refresh Finished',
						value: 'metadataRefreshFinished',
						description: 'The metadata refresh of a catalog completed, failed or got stuck',
					},
					{
						name: 'New Row',
						value: 'newRows',
						description: 'Rows added to a table or saved query since the last poll',
					},
				],
				default: 'newRows',
			},
			projectLocator,
			...newRowsProperties,
			...jobEventProperties,
		],
	};

	methods = {
		listSearch: {
			searchCatalogs,
			searchProjects,
			searchSavedQueries,
			searchSchemas,
			searchTables,
		},
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event') as string;
		if (event === 'newRows') return await pollNewRows.call(this);
		if (JOB_EVENTS.includes(event as JobEvent)) return await pollJobEvent.call(this, event as JobEvent);
		throw new NodeOperationError(this.getNode(), `The event '${event}' is not supported`, {
			description: 'Pick an event from the list.',
		});
	}
}
