'use strict';

const axios = require('axios');

const { startEmulator } = require('../../emulator/src/index');

const STREAMED_ROWS = 200_000;
const FLIGHTS_ROWS = 3_000_000;
/** Growth of the emulator's JS heap allowed while 3 million rows (about 160 MB of JSON) go out. */
const MAX_HEAP_GROWTH_BYTES = 100 * 1024 * 1024;

let emulator;
let client;

beforeAll(async () => {
	emulator = await startEmulator({ eventsRows: 10 });
	client = axios.create({
		baseURL: `${emulator.baseUrl}/data/projects/${emulator.projectId}`,
		headers: { Authorization: `Bearer ${emulator.partnerKey}` },
		validateStatus: () => true,
	});
});

afterAll(() => emulator.close());

test('200,000 rows arrive complete and in order', async () => {
	const response = await client.post('/queries/execute?format=SIMPLE', {
		statement: `SELECT * FROM datasets.public.flights LIMIT ${STREAMED_ROWS}`,
	});
	expect(response.status).toBe(200);
	expect(response.headers['transfer-encoding']).toBe('chunked');
	expect(response.headers['content-length']).toBeUndefined();

	const rows = response.data.data;
	expect(rows).toHaveLength(STREAMED_ROWS);
	expect(rows[0]).toEqual({ date: '2001-01-01 00:01:00.000000', delay: '33', distance: '2176', origin: 'LAS', destination: 'PHL' });

	const last = await client.post('/queries/execute?format=SIMPLE', {
		statement: `SELECT * FROM datasets.public.flights OFFSET ${STREAMED_ROWS - 1} LIMIT 1`,
	});
	expect(rows[STREAMED_ROWS - 1]).toEqual(last.data.data[0]);
	expect(rows.every((row) => typeof row.delay === 'string' && typeof row.date === 'string')).toBe(true);
});

test('all 3,000,000 flights stream out without the body being built in memory', async () => {
	global.gc?.();
	const heapBefore = process.memoryUsage().heapUsed;
	let heapPeak = heapBefore;

	const response = await client.post('/queries/execute?format=COMPACT', {
		statement: 'SELECT * FROM datasets.public.flights',
	}, { responseType: 'stream' });
	expect(response.status).toBe(200);

	// Rows of flights contain no brackets, so each "],[" between two rows marks one boundary.
	let boundaries = 0;
	let tail = '';
	let head = '';
	let bytes = 0;
	let chunks = 0;
	for await (const chunk of response.data) {
		const text = tail + chunk.toString('latin1');
		if (head.length < 200) head += text.slice(0, 200);
		boundaries += text.split('],[').length - 1;
		tail = text.slice(-2);
		bytes += chunk.length;
		chunks += 1;
		// Sampled, because reading the memory figures is slow next to handling one chunk.
		if (chunks % 16 === 0) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
	}

	expect(head.startsWith('{"columns":[{"catalogName":"datasets","schemaName":"public","tableName":"flights","columnName":"date"}')).toBe(true);
	expect(tail).toBe(']}');
	expect(boundaries + 1).toBe(FLIGHTS_ROWS);
	expect(bytes).toBeGreaterThan(150_000_000);
	expect(heapPeak - heapBefore).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
}, 60_000);

test('a client that hangs up mid-stream leaves the emulator serving', async () => {
	const controller = new AbortController();
	const response = await client.post('/queries/execute?format=CELL_TYPED', {
		statement: 'SELECT * FROM datasets.public.flights',
	}, { responseType: 'stream', signal: controller.signal });
	expect(response.status).toBe(200);

	await new Promise((resolve) => {
		response.data.once('data', () => {
			controller.abort();
			resolve();
		});
	});

	const started = Date.now();
	const next = await client.post('/queries/execute?format=COMPACT', { statement: 'SELECT count(*) FROM datasets.public.flights' });
	expect(next.status).toBe(200);
	expect(next.data.data).toEqual([[String(FLIGHTS_ROWS)]]);
	expect(Date.now() - started).toBeLessThan(5000);
});
