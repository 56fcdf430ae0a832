import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { FailureDescriber, PeakaFailure } from '../../transport/errors';
import { getLocatorValue, getProjectId } from '../parameters';

export function catalogsPath(projectId: string, catalogId?: string): string {
	const base = `/data/projects/${encodeURIComponent(projectId)}/catalogs`;
	return catalogId === undefined ? base : `${base}/${encodeURIComponent(catalogId)}`;
}

export function tablePath(projectId: string, catalogId: string, schemaName: string, tableName?: string): string {
	const schemaTables = `${catalogsPath(projectId, catalogId)}/schemas/${encodeURIComponent(schemaName)}/tables`;
	return tableName === undefined ? schemaTables : `${schemaTables}/${encodeURIComponent(tableName)}`;
}

export interface TableTarget {
	projectId: string;
	catalogId: string;
	schemaName?: string;
	tableName?: string;
}

/** Reads Project and Catalog, plus Schema and Table down to `depth`, failing with the name of an empty one. */
export function getTableTarget(
	context: IExecuteFunctions,
	itemIndex: number,
	depth: 'catalog' | 'schema' | 'table',
): TableTarget {
	const target: TableTarget = {
		projectId: getProjectId(context, itemIndex),
		catalogId: getLocatorValue(context, 'catalog', 'Catalog', itemIndex),
	};
	if (depth !== 'catalog') target.schemaName = getLocatorValue(context, 'schema', 'Schema', itemIndex);
	if (depth === 'table') target.tableName = getLocatorValue(context, 'table', 'Table', itemIndex);
	return target;
}

/**
 * Rewords a missing catalog, schema or table as "not found", naming the parameter to fix. The spec
 * documents 404 for an unknown catalog, while live Peaka returned 400 for deleted resources, and
 * 400 "Schema '…' does not exist" or "Table '…' does not exist" for a missing schema or table.
 */
export function describeMissing(target: TableTarget): FailureDescriber {
	return (failure) => {
		const peakaMessage = failure.peakaMessage || `HTTP ${failure.status}`;
		const text = failure.peakaMessage;
		if (failure.status === 400 && /^schema\b.*does not exist/i.test(text)) {
			return {
				message: `Schema '${target.schemaName}' was not found in catalog '${target.catalogId}'`,
				description: `Pick the schema from the list, or check its spelling. Peaka's message: ${peakaMessage}`,
			};
		}
		if (failure.status === 400 && /^table\b.*does not exist/i.test(text)) {
			return {
				message: `Table '${target.tableName}' was not found in schema '${target.schemaName}' of catalog '${target.catalogId}'`,
				description: `Pick the table from the list, or check its spelling. Peaka's message: ${peakaMessage}`,
			};
		}
		const missingCatalog = failure.status === 404 || (failure.status === 400 && /catalog not found|no catalog/i.test(text));
		if (!missingCatalog) return undefined;
		return {
			message: `Catalog '${target.catalogId}' was not found in project '${target.projectId}'`,
			description: `Pick the catalog from the list, or check that it was not deleted. Peaka's message: ${peakaMessage}`,
		};
	};
}

/** Returns Peaka's object body as the item, keeping any other body under `result` so the item stays an object. */
export function asItem(body: unknown): IDataObject {
	if (body && typeof body === 'object' && !Array.isArray(body)) return body as IDataObject;
	return body === undefined || body === null || body === '' ? {} : { result: body as string };
}

/**
 * Describes the failures of sharing a catalog or a semantic catalog that concern the target
 * project: a key that cannot reach it, or a project that does not exist. Other failures go to
 * `otherwise`.
 */
export function describeShareFailure(targetProjectId: string, otherwise: FailureDescriber): FailureDescriber {
	return (failure: PeakaFailure) => {
		if (failure.status === 403) {
			return {
				message: `This API key cannot share into project '${targetProjectId}'`,
				description: `A project key reaches only its own project; use a partner key to share across projects. Peaka's message: ${failure.peakaMessage || 'HTTP 403'}`,
			};
		}
		if (failure.status === 404 && /project not found/i.test(failure.peakaMessage)) {
			return {
				message: `Target project '${targetProjectId}' was not found`,
				description: `Pick the target project from the list, or check its ID. Peaka's message: ${failure.peakaMessage}`,
			};
		}
		return otherwise(failure);
	};
}
