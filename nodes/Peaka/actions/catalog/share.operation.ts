import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { catalogLocator } from '../catalog.descriptions';
import { projectLocator } from '../common.descriptions';
import { getLocatorValue } from '../parameters';
import { asItem, catalogsPath, describeMissing, describeShareFailure, getTableTarget } from './catalog';

const properties: INodeProperties[] = [
	projectLocator,
	{
		...catalogLocator,
		description: 'The catalog to share. The target project gets a catalog of its own on the same connection.',
	},
	{
		...projectLocator,
		displayName: 'Target Project',
		name: 'targetProject',
		description: 'The project to share the catalog with. A project key can reach only its own project.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['catalog'], operation: ['share'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getTableTarget(this, itemIndex, 'catalog');
	const targetProjectId = getLocatorValue(this, 'targetProject', 'Target Project', itemIndex);
	const describeMissingCatalog = describeMissing(target);
	const shared = await peakaApiRequest.call(this, {
		method: 'POST',
		path: `${catalogsPath(target.projectId, target.catalogId)}/share`,
		body: { targetProjectId },
		describeFailure: describeShareFailure(targetProjectId, describeMissingCatalog),
		itemIndex,
	});
	return [
		{
			json: { catalogId: target.catalogId, targetProjectId, ...asItem(shared) },
			pairedItem: { item: itemIndex },
		},
	];
}
