import type { IExecuteFunctions } from 'n8n-workflow';

import type { FailureDescriber } from '../../transport/errors';
import { catalogsPath } from '../catalog/catalog';
import { getLocatorValue, getProjectId } from '../parameters';

export interface ParametricTarget {
	projectId: string;
	catalogId: string;
}

export function parametricTablesPath(projectId: string, catalogId: string): string {
	return `${catalogsPath(projectId, catalogId)}/parametricTables`;
}

export function getParametricTarget(context: IExecuteFunctions, itemIndex: number): ParametricTarget {
	return {
		projectId: getProjectId(context, itemIndex),
		catalogId: getLocatorValue(context, 'catalog', 'Catalog', itemIndex),
	};
}

/** Rewords a missing catalog (404, or 400 as live Peaka returned for deleted resources). */
export function describeMissingCatalog(target: ParametricTarget): FailureDescriber {
	return (failure) => {
		const text = failure.peakaMessage;
		const missing = (failure.status === 404 || failure.status === 400) && /catalog not found/i.test(text);
		if (!missing) return undefined;
		return {
			message: `Catalog '${target.catalogId}' was not found in project '${target.projectId}'`,
			description: `Pick the catalog from the list, or check that it was not deleted. Peaka's message: ${text}`,
		};
	};
}
