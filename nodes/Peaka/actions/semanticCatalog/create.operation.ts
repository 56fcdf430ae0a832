import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { asItem } from '../catalog/catalog';
import { projectLocator } from '../common.descriptions';
import { getProjectId, getRequiredText } from '../parameters';
import { semanticCatalogsPath } from './semanticCatalog';

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. sales_semantic',
		description: 'The catalog name, which SQL uses as "sales_semantic"."schema"."table". Use letters, digits and _.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['semanticCatalog'], operation: ['create'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const name = getRequiredText(this, 'name', 'Name', 'Give the semantic catalog a name, e.g. sales_semantic.', itemIndex);
	const created = await peakaApiRequest.call(this, {
		method: 'POST',
		path: semanticCatalogsPath(projectId),
		body: { name },
		itemIndex,
	});
	return [{ json: asItem(created), pairedItem: { item: itemIndex } }];
}
