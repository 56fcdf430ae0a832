'use strict';

/**
 * Emulator routes for account administration (workspaces and projects), query folder changes,
 * supported drivers, SQL transpile and embedded sessions.
 */

const axios = require('axios');

const { startEmulator } = require('../../emulator/src/index.js');
const { transpile } = require('../../emulator/src/engine/transpile.js');

const EVENTS_ROWS = 20;
const ANALYTICS_WORKSPACE_ID = '8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';

function clientFor(emulator, key) {
	return axios.create({
		baseURL: emulator.baseUrl,
		validateStatus: () => true,
		headers: { Authorization: `Bearer ${key}` },
	});
}

describe.each(['spec', 'observed'])('admin routes in %s behaviour', (behaviour) => {
	let emulator;
	let partner;
	let project;
	let workspacesPath;

	beforeAll(async () => {
		emulator = await startEmulator({ behaviour, eventsRows: EVENTS_ROWS });
		partner = clientFor(emulator, emulator.partnerKey);
		project = clientFor(emulator, emulator.projectKey);
		workspacesPath = `/organizations/${emulator.organizationId}/workspaces`;
	});
	afterAll(async () => {
		await emulator?.close();
	});

	describe('workspaces', () => {
		test('lifecycle is kept in state', async () => {
			const created = await partner.post(workspacesPath, { name: ' Finance ', description: 'Ledgers' });
			expect(created.status).toBe(200);
			expect(created.data).toMatchObject({ name: 'Finance', description: 'Ledgers', organizationId: emulator.organizationId, defaultWorkspace: false });
			expect(emulator.state.findWorkspace(created.data.id)?.name).toBe('Finance');

			const updated = await partner.put(`${workspacesPath}/${created.data.id}`, { name: 'Finance Team' });
			expect(updated.data).toMatchObject({ name: 'Finance Team', description: 'Ledgers' });

			const deleted = await partner.delete(`${workspacesPath}/${created.data.id}`);
			expect(deleted.status).toBe(200);
			expect(deleted.data).toBe('');
			expect(emulator.state.findWorkspace(created.data.id)).toBeNull();
			expect((await partner.get(`${workspacesPath}/${created.data.id}`)).status).toBe(404);
		});

		test('name is required', async () => {
			const response = await partner.post(workspacesPath, { description: 'no name' });
			expect(response.status).toBe(400);
			expect(response.data).toEqual({ errorCode: 100, message: 'The workspace name is required, got undefined.' });
		});

		test('default or non-empty workspace is not deleted', async () => {
			const defaultWorkspace = await partner.delete(`${workspacesPath}/${ANALYTICS_WORKSPACE_ID}`);
			expect(defaultWorkspace.status).toBe(400);
			expect(defaultWorkspace.data.message).toBe(`Workspace ${ANALYTICS_WORKSPACE_ID} is the organization's default workspace and cannot be deleted.`);
			const sandbox = emulator.state.workspaces.find((workspace) => workspace.name === 'Sandbox');
			const holding = await partner.delete(`${workspacesPath}/${sandbox.id}`);
			expect(holding.status).toBe(400);
			expect(holding.data.message).toBe(`Workspace ${sandbox.id} still holds projects ${emulator.otherProjectId}. Delete them first.`);
		});

		test('project key gets 403', async () => {
			const response = await project.post(workspacesPath, { name: 'Denied' });
			expect(response.status).toBe(403);
			expect(emulator.state.workspaces.map((workspace) => workspace.name)).not.toContain('Denied');
		});
	});

	describe('projects', () => {
		test('new project gets its own engine with the built-in catalogs', async () => {
			const projectsPath = `${workspacesPath}/${ANALYTICS_WORKSPACE_ID}/projects`;
			const created = await partner.post(projectsPath, { name: 'Sales Ops!', description: 'CRM' });
			expect(created.status).toBe(200);
			expect(created.data.id).toMatch(/^[A-Za-z0-9]{8}$/);
			expect(created.data.domain).toMatch(/^salesops-[a-z0-9]{4}$/);
			expect(created.data.webhookBaseUrl).toBe(`https://${created.data.domain}--test.api.peaka.host`);
			expect(created.data.workspaceId).toBe(ANALYTICS_WORKSPACE_ID);

			const catalogs = await partner.get(`/data/projects/${created.data.id}/catalogs`);
			expect(catalogs.data.map((catalog) => catalog.id)).toEqual(['1', '2']);
			const saved = await partner.post(`/data/projects/${created.data.id}/queries`, { displayName: 'Only Here', inputQuery: 'SELECT 7 AS seven' });
			expect(saved.status).toBe(200);
			expect(emulator.engine.savedQueries.list(emulator.projectId).map((query) => query.name)).not.toContain('onlyhere');

			const key = await partner.post(`/projects/${created.data.id}/apiKeys`, { name: 'temporary' });
			const ownKey = clientFor(emulator, key.data.apiKey);
			expect((await ownKey.get(`/data/projects/${created.data.id}/catalogs`)).status).toBe(200);

			const updated = await partner.put(`${projectsPath}/${created.data.id}`, { name: 'Sales Operations' });
			expect(updated.data).toMatchObject({ name: 'Sales Operations', description: 'CRM' });
			expect((await partner.put(`${projectsPath}/${created.data.id}`, { description: 'no name' })).status).toBe(400);

			expect((await partner.delete(`${projectsPath}/${created.data.id}`)).status).toBe(200);
			expect(emulator.state.findProject(created.data.id)).toBeNull();
			expect(emulator.engine.projectIds).not.toContain(created.data.id);
			expect((await partner.get(`/data/projects/${created.data.id}/catalogs`)).status).toBe(404);
			expect((await ownKey.get(`/data/projects/${created.data.id}/catalogs`)).status).toBe(401);
		});

		test('project in another workspace is not found', async () => {
			const sandbox = emulator.state.workspaces.find((workspace) => workspace.name === 'Sandbox');
			const response = await partner.put(`${workspacesPath}/${sandbox.id}/projects/${emulator.projectId}`, { name: 'x' });
			expect(response.status).toBe(404);
			expect(response.data.message).toBe(`Project not found: ${emulator.projectId}`);
		});
	});

	describe('query folders', () => {
		const folders = () => `/data/projects/${emulator.projectId}/queries/folders`;

		test('rename and move rewrite the paths below', async () => {
			const top = (await partner.post(folders(), { folderName: `Top ${behaviour}` })).data;
			const child = (await partner.post(`${folders()}/${top.id}`, { folderName: 'Child' })).data;
			const query = (await partner.post(`/data/projects/${emulator.projectId}/queries`, {
				displayName: `In Child ${behaviour}`, inputQuery: 'SELECT 1 AS one', path: child.path,
			})).data;

			const renamed = await partner.patch(`${folders()}/${top.id}/name`, { name: `Renamed ${behaviour}` });
			expect(renamed.data).toEqual({ ...top, name: `Renamed ${behaviour}`, path: `/Renamed ${behaviour}` });
			expect(emulator.engine.savedQueries.getFolder(emulator.projectId, child.id).path).toBe(`/Renamed ${behaviour}/Child`);
			expect(emulator.engine.savedQueries.get(emulator.projectId, query.id).path).toBe(`/Renamed ${behaviour}/Child`);

			const moved = await partner.patch(`${folders()}/${top.id}/path`, { path: `/Archive ${behaviour}/Kept` });
			expect(moved.status).toBe(200);
			expect(moved.data.name).toBe('Kept');
			const archive = emulator.engine.savedQueries.listFolders(emulator.projectId).find((folder) => folder.path === `/Archive ${behaviour}`);
			expect(moved.data.parentId).toBe(archive.id);
			expect(emulator.engine.savedQueries.get(emulator.projectId, query.id).path).toBe(`/Archive ${behaviour}/Kept/Child`);

			const circular = await partner.patch(`${folders()}/${top.id}/path`, { path: `/Archive ${behaviour}/Kept/Child/Loop` });
			expect(circular.status).toBe(409);
			const root = await partner.patch(`${folders()}/${top.id}/path`, { path: '/' });
			expect(root.status).toBe(400);
		});

		test('add and remove queries', async () => {
			const folder = (await partner.post(folders(), { folderName: `Bucket ${behaviour}` })).data;
			const other = (await partner.post(folders(), { folderName: `Other ${behaviour}` })).data;
			const create = async (name, path) => (await partner.post(`/data/projects/${emulator.projectId}/queries`, { displayName: name, inputQuery: 'SELECT 1 AS one', path })).data;
			const first = await create(`Bucket One ${behaviour}`);
			const elsewhere = await create(`Bucket Elsewhere ${behaviour}`, other.path);

			const added = await partner.put(`${folders()}/${folder.id}`, { queryIdsAdded: [first.id], queryIdsRemoved: [elsewhere.id] });
			expect(added.status).toBe(200);
			expect(added.data.queries.map((query) => query.id)).toEqual([first.id]);
			expect(emulator.engine.savedQueries.get(emulator.projectId, elsewhere.id).folderId).toBe(other.id);

			const removed = await partner.put(`${folders()}/${folder.id}`, { queryIdsAdded: [], queryIdsRemoved: [first.id] });
			expect(removed.data.queries).toEqual([]);
			expect(emulator.engine.savedQueries.get(emulator.projectId, first.id).folderId).toBeNull();

			const nullList = await partner.put(`${folders()}/${folder.id}`, { queryIdsAdded: [first.id], queryIdsRemoved: null });
			expect(nullList.status).toBe(400);
			expect(nullList.data.message).toBe('Invalid queryIdsRemoved null: send an array of query ids as strings, [] when there are none.');
			const unknown = await partner.put(`${folders()}/${folder.id}`, { queryIdsAdded: ['123'], queryIdsRemoved: [] });
			expect(unknown.status).toBe(400);
			expect(unknown.data).toEqual({ errorCode: 100, message: 'There is no query with id: 123' });
		});
	});

	describe('supported drivers', () => {
		test('URLs embed the calling key', async () => {
			const response = await project.get('/supportedDrivers/jdbc');
			expect(response.data).toEqual({ JDBC: `jdbc:peaka://dbc.peaka.studio:4567/?extraCredentials=peakaKey:${emulator.projectKey}` });
		});

		test('SQLAlchemy needs a catalog', async () => {
			const response = await partner.get('/supportedDrivers/sql_alchemy');
			expect(response.status).toBe(400);
			expect(response.data.message).toMatch(/^catalogName is required/);
		});
	});

	describe('transpile', () => {
		test('answer key follows the behaviour', async () => {
			const response = await partner.post('/sql/transpile/postgres', { query: 'SELECT `a` FROM t' });
			const expected = 'SELECT "a" FROM "t"';
			expect(response.data).toEqual(behaviour === 'spec' ? { result: expected } : { query: expected });
		});

		test('unknown dialect and missing query get 400', async () => {
			const dialect = await partner.post('/sql/transpile/bigquery', { query: 'SELECT 1' });
			expect(dialect.status).toBe(400);
			expect(dialect.data.message).toBe("Unsupported dialect 'bigquery': the emulator transpiles only to mysql, postgres, trino.");
			expect((await partner.post('/sql/transpile/mysql', { sql: 'SELECT 1' })).status).toBe(400);
		});
	});

	describe('embedded sessions', () => {
		test('URL on the emulator host', async () => {
			const response = await project.post('/ui/initSession', { projectId: emulator.projectId });
			expect(response.status).toBe(200);
			expect(response.data.sessionUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${emulator.port}/api/v1/ui/session\\?code=[0-9a-f]{64}$`));
		});

		test('other project, unknown project, bad mode', async () => {
			expect((await project.post('/ui/initSession', { projectId: emulator.otherProjectId })).status).toBe(403);
			expect((await partner.post('/ui/initSession', { projectId: 'NoSuchP1' })).status).toBe(404);
			expect((await partner.post('/ui/initSession', { projectId: emulator.projectId, sessionMode: 'KIOSK' })).status).toBe(400);
			expect((await partner.post('/ui/initSession', {})).status).toBe(400);
		});
	});
});

describe('transpiler', () => {
	test.each([
		['mysql', 'SELECT * FROM catalog.schema.table WHERE id = 1', 'SELECT * FROM `catalog`.`schema`.`table` WHERE `id` = 1'],
		['postgres', 'SELECT count(*) AS n FROM "datasets"."public"."flights"', 'SELECT count(*) AS "n" FROM "datasets"."public"."flights"'],
		['trino', 'SELECT `origin`, delay FROM flights', 'SELECT "origin", delay FROM flights'],
		['mysql', "SELECT 'it''s \"x\"' AS s -- keep \"this\"\nFROM t", "SELECT 'it''s \"x\"' AS `s` -- keep \"this\"\nFROM `t`"],
		['mysql', 'SELECT "a`b" FROM t', 'SELECT `a``b` FROM `t`'],
		['postgres', "SELECT date_trunc('day', ts) FROM t WHERE d > DATE '2024-01-01' LIMIT ?", "SELECT date_trunc('day', \"ts\") FROM \"t\" WHERE \"d\" > DATE '2024-01-01' LIMIT ?"],
	])('%s: %s', (dialect, input, output) => {
		expect(transpile(input, dialect)).toBe(output);
	});
});
