'use strict';

const http = require('node:http');
const axios = require('axios');

const { startEmulator } = require('../../emulator/src/index.js');

const EVENTS_ROWS = 20;
const DELAY_MS = 400;

let emulator;
let api;
let admin;

function bearer(key) {
	return { Authorization: `Bearer ${key}` };
}

function asPartner(extra = {}) {
	return { headers: bearer(emulator.partnerKey), ...extra };
}

/** GETs an API path with node's http client and returns what arrived, also when the body was cut. */
function rawGet(path, headers) {
	return new Promise((resolve) => {
		const request = http.get({ host: '127.0.0.1', port: emulator.port, path: `/api/v1${path}`, headers, agent: false }, (response) => {
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
	});
}

async function addFault(fault) {
	const response = await admin.post('/faults', fault);
	expect(response.status).toBe(200);
	return response.data;
}

async function listKeyIds(projectId) {
	const response = await api.get(`/projects/${projectId}/apiKeys`, asPartner());
	return response.data.map((key) => key.apiKeyId);
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

describe('replaced responses', () => {
	test('status and JSON body', async () => {
		await addFault({ path: '/organizations', status: 503, body: { error: 'Service Unavailable', message: 'maintenance' } });
		const response = await api.get('/organizations', asPartner({ transformResponse: (body) => body }));
		expect(response.status).toBe(503);
		expect(response.data).toBe('{"error":"Service Unavailable","message":"maintenance"}');
		expect(response.headers['content-type']).toMatch(/^application\/json/);
	});

	test('status without body gets a Peaka-shaped body', async () => {
		const fault = await addFault({ path: '/organizations', status: 500 });
		const response = await api.get('/organizations', asPartner());
		expect(response.status).toBe(500);
		expect(response.data).toEqual({ errorCode: 100, message: `Fault ${fault.id} injected by the emulator returned status 500.` });
	});

	test('429 with Retry-After', async () => {
		await addFault({ method: 'GET', path: '/info', status: 429, headers: { 'Retry-After': '3' } });
		const limited = await api.get('/info', asPartner());
		expect(limited.status).toBe(429);
		expect(limited.headers['retry-after']).toBe('3');
		const next = await api.get('/info', asPartner());
		expect(next.status).toBe(200);
		expect(next.headers['retry-after']).toBeUndefined();
	});

	test('HTML error page', async () => {
		await addFault({ path: '/data/projects/*/catalogs', html: true, status: 502 });
		const response = await api.get(`/data/projects/${emulator.projectId}/catalogs`, asPartner());
		expect(response.status).toBe(502);
		expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
		expect(response.data).toMatch(/^<!DOCTYPE html>/);
		expect(response.data).toContain('<title>502 Bad Gateway</title>');
	});

	test('HTML without status defaults to 500', async () => {
		await addFault({ path: '/info', html: true });
		const response = await api.get('/info', asPartner());
		expect(response.status).toBe(500);
		expect(response.data).toContain('500 Internal Server Error');
	});

	test('status with empty body', async () => {
		await addFault({ path: '/info', status: 502, body: '' });
		const response = await rawGet('/info', bearer(emulator.partnerKey));
		expect(response.status).toBe(502);
		expect(response.headers['content-length']).toBe('0');
		expect(response.body.length).toBe(0);
	});

	test('replaced response does not run the route', async () => {
		const before = await listKeyIds(emulator.projectId);
		await addFault({ method: 'POST', path: '/projects/*/apiKeys', status: 500 });
		const response = await api.post(`/projects/${emulator.projectId}/apiKeys`, { name: 'never created' }, asPartner());
		expect(response.status).toBe(500);
		expect(await listKeyIds(emulator.projectId)).toEqual(before);
	});
});

describe('changed real responses', () => {
	test('wrong content type keeps the body', async () => {
		const real = await rawGet('/organizations', bearer(emulator.partnerKey));
		await addFault({ path: '/organizations', contentType: 'text/plain' });
		const response = await rawGet('/organizations', bearer(emulator.partnerKey));
		expect(response.status).toBe(200);
		expect(response.headers['content-type']).toBe('text/plain');
		expect(response.body.equals(real.body)).toBe(true);
	});

	test('empty body keeps the status', async () => {
		await addFault({ path: '/organizations', empty: true });
		const response = await rawGet('/organizations', bearer(emulator.partnerKey));
		expect(response.status).toBe(200);
		expect(response.complete).toBe(true);
		expect(response.headers['content-length']).toBe('0');
		expect(response.body.length).toBe(0);
	});

	test('truncated body sends the first bytes then closes', async () => {
		const real = await rawGet('/organizations', bearer(emulator.partnerKey));
		await addFault({ path: '/organizations', truncate: 10 });
		const response = await rawGet('/organizations', bearer(emulator.partnerKey));
		expect(response.status).toBe(200);
		expect(response.headers['content-length']).toBe(String(real.body.length));
		expect(response.body.toString()).toBe(real.body.subarray(0, 10).toString());
		expect(response.body.toString()).toBe('[{"id":"5f');
		expect(response.complete).toBe(false);
		expect(response.error).toBe('ECONNRESET');
	});

	test('truncated body fails axios after the status', async () => {
		await addFault({ path: '/organizations', truncate: 5 });
		const error = await api.get('/organizations', asPartner()).catch((caught) => caught);
		expect(error).toBeInstanceOf(Error);
		expect(error.code).toBe('ERR_BAD_RESPONSE');
		expect(error.message).toMatch(/aborted/);
	});

	test('headers added to the real response', async () => {
		await addFault({ path: '/info', headers: { 'X-Peaka-Trace': 'abc' } });
		const response = await api.get('/info', asPartner());
		expect(response.status).toBe(200);
		expect(response.headers['x-peaka-trace']).toBe('abc');
		expect(response.data.userId).toBe('0b7e4c2a-6f1d-4e8b-9a3c-5d2f1e0a9b8c');
	});
});

describe('dropped connections', () => {
	test('drop before: socket closes and nothing is applied', async () => {
		const before = await listKeyIds(emulator.projectId);
		await addFault({ method: 'POST', path: '/projects/*/apiKeys', drop: 'before' });
		const error = await api.post(`/projects/${emulator.projectId}/apiKeys`, { name: 'dropped before' }, asPartner()).catch((caught) => caught);
		expect(error.code).toBe('ECONNRESET');
		expect(error.response).toBeUndefined();
		expect(await listKeyIds(emulator.projectId)).toEqual(before);
	});

	test('drop after: socket closes but the key exists', async () => {
		const before = await listKeyIds(emulator.projectId);
		await addFault({ method: 'POST', path: '/projects/*/apiKeys', drop: 'after' });
		const error = await api.post(`/projects/${emulator.projectId}/apiKeys`, { name: 'dropped after' }, asPartner()).catch((caught) => caught);
		expect(error.code).toBe('ECONNRESET');
		expect(error.response).toBeUndefined();
		const keys = (await api.get(`/projects/${emulator.projectId}/apiKeys`, asPartner())).data;
		expect(keys).toHaveLength(before.length + 1);
		expect(keys.filter((key) => key.name === 'dropped after')).toHaveLength(1);
	});
});

describe('delay', () => {
	test('delays the real response', async () => {
		await addFault({ path: '/info', delayMs: DELAY_MS });
		const started = Date.now();
		const response = await api.get('/info', asPartner());
		expect(response.status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(DELAY_MS - 20);
	});

	test('client timeout fires during the delay', async () => {
		await addFault({ path: '/info', delayMs: DELAY_MS });
		const error = await api.get('/info', asPartner({ timeout: 100 })).catch((caught) => caught);
		expect(error.code).toBe('ECONNABORTED');
	});
});

describe('matching and counting', () => {
	test('times counts matching requests', async () => {
		await addFault({ path: '/info', status: 503, times: 2 });
		const statuses = [];
		for (let attempt = 0; attempt < 3; attempt += 1) statuses.push((await api.get('/info', asPartner())).status);
		expect(statuses).toEqual([503, 503, 200]);
		const faults = (await admin.get('/faults')).data;
		expect(faults).toHaveLength(1);
		expect(faults[0].hits).toBe(2);
		expect(faults[0].remaining).toBe(0);
	});

	test('skip lets the first requests through', async () => {
		await addFault({ path: '/info', status: 503, skip: 1 });
		const statuses = [];
		for (let attempt = 0; attempt < 3; attempt += 1) statuses.push((await api.get('/info', asPartner())).status);
		expect(statuses).toEqual([200, 503, 200]);
	});

	test('method filter leaves other verbs alone', async () => {
		await addFault({ method: 'POST', path: '/projects/*/apiKeys', status: 500 });
		const listed = await api.get(`/projects/${emulator.projectId}/apiKeys`, asPartner());
		expect(listed.status).toBe(200);
		const created = await api.post(`/projects/${emulator.projectId}/apiKeys`, { name: 'x' }, asPartner());
		expect(created.status).toBe(500);
	});

	test('single star stays within a segment', async () => {
		await addFault({ path: '/data/projects/*', status: 500 });
		const response = await api.get(`/data/projects/${emulator.projectId}/catalogs`, asPartner());
		expect(response.status).toBe(200);
	});

	test('double star crosses segments', async () => {
		await addFault({ path: '/data/**/schemas', status: 500 });
		const catalogs = await api.get(`/data/projects/${emulator.projectId}/catalogs`, asPartner());
		expect(catalogs.status).toBe(200);
		const schemas = await api.get(`/data/projects/${emulator.projectId}/catalogs/1/schemas`, asPartner());
		expect(schemas.status).toBe(500);
	});

	test('pathRegex matches', async () => {
		await addFault({ pathRegex: '^/organizations/[^/]+/workspaces$', status: 418 });
		const response = await api.get(`/organizations/${emulator.organizationId}/workspaces`, asPartner());
		expect(response.status).toBe(418);
	});

	test('fault runs before authentication', async () => {
		await addFault({ path: '/info', status: 503 });
		const response = await api.get('/info');
		expect(response.status).toBe(503);
	});

	test('reset removes every fault', async () => {
		await addFault({ path: '/info', status: 503, times: 5 });
		await addFault({ path: '/organizations', status: 503, times: 5 });
		const reset = await admin.delete('/faults');
		expect(reset.data).toEqual({ removed: 2 });
		expect((await api.get('/info', asPartner())).status).toBe(200);
		expect((await admin.get('/faults')).data).toEqual([]);
	});

	test('delete one fault by id', async () => {
		const first = await addFault({ path: '/info', status: 503 });
		await addFault({ path: '/organizations', status: 503 });
		const removed = await admin.delete(`/faults/${first.id}`);
		expect(removed.status).toBe(200);
		expect((await admin.get('/faults')).data.map((fault) => fault.path)).toEqual(['/organizations']);
		expect((await admin.delete(`/faults/${first.id}`)).status).toBe(404);
	});

	test('array adds several faults', async () => {
		const added = await admin.post('/faults', [{ path: '/info', status: 500 }, { path: '/info', status: 502 }]);
		expect(added.data.map((fault) => fault.status)).toEqual([500, 502]);
		expect((await api.get('/info', asPartner())).status).toBe(500);
		expect((await api.get('/info', asPartner())).status).toBe(502);
	});

	test('request log names the fault', async () => {
		await admin.delete('/requests');
		const fault = await addFault({ path: '/info', status: 503 });
		await api.get('/info', asPartner());
		const log = (await admin.get('/requests', { params: { path: '/info' } })).data;
		expect(log).toHaveLength(1);
		expect(log[0].fault).toBe(fault.id);
		expect(log[0].status).toBe(503);
	});
});

describe('invalid faults', () => {
	test.each([
		[{ path: '/info' }, /no effect/],
		[{ path: 'info', status: 500 }, /must be a glob starting with '\/'/],
		[{ path: '/info', drop: 'sometimes' }, /'drop' must be "before" or "after"/],
		[{ path: '/info', drop: 'after', status: 500 }, /cannot be combined/],
		[{ path: '/info', truncate: 5, status: 500 }, /cannot be combined/],
		[{ path: '/info', body: {} }, /give a 'status' with it/],
		[{ path: '/info', status: 500, times: 0 }, /'times' must be an integer of at least 1/],
		[{ path: '/info', status: 500, colour: 'red' }, /unknown field 'colour'/],
		[{ pathRegex: '(', status: 500 }, /not a valid regular expression/],
	])('%j is rejected', async (fault, message) => {
		const response = await admin.post('/faults', fault);
		expect(response.status).toBe(400);
		expect(response.data.message).toMatch(message);
		expect((await admin.get('/faults')).data).toEqual([]);
	});

	test('a bad entry in an array adds nothing', async () => {
		const response = await admin.post('/faults', [{ path: '/info', status: 500 }, { path: '/info' }]);
		expect(response.status).toBe(400);
		expect((await admin.get('/faults')).data).toEqual([]);
	});
});
