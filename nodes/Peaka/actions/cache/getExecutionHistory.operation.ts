import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { limitProperty, projectLocator, returnAllProperty } from '../common.descriptions';
import { cacheLocator, cachePath, describeMissingCache, getCacheTarget } from './cache';

/** Records asked for per request; Peaka's default page is 10 and it documents no maximum. */
const HISTORY_PAGE_SIZE = 50;

const properties: INodeProperties[] = [projectLocator, cacheLocator, returnAllProperty, limitProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['cache'], operation: ['getExecutionHistory'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getCacheTarget(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, true) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);

	// Newest first; Peaka keeps records for 14 days.
	const records: IDataObject[] = [];
	for (let offset = 0; records.length < limit; ) {
		const pageSize = Math.min(HISTORY_PAGE_SIZE, limit - records.length);
		const page = (await peakaApiRequest.call(this, {
			method: 'GET',
			path: `${cachePath(target.projectId, target.cacheId)}/executionHistory`,
			qs: { limit: pageSize, offset },
			describeFailure: describeMissingCache(target),
			itemIndex,
		})) as IDataObject[];
		const entries = Array.isArray(page) ? page : [];
		for (const entry of entries) records.push(entry);
		if (entries.length < pageSize) break;
		offset += entries.length;
	}

	return records.map((record) => ({ json: { cacheId: target.cacheId, ...record }, pairedItem: { item: itemIndex } }));
}
