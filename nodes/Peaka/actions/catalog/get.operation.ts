import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { catalogLocator } from '../catalog.descriptions';
import { projectLocator } from '../common.descriptions';
import { asItem, catalogsPath, describeMissing, getTableTarget } from './catalog';

const properties: INodeProperties[] = [projectLocator, catalogLocator];

export const description = updateDisplayOptions(
	{ show: { resource: ['catalog'], operation: ['get'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getTableTarget(this, itemIndex, 'catalog');
	const catalog = await peakaApiRequest.call(this, {
		method: 'GET',
		path: catalogsPath(target.projectId, target.catalogId),
		describeFailure: describeMissing(target),
		itemIndex,
	});
	return [{ json: asItem(catalog), pairedItem: { item: itemIndex } }];
}
