'use strict';

const { spawn } = require('node:child_process');
const path = require('node:path');

const { startEmulator } = require('../../emulator/src/index.js');
const { createTrinoServer } = require('../../emulator/src/trino/server.js');

const CLI = path.join(__dirname, '..', '..', 'emulator', 'bin', 'peaka-emulator.js');

describe('Trino endpoint of the emulator', () => {
	let emulator;
	let headers;

	beforeAll(async () => {
		emulator = await startEmulator({ eventsRows: 50, trinoPageRows: 2 });
		headers = { 'X-Trino-Extra-Credential': `peakaKey=${emulator.projectKey}`, 'X-Trino-User': 'test' };
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => {
		emulator.trino.settings.pageRows = 2;
		emulator.trino.settings.queryDelayMs = 0;
	});

	async function submit(sql, extraHeaders = headers) {
		const response = await fetch(`${emulator.trinoUrl}/v1/statement`, { method: 'POST', headers: extraHeaders, body: sql });
		return { status: response.status, text: await response.text() };
	}

	async function get(uri) {
		const response = await fetch(uri, { headers });
		return { status: response.status, text: await response.text() };
	}

	it('answers a statement with QUEUED and a nextUri on its own port', async () => {
		const { status, text } = await submit('SELECT 1 AS one');
		const body = JSON.parse(text);
		expect(status).toBe(200);
		expect(body.id).toMatch(/^\d{8}_\d{6}_\d{5}_emula$/);
		expect(body.stats.state).toBe('QUEUED');
		expect(body.nextUri).toMatch(new RegExp(`^${emulator.trinoUrl}/v1/statement/queued/${body.id}/x[0-9a-f]{32}/1$`));
		expect(emulator.trinoUrl).not.toBe(emulator.baseUrl.replace('/api/v1', ''));
	});

	it('pages rows by trinoPageRows and ends with FINISHED', async () => {
		let body = JSON.parse((await submit('SELECT id FROM "datasets"."public"."events" ORDER BY id LIMIT 5')).text);
		const pages = [];
		while (body.nextUri) {
			body = JSON.parse((await get(body.nextUri)).text);
			pages.push(body.data ?? []);
		}
		expect(pages).toEqual([[[1], [2]], [[3], [4]], [[5]]]);
		expect(body.stats.state).toBe('FINISHED');
		expect(body.columns).toEqual([{ name: 'id', type: 'bigint', typeSignature: { rawType: 'bigint', arguments: [] } }]);
	});

	it('sends BIGINT bare, DECIMAL as text and ROW as an array', async () => {
		emulator.trino.settings.pageRows = 10;
		const first = JSON.parse((await submit('SELECT c_bigint, c_decimal, c_row, c_double FROM "datasets"."public"."edge_types" ORDER BY id')).text);
		const page = await get(first.nextUri);
		expect(page.text).toContain('"data":[[9007199254740993,"12345678901234567890.0123456789",[1,"q"],1.254740786E7],[-9223372036854775808,"-0.0000000001",[null,null],"NaN"]');
		const body = JSON.parse(page.text);
		expect(body.columns[2]).toEqual({
			name: 'c_row',
			type: 'row(x integer, y varchar)',
			typeSignature: {
				rawType: 'row',
				arguments: [
					{ kind: 'NAMED_TYPE', value: { fieldName: { name: 'x' }, typeSignature: { rawType: 'integer', arguments: [] } } },
					{ kind: 'NAMED_TYPE', value: { fieldName: { name: 'y' }, typeSignature: { rawType: 'varchar', arguments: [{ kind: 'LONG', value: 2147483647 }] } } },
				],
			},
		});
		expect(body.columns[1].typeSignature).toEqual({ rawType: 'decimal', arguments: [{ kind: 'LONG', value: 38 }, { kind: 'LONG', value: 10 }] });
	});

	it('repeats a page for the same token and refuses a skipped one', async () => {
		const first = JSON.parse((await submit('SELECT id FROM "datasets"."public"."events" ORDER BY id LIMIT 5')).text);
		const page = await get(first.nextUri);
		const again = await get(first.nextUri);
		expect(again.text).toBe(page.text);
		const skipped = await get(first.nextUri.replace(/\/1$/, '/3'));
		expect(skipped.status).toBe(410);
	});

	it('cancels on DELETE of the nextUri and logs it', async () => {
		const first = JSON.parse((await submit('SELECT * FROM "datasets"."public"."flights"')).text);
		const page = JSON.parse((await get(first.nextUri)).text);
		expect(page.data).toHaveLength(2);
		const deleted = await fetch(page.nextUri, { method: 'DELETE', headers });
		expect(deleted.status).toBe(204);

		const after = JSON.parse((await get(page.nextUri)).text);
		expect(after.error).toMatchObject({ errorName: 'USER_CANCELED', errorCode: 3, errorType: 'USER_ERROR' });
		const listed = await (await fetch(`${emulator.trinoUrl}/__emulator/trino`)).json();
		expect(listed.queries.find((query) => query.id === first.id)).toMatchObject({
			state: 'FAILED',
			cancelled: true,
			cancelledBy: 'client',
			pagesSent: 1,
			rowsSent: 2,
		});
		expect(listed.requests.some((request) => request.method === 'DELETE' && request.status === 204)).toBe(true);
	});

	it('answers pages without rows while a delayed query waits', async () => {
		emulator.trino.settings.queryDelayMs = 1500;
		const first = JSON.parse((await submit('SELECT 7 AS seven')).text);
		const startedAt = Date.now();
		const waiting = JSON.parse((await get(first.nextUri)).text);
		expect(Date.now() - startedAt).toBeLessThan(1400);
		expect(waiting.data).toBeUndefined();
		expect(waiting.nextUri).toMatch(/\/2$/);
		const done = JSON.parse((await get(waiting.nextUri)).text);
		expect(done.data).toEqual([[7]]);
	});

	it('checks the peakaKey extra credential', async () => {
		expect((await submit('SELECT 1', { 'X-Trino-User': 'test' })).status).toBe(401);
		const unknown = await submit('SELECT 1', { 'X-Trino-Extra-Credential': 'peakaKey=nope.nope' });
		expect(unknown).toEqual({ status: 401, text: 'The API key in the peakaKey extra credential is not valid.' });

		const partnerHeaders = { 'X-Trino-Extra-Credential': `peakaKey=${emulator.partnerKey}` };
		const partner = JSON.parse((await submit('SELECT 1', partnerHeaders)).text);
		const failed = JSON.parse(await (await fetch(partner.nextUri, { headers: partnerHeaders })).text());
		expect(failed.error).toMatchObject({ errorName: 'PERMISSION_DENIED', errorCode: 4, errorType: 'USER_ERROR' });
		expect(failed.nextUri).toBeUndefined();

		const first = JSON.parse((await submit('SELECT 1')).text);
		const wrongKey = await fetch(first.nextUri, { headers: { 'X-Trino-Extra-Credential': 'peakaKey=nope.nope' } });
		expect(wrongKey.status).toBe(401);
	});

	it('rejects an empty statement and bad settings', async () => {
		expect(await submit('  ')).toEqual({ status: 400, text: 'SQL statement is empty' });
		const response = await fetch(`${emulator.trinoUrl}/__emulator/trino/settings`, { method: 'PUT', body: JSON.stringify({ pageRows: 0 }) });
		expect(response.status).toBe(400);
		expect((await response.json()).message).toBe('Invalid pageRows 0: use a whole number of rows, 1 or more.');
		await expect(startEmulator({ trinoPageRows: -1 })).rejects.toThrow('Invalid trinoPageRows -1');
	});

	it('closes an abandoned query', async () => {
		const lines = [];
		const log = (line) => lines.push(line);
		log.request = () => {};
		const server = createTrinoServer({ engine: emulator.engine, state: emulator.state, log, abandonAfterMs: 200 });
		await server.app.listen({ host: '127.0.0.1', port: 0 });
		try {
			const url = `http://127.0.0.1:${server.app.server.address().port}`;
			const first = await (await fetch(`${url}/v1/statement`, { method: 'POST', headers, body: 'SELECT * FROM "datasets"."public"."flights"' })).json();
			await fetch(first.nextUri, { headers });
			await new Promise((resolve) => setTimeout(resolve, 400));

			expect(server.queries()[0]).toMatchObject({ id: first.id, state: 'FAILED', cancelledBy: 'abandoned', pagesSent: 1 });
			expect(lines).toContain(`trino query ${first.id} abandoned: no request for 200 ms`);
		} finally {
			server.closeQueries();
			await server.app.close();
		}
	});

	it('prints the Trino URL from the command line', async () => {
		const child = spawn(process.execPath, [CLI, '--port', '0', '--events-rows', '0', '--trino-page-rows', '5', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		await new Promise((resolve, reject) => {
			child.stdout.on('data', (chunk) => {
				output += chunk;
				if (output.includes('Press Ctrl+C to stop.')) resolve();
			});
			child.on('exit', (code) => reject(new Error(`CLI exited with ${code}: ${output}`)));
		});
		const trinoUrl = /Trino URL:\s+(\S+)/.exec(output)[1];
		expect(trinoUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		const listed = await (await fetch(`${trinoUrl}/__emulator/trino`)).json();
		expect(listed.settings).toEqual({ pageRows: 5, queryDelayMs: 0, failNextPages: 0 });
		const exited = new Promise((resolve) => child.on('exit', resolve));
		child.kill('SIGTERM');
		await exited;
	});
});
