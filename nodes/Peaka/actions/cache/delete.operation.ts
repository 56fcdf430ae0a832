import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator } from '../common.descriptions';
import { cacheLocator, cachePath, describeMissingCache, getCacheTarget } from './cache';

const properties: INodeProperties[] = [projectLocator, cacheLocator];

export const description = updateDisplayOptions(
	{ show: { resource: ['cache'], operation: ['delete'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getCacheTarget(this, itemIndex);
	// Deleting also cancels running syncs and drops the cached rows and the execution history.
	await peakaApiRequest.call(this, {
		method: 'DELETE',
		path: cachePath(target.projectId, target.cacheId),
		idempotent: true,
		describeFailure: describeMissingCache(target),
		itemIndex,
	});
	return [{ json: { cacheId: target.cacheId, deleted: true }, pairedItem: { item: itemIndex } }];
}
