'use strict';

const axios = require('axios');

const { startEmulator } = require('../../emulator/src/index.js');
const { DEFAULT_PARTNER_KEY, DEFAULT_PROJECT_KEY } = require('../../emulator/src/state.js');

const EVENTS_ROWS = 50;
const KEY_FORMAT = /^[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}$/;
const UUID_FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ANALYTICS_WORKSPACE_ID = '8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const SANDBOX_WORKSPACE_ID = '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d';

let emulator;
let http;

function bearer(key) {
	return { Authorization: `Bearer ${key}` };
}

function asPartner() {
	return { headers: bearer(emulator.partnerKey) };
}

beforeAll(async () => {
	emulator = await startEmulator({ eventsRows: EVENTS_ROWS });
	http = axios.create({ baseURL: emulator.baseUrl, validateStatus: () => true });
});

afterAll(async () => {
	await emulator.close();
});

describe('default keys', () => {
	test('are the documented ones', () => {
		expect(emulator.partnerKey).toBe('EmuPrtnr.emulatorPartnerKeyNotASecret0001');
		expect(emulator.projectKey).toBe('EmuProj1.emulatorProjectKeyNotASecret0001');
		expect(DEFAULT_PARTNER_KEY).toBe(emulator.partnerKey);
		expect(DEFAULT_PROJECT_KEY).toBe(emulator.projectKey);
		expect(emulator.partnerKey).toMatch(KEY_FORMAT);
		expect(emulator.projectKey).toMatch(KEY_FORMAT);
		expect(emulator.projectId).toBe('mtKDhe1U');
		expect(emulator.otherProjectId).toBe('SksnYuxH');
		expect(emulator.organizationId).toBe('5f0c1a8e-2d4b-4c6a-9e1f-3a7b8c9d0e1f');
	});
});

describe('GET /info', () => {
	test('partner key gets user only', async () => {
		const response = await http.get('/info', asPartner());
		expect(response.status).toBe(200);
		expect(response.data).toEqual({ userId: '0b7e4c2a-6f1d-4e8b-9a3c-5d2f1e0a9b8c', email: 'owner@acme-data.example' });
	});

	test('project key gets its project', async () => {
		const response = await http.get('/info', { headers: bearer(emulator.projectKey) });
		expect(response.status).toBe(200);
		expect(response.data).toEqual({
			projectId: 'mtKDhe1U',
			projectName: 'Flights Demo',
			userId: '0b7e4c2a-6f1d-4e8b-9a3c-5d2f1e0a9b8c',
			email: 'owner@acme-data.example',
		});
	});
});

describe('organizations', () => {
	test('list has the one organization', async () => {
		const response = await http.get('/organizations', asPartner());
		expect(response.status).toBe(200);
		expect(response.data).toEqual([{
			id: '5f0c1a8e-2d4b-4c6a-9e1f-3a7b8c9d0e1f',
			name: 'Acme Data',
			owner: '0b7e4c2a-6f1d-4e8b-9a3c-5d2f1e0a9b8c',
			createdAt: '2025-03-25T12:28:48.737355Z',
			iconFileId: null,
			description: 'Default Organization',
		}]);
	});

	test('read returns the organization', async () => {
		const response = await http.get(`/organizations/${emulator.organizationId}`, asPartner());
		expect(response.status).toBe(200);
		expect(response.data.name).toBe('Acme Data');
	});
});

describe('workspaces', () => {
	test('list has Analytics and Sandbox', async () => {
		const response = await http.get(`/organizations/${emulator.organizationId}/workspaces`, asPartner());
		expect(response.status).toBe(200);
		expect(response.data.map((workspace) => [workspace.id, workspace.name, workspace.defaultWorkspace, workspace.organizationId])).toEqual([
			[ANALYTICS_WORKSPACE_ID, 'Analytics', true, emulator.organizationId],
			[SANDBOX_WORKSPACE_ID, 'Sandbox', false, emulator.organizationId],
		]);
	});

	test('read returns the workspace', async () => {
		const response = await http.get(`/organizations/${emulator.organizationId}/workspaces/${SANDBOX_WORKSPACE_ID}`, asPartner());
		expect(response.status).toBe(200);
		expect(response.data.name).toBe('Sandbox');
	});

	test('unknown workspace gets 404', async () => {
		const response = await http.get(`/organizations/${emulator.organizationId}/workspaces/nope`, asPartner());
		expect(response.status).toBe(404);
		expect(response.data).toEqual({ errorCode: 100, message: 'Workspace not found: nope' });
	});

	test('workspaces of an unknown organization get 404', async () => {
		const response = await http.get('/organizations/nope/workspaces', asPartner());
		expect(response.status).toBe(404);
		expect(response.data).toEqual({ errorCode: 100, message: 'Organization not found: nope' });
	});
});

