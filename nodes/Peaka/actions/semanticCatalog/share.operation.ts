import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator } from '../common.descriptions';
import { getLocatorValue } from '../parameters';
import { describeShareFailure } from '../catalog/catalog';
import { semanticCatalogLocator } from './addTable.operation';
import { describeMissingSemanticCatalog, getSemanticCatalogTarget, semanticCatalogsPath } from './semanticCatalog';

const properties: INodeProperties[] = [
	projectLocator,
	{
		...semanticCatalogLocator,
		description: "The semantic catalog to share. The target project gets read access to the catalog's schemas and tables.",
	},
	{
		...projectLocator,
		displayName: 'Target Project',
		name: 'targetProject',
		description: 'The project to share the semantic catalog with. A project key can reach only its own project.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['semanticCatalog'], operation: ['share'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getSemanticCatalogTarget(this, itemIndex);
	const targetProjectId = getLocatorValue(this, 'targetProject', 'Target Project', itemIndex);
	const describeMissing = describeMissingSemanticCatalog(target);
	await peakaApiRequest.call(this, {
		method: 'POST',
		path: `${semanticCatalogsPath(target.projectId, target.catalogId)}/share`,
		// Unlike catalog sharing (targetProjectId), Peaka names this field `target`.
		body: { target: targetProjectId },
		describeFailure: describeShareFailure(targetProjectId, describeMissing),
		itemIndex,
	});
	return [{ json: { catalogId: target.catalogId, targetProjectId, shared: true }, pairedItem: { item: itemIndex } }];
}
