'use strict';

const axios = require('axios');

const { startEmulator } = require('../../emulator/src/index.js');

const EVENTS_ROWS = 50;
const SPRING_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/;

let emulator;
let http;

function bearer(key) {
	return { Authorization: `Bearer ${key}` };
}

beforeAll(async () => {
	emulator = await startEmulator({ eventsRows: EVENTS_ROWS });
	http = axios.create({ baseURL: emulator.baseUrl, validateStatus: () => true });
});

afterAll(async () => {
	await emulator.close();
});

describe('authentication', () => {
	test('missing key gets 401', async () => {
		const response = await http.get('/info');
		expect(response.status).toBe(401);
		expect(response.data.status).toBe(401);
		expect(response.data.error).toBe('Unauthorized');
		expect(response.data.path).toBe('/api/v1/info');
		expect(response.data.timestamp).toMatch(SPRING_TIMESTAMP);
		expect(response.data.message).toMatch(/Authorization header/);
	});

	test('unknown key gets 401', async () => {
		const response = await http.get('/info', { headers: bearer('AbCdEfGh.thisKeyWasNeverIssuedByTheEmulator0') });
		expect(response.status).toBe(401);
		expect(response.data.error).toBe('Unauthorized');
		expect(response.data.message).toMatch(/not valid/);
	});

	test('non-Bearer scheme gets 401', async () => {
		const response = await http.get('/info', { headers: { Authorization: emulator.partnerKey } });
		expect(response.status).toBe(401);
		expect(response.data.message).toMatch(/Bearer <API key>/);
	});

	test('401 body never echoes the key', async () => {
		const wrongKey = 'WrOnGkEy.secretThatMustNotComeBack000000000';
		const response = await http.get('/data/projects/mtKDhe1U/catalogs', {
			headers: bearer(wrongKey),
			transformResponse: (body) => body,
		});
		expect(response.status).toBe(401);
		expect(response.data).not.toContain('secretThatMustNotComeBack');
	});

	test('unknown route with a bad key gets 401 first', async () => {
		const response = await http.get('/no/such/route', { headers: bearer('nope') });
		expect(response.status).toBe(401);
	});

	test('Bearer scheme is case-insensitive', async () => {
		const response = await http.get('/info', { headers: { Authorization: `bearer ${emulator.partnerKey}` } });
		expect(response.status).toBe(200);
	});
});

describe('scoping', () => {
	test('project key gets 403 on partner-only groups', async () => {
		const paths = [
			'/organizations',
			`/organizations/${emulator.organizationId}`,
			`/organizations/${emulator.organizationId}/workspaces`,
			'/projects',
			`/projects/${emulator.projectId}`,
			`/projects/${emulator.projectId}/apiKeys`,
		];
		for (const path of paths) {
			const response = await http.get(path, { headers: bearer(emulator.projectKey) });
			expect([path, response.status]).toEqual([path, 403]);
			expect(response.data.error).toBe('Forbidden');
			expect(response.data.path).toBe(`/api/v1${path}`);
		}
	});

	test('project key gets 403 on partner-only unimplemented operation', async () => {
		const response = await http.post(`/organizations/${emulator.organizationId}/workspaces`, { name: 'x' }, { headers: bearer(emulator.projectKey) });
		expect(response.status).toBe(403);
	});

	test('project key gets 403 on the other project', async () => {
		const response = await http.get(`/data/projects/${emulator.otherProjectId}/catalogs`, { headers: bearer(emulator.projectKey) });
		expect(response.status).toBe(403);
		expect(response.data.error).toBe('Forbidden');
		expect(response.data.message).toBe(`The project API key belongs to project '${emulator.projectId}' and cannot access project '${emulator.otherProjectId}'.`);
	});

	test('project key gets 403 on an unknown project', async () => {
		const response = await http.get('/data/projects/zzzzzzzz/catalogs', { headers: bearer(emulator.projectKey) });
		expect(response.status).toBe(403);
	});

	test('project key reaches its own project', async () => {
		const response = await http.get(`/data/projects/${emulator.projectId}/catalogs`, { headers: bearer(emulator.projectKey) });
		expect(response.status).toBe(200);
	});

	test('partner key reaches both projects', async () => {
		for (const projectId of [emulator.projectId, emulator.otherProjectId]) {
			const response = await http.get(`/data/projects/${projectId}/catalogs`, { headers: bearer(emulator.partnerKey) });
			expect([projectId, response.status]).toEqual([projectId, 200]);
		}
	});

	test('partner key on an unknown project gets 404', async () => {
		const response = await http.get('/data/projects/zzzzzzzz/catalogs', { headers: bearer(emulator.partnerKey) });
		expect(response.status).toBe(404);
		expect(response.data).toEqual({ errorCode: 100, message: 'Project not found: zzzzzzzz' });
	});
});