describe('projects', () => {
	test('each workspace lists its own project', async () => {
		const analytics = await http.get(`/organizations/${emulator.organizationId}/workspaces/${ANALYTICS_WORKSPACE_ID}/projects`, asPartner());
		const sandbox = await http.get(`/organizations/${emulator.organizationId}/workspaces/${SANDBOX_WORKSPACE_ID}/projects`, asPartner());
		expect(analytics.data.map((project) => [project.id, project.name, project.workspaceId])).toEqual([
			['mtKDhe1U', 'Flights Demo', ANALYTICS_WORKSPACE_ID],
		]);
		expect(sandbox.data.map((project) => [project.id, project.name, project.workspaceId])).toEqual([
			['SksnYuxH', 'Other Project', SANDBOX_WORKSPACE_ID],
		]);
	});

	test('read in workspace returns the project', async () => {
		const response = await http.get(`/organizations/${emulator.organizationId}/workspaces/${ANALYTICS_WORKSPACE_ID}/projects/mtKDhe1U`, asPartner());
		expect(response.status).toBe(200);
		expect(response.data).toEqual({
			id: 'mtKDhe1U',
			name: 'Flights Demo',
			description: 'Public datasets for the n8n Peaka nodes',
			domain: 'flightsdemo-k3xq',
			webhookBaseUrl: 'https://flightsdemo-k3xq--test.api.peaka.host',
			createdAt: '2025-03-25T12:30:04.699714310Z',
			owner: '0b7e4c2a-6f1d-4e8b-9a3c-5d2f1e0a9b8c',
			workspaceId: ANALYTICS_WORKSPACE_ID,
		});
	});

	test('read in the wrong workspace gets 404', async () => {
		const response = await http.get(`/organizations/${emulator.organizationId}/workspaces/${SANDBOX_WORKSPACE_ID}/projects/mtKDhe1U`, asPartner());
		expect(response.status).toBe(404);
		expect(response.data).toEqual({ errorCode: 100, message: 'Project not found: mtKDhe1U' });
	});

	test('deprecated list has every project', async () => {
		const response = await http.get('/projects', asPartner());
		expect(response.status).toBe(200);
		expect(response.data.map((project) => project.id)).toEqual(['mtKDhe1U', 'SksnYuxH']);
	});

	test('deprecated read returns the project', async () => {
		const response = await http.get('/projects/SksnYuxH', asPartner());
		expect(response.status).toBe(200);
		expect(response.data.name).toBe('Other Project');
	});

	test('project creation is not emulated', async () => {
		const response = await http.post('/projects', { name: 'new' }, asPartner());
		expect(response.status).toBe(501);
	});
});

