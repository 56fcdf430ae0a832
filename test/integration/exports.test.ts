import { gunzipSync } from 'node:zlib';

import axios from 'axios';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { expectRequestsMatchSpec } from '../contract/openapi';
import { readBinary, type RunNodeResult } from '../harness/n8n-runner';
import { BEHAVIOURS, type Emulator, jsonOf, pairedItemsOf, projectParameter, runPeaka, startPeaka } from './support';

const DATASETS_CATALOG_ID = '846085284821991568';
// A 2 s export takes 100 ms at this speed.
const JOB_SPEED = 20;
const NULL_MARKER = '\\N';
const EDGE_TYPES_SQL = 'SELECT * FROM "datasets"."public"."edge_types"';
const FLIGHTS_SQL = 'SELECT origin, destination, delay, date FROM "datasets"."public"."flights" ORDER BY date, origin, destination, delay LIMIT 25';
const EMPTY_SQL = 'SELECT iata, name FROM "datasets"."public"."airports" WHERE 1 = 0';
const LIST_PAGE_SIZE = 200;

interface Jobs {
	arrange(request: { kind: string; target?: string; outcome: 'fail' | 'hang' | 'cancel'; message?: string; times?: number }): unknown;
	clearArrangements(): number;
	list(filter: { kind?: string; target?: string; projectId?: string }): Array<{ id: string; target: string }>;
	state(job: unknown): string;
}

interface LoggedRequest {
	method: string;
	path: string;
	query?: Record<string, string>;
	body?: unknown;
	status?: number;
	authorizationHeader?: boolean;
}

type Row = Record<string, string | null>;

const locator = (value: string): INodeParameters => ({ __rl: true, mode: 'id', value });

/** Parses CSV as the emulator writes it: quoted fields double their quotes, NULL is an unquoted marker. */
function parseCsv(text: string, delimiter = ',', nullValue = NULL_MARKER): Array<Array<string | null>> {
	const rows: Array<Array<string | null>> = [];
	let row: Array<string | null> = [];
	let field = '';
	let quoted = false;
	let wasQuoted = false;
	const endField = () => {
		row.push(!wasQuoted && field === nullValue ? null : field);
		field = '';
		wasQuoted = false;
	};
	for (let index = 0; index < text.length; index++) {
		const char = text[index];
		if (quoted) {
			if (char === '"' && text[index + 1] === '"') {
				field += '"';
				index++;
			} else if (char === '"') {
				quoted = false;
			} else {
				field += char;
			}
		} else if (char === '"') {
			quoted = true;
			wasQuoted = true;
		} else if (char === delimiter) {
			endField();
		} else if (char === '\n') {
			endField();
			rows.push(row);
			row = [];
		} else {
			field += char;
		}
	}
	if (field !== '' || row.length > 0) {
		endField();
		rows.push(row);
	}
	return rows;
}

function csvObjects(text: string): Row[] {
	const [header, ...rows] = parseCsv(text);
	return rows.map((cells) => Object.fromEntries(header.map((name, index) => [name as string, cells[index]])));
}

function jsonlObjects(text: string): Row[] {
	return text
		.split('\n')
		.filter((line) => line !== '')
		.map((line) => JSON.parse(line) as Row);
}

