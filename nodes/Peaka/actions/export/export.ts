import {
	type IBinaryKeyData,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
} from 'n8n-workflow';

import { normalizeStatus, waitTimeoutMs, waitUntilSettled } from '../../helpers/wait';
import { peakaApiRequest } from '../../transport';
import type { FailureDescriber } from '../../transport/errors';

/** Export job statuses after which the job never changes again. */
const FINAL_STATUSES = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'CANCELED', 'EXPIRED']);
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 600;
const DOWNLOAD_TIMEOUT_MS = 10 * 60 * 1000;
/** Live Peaka ended an export of zero rows FAILED with this error and no files. */
const NO_FILES_PATTERN = /produced no files/i;
const EMPTY_EXPORT_NOTE =
	'The export has no rows, so there is no file. Peaka reports an export of zero rows as FAILED with no files; this node outputs it as an empty result instead.';

export interface ExportFile {
	name?: string;
	url?: string;
	bytes?: number;
}

export interface ExportJob extends IDataObject {
	id: string;
	status: string;
	error?: string;
	rowCount?: number;
}

export function exportsPath(projectId: string, exportId?: string): string {
	const base = `/data/projects/${encodeURIComponent(projectId)}/exports`;
	return exportId === undefined ? base : `${base}/${encodeURIComponent(exportId)}`;
}

export function describeMissingExport(exportId: string): FailureDescriber {
	return (failure) => {
		if (failure.status !== 404 && !(failure.status === 400 && /not found/i.test(failure.peakaMessage))) return undefined;
		return {
			message: `Export '${exportId}' was not found`,
			description: `Check the export ID, or list the project's exports with Get Many. Peaka's message: ${failure.peakaMessage || `HTTP ${failure.status}`}`,
		};
	};
}

/** Options that shape the exported file, shared by Export Query and Export Table. */
export function fileProperties(operation: string): INodeProperties[] {
	const show = { resource: ['export'], operation: [operation] };
	return [
		{
			displayName: 'Format',
			name: 'format',
			type: 'options',
			options: [
				{ name: 'CSV', value: 'CSV' },
				{ name: 'JSON Lines', value: 'JSONL', description: 'One JSON object per row' },
			],
			default: 'CSV',
			displayOptions: { show },
		},
		{
			displayName: 'Compress with Gzip',
			name: 'gzip',
			type: 'boolean',
			default: false,
			description: 'Whether Peaka should gzip the file (its name then ends in .gz)',
			displayOptions: { show },
		},
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: true,
			description:
				'Whether to wait until the export finishes and output its files as binary data. Turn off to output the export ID at once and fetch the files later with Get.',
			displayOptions: { show },
		},
		{
			displayName: 'Wait Timeout (Seconds)',
			name: 'waitTimeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_WAIT_TIMEOUT_SECONDS,
			description: 'How long to wait for the export before failing. The export keeps running in Peaka after a timeout.',
			displayOptions: { show: { ...show, waitForCompletion: [true] } },
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: { show },
			options: [
				{
					displayName: 'Binary Property',
					name: 'binaryProperty',
					type: 'string',
					default: 'data',
					description: 'Name of the binary property for the file. Further files of the same export get _1, _2 and so on.',
				},
				{
					displayName: 'Columns',
					name: 'columns',
					type: 'string',
					default: '',
					placeholder: 'e.g. origin, destination, delay',
					description: 'Comma-separated names of the columns to export, in this order. Empty exports every column. Peaka rejects unknown names.',
				},
				{
					displayName: 'CSV Delimiter',
					name: 'delimiter',
					type: 'string',
					default: ',',
					description: 'One character between fields. Ignored for JSON Lines.',
				},
				{
					displayName: 'CSV Include Header',
					name: 'includeHeader',
					type: 'boolean',
					default: true,
					description: 'Whether the CSV file starts with a row of column names',
				},
				{
					displayName: 'CSV Null Value',
					name: 'nullValue',
					type: 'string',
					default: '',
					placeholder: 'e.g. \\N',
					description: 'Text written for NULL. Empty by default, which an empty text value can also look like.',
				},
				{
					displayName: 'CSV Quote Character',
					name: 'quoteChar',
					type: 'string',
					default: '"',
					description: 'One character that encloses fields holding the delimiter, quotes or line breaks',
				},
				{
					displayName: 'CSV Record Separator',
					name: 'recordSeparator',
					type: 'options',
					options: [
						{ name: 'Line Feed (LF)', value: '\n' },
						{ name: 'Carriage Return and Line Feed (CRLF)', value: '\r\n' },
					],
					default: '\n',
					description: 'What ends each CSV line',
				},
				{
					displayName: 'Include System Columns',
					name: 'includeSystemColumns',
					type: 'boolean',
					default: true,
					description:
						"Whether to keep Peaka's system columns (_id, _version and the like). Turn off for a file to import elsewhere. Peaka always drops _q_* and _cache_* columns.",
				},
				{
					displayName: 'Row Limit',
					name: 'rowLimit',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: 1_000_000,
					description: 'Max number of rows to export. Peaka exports at most 1,000,000 rows.',
				},
			],
		},
	];
}

