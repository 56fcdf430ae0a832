import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { catalogLocator, schemaLocator } from '../catalog.descriptions';
import { projectLocator } from '../common.descriptions';
import { getLocatorValue, getProjectId } from '../parameters';
import { cacheLocator, cachePath, describeMissingCache, getCacheTarget } from './cache';

type Scope = 'cache' | 'project' | 'catalog' | 'schema';

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'Status Of',
		name: 'scope',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'One Cache', value: 'cache', description: 'The status of one cache, with its latest syncs' },
			{ name: 'All Caches of the Project', value: 'project' },
			{ name: 'Caches of a Catalog', value: 'catalog' },
			{
				name: 'Caches of a Schema',
				value: 'schema',
				description: 'Live Peaka returned 500 for this listing, so prefer the catalog or project listing',
			},
		],
		default: 'cache',
	},
	{ ...cacheLocator, displayOptions: { show: { scope: ['cache'] } } },
	{ ...catalogLocator, displayOptions: { show: { scope: ['catalog', 'schema'] } } },
	{ ...schemaLocator, displayOptions: { show: { scope: ['schema'] } } },
	{
		displayName: 'Include Logs',
		name: 'includeLogs',
		type: 'boolean',
		default: false,
		description: "Whether to include the cache's action log (creations, syncs, schedule changes)",
		displayOptions: { show: { scope: ['cache'] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['cache'], operation: ['getStatus'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const scope = this.getNodeParameter('scope', itemIndex) as Scope;
	const pair = (json: IDataObject) => ({ json, pairedItem: { item: itemIndex } });

	if (scope === 'cache') {
		const target = getCacheTarget(this, itemIndex);
		const includeLogs = this.getNodeParameter('includeLogs', itemIndex, false) as boolean;
		const status = (await peakaApiRequest.call(this, {
			method: 'GET',
			path: `${cachePath(target.projectId, target.cacheId)}/status`,
			qs: { excludeLogs: !includeLogs },
			describeFailure: describeMissingCache(target),
			itemIndex,
		})) as IDataObject;
		return [pair(status)];
	}

	const projectId = getProjectId(this, itemIndex);
	let path = `${cachePath(projectId)}/status`;
	let schemaName: string | undefined;
	if (scope !== 'project') {
		const catalogId = getLocatorValue(this, 'catalog', 'Catalog', itemIndex);
		// Peaka's path has the singular "catalog" here, unlike the catalog routes.
		path = `/data/projects/${encodeURIComponent(projectId)}/catalog/${encodeURIComponent(catalogId)}`;
		if (scope === 'schema') {
			schemaName = getLocatorValue(this, 'schema', 'Schema', itemIndex);
			path += `/schema/${encodeURIComponent(schemaName)}`;
		}
		path += '/cache/status';
	}

	const statuses = await peakaApiRequest.call(this, {
		method: 'GET',
		path,
		// Live Peaka returned 500 for the schema listing every time, so repeating it only delays the error.
		idempotent: scope !== 'schema',
		describeFailure:
			scope === 'schema'
				? (failure) =>
						failure.status >= 500
							? {
									message: `Peaka failed to list the caches of schema '${schemaName}' (HTTP ${failure.status})`,
									description:
										"Live Peaka returned 500 for the schema-level cache status. Set 'Status Of' to 'Caches of a Catalog' or 'All Caches of the Project' instead.",
								}
							: undefined
				: undefined,
		itemIndex,
	});
	return (Array.isArray(statuses) ? (statuses as IDataObject[]) : []).map(pair);
}
