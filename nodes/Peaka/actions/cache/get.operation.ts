import {
	type IDataObject,
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
	{ show: { resource: ['cache'], operation: ['get'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getCacheTarget(this, itemIndex);
	const cache = (await peakaApiRequest.call(this, {
		method: 'GET',
		path: cachePath(target.projectId, target.cacheId),
		describeFailure: describeMissingCache(target),
		itemIndex,
	})) as IDataObject;
	return [{ json: cache, pairedItem: { item: itemIndex } }];
}
