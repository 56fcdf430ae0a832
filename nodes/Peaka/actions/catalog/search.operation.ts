import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { limitProperty, projectLocator, returnAllProperty } from '../common.descriptions';
import { getProjectId } from '../parameters';

// Peaka's default page size. Peaka pages with limit and offset and sends nextOffset: null at the end.
const PAGE_SIZE = 100;

type MatchType = 'catalog' | 'schema' | 'table';

const GROUPS: Array<[string, MatchType]> = [
	['matchedCatalogs', 'catalog'],
	['matchedSchemas', 'schema'],
	['matchedTables', 'table'],
];

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'Search Text',
		name: 'query',
		type: 'string',
		default: '',
		placeholder: 'e.g. orders',
		description: 'Text to find in catalog, schema and table names, ignoring case. Empty matches every name.',
	},
	returnAllProperty,
	{ ...limitProperty, description: 'Max number of matches to return' },
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Catalog SQL Name',
				name: 'catalog',
				type: 'string',
				default: '',
				placeholder: 'e.g. datasets',
				description: 'Search only in this catalog, named as SQL writes it (not its ID)',
			},
			{
				displayName: 'Schema',
				name: 'schema',
				type: 'string',
				default: '',
				placeholder: 'e.g. public',
				description: 'Search only in schemas of this name. With Catalog SQL Name, search the tables of that catalog and schema.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['catalog'], operation: ['search'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const query = String(this.getNodeParameter('query', itemIndex, '') ?? '');
	const filters = this.getNodeParameter('filters', itemIndex, {}) as { catalog?: string; schema?: string };
	const returnAll = this.getNodeParameter('returnAll', itemIndex, true) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);

	const baseBody: IDataObject = { query };
	if (filters.catalog?.trim()) baseBody.catalog = filters.catalog.trim();
	if (filters.schema?.trim()) baseBody.schema = filters.schema.trim();

	const matches: IDataObject[] = [];
	let offset = 0;
	while (matches.length < limit) {
		const pageSize = Math.min(PAGE_SIZE, limit - matches.length);
		const page = (await peakaApiRequest.call(this, {
			method: 'POST',
			path: `/data/projects/${encodeURIComponent(projectId)}/search`,
			body: { ...baseBody, limit: pageSize, offset },
			// A search changes nothing, so a failed page can be requested again.
			idempotent: true,
			itemIndex,
		})) as IDataObject;
		for (const [key, type] of GROUPS) {
			// Live Peaka sent null, not [], for a group without matches.
			const entries = Array.isArray(page?.[key]) ? (page[key] as IDataObject[]) : [];
			for (const entry of entries) matches.push({ type, ...entry });
		}
		const nextOffset = ((page?.meta as IDataObject | undefined)?.page as IDataObject | undefined)?.nextOffset;
		// A next offset that does not move forward would repeat the same page forever.
		if (typeof nextOffset !== 'number' || nextOffset <= offset) break;
		offset = nextOffset;
	}

	return matches.slice(0, limit).map((match) => ({ json: match, pairedItem: { item: itemIndex } }));
}
