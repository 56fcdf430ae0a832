import type { IDataObject } from 'n8n-workflow';

import type { FailureDescriber } from '../../transport/errors';

export function savedQueryPath(projectId: string, queryId?: string): string {
	const base = `/data/projects/${encodeURIComponent(projectId)}/queries`;
	return queryId === undefined ? base : `${base}/${encodeURIComponent(queryId)}`;
}

// The spec documents 404 for a missing saved query, but live Peaka returned 400 "There is
// no query with id: <id>". Both mean "not found".
export function describeMissingQuery(projectId: string, queryId: string): FailureDescriber {
	return (failure) => {
		const missing =
			failure.status === 404 || (failure.status === 400 && /there is no query/i.test(failure.peakaMessage));
		if (!missing) return undefined;
		return {
			message: `Saved query '${queryId}' was not found in project '${projectId}'`,
			description: `Pick the saved query from the list, or check that it was not deleted. Peaka's message: ${failure.peakaMessage || `HTTP ${failure.status}`}`,
		};
	};
}

/** Peaka returns the stored query; the node passes every field through. */
export function asQueryItem(body: unknown): IDataObject {
	if (body && typeof body === 'object' && !Array.isArray(body)) return body as IDataObject;
	return body === undefined || body === null || body === '' ? {} : { result: body as string };
}