describe('framework errors', () => {
	test('unknown route gets Spring-style 404', async () => {
		const response = await http.get(`/data/projects/${emulator.projectId}/no-such-thing`, { headers: bearer(emulator.partnerKey) });
		expect(response.status).toBe(404);
		expect(Object.keys(response.data)).toEqual(['timestamp', 'status', 'error', 'path']);
		expect(response.data.status).toBe(404);
		expect(response.data.error).toBe('Not Found');
		expect(response.data.path).toBe(`/api/v1/data/projects/${emulator.projectId}/no-such-thing`);
		expect(response.data.timestamp).toMatch(SPRING_TIMESTAMP);
	});

	test('old path form outside /api/v1 gets 404', async () => {
		const response = await axios.put(`http://127.0.0.1:${emulator.port}/api/queries/1/path`, { path: '/x' }, {
			headers: bearer(emulator.partnerKey),
			validateStatus: () => true,
		});
		expect(response.status).toBe(404);
		expect(response.data.path).toBe('/api/queries/1/path');
	});

	test('trailing slash is a different route', async () => {
		const response = await http.get('/organizations/', { headers: bearer(emulator.partnerKey) });
		expect(response.status).toBe(404);
	});

	test('wrong verb on a known route gets 405', async () => {
		const response = await http.delete('/organizations', { headers: bearer(emulator.partnerKey) });
		expect(response.status).toBe(405);
		expect(Object.keys(response.data)).toEqual(['timestamp', 'status', 'error', 'path']);
		expect(response.data.error).toBe('Method Not Allowed');
		expect(response.data.path).toBe('/api/v1/organizations');
		expect(response.headers.allow).toBe('GET');
	});

	test('405 lists every verb of the route', async () => {
		const response = await http.patch(`/data/projects/${emulator.projectId}/catalogs`, {}, { headers: bearer(emulator.partnerKey) });
		expect(response.status).toBe(405);
		expect(response.headers.allow.split(', ').sort()).toEqual(['GET', 'POST']);
	});

	test('malformed JSON body gets 400', async () => {
		const response = await http.post(`/projects/${emulator.projectId}/apiKeys`, '{"name": ', {
			headers: { ...bearer(emulator.partnerKey), 'Content-Type': 'application/json' },
			transformRequest: [(body) => body],
		});
		expect(response.status).toBe(400);
		expect(response.data.error).toBe('Bad Request');
		expect(response.data.message).toMatch(/^JSON parse error/);
		expect(response.data.path).toBe(`/api/v1/projects/${emulator.projectId}/apiKeys`);
	});

	test('empty JSON body gets 400', async () => {
		const response = await http.post(`/projects/${emulator.projectId}/apiKeys`, '', {
			headers: { ...bearer(emulator.partnerKey), 'Content-Type': 'application/json' },
			transformRequest: [(body) => body],
		});
		expect(response.status).toBe(400);
		expect(response.data.error).toBe('Bad Request');
		expect(response.data.message).toBe('Required request body is missing.');
	});

	test('unsupported media type gets 415', async () => {
		const response = await http.post(`/projects/${emulator.projectId}/apiKeys`, 'name=x', {
			headers: { ...bearer(emulator.partnerKey), 'Content-Type': 'application/x-www-form-urlencoded' },
		});
		expect(response.status).toBe(415);
		expect(response.data.error).toBe('Unsupported Media Type');
	});

	test('documented but unemulated operation gets 501', async () => {
		const response = await http.post('/projects', { name: 'new' }, {
			headers: bearer(emulator.partnerKey),
		});
		expect(response.status).toBe(501);
		expect(response.data.error).toBe('Not Implemented');
		expect(response.data.message).toBe('The emulator does not implement POST /api/v1/projects, which Peaka documents.');
	});
});

describe('error body shapes', () => {
	test('Peaka not-found body has errorCode 100', async () => {
		const response = await http.get('/organizations/00000000-0000-4000-8000-000000000000', { headers: bearer(emulator.partnerKey) });
		expect(response.status).toBe(404);
		expect(response.data).toEqual({ errorCode: 100, message: 'Organization not found: 00000000-0000-4000-8000-000000000000' });
		expect(response.headers['content-type']).toMatch(/^application\/json/);
	});
});

describe('request log', () => {
	test('records auth kind but never the key', async () => {
		await axios.delete(`${emulator.adminUrl}/requests`);
		await http.get('/info', { headers: bearer(emulator.projectKey) });
		await http.get('/info', { headers: bearer(emulator.partnerKey) });
		await http.get('/info?x=1', { headers: bearer('NoSuchKy.neverIssued0000000000000000000000') });
		await http.get('/info');

		const log = await axios.get(`${emulator.adminUrl}/requests`, { transformResponse: (body) => body });
		expect(log.data).not.toContain(emulator.projectKey);
		expect(log.data).not.toContain(emulator.partnerKey);
		expect(log.data).not.toContain('neverIssued');
		const entries = JSON.parse(log.data);
		expect(entries.map((entry) => [entry.method, entry.path, entry.auth, entry.projectId, entry.status])).toEqual([
			['GET', '/info', 'project', emulator.projectId, 200],
			['GET', '/info', 'partner', null, 200],
			['GET', '/info', 'unknown', null, 401],
			['GET', '/info', 'missing', null, 401],
		]);
		expect(entries[2].query).toEqual({ x: '1' });
	});

	test('records the parsed JSON body', async () => {
		await axios.delete(`${emulator.adminUrl}/requests`);
		await http.post(`/projects/${emulator.projectId}/apiKeys`, { name: 'logged' }, { headers: bearer(emulator.partnerKey) });
		const log = await axios.get(`${emulator.adminUrl}/requests`);
		expect(log.data).toHaveLength(1);
		expect(log.data[0].method).toBe('POST');
		expect(log.data[0].body).toEqual({ name: 'logged' });
		expect(log.data[0].status).toBe(200);
	});

	test('admin requests are not logged', async () => {
		await axios.delete(`${emulator.adminUrl}/requests`);
		await axios.get(`${emulator.adminUrl}/faults`);
		const log = await axios.get(`${emulator.adminUrl}/requests`);
		expect(log.data).toEqual([]);
	});
});