interface FileOptions {
	binaryProperty?: string;
	columns?: string;
	delimiter?: string;
	includeHeader?: boolean;
	nullValue?: string;
	quoteChar?: string;
	recordSeparator?: string;
	includeSystemColumns?: boolean;
	rowLimit?: number;
}

function singleCharacter(context: IExecuteFunctions, value: string, displayName: string, itemIndex: number): string {
	if (value.length !== 1) {
		throw new NodeOperationError(context.getNode(), `The '${displayName}' option must be one character, not '${value}'`, {
			description: 'Enter exactly one character, e.g. , or ; or a tab.',
			itemIndex,
		});
	}
	return value;
}

/** Builds Peaka's ExportRequest from the node's parameters, sending only what differs from Peaka's defaults. */
export function buildExportRequest(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const format = context.getNodeParameter('format', itemIndex, 'CSV') as string;
	const gzip = context.getNodeParameter('gzip', itemIndex, false) as boolean;
	const options = context.getNodeParameter('options', itemIndex, {}) as FileOptions;
	const body: IDataObject = { format, compression: gzip ? 'GZIP' : 'NONE' };
	if (options.rowLimit !== undefined) body.limit = options.rowLimit;
	if (options.includeSystemColumns !== undefined) body.includeSystemColumns = options.includeSystemColumns;
	const columns = (options.columns ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
	if (columns.length > 0) body.columns = columns;
	if (format === 'CSV') {
		const csvOptions: IDataObject = {};
		if (options.delimiter !== undefined) csvOptions.delimiter = singleCharacter(context, options.delimiter, 'CSV Delimiter', itemIndex);
		if (options.quoteChar !== undefined) csvOptions.quoteChar = singleCharacter(context, options.quoteChar, 'CSV Quote Character', itemIndex);
		if (options.recordSeparator !== undefined) csvOptions.recordSeparator = options.recordSeparator;
		if (options.includeHeader !== undefined) csvOptions.includeHeader = options.includeHeader;
		if (options.nullValue !== undefined && options.nullValue !== '') csvOptions.nullValue = options.nullValue;
		if (Object.keys(csvOptions).length > 0) body.csvOptions = csvOptions;
	}
	return body;
}

export async function readExport(context: IExecuteFunctions, projectId: string, exportId: string, itemIndex: number): Promise<ExportJob> {
	return (await peakaApiRequest.call(context, {
		method: 'GET',
		path: exportsPath(projectId, exportId),
		describeFailure: describeMissingExport(exportId),
		itemIndex,
	})) as ExportJob;
}

/** Returns whether the job means "no rows": FAILED for lack of files (live Peaka), or SUCCEEDED with 0 rows. */
export function isEmptyExport(job: ExportJob): boolean {
	const status = normalizeStatus(job.status);
	if (status === 'FAILED') return NO_FILES_PATTERN.test(String(job.error ?? ''));
	return status === 'SUCCEEDED' && Number(job.rowCount ?? -1) === 0;
}

/** Returns the job without its presigned URLs, which expire soon and let anyone who has them download the file. */
export function publicJob(job: ExportJob): IDataObject {
	const files = Array.isArray(job.files) ? (job.files as ExportFile[]) : undefined;
	const result: IDataObject = { ...job };
	if (files) result.files = files.map(({ name, bytes }) => ({ name, bytes }));
	return result;
}

/**
 * Downloads one file from Peaka's presigned URL. The request goes through n8n's plain request
 * helper, without the Peaka credential: the URL carries its own signature, and the API key must
 * not reach the file host.
 */
async function downloadFile(context: IExecuteFunctions, url: string): Promise<{ status: number; body: Buffer; contentType?: string }> {
	const response = (await context.helpers.httpRequest({
		method: 'GET',
		url,
		encoding: 'arraybuffer',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: DOWNLOAD_TIMEOUT_MS,
	})) as { statusCode: number; body: ArrayBuffer | Buffer; headers: Record<string, string | undefined> };
	const body = Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body ?? new ArrayBuffer(0));
	return { status: response.statusCode, body, contentType: response.headers?.['content-type'] };
}