describe('project API keys', () => {
	test('list shows the default key without its secret', async () => {
		const response = await http.get('/projects/mtKDhe1U/apiKeys', asPartner());
		expect(response.status).toBe(200);
		expect(response.data).toContainEqual({
			name: 'emulator',
			apiKey: null,
			apiKeyId: '21fd1a8d-88d5-4295-b792-5b2113138057',
			expiresAt: null,
		});
		expect(JSON.stringify(response.data)).not.toContain(emulator.projectKey);
	});

	test('other project starts with no keys', async () => {
		const response = await http.get('/projects/SksnYuxH/apiKeys', asPartner());
		expect(response.status).toBe(200);
		expect(response.data).toEqual([]);
	});

	test('key lifecycle: create, use, list, delete', async () => {
		const created = await http.post('/projects/SksnYuxH/apiKeys', { name: 'reporting' }, asPartner());
		expect(created.status).toBe(200);
		expect(created.data.name).toBe('reporting');
		expect(created.data.apiKey).toMatch(KEY_FORMAT);
		expect(created.data.apiKeyId).toMatch(UUID_FORMAT);
		expect(created.data.expiresAt).toBeNull();
		const newKey = created.data.apiKey;

		const info = await http.get('/info', { headers: bearer(newKey) });
		expect(info.status).toBe(200);
		expect(info.data.projectId).toBe('SksnYuxH');
		expect(info.data.projectName).toBe('Other Project');

		const ownProject = await http.get('/data/projects/SksnYuxH/catalogs', { headers: bearer(newKey) });
		expect(ownProject.status).toBe(200);
		const firstProject = await http.get('/data/projects/mtKDhe1U/catalogs', { headers: bearer(newKey) });
		expect(firstProject.status).toBe(403);
		const partnerOnly = await http.get('/organizations', { headers: bearer(newKey) });
		expect(partnerOnly.status).toBe(403);

		const listed = await http.get('/projects/SksnYuxH/apiKeys', asPartner());
		expect(listed.data).toEqual([{ name: 'reporting', apiKey: null, apiKeyId: created.data.apiKeyId, expiresAt: null }]);

		const deleted = await http.delete(`/projects/SksnYuxH/apiKeys/${created.data.apiKeyId}`, asPartner());
		expect(deleted.status).toBe(200);
		expect(deleted.data).toBe('');

		const afterDelete = await http.get('/info', { headers: bearer(newKey) });
		expect(afterDelete.status).toBe(401);
		const listedAfter = await http.get('/projects/SksnYuxH/apiKeys', asPartner());
		expect(listedAfter.data).toEqual([]);
	});

	test('two created keys differ', async () => {
		const first = await http.post('/projects/mtKDhe1U/apiKeys', { name: 'a' }, asPartner());
		const second = await http.post('/projects/mtKDhe1U/apiKeys', { name: 'b' }, asPartner());
		expect(first.data.apiKey).not.toBe(second.data.apiKey);
		expect(first.data.apiKeyId).not.toBe(second.data.apiKeyId);
	});

	test('expiresAt round-trips', async () => {
		const created = await http.post('/projects/mtKDhe1U/apiKeys', { name: 'expiring', expiresAt: '2099-09-10T10:11:00Z' }, asPartner());
		expect(created.status).toBe(200);
		expect(created.data.expiresAt).toBe('2099-09-10T10:11:00Z');
		const listed = await http.get('/projects/mtKDhe1U/apiKeys', asPartner());
		expect(listed.data.find((key) => key.apiKeyId === created.data.apiKeyId)).toEqual({
			name: 'expiring',
			apiKey: null,
			apiKeyId: created.data.apiKeyId,
			expiresAt: '2099-09-10T10:11:00Z',
		});
		const info = await http.get('/info', { headers: bearer(created.data.apiKey) });
		expect(info.status).toBe(200);
	});

	test('expired key gets 401', async () => {
		const created = await http.post('/projects/mtKDhe1U/apiKeys', { name: 'expired', expiresAt: '2020-01-01T00:00:00Z' }, asPartner());
		expect(created.status).toBe(200);
		const response = await http.get('/info', { headers: bearer(created.data.apiKey) });
		expect(response.status).toBe(401);
		expect(response.data.message).toMatch(/expired/);
	});

	test('invalid expiresAt gets 400', async () => {
		const response = await http.post('/projects/mtKDhe1U/apiKeys', { name: 'bad', expiresAt: 'next tuesday' }, asPartner());
		expect(response.status).toBe(400);
		expect(response.data).toEqual({
			errorCode: 100,
			message: 'Invalid expiresAt "next tuesday": use an ISO-8601 date-time with a zone, e.g. 2027-09-10T10:11:00Z.',
		});
	});

	test('missing name gets 400', async () => {
		const response = await http.post('/projects/mtKDhe1U/apiKeys', { expiresAt: '2099-01-01T00:00:00Z' }, asPartner());
		expect(response.status).toBe(400);
		expect(response.data.errorCode).toBe(100);
		expect(response.data.message).toMatch(/name is required/);
	});

	test('deleting an unknown key gets 404', async () => {
		const response = await http.delete('/projects/mtKDhe1U/apiKeys/00000000-0000-4000-8000-000000000000', asPartner());
		expect(response.status).toBe(404);
		expect(response.data).toEqual({ errorCode: 100, message: 'API key not found: 00000000-0000-4000-8000-000000000000' });
	});

	test('deleting through the wrong project gets 404', async () => {
		const response = await http.delete('/projects/SksnYuxH/apiKeys/21fd1a8d-88d5-4295-b792-5b2113138057', asPartner());
		expect(response.status).toBe(404);
		const stillWorks = await http.get('/info', { headers: bearer(emulator.projectKey) });
		expect(stillWorks.status).toBe(200);
	});
});

