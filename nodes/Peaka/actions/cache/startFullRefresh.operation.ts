import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { projectLocator } from '../common.descriptions';
import { cacheLocator, getCacheTarget, startSync, waitProperties } from './cache';

const properties: INodeProperties[] = [projectLocator, cacheLocator, ...waitProperties];

export const description = updateDisplayOptions(
	{ show: { resource: ['cache'], operation: ['startFullRefresh'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const result = await startSync(this, itemIndex, 'full');
	return [{ json: result, pairedItem: { item: itemIndex } }];
}

export function jobKey(this: IExecuteFunctions, itemIndex: number): string {
	const target = getCacheTarget(this, itemIndex);
	return `cache:full:${target.projectId}:${target.cacheId}`;
}
