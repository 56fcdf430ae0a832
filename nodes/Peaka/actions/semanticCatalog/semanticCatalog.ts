import type { IExecuteFunctions } from 'n8n-workflow';

import type { FailureDescriber } from '../../transport/errors';
import { getLocatorValue, getProjectId } from '../parameters';

export interface SemanticCatalogTarget {
	projectId: string;
	catalogId: string;
}

export function semanticCatalogsPath(projectId: string, catalogId?: string): string {
	const base = `/data/projects/${encodeURIComponent(projectId)}/semantic-catalogs`;
	return catalogId === undefined ? base : `${base}/${encodeURIComponent(catalogId)}`;
}

export function getSemanticCatalogTarget(context: IExecuteFunctions, itemIndex: number): SemanticCatalogTarget {
	return {
		projectId: getProjectId(context, itemIndex),
		catalogId: getLocatorValue(context, 'catalog', 'Semantic Catalog', itemIndex),
	};
}

/**
 * Rewords a missing semantic catalog as "not found". The spec documents only 200 here; the
 * statuses follow the other catalog routes (404, or 400 as live Peaka returned for deleted
 * resources).
 */
export function describeMissingSemanticCatalog(target: SemanticCatalogTarget): FailureDescriber {
	return (failure) => {
		const text = failure.peakaMessage;
		if (failure.status === 400 && /is not a semantic catalog/i.test(text)) {
			return {
				message: `Catalog '${target.catalogId}' is not a semantic catalog`,
				description: `Pick a catalog of type SEMANTIC, or create one with Semantic Catalog → Create. Peaka's message: ${text}`,
			};
		}
		const missing = failure.status === 404 || (failure.status === 400 && /catalog not found/i.test(text));
		if (!missing || /query not found|table not found/i.test(text)) return undefined;
		return {
			message: `Semantic catalog '${target.catalogId}' was not found in project '${target.projectId}'`,
			description: `Pick the catalog from the list, or check that it was not deleted. Peaka's message: ${text || `HTTP ${failure.status}`}`,
		};
	};
}
