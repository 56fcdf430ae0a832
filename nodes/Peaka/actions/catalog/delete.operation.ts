import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { catalogLocator } from '../catalog.descriptions';
import { projectLocator } from '../common.descriptions';
import { catalogsPath, describeMissing, getTableTarget } from './catalog';

const properties: INodeProperties[] = [
	projectLocator,
	{
		...catalogLocator,
		description: 'The catalog to delete. Its connection stays; saved queries that read the catalog stop working.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['catalog'], operation: ['delete'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getTableTarget(this, itemIndex, 'catalog');
	await peakaApiRequest.call(this, {
		method: 'DELETE',
		path: catalogsPath(target.projectId, target.catalogId),
		describeFailure: describeMissing(target),
		itemIndex,
	});
	return [{ json: { id: target.catalogId, deleted: true }, pairedItem: { item: itemIndex } }];
}
