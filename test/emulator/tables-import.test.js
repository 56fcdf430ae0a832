'use strict';

const axios = require('axios');

const { startEmulator } = require('../../emulator/src/index.js');
const { parseCsv } = require('../../emulator/src/engine/internal-tables');
const { parseMultipart } = require('../../emulator/src/routes/tables');

describe('CSV parsing', () => {
	test('quotes, CRLF and embedded breaks', () => {
		const records = parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\r\n,""\n3,4');
		expect(records).toEqual([
			{ line: 1, fields: ['a', 'b'] },
			{ line: 2, fields: ['x, y', 'say "hi"\nthere'] },
			{ line: 4, fields: [null, ''] },
			{ line: 5, fields: ['3', '4'] },
		]);
	});

	test('unclosed quote is rejected', () => {
		expect(() => parseCsv('a\n"open')).toThrow('CSV parse error: a quoted field starting at line 2 is never closed');
	});

	test('multipart parts by name', () => {
		const body = Buffer.from('--B\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nx,y\r\n1,2\r\n--B\r\nContent-Disposition: form-data; name="request"\r\n\r\n{}\r\n--B--\r\n');
		const parts = parseMultipart(body, 'multipart/form-data; boundary=B');
		expect(parts.file.data.toString()).toBe('x,y\r\n1,2');
		expect(parts.file.fileName).toBe('a.csv');
		expect(parts.request.data.toString()).toBe('{}');
	});
});

