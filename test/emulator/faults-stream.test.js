'use strict';

const http = require('node:http');
const axios = require('axios');

const { startEmulator } = require('../../emulator/src/index.js');

const EVENTS_ROWS = 40;
const TRUNCATE_BYTES = 300;

let emulator;
let api;
let admin;

function executePath() {
	return `/data/projects/${emulator.projectId}/queries/execute?format=SIMPLE`;
}

function asProject(extra = {}) {
	return { headers: { Authorization: `Bearer ${emulator.projectKey}` }, ...extra };
}

/** POSTs a statement with node's http client and returns what arrived, also when the body was cut. */
function rawExecute(statement) {
	const body = JSON.stringify({ statement });
	return new Promise((resolve) => {
		const request = http.request({
			host: '127.0.0.1',
			port: emulator.port,
			method: 'POST',
			path: `/api/v1${executePath()}`,
			agent: false,
			headers: {
				Authorization: `Bearer ${emulator.projectKey}`,
				'Content-Type': 'application/json',
				'Content-Length': Buffer.byteLength(body),
			},
		}, (response) => {
			const chunks = [];
			const finish = (error) => resolve({
				status: response.statusCode,
				headers: response.headers,
				body: Buffer.concat(chunks),
				complete: response.complete,
				error: error ? error.code || error.message : null,
			});
			response.on('data', (chunk) => chunks.push(chunk));
			response.on('end', () => finish(null));
			response.on('error', finish);
		});
		request.on('error', (error) => resolve({ status: null, error: error.code }));
		request.end(body);
	});
}

async function countEvents() {
	const response = await api.post(executePath(), { statement: 'SELECT count(*) AS n, max(id) AS last_id FROM datasets.public.events' }, asProject());
	expect(response.status).toBe(200);
	return response.data.data[0];
}

beforeAll(async () => {
	emulator = await startEmulator({ eventsRows: EVENTS_ROWS });
	api = axios.create({ baseURL: emulator.baseUrl, validateStatus: () => true });
	admin = axios.create({ baseURL: emulator.adminUrl, validateStatus: () => true });
});

afterEach(async () => {
	await admin.delete('/faults');
});

afterAll(async () => {
	await emulator.close();
});

describe('faults on streamed query results', () => {
	test('truncate cuts a streamed result after N bytes', async () => {
		const statement = 'SELECT symbol, date, price FROM datasets.public.stocks ORDER BY symbol, date';
		const real = await rawExecute(statement);
		expect(real.status).toBe(200);
		expect(real.complete).toBe(true);
		expect(real.body.length).toBeGreaterThan(TRUNCATE_BYTES);

		await admin.post('/faults', { method: 'POST', path: '/data/projects/*/queries/execute', truncate: TRUNCATE_BYTES });
		const cut = await rawExecute(statement);
		expect(cut.status).toBe(200);
		expect(cut.headers['content-length']).toBeUndefined();
		expect(cut.headers['transfer-encoding']).toBe('chunked');
		expect(cut.complete).toBe(false);
		expect(cut.error).toBe('ECONNRESET');
		expect(cut.body.toString()).toBe(real.body.subarray(0, TRUNCATE_BYTES).toString());
	});

	test('truncate on three million flights leaves the server usable', async () => {
		await admin.post('/faults', { method: 'POST', path: '/data/projects/*/queries/execute', truncate: 1000 });
		const cut = await rawExecute('SELECT * FROM datasets.public.flights');
		expect(cut.status).toBe(200);
		expect(cut.body.length).toBe(1000);
		expect(cut.body.toString().startsWith('{"columns":')).toBe(true);

		const next = await api.post(executePath(), { statement: 'SELECT count(*) AS n FROM datasets.public.flights' }, asProject());
		expect(next.status).toBe(200);
		expect(next.data.data).toEqual([{ n: '3000000' }]);
	});

	test('drop after resets the socket on a streamed result', async () => {
		await admin.post('/faults', { method: 'POST', path: '/data/projects/*/queries/execute', drop: 'after' });
		const error = await api.post(executePath(), { statement: 'SELECT 1 AS one' }, asProject()).catch((caught) => caught);
		expect(error.code).toBe('ECONNRESET');
		const next = await api.post(executePath(), { statement: 'SELECT 1 AS one' }, asProject());
		expect(next.data.data).toEqual([{ one: '1' }]);
	});

	test('wrong content type on a result keeps the JSON text', async () => {
		await admin.post('/faults', { method: 'POST', path: '/data/projects/*/queries/execute', contentType: 'text/html' });
		const response = await api.post(executePath(), { statement: "SELECT 'a' AS letter" }, asProject({ transformResponse: (body) => body }));
		expect(response.status).toBe(200);
		expect(response.headers['content-type']).toBe('text/html');
		expect(JSON.parse(response.data).data).toEqual([{ letter: 'a' }]);
	});
});

describe('events admin endpoint', () => {
	test('inserts rows that queries then read', async () => {
		const before = await countEvents();
		expect(before).toEqual({ n: String(EVENTS_ROWS), last_id: String(EVENTS_ROWS) });

		const inserted = await admin.post('/events', {
			rows: [
				{ created_at: '2030-01-01 00:00:00', payload: 'first' },
				{ created_at: '2030-01-01 00:00:01', payload: null },
			],
		});
		expect(inserted.status).toBe(200);
		expect(inserted.data).toEqual([
			{ id: String(EVENTS_ROWS + 1), created_at: '2030-01-01 00:00:00.000000', payload: 'first' },
			{ id: String(EVENTS_ROWS + 2), created_at: '2030-01-01 00:00:01.000000', payload: null },
		]);

		const after = await countEvents();
		expect(after).toEqual({ n: String(EVENTS_ROWS + 2), last_id: String(EVENTS_ROWS + 2) });
		const rows = await api.post(executePath(), { statement: `SELECT id, payload FROM datasets.public.events WHERE id > ${EVENTS_ROWS} ORDER BY id` }, asProject());
		expect(rows.data.data).toEqual([
			{ id: String(EVENTS_ROWS + 1), payload: 'first' },
			{ id: String(EVENTS_ROWS + 2), payload: null },
		]);
	});

	test('project without events table gets 400', async () => {
		const response = await admin.post('/events', { projectId: emulator.otherProjectId, rows: [{ payload: 'x' }] });
		expect(response.status).toBe(400);
		expect(response.data.message).toMatch(/has no events table/);
	});

	test('unknown project gets 400', async () => {
		const response = await admin.post('/events', { projectId: 'nope', rows: [{ payload: 'x' }] });
		expect(response.status).toBe(400);
		expect(response.data.message).toBe("Unknown project 'nope'. Known projects: mtKDhe1U, SksnYuxH.");
	});

	test('missing rows gets 400', async () => {
		const response = await admin.post('/events', {});
		expect(response.status).toBe(400);
		expect(response.data.message).toMatch(/at least one row/);
	});

	test('events writes are not in the request log', async () => {
		await admin.delete('/requests');
		await admin.post('/events', { rows: [{ payload: 'unlogged' }] });
		expect((await admin.get('/requests')).data).toEqual([]);
	});
});
