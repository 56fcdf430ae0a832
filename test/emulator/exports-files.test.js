'use strict';

const zlib = require('node:zlib');

const axios = require('axios');

const { startEmulator } = require('../../emulator/src/index.js');
const { csvField, readExportRequest, renderFile } = require('../../emulator/src/routes/exports.js');

const DATASETS_ID = '846085284821991568';
// A 2 s export takes 50 ms.
const JOB_SPEED = 40;
const DEFAULT_CSV = { delimiter: ',', quoteChar: '"', recordSeparator: '\n', includeHeader: true, nullValue: '' };

describe('export file rendering', () => {
	it.each([
		['plain', 'plain'],
		['a,b', '"a,b"'],
		['say "hi"', '"say ""hi"""'],
		['two\nlines', '"two\nlines"'],
		['', '""'],
		[null, ''],
	])('CSV field %j', (value, expected) => {
		expect(csvField(value, DEFAULT_CSV)).toBe(expected);
	});

	it('custom delimiter, quote, separator and null', () => {
		const request = readExportRequest({ format: 'CSV', csvOptions: { delimiter: ';', quoteChar: "'", recordSeparator: '\r\n', nullValue: 'NULL' } });
		expect(renderFile(['a', 'b'], [['x;y', null], ["it's", 'NULL']], request)).toBe("a;b\r\n'x;y';NULL\r\n'it''s';'NULL'\r\n");
	});

	it('JSONL keeps text and null', () => {
		const request = readExportRequest({ format: 'JSONL' });
		expect(renderFile(['id', 'name'], [['1', null], ['2', 'b']], request)).toBe('{"id":"1","name":null}\n{"id":"2","name":"b"}\n');
	});

	it.each([
		[{ format: 'XML' }, 'Invalid format "XML": use one of CSV, JSONL.'],
		[{ compression: 'ZIP' }, 'Invalid compression "ZIP": use one of NONE, GZIP.'],
		[{ limit: 1.5 }, 'Invalid limit 1.5: send a whole number of rows.'],
		[{ csvOptions: { delimiter: ';;' } }, 'Invalid csvOptions.delimiter ";;": send one character, e.g. ",".'],
		[{ columns: ['id', 7] }, 'Invalid columns ["id",7]: send an array of column names.'],
	])('rejects %j', (body, message) => {
		expect(() => readExportRequest(body)).toThrow(message);
	});

	it('clamps the limit to Peaka range', () => {
		expect(readExportRequest({ limit: 0 }).limit).toBe(1);
		expect(readExportRequest({ limit: 5_000_000 }).limit).toBe(1_000_000);
		expect(readExportRequest({}).limit).toBeNull();
	});
});

