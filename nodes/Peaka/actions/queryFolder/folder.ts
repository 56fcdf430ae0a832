import type { FailureDescriber } from '../../transport/errors';

/** Rewords Peaka's 404 and 409 for a query folder, keeping Peaka's message in the description. */
export function describeFolderFailure(projectId: string, folderId: string, conflictAdvice: string): FailureDescriber {
	return (failure) => {
		const peakaDetail = `Peaka's message: ${failure.peakaMessage || `HTTP ${failure.status}`}`;
		if (failure.status === 404) {
			return {
				message: `Query folder '${folderId}' was not found in project '${projectId}'`,
				description: `Pick the folder from the list, or check that it was not deleted. ${peakaDetail}`,
			};
		}
		if (failure.status === 409) {
			return {
				message: `Peaka rejected the change to query folder '${folderId}' (409): ${failure.peakaMessage}`,
				description: `${conflictAdvice} ${peakaDetail}`,
			};
		}
		return undefined;
	};
}
