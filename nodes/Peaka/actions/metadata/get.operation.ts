import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { limitProperty, projectLocator, returnAllProperty } from '../common.descriptions';
import { applyReturnLimit, checkReturnLimit, getProjectId } from '../parameters';
import { describeMetadataFailure, listOf, metadataPath, toItems } from './metadata';

const properties: INodeProperties[] = [
	projectLocator,
	returnAllProperty,
	limitProperty,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Catalog ID',
				name: 'catalogId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 846085284821991568',
				description: 'Return only the tables of this catalog',
			},
			{
				displayName: 'Schema Name',
				name: 'schemaName',
				type: 'string',
				default: '',
				placeholder: 'e.g. public',
				description: 'Return only the tables of schemas of this name',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['metadata'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	checkReturnLimit(this, itemIndex);
	const projectId = getProjectId(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as { catalogId?: string; schemaName?: string };
	const qs: IDataObject = {};
	if (filters.catalogId?.trim()) qs.catalogId = filters.catalogId.trim();
	if (filters.schemaName?.trim()) qs.schemaName = filters.schemaName.trim();
	const body = await peakaApiRequest.call(this, {
		method: 'GET',
		path: metadataPath(projectId),
		qs,
		describeFailure: describeMetadataFailure(`Catalog '${String(qs.catalogId)}'`, 'Check the Catalog ID filter.'),
		itemIndex,
	});
	// Each entry is { id, content, metadata }; the table's fields come first in the item.
	const tables = listOf(body, 'metadata').map((entry) => ({
		id: entry.id,
		...((entry.metadata as IDataObject | undefined) ?? {}),
		content: entry.content,
	}));
	return toItems(applyReturnLimit(this, itemIndex, tables), itemIndex);
}
