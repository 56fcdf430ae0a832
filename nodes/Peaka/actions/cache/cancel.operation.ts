import {
	type IExecuteFunctions,
	type JsonObject,
	NodeApiError,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator } from '../common.descriptions';
import {
	cacheLocator,
	cachePath,
	describeMissingCache,
	getCacheTarget,
	httpStatusOf,
	SYNC_LABELS,
	type SyncKind,
} from './cache';

const properties: INodeProperties[] = [
	projectLocator,
	cacheLocator,
	{
		displayName: 'Sync to Cancel',
		name: 'syncKind',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Full Refresh', value: 'full' },
			{ name: 'Incremental Sync', value: 'incremental' },
		],
		default: 'full',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['cache'], operation: ['cancel'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getCacheTarget(this, itemIndex);
	const kind = this.getNodeParameter('syncKind', itemIndex, 'full') as SyncKind;
	const label = SYNC_LABELS[kind];
	const path = `${cachePath(target.projectId, target.cacheId)}/${kind === 'full' ? 'cancelFullRefreshUpdate' : 'cancelIncrementalUpdate'}`;

	try {
		await peakaApiRequest.call(this, {
			method: 'POST',
			path,
			describeFailure: (failure) => {
				// Live Peaka threw a NullPointerException when a full refresh was cancelled in the
				// moment between its trigger and the creation of its execution record.
				if (failure.status === 500 && /getLastFullRefreshCacheExecution|NullPointer/i.test(failure.peakaMessage)) {
					return {
						message: `The ${label} of cache '${target.cacheId}' could not be cancelled yet because it had not started`,
						description: 'Peaka creates the sync record shortly after the sync is started. Wait a second and cancel again.',
					};
				}
				return undefined;
			},
			itemIndex,
		});
	} catch (error) {
		// Peaka returns 404 both for an unknown cache and when nothing is running. Reading the
		// cache tells the two apart: a missing cache fails there with its own message.
		if (httpStatusOf(error) !== 404) throw new NodeApiError(this.getNode(), error as JsonObject);
		await peakaApiRequest.call(this, {
			method: 'GET',
			path: cachePath(target.projectId, target.cacheId),
			describeFailure: describeMissingCache(target),
			itemIndex,
		});
		return [
			{
				json: { cacheId: target.cacheId, syncKind: kind, cancelled: false, reason: `No ${label} was running` },
				pairedItem: { item: itemIndex },
			},
		];
	}
	return [{ json: { cacheId: target.cacheId, syncKind: kind, cancelled: true }, pairedItem: { item: itemIndex } }];
}