describe.each(['spec', 'observed'])('export routes (%s)', (behaviour) => {
	let emulator;
	let http;
	const projectPath = (suffix) => `/data/projects/${emulator.projectId}${suffix}`;
	const tableExports = (table) => projectPath(`/catalogs/${DATASETS_ID}/schemas/public/tables/${table}/exports`);
	const settle = () => new Promise((resolve) => setTimeout(resolve, 120));

	beforeAll(async () => {
		emulator = await startEmulator({ behaviour, eventsRows: 10, jobSpeed: JOB_SPEED });
		http = axios.create({ baseURL: emulator.baseUrl, headers: { Authorization: `Bearer ${emulator.projectKey}` }, validateStatus: () => true });
	});
	afterAll(async () => {
		await emulator.close();
	});

	it('runs a job from PENDING to SUCCEEDED with a gzip file', async () => {
		const created = await http.post(tableExports('airports'), { format: 'CSV', compression: 'GZIP', limit: 3, columns: ['iata', 'state'] });
		expect(created.status).toBe(202);
		expect(created.data).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'PENDING' });
		const early = await http.get(projectPath(`/exports/${created.data.id}`));
		expect(['PENDING', 'RUNNING']).toContain(early.data.status);
		expect(early.data.files).toBeUndefined();

		await settle();
		const done = (await http.get(projectPath(`/exports/${created.data.id}`))).data;
		expect(done).toMatchObject({ status: 'SUCCEEDED', rowCount: 3, format: 'CSV', compression: 'GZIP', downloadable: true, apiKeyPrefix: 'EmuProj1', source: 'datasets.public."airports"' });
		const file = await axios.get(done.files[0].url, { responseType: 'arraybuffer', validateStatus: () => true });
		expect(file.status).toBe(200);
		expect(file.headers['content-type']).toBe('application/gzip');
		const lines = zlib.gunzipSync(Buffer.from(file.data)).toString('utf8').split('\n');
		expect(lines[0]).toBe('iata,state');
		expect(lines).toHaveLength(5);
		expect(done.bytes).toBe(file.data.byteLength);
	});

	it('file URLs need no key and are logged', async () => {
		const created = await http.post(tableExports('penguins'), { format: 'JSONL', limit: 1 });
		await settle();
		const { files } = (await http.get(projectPath(`/exports/${created.data.id}`))).data;
		emulator.faults.clearRequests();
		const withKey = await axios.get(files[0].url, { headers: { Authorization: 'Bearer anything' }, validateStatus: () => true });
		const withoutKey = await axios.get(files[0].url, { validateStatus: () => true });
		expect([withKey.status, withoutKey.status]).toEqual([200, 200]);
		expect(emulator.faults.requests().map((entry) => entry.authorizationHeader)).toEqual([true, false]);

		const forged = await axios.get(files[0].url.replace(/__files\/[0-9a-f]+/, '__files/deadbeef'), { validateStatus: () => true });
		expect(forged.status).toBe(403);
		expect(forged.data).toContain('<Code>AccessDenied</Code>');
	});

	it('zero rows end as the behaviour says', async () => {
		const query = await http.post(projectPath('/queries'), { displayName: `Nothing ${behaviour}`, inputQuery: 'SELECT iata FROM datasets.public.airports WHERE 1 = 0', queryType: 'PLAIN' });
		const created = await http.post(projectPath(`/queries/${query.data.id}/exports`), { format: 'CSV' });
		await settle();
		const done = (await http.get(projectPath(`/exports/${created.data.id}`))).data;
		if (behaviour === 'observed') {
			expect(done).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/^Trino-native export produced no files at s3a:\/\/export\//) });
			expect(done.files).toBeUndefined();
		} else {
			expect(done).toMatchObject({ status: 'SUCCEEDED', rowCount: 0 });
			const file = await axios.get(done.files[0].url, { responseType: 'text' });
			expect(file.data).toBe('iata\n');
		}
	});

	it('drops system columns on request', async () => {
		const query = await http.post(projectPath('/queries'), {
			displayName: `System ${behaviour}`,
			inputQuery: "SELECT 1 AS _id, 2 AS _version, 'x' AS _q_offset, 'y' AS _cache_tx, 'kept' AS name",
			queryType: 'PLAIN',
		});
		const withSystem = await http.post(projectPath(`/queries/${query.data.id}/exports`), { format: 'CSV' });
		const without = await http.post(projectPath(`/queries/${query.data.id}/exports`), { format: 'CSV', includeSystemColumns: false });
		await settle();
		const header = async (id) => {
			const { files } = (await http.get(projectPath(`/exports/${id}`))).data;
			return (await axios.get(files[0].url, { responseType: 'text' })).data.split('\n')[0];
		};
		expect(await header(withSystem.data.id)).toBe('_id,_version,name');
		expect(await header(without.data.id)).toBe('name');
	});

	it('rejects bad requests and unknown sources', async () => {
		const missingStatus = behaviour === 'observed' ? 400 : 404;
		expect((await http.post(tableExports('airports'), { columns: ['iata', 'nope'] })).data.message).toMatch(/^Unknown column 'nope'/);
		expect((await http.post(tableExports('nope'), {})).status).toBe(400);
		expect((await http.post(projectPath('/queries/1/exports'), {})).status).toBe(missingStatus);
		expect((await http.get(projectPath('/exports/00000000-0000-4000-8000-000000000000'))).status).toBe(missingStatus);
		expect((await http.get(projectPath('/exports'), { params: { status: 'DONE' } })).status).toBe(400);
		expect((await http.get(projectPath('/exports'), { params: { createdBefore: 'yesterday' } })).status).toBe(400);
	});

	it('cancels running jobs, ignores finished ones', async () => {
		emulator.jobs.arrange({ kind: 'export', outcome: 'hang' });
		const hanging = await http.post(tableExports('airports'), { limit: 1 });
		expect((await http.delete(projectPath(`/exports/${hanging.data.id}`))).status).toBe(204);
		expect((await http.get(projectPath(`/exports/${hanging.data.id}`))).data.status).toBe('CANCELLED');

		const quick = await http.post(tableExports('airports'), { limit: 1 });
		await settle();
		expect((await http.delete(projectPath(`/exports/${quick.data.id}`))).status).toBe(204);
		expect((await http.get(projectPath(`/exports/${quick.data.id}`))).data.status).toBe('SUCCEEDED');

		const cancelled = (await http.get(projectPath('/exports'), { params: { status: 'CANCELLED' } })).data;
		expect(cancelled.map((entry) => entry.id)).toEqual([hanging.data.id]);
	});
});
