import { randomBytes } from 'crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import type { FailureDescriber } from '../../transport/errors';
import { type InternalTableTarget, internalTablesPath } from './table';

/** A target column and the CSV column that fills it, by header name or 0-based index. */
export type ImportMapping = { name: string; csvColumnName: string } | { name: string; csvColumnIndex: number };

export interface ImportOptions {
	csv: Buffer;
	fileName: string;
	mappings: ImportMapping[];
	containsHeader: boolean;
	itemIndex?: number;
	describeFailure?: FailureDescriber;
}

/**
 * Builds a multipart/form-data body with Peaka's two parts: `file` (the CSV) and `request` (the
 * mapping JSON). It is written here rather than with a form library, because the package ships no
 * runtime dependency. The boundary is random, so it cannot occur in the CSV by chance.
 */
export function multipartBody(parts: Array<{ name: string; fileName?: string; contentType: string; data: Buffer }>): {
	data: Buffer;
	contentType: string;
} {
	const boundary = `----n8nPeaka${randomBytes(16).toString('hex')}`;
	const chunks: Buffer[] = [];
	for (const part of parts) {
		const fileName = part.fileName === undefined ? '' : `; filename="${part.fileName.replace(/["\r\n]/g, '_')}"`;
		chunks.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${fileName}\r\nContent-Type: ${part.contentType}\r\n\r\n`,
				'utf8',
			),
			part.data,
			Buffer.from('\r\n', 'utf8'),
		);
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
	return { data: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Sends one CSV import. Imports only append, so the request is never repeated once it may have
 * reached Peaka: the transport retries it only on 429, which Peaka sends before doing anything.
 */
export async function importCsv(context: IExecuteFunctions, target: InternalTableTarget, options: ImportOptions): Promise<IDataObject> {
	const request = { mappings: options.mappings, containsHeader: options.containsHeader };
	const body = multipartBody([
		{ name: 'file', fileName: options.fileName, contentType: 'text/csv', data: options.csv },
		{ name: 'request', contentType: 'application/json', data: Buffer.from(JSON.stringify(request), 'utf8') },
	]);
	const response = await peakaApiRequest.call(context, {
		method: 'POST',
		path: `${internalTablesPath(target.projectId, 'table', target.tableName)}/import`,
		rawBody: body,
		idempotent: false,
		describeFailure: options.describeFailure,
		itemIndex: options.itemIndex,
	});
	return response && typeof response === 'object' && !Array.isArray(response) ? (response as IDataObject) : {};
}
