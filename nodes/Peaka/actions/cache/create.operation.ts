import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type JsonObject,
	NodeApiError,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { getTableTarget } from '../catalog/catalog';
import { catalogLocator, schemaLocator, tableLocator } from '../catalog.descriptions';
import { projectLocator } from '../common.descriptions';
import { cachePath, httpStatusOf, rethrowParameterError, scheduleFrom } from './cache';

export const INCREMENTAL_INTERVAL_PROPERTY: INodeProperties = {
	displayName: 'Incremental Sync Interval',
	name: 'incrementalInterval',
	type: 'string',
	default: '',
	placeholder: 'e.g. PT1H',
	description:
		'How often to fetch new and changed rows, as an ISO-8601 duration (PT15M, PT1H, PT6H, P1D, P7D). Leave empty for no incremental schedule.',
};

export const FULL_REFRESH_INTERVAL_PROPERTY: INodeProperties = {
	displayName: 'Full Refresh Interval',
	name: 'fullRefreshInterval',
	type: 'string',
	default: '',
	placeholder: 'e.g. P1D',
	description:
		'How often to rebuild the whole cache, as an ISO-8601 duration (PT6H, P1D, P7D). Leave empty for no full refresh schedule.',
};

const properties: INodeProperties[] = [
	projectLocator,
	catalogLocator,
	schemaLocator,
	tableLocator,
	INCREMENTAL_INTERVAL_PROPERTY,
	FULL_REFRESH_INTERVAL_PROPERTY,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['cache'], operation: ['create'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getTableTarget(this, itemIndex, 'table');
	const body: IDataObject = {
		catalogId: target.catalogId,
		schemaName: target.schemaName,
		tableName: target.tableName,
	};
	try {
		const incremental = scheduleFrom(this.getNodeParameter('incrementalInterval', itemIndex, ''), 'Incremental Sync Interval');
		const full = scheduleFrom(this.getNodeParameter('fullRefreshInterval', itemIndex, ''), 'Full Refresh Interval');
		if (incremental) body.incrementalCacheSchedule = incremental;
		if (full) body.fullRefreshCacheSchedule = full;
	} catch (error) {
		rethrowParameterError(this, error, itemIndex);
	}

	const table = `${target.schemaName}.${target.tableName}`;
	try {
		const created = (await peakaApiRequest.call(this, {
			method: 'POST',
			path: cachePath(target.projectId),
			body,
			expectBody: true,
			describeFailure: (failure) => {
				if (failure.status === 400 && failure.errorCode === 'TABLE_NOT_CACHEABLE') {
					return {
						message: `Table '${table}' of catalog '${target.catalogId}' cannot be cached`,
						description: `Peaka caches only tables whose isCacheable is true (Catalog → Get Tables shows it). Peaka's message: ${failure.peakaMessage}`,
					};
				}
				return undefined;
			},
			itemIndex,
		})) as IDataObject;
		return [{ json: created, pairedItem: { item: itemIndex } }];
	} catch (error) {
		// The spec documents 409 for a table that already has a cache; live Peaka returned 500
		// while that cache's first sync ran (and 200 with the existing cache after it).
		const status = httpStatusOf(error);
		if (status !== 409 && status !== 500) throw new NodeApiError(this.getNode(), error as JsonObject);
		const existing = await findExistingCache(this, target.projectId, body, itemIndex);
		if (!existing) throw new NodeApiError(this.getNode(), error as JsonObject);
		return [{ json: { ...existing, alreadyExisted: true }, pairedItem: { item: itemIndex } }];
	}
}

/** Finds the cache of a table among the project's caches, returning its settings or undefined. */
async function findExistingCache(
	context: IExecuteFunctions,
	projectId: string,
	table: IDataObject,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	const statuses = (await peakaApiRequest.call(context, {
		method: 'GET',
		path: `${cachePath(projectId)}/status`,
		itemIndex,
	})) as IDataObject[];
	const match = (Array.isArray(statuses) ? statuses : []).find(
		(status) =>
			String(status.catalogId) === table.catalogId &&
			status.schemaName === table.schemaName &&
			status.tableName === table.tableName,
	);
	if (!match) return undefined;
	return (await peakaApiRequest.call(context, {
		method: 'GET',
		path: cachePath(projectId, String(match.id)),
		itemIndex,
	})) as IDataObject;
}