describe.each(['spec', 'observed'])('CSV import in %s behaviour', (behaviour) => {
	let emulator;
	let http;

	const auth = () => ({ headers: { Authorization: `Bearer ${emulator.partnerKey}` } });
	const projectPath = (suffix) => `/data/projects/${emulator.projectId}${suffix}`;
	const create = (suffix) => http.post(projectPath(suffix), undefined, auth());
	const stored = (text) => emulator.engine.query(emulator.projectId, text);

	async function importCsv(table, csv, request) {
		const form = new FormData();
		form.append('file', new Blob([csv], { type: 'text/csv' }), 'rows.csv');
		form.append('request', typeof request === 'string' ? request : JSON.stringify(request));
		return http.post(projectPath(`/table/${table}/import`), form, auth());
	}

	beforeAll(async () => {
		emulator = await startEmulator({ behaviour, eventsRows: 10 });
		http = axios.create({ baseURL: emulator.baseUrl, validateStatus: () => true });
		await create('/table/items');
		await http.post(projectPath('/table/items/columns'), [
			{ name: 'qty', dataType: 'BIGINT' },
			{ name: 'price', dataType: 'DECIMAL' },
			{ name: 'ok', dataType: 'BOOLEAN' },
			{ name: 'day', dataType: 'DATE' },
			{ name: 'seen_at', dataType: 'TIMESTAMP' },
			{ name: 'clock', dataType: 'TIME' },
			{ name: 'ref', dataType: 'UUID' },
			{ name: 'label', dataType: 'VARCHAR', defaultValue: 'none' },
		], auth());
	});
	afterAll(async () => {
		await emulator.close();
	});
	beforeEach(async () => {
		await stored('DELETE FROM peaka."table".items');
	});

	const ALL_BY_NAME = ['qty', 'price', 'ok', 'day', 'seen_at', 'clock', 'ref'].map((name) => ({ name, csvColumnName: name }));

	test('header mapping stores typed values, appends', async () => {
		const csv = 'qty,price,ok,day,seen_at,clock,ref\n9223372036854775807,12.5,TRUE,2024-02-29,2024-03-30 23:59:59,23:59:59,a3bb189e-8bf9-3888-9912-ace4e6543002\n-1,,false,,,,\n';
		const first = await importCsv('items', csv, { mappings: ALL_BY_NAME, containsHeader: true });
		expect(first.status).toBe(200);
		expect(first.data).toEqual({
			id: expect.stringMatching(/^[0-9a-f-]{36}$/),
			status: 'COMPLETED',
			startTime: expect.any(Number),
			endTime: expect.any(Number),
			progress: 100,
			result: { processed: 2 },
		});
		const second = await importCsv('items', csv, { mappings: ALL_BY_NAME, containsHeader: true });
		expect(second.data.result).toEqual({ processed: 2 });

		const rows = await stored(`SELECT _id, qty, CAST(price AS VARCHAR) AS price, ok, CAST(day AS VARCHAR) AS day, CAST(seen_at AS VARCHAR) AS seen_at,
			CAST(clock AS VARCHAR) AS clock, CAST(ref AS VARCHAR) AS ref, label FROM peaka."table".items ORDER BY _id`);
		expect(rows).toHaveLength(4);
		expect(rows[0]).toMatchObject({
			qty: 9223372036854775807n,
			price: '12.5000000000',
			ok: true,
			day: '2024-02-29',
			seen_at: '2024-03-30 23:59:59',
			clock: '23:59:59',
			ref: 'a3bb189e-8bf9-3888-9912-ace4e6543002',
			label: 'none',
		});
		expect(rows[1]).toMatchObject({ qty: -1n, price: null, ok: false, day: null, seen_at: null, clock: null, ref: null });
		expect(new Set(rows.map((row) => row._id)).size).toBe(4);
		expect(rows[2]).toMatchObject({ qty: rows[0].qty, price: rows[0].price });
	});

	test('index mapping without header', async () => {
		const response = await importCsv('items', '5,x,"free, text"\n6,y,\n', {
			mappings: [{ name: 'qty', csvColumnIndex: 0 }, { name: 'text', csvColumnIndex: 2 }],
			containsHeader: false,
		});
		expect(response.status).toBe(200);
		expect(await stored('SELECT qty, text FROM peaka."table".items ORDER BY _id')).toEqual([
			{ qty: 5n, text: 'free, text' },
			{ qty: 6n, text: null },
		]);
	});

	test.each([
		['qty', 'qty\n1\nabc\n', "Value 'abc' for column 'qty' is not a valid BIGINT (line 3)"],
		['qty', 'qty\n12345678901234567890123\n', "Value '12345678901234567890123' for column 'qty' is out of range for BIGINT (line 2)"],
		['day', 'day\n2024-13-45\n', "Value '2024-13-45' for column 'day' is not a valid DATE (line 2)"],
		['ok', 'ok\nmaybe\n', "Value 'maybe' for column 'ok' is not a valid BOOLEAN (line 2)"],
		['ref', 'ref\nnot-a-uuid-at-all\n', "Value 'not-a-uuid-at-all' for column 'ref' is not a valid UUID (line 2)"],
		['price', 'price\n1.12345678901\n', "Value '1.12345678901' for column 'price' has more than 10 fractional digits (line 2)"],
		['seen_at', 'seen_at\n2024-01-01 25:00:00\n', "Value '2024-01-01 25:00:00' for column 'seen_at' is not a valid TIMESTAMP (line 2)"],
	])('bad %s value stores nothing', async (column, csv, message) => {
		const response = await importCsv('items', csv, { mappings: [{ name: column, csvColumnName: column }], containsHeader: true });
		expect(response.status).toBe(400);
		expect(response.data).toEqual({ errorCode: 100, message });
		expect(await stored('SELECT count(*) AS n FROM peaka."table".items')).toEqual([{ n: 0n }]);
	});

	test('mapping quirks as live Peaka showed', async () => {
		const unknownColumn = await importCsv('items', 'a\n1\n', { mappings: [{ name: 'nope', csvColumnName: 'a' }], containsHeader: true });
		expect(unknownColumn.status).toBe(400);
		expect(unknownColumn.data.message).toBe('ERROR: syntax error at or near "nope"');

		const nameWithoutHeader = await importCsv('items', '1\n', { mappings: [{ name: 'qty', csvColumnName: 'qty' }], containsHeader: false });
		expect(nameWithoutHeader.status).toBe(400);

		const malformed = await importCsv('items', 'qty\n1\n', '{"mappings": [');
		expect(malformed.status).toBe(400);
		expect(malformed.data.message).toMatch(/^Invalid import request JSON/);

		const missingHeaderName = await importCsv('items', 'qty,other\n1,2\n', {
			mappings: [{ name: 'qty', csvColumnName: 'qty' }, { name: 'price', csvColumnName: 'cost' }],
			containsHeader: true,
		});
		expect(missingHeaderName.status).toBe(200);
		expect(await stored('SELECT qty, price FROM peaka."table".items')).toEqual([{ qty: 1n, price: null }]);

		const missingPart = await http.post(projectPath('/table/items/import'), new FormData(), auth());
		expect(missingPart.status).toBe(400);
	});
});