describe('GET /connections/config', () => {
	test('both key kinds get the catalogue', async () => {
		for (const key of [emulator.partnerKey, emulator.projectKey]) {
			const response = await http.get('/connections/config', { headers: bearer(key), transformResponse: (body) => body });
			expect(response.status).toBe(200);
			expect(response.data).not.toContain(key);
			expect(response.data).not.toContain(key.split('.')[1]);
			const configurations = JSON.parse(response.data);
			expect(configurations.map((entry) => entry.connectionType)).toEqual(['stripe', 'POSTGRES', 'hubspot', 'airtable', 'google_analytics']);
		}
	});

	test('Postgres lists the measured fields', async () => {
		const response = await http.get('/connections/config/POSTGRES', { headers: bearer(emulator.projectKey) });
		expect(response.status).toBe(200);
		expect(response.data.configuration.map((entry) => [entry.fieldName, entry.fieldType])).toEqual([
			['url', 'text'], ['port', 'number'], ['user', 'text'], ['password', 'text'], ['databaseName', 'text'], ['useSsl', 'boolean'],
		]);
	});

	test('HubSpot is oauth2 with optional fields', async () => {
		const response = await http.get('/connections/config/hubspot', asPartner());
		expect(response.data.authorizationType).toBe('oauth2');
		expect(response.data.configuration.map((entry) => [entry.fieldName, entry.required])).toEqual([
			['accessToken', false], ['refreshToken', false], ['clientId', false], ['clientSecret', false], ['redirectUrl', false],
		]);
	});

	test('unknown connection type gets 404', async () => {
		const response = await http.get('/connections/config/nosuchconnector', asPartner());
		expect(response.status).toBe(404);
		expect(response.data.errorCode).toBe(100);
		expect(response.data.message).toMatch(/^Connection type not found: nosuchconnector\./);
	});

	test('missing key gets 401', async () => {
		const response = await http.get('/connections/config');
		expect(response.status).toBe(401);
	});
});

describe('startEmulator options', () => {
	test('custom keys replace the defaults', async () => {
		const custom = await startEmulator({
			eventsRows: 0,
			partnerKey: 'Cust0mPa.partnerKeyGivenOnTheCommandLine000',
			projectKey: 'Cust0mPr.projectKeyGivenOnTheCommandLine000',
		});
		try {
			const client = axios.create({ baseURL: custom.baseUrl, validateStatus: () => true });
			expect((await client.get('/organizations', { headers: bearer('Cust0mPa.partnerKeyGivenOnTheCommandLine000') })).status).toBe(200);
			expect((await client.get('/info', { headers: bearer('Cust0mPr.projectKeyGivenOnTheCommandLine000') })).data.projectId).toBe('mtKDhe1U');
			expect((await client.get('/info', { headers: bearer(DEFAULT_PARTNER_KEY) })).status).toBe(401);
			expect((await client.get('/info', { headers: bearer(DEFAULT_PROJECT_KEY) })).status).toBe(401);
		} finally {
			await custom.close();
		}
	});

	test('equal keys are rejected', async () => {
		await expect(startEmulator({ partnerKey: 'Same0001.key', projectKey: 'Same0001.key' })).rejects.toThrow(/must differ/);
	});

	test('busy port is reported', async () => {
		await expect(startEmulator({ port: emulator.port, eventsRows: 0 })).rejects.toThrow(
			`Port ${emulator.port} on 127.0.0.1 is already in use: stop the other server or choose another port (0 picks a free one).`,
		);
	});

	test('invalid behaviour is rejected', async () => {
		await expect(startEmulator({ behaviour: 'live' })).rejects.toThrow("Invalid behaviour \"live\": use 'spec' or 'observed'.");
	});
});