function mimeTypeFor(name: string, contentType: string | undefined): string {
	if (name.endsWith('.gz')) return 'application/gzip';
	if (name.endsWith('.jsonl')) return 'application/x-ndjson';
	if (name.endsWith('.csv')) return 'text/csv';
	return contentType?.split(';')[0] ?? 'application/octet-stream';
}

/**
 * Turns a finished export into the operation's output item: the job with its files as binary
 * data, or an empty result with a note when the export has no rows. Throws for any other
 * unsuccessful end.
 */
export async function toOutputItem(
	context: IExecuteFunctions,
	projectId: string,
	job: ExportJob,
	itemIndex: number,
): Promise<INodeExecutionData> {
	if (isEmptyExport(job)) {
		return {
			json: { ...publicJob(job), rowCount: 0, files: [], empty: true, note: EMPTY_EXPORT_NOTE },
			pairedItem: { item: itemIndex },
		};
	}
	const status = normalizeStatus(job.status);
	if (status !== 'SUCCEEDED') {
		const reason = job.error ? `: ${job.error}` : '';
		throw new NodeOperationError(context.getNode(), `Export '${job.id}' of ${String(job.source ?? 'the source')} ended ${status}${reason}`, {
			description:
				status === 'EXPIRED'
					? 'Its files were removed after their retention period; run the export again.'
					: 'Peaka exports occasionally fail without a visible cause; run the export once more before looking further.',
			itemIndex,
		});
	}

	const options = context.getNodeParameter('options', itemIndex, {}) as FileOptions;
	const property = options.binaryProperty?.trim() || 'data';
	let files = (Array.isArray(job.files) ? job.files : []) as ExportFile[];
	const binary: IBinaryKeyData = {};
	for (let index = 0; index < files.length; index++) {
		let file = files[index];
		let download = await downloadFile(context, String(file.url));
		if (download.status === 403 || download.status === 400) {
			// Presigned URLs are short-lived; reading the job again mints fresh ones.
			const fresh = await readExport(context, projectId, job.id, itemIndex);
			files = (Array.isArray(fresh.files) ? fresh.files : []) as ExportFile[];
			file = files[index] ?? file;
			download = await downloadFile(context, String(file.url));
		}
		if (download.status < 200 || download.status >= 300) {
			throw new NodeOperationError(context.getNode(), `Downloading file '${file.name}' of export '${job.id}' failed with HTTP ${download.status}`, {
				description: 'Run Get on the export to fetch fresh download links, and check that n8n can reach the file host.',
				itemIndex,
			});
		}
		const name = file.name ?? `export-${job.id}-${index}`;
		const key = index === 0 ? property : `${property}_${index}`;
		binary[key] = await context.helpers.prepareBinaryData(download.body, name, mimeTypeFor(name, download.contentType));
	}
	return { json: publicJob({ ...job, files }), binary, pairedItem: { item: itemIndex } };
}

/** Submits an export, then waits for it and downloads its files unless the user chose not to wait. */
export async function runExport(
	context: IExecuteFunctions,
	itemIndex: number,
	projectId: string,
	path: string,
	sourceLabel: string,
	describeFailure: FailureDescriber,
): Promise<INodeExecutionData[]> {
	const body = buildExportRequest(context, itemIndex);
	const created = (await peakaApiRequest.call(context, {
		method: 'POST',
		path,
		body,
		describeFailure,
		itemIndex,
	})) as ExportJob;
	const waitForCompletion = context.getNodeParameter('waitForCompletion', itemIndex, true) as boolean;
	if (!waitForCompletion) return [{ json: { ...created }, pairedItem: { item: itemIndex } }];

	const timeoutSeconds = context.getNodeParameter('waitTimeout', itemIndex, DEFAULT_WAIT_TIMEOUT_SECONDS) as number;
	const finished = await waitUntilSettled(context, {
		read: async () => await readExport(context, projectId, created.id, itemIndex),
		isSettled: (job) => FINAL_STATUSES.has(normalizeStatus(job.status)),
		deadlineMs: waitTimeoutMs(timeoutSeconds),
		describe: `export '${created.id}' of ${sourceLabel}`,
		summarize: (job) => normalizeStatus(job.status),
		itemIndex,
	});
	return [await toOutputItem(context, projectId, finished, itemIndex)];
}