describe.each(BEHAVIOURS)('Export operations against the %s emulator', (behaviour) => {
	let emulator: Emulator;
	let jobs: Jobs;
	let savedQueryIds: { flights: string; empty: string };

	const http = () =>
		axios.create({
			baseURL: emulator.baseUrl,
			headers: { Authorization: `Bearer ${emulator.partnerKey}` },
			validateStatus: () => true,
		});

	/** The rows Peaka's query endpoint returns for `sql` (SIMPLE format, values as text). */
	async function queryRows(sql: string): Promise<Row[]> {
		const response = await http().post(`/data/projects/${emulator.projectId}/queries/execute`, { statement: sql }, { params: { format: 'SIMPLE' } });
		expect(response.status).toBe(200);
		return response.data.data as Row[];
	}

	async function createSavedQuery(displayName: string, inputQuery: string): Promise<string> {
		const response = await http().post(`/data/projects/${emulator.projectId}/queries`, { displayName, inputQuery, queryType: 'PLAIN' });
		expect(response.status).toBe(200);
		return String(response.data.id);
	}

	beforeAll(async () => {
		emulator = await startPeaka(behaviour, { eventsRows: 20, jobSpeed: JOB_SPEED });
		jobs = (emulator as unknown as { jobs: Jobs }).jobs;
		savedQueryIds = {
			flights: await createSavedQuery('Early Flights', FLIGHTS_SQL),
			empty: await createSavedQuery('No Airports', EMPTY_SQL),
		};
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => {
		emulator.faults.clearRequests();
		jobs.clearArrangements();
	});

	const requests = () => emulator.faults.requests() as LoggedRequest[];
	const fileRequests = () => requests().filter((request) => request.path.startsWith('/__files/'));
	const apiRequests = () => requests().filter((request) => !request.path.startsWith('/__files/'));
	const ok = (result: RunNodeResult): INodeExecutionData[] => {
		expect(result.error).toBeUndefined();
		return result.outputs[0];
	};

	const exportTable = (extra: INodeParameters = {}): INodeParameters => ({
		resource: 'export',
		operation: 'exportTable',
		project: projectParameter(emulator.projectId),
		catalog: locator(DATASETS_CATALOG_ID),
		schema: locator('public'),
		table: locator('edge_types'),
		...extra,
	});
	const exportQuery = (queryId: string, extra: INodeParameters = {}): INodeParameters => ({
		resource: 'export',
		operation: 'exportQuery',
		project: projectParameter(emulator.projectId),
		savedQuery: locator(queryId),
		...extra,
	});
	const exportOperation = (operation: string, extra: INodeParameters = {}): INodeParameters => ({
		resource: 'export',
		operation,
		project: projectParameter(emulator.projectId),
		...extra,
	});

	it.each([
		['CSV', false],
		['CSV', true],
		['JSONL', false],
		['JSONL', true],
	])('table export as %s (gzip %s) equals the query rows', async (format, gzip) => {
		const expected = await queryRows(EDGE_TYPES_SQL);
		emulator.faults.clearRequests();
		const result = await runPeaka(
			emulator,
			exportTable({ format, gzip, options: format === 'CSV' ? { nullValue: NULL_MARKER } : {} }),
		);
		const [item] = ok(result);
		const extension = format === 'CSV' ? 'csv' : 'jsonl';
		const fileName = `table_${DATASETS_CATALOG_ID}_public_edge_types.${extension}${gzip ? '.gz' : ''}`;
		expect(item.json).toMatchObject({ status: 'SUCCEEDED', format, compression: gzip ? 'GZIP' : 'NONE', rowCount: expected.length });
		expect(item.json.files).toEqual([{ name: fileName, bytes: expect.any(Number) }]);
		expect(item.binary?.data.fileName).toBe(fileName);
		const mimeType = format === 'CSV' ? 'text/csv' : 'application/x-ndjson';
		expect(item.binary?.data.mimeType).toBe(gzip ? 'application/gzip' : mimeType);

		const bytes = await readBinary(item, 'data');
		const text = (gzip ? gunzipSync(bytes) : bytes).toString('utf8');
		const rows = format === 'CSV' ? csvObjects(text) : jsonlObjects(text);
		expect(rows).toEqual(expected);
		// The edge values survive: a bigint past 2^53, unicode, NULL beside '', names with spaces and dots.
		expect(rows.map((row) => row.c_bigint)).toContain('9007199254740993');
		const texts = rows.map((row) => row.c_varchar);
		expect(texts).toContain('');
		expect(texts).toContain(null);
		expect(texts).toContain('line\nbreak "quoted" \\ back');
		expect(texts.some((text) => text?.startsWith('😀 caf'))).toBe(true);
		expect(Object.keys(rows[0])).toEqual(expect.arrayContaining(['unit price', 'a.b']));

		expect(fileRequests()).toEqual([expect.objectContaining({ method: 'GET', status: 200, authorizationHeader: false })]);
		const sent = apiRequests().find((request) => request.method === 'POST');
		expect(sent?.body).toEqual({ format, compression: gzip ? 'GZIP' : 'NONE', ...(format === 'CSV' && { csvOptions: { nullValue: NULL_MARKER } }) });
		expect(expectRequestsMatchSpec(apiRequests())).toBe(true);
	});

	it('query export with columns, limit and options', async () => {
		const expected = (await queryRows(FLIGHTS_SQL)).slice(0, 10).map((row) => ({ delay: row.delay, origin: row.origin }));
		emulator.faults.clearRequests();
		const result = await runPeaka(
			emulator,
			exportQuery(savedQueryIds.flights, {
				format: 'CSV',
				options: { columns: 'delay, origin', rowLimit: 10, delimiter: ';', includeHeader: false, binaryProperty: 'file' },
			}),
			{ inputItems: [{ run: 1 }] },
		);
		const [item] = ok(result);
		expect(item.json).toMatchObject({ status: 'SUCCEEDED', rowCount: 10, queryId: savedQueryIds.flights, source: 'peaka.query."earlyflights"' });
		expect(pairedItemsOf(result.outputs[0])).toEqual([{ item: 0 }]);
		const text = (await readBinary(item, 'file')).toString('utf8');
		const rows = parseCsv(text, ';').map(([delay, origin]) => ({ delay, origin }));
		expect(rows).toEqual(expected);
		expect(apiRequests()[0]).toMatchObject({
			method: 'POST',
			path: `/data/projects/${emulator.projectId}/queries/${savedQueryIds.flights}/exports`,
			body: { format: 'CSV', compression: 'NONE', limit: 10, columns: ['delay', 'origin'], csvOptions: { delimiter: ';', includeHeader: false } },
		});
		expect(fileRequests().map((request) => request.authorizationHeader)).toEqual([false]);
	});

	it('zero-row export is an empty result with a note', async () => {
		const result = await runPeaka(emulator, exportQuery(savedQueryIds.empty, { format: 'JSONL' }));
		const [item] = ok(result);
		expect(result.outputs[0]).toHaveLength(1);
		expect(item.binary).toBeUndefined();
		expect(item.json).toMatchObject({ empty: true, rowCount: 0, files: [], status: behaviour === 'observed' ? 'FAILED' : 'SUCCEEDED' });
		expect(String(item.json.note)).toContain('no rows');
		expect(fileRequests()).toEqual([]);
	});

	it('failed export stops with its error', async () => {
		jobs.arrange({ kind: 'export', outcome: 'fail', message: 'Query exceeded the 1,000,000 row export limit' });
		const result = await runPeaka(emulator, exportTable({ format: 'CSV' }));
		expect(result.error?.message).toMatch(/^Export '[0-9a-f-]{36}' of datasets\.public\."edge_types" ended FAILED: Query exceeded the 1,000,000 row export limit$/);
		expect(fileRequests()).toEqual([]);
	});

	it('expired file URL is fetched again', async () => {
		emulator.faults.add({ method: 'GET', path: '/__files/**', status: 403, body: '<Error><Code>AccessDenied</Code></Error>', contentType: 'application/xml', times: 1 });
		const [item] = ok(await runPeaka(emulator, exportTable({ format: 'JSONL' })));
		expect(jsonlObjects((await readBinary(item, 'data')).toString('utf8'))).toEqual(await queryRows(EDGE_TYPES_SQL));
		expect(fileRequests().map((request) => [request.status, request.authorizationHeader ?? false])).toEqual([[403, false], [200, false]]);
		const reads = apiRequests().filter((request) => request.method === 'GET' && /\/exports\/[0-9a-f-]{36}$/.test(request.path));
		expect(reads.length).toBeGreaterThanOrEqual(2);

		emulator.faults.add({ method: 'GET', path: '/__files/**', status: 403, times: 2 });
		const failed = await runPeaka(emulator, exportTable({ format: 'JSONL' }));
		expect(failed.error?.message).toMatch(/^Downloading file 'table_846085284821991568_public_edge_types\.jsonl' of export '[0-9a-f-]{36}' failed with HTTP 403$/);
		emulator.faults.reset();
	});

	it('hanging export times out', async () => {
		jobs.arrange({ kind: 'export', outcome: 'hang' });
		const result = await runPeaka(emulator, exportTable({ waitTimeout: 1 }));
		expect(result.error?.message).toMatch(
			/^Timed out waiting for export '[0-9a-f-]{36}' of table 'public\.edge_types' of catalog '846085284821991568': it did not finish within 1 s \(last status: RUNNING\)$/,
		);
		expect(fileRequests()).toEqual([]);
	});

	it('unknown column is rejected by Peaka', async () => {
		const result = await runPeaka(emulator, exportTable({ options: { columns: 'id, nope' } }));
		expect(result.error?.message).toContain("Unknown column 'nope'");
		expect(jsonOf(result.outputs[0])).toEqual([]);
	});

	it('no wait, get with download, cancel', async () => {
		const started = ok(await runPeaka(emulator, exportTable({ waitForCompletion: false })));
		expect(started.map((item) => item.json.status)).toEqual(['PENDING']);
		const exportId = String(started[0].json.id);

		await new Promise((resolve) => setTimeout(resolve, 300));
		const plain = ok(await runPeaka(emulator, exportOperation('get', { exportId })));
		expect(plain[0].json).toMatchObject({ id: exportId, status: 'SUCCEEDED' });
		expect((plain[0].json.files as IDataObject[])[0].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/__files\//);
		expect(plain[0].binary).toBeUndefined();

		const downloaded = ok(await runPeaka(emulator, exportOperation('get', { exportId, download: true })));
		expect((await readBinary(downloaded[0], 'data')).toString('utf8').split('\n')[0]).toMatch(/^id,c_boolean,/);

		jobs.arrange({ kind: 'export', outcome: 'hang' });
		const hanging = ok(await runPeaka(emulator, exportTable({ waitForCompletion: false })));
		const hangingId = String(hanging[0].json.id);
		const cancelled = ok(await runPeaka(emulator, exportOperation('cancel', { exportId: hangingId })));
		expect(cancelled[0].json).toEqual({ id: hangingId, cancelRequested: true });
		const [job] = jobs.list({ kind: 'export', target: hangingId });
		expect(jobs.state(job)).toBe('CANCELLED');
		const after = ok(await runPeaka(emulator, exportOperation('get', { exportId: hangingId })));
		expect(after[0].json.status).toBe('CANCELLED');

		const missing = await runPeaka(emulator, exportOperation('cancel', { exportId: '00000000-0000-4000-8000-000000000000' }));
		expect(missing.error?.message).toBe("Export '00000000-0000-4000-8000-000000000000' was not found");
		expect(expectRequestsMatchSpec(apiRequests())).toBe(true);
	});

	it('get many pages by cursor and filters status', async () => {
		const client = http();
		const before = (await client.get(`/data/projects/${emulator.projectId}/exports`, { params: { limit: 200 } })).data as IDataObject[];
		const extra = LIST_PAGE_SIZE + 3 - before.length;
		for (let index = 0; index < extra; index++) {
			const response = await client.post(
				`/data/projects/${emulator.projectId}/catalogs/${DATASETS_CATALOG_ID}/schemas/public/tables/edge_types/exports`,
				{ format: 'JSONL', limit: 1 },
			);
			expect(response.status).toBe(202);
		}
		emulator.faults.clearRequests();
		const all = ok(await runPeaka(emulator, exportOperation('getMany', { returnAll: true })));
		expect(all).toHaveLength(LIST_PAGE_SIZE + 3);
		expect(new Set(all.map((item) => item.json.id)).size).toBe(LIST_PAGE_SIZE + 3);
		const pages = apiRequests().filter((request) => request.path.endsWith('/exports'));
		expect(pages.map((request) => request.query?.limit)).toEqual(['200', '200']);
		expect(pages[1].query?.createdBefore).toBe(all[LIST_PAGE_SIZE - 1].json.createdAt);

		const limited = ok(await runPeaka(emulator, exportOperation('getMany', { returnAll: false, limit: 3, filters: { status: ['CANCELLED', 'FAILED'] } })));
		expect(limited.length).toBeGreaterThan(0);
		expect(limited.length).toBeLessThanOrEqual(3);
		expect(limited.every((item) => ['CANCELLED', 'FAILED'].includes(String(item.json.status)))).toBe(true);
		expect(apiRequests().at(-1)?.query).toEqual({ limit: '3', status: 'CANCELLED,FAILED' });
		expect(expectRequestsMatchSpec(apiRequests())).toBe(true);
	});
});
