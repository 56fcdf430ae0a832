import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { catalogLocator } from '../catalog.descriptions';
import { describeMissing, getTableTarget } from '../catalog/catalog';
import { projectLocator } from '../common.descriptions';
import { listOf, metadataPath, toItems } from './metadata';

const properties: INodeProperties[] = [projectLocator, catalogLocator];

export const description = updateDisplayOptions({ show: { resource: ['metadata'], operation: ['getRelations'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getTableTarget(this, itemIndex, 'catalog');
	const body = await peakaApiRequest.call(this, {
		method: 'GET',
		path: metadataPath(target.projectId, 'relations', target.catalogId),
		describeFailure: describeMissing(target),
		itemIndex,
	});
	return toItems(listOf(body, 'relations'), itemIndex);
}
