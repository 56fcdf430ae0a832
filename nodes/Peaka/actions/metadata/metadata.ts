import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import type { FailureDescriber } from '../../transport/errors';
import { getRequiredText } from '../parameters';

/** Builds a path below `/metadata/{projectId}`, encoding each segment. */
export function metadataPath(projectId: string, ...segments: string[]): string {
	return ['/metadata', projectId, ...segments].map((segment, index) => (index === 0 ? segment : encodeURIComponent(segment))).join('/');
}

/**
 * Rewords Peaka's "not found" errors (404 in the emulator's reading of the spec, 400 on live Peaka
 * for missing resources) so that they name what to check.
 */
export function describeMetadataFailure(what: string, fix: string): FailureDescriber {
	return (failure) => {
		const missing = failure.status === 404 || (failure.status === 400 && /not found|does not exist/i.test(failure.peakaMessage));
		if (!missing) return undefined;
		return {
			message: `${what} was not found`,
			description: `${fix} Peaka's message: ${failure.peakaMessage || `HTTP ${failure.status}`}`,
		};
	};
}

export const columnNameProperty: INodeProperties = {
	displayName: 'Column Name',
	name: 'columnName',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. origin',
	description: 'A column of the table, as SQL writes it',
};

export function getColumnName(context: IExecuteFunctions, itemIndex: number): string {
	return getRequiredText(context, 'columnName', 'Column Name', 'Enter the name of a column of the table, e.g. origin.', itemIndex);
}

/** Peaka's metadata responses are free-form objects; a missing body becomes an empty item. */
export function asObject(body: unknown): IDataObject {
	if (body && typeof body === 'object' && !Array.isArray(body)) return body as IDataObject;
	return body === undefined || body === null || body === '' ? {} : { result: body as string };
}

/** Reads one list out of a metadata response (`result`, `relations`, `questions`, `metadata`). */
export function listOf(body: unknown, key: string): IDataObject[] {
	const value = asObject(body)[key];
	return Array.isArray(value) ? (value as IDataObject[]) : [];
}

export function toItems(entries: IDataObject[], itemIndex: number): INodeExecutionData[] {
	return entries.map((json) => ({ json, pairedItem: { item: itemIndex } }));
}

/** Sends a metadata request and returns the response as one item. */
export async function singleItem(
	context: IExecuteFunctions,
	itemIndex: number,
	request: Parameters<typeof peakaApiRequest>[0],
	extra: IDataObject = {},
): Promise<INodeExecutionData[]> {
	const body = await peakaApiRequest.call(context, { ...request, itemIndex });
	return [{ json: { ...extra, ...asObject(body) }, pairedItem: { item: itemIndex } }];
}
