'use strict';

/**
 * Every operation the emulator implements, called in `spec` behaviour with realistic requests,
 * and each documented response (status and body) checked against Peaka's OpenAPI file with
 * unknown fields rejected. A route added to the emulator without a case here fails the coverage
 * test below.
 */

const axios = require('axios');

const { startEmulator } = require('../../emulator/src/index.js');
const { buildServer } = require('../../emulator/src/server.js');
const { createState } = require('../../emulator/src/state.js');
const { createFaults } = require('../../emulator/src/faults.js');
const { contractForTests } = require('./openapi');

const EVENTS_ROWS = 50;
const API_PREFIX = '/api/v1';
const DATASETS_CATALOG_ID = '846085284821991568';
const STRIPE_CATALOG_ID = '846085284821991569';
const DATASETS_CONNECTION_ID = '3f6b2c1d-8e4a-4b7c-9d2e-1a5f6c7b8d90';
const ANALYTICS_WORKSPACE_ID = '8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const UNKNOWN_FOLDER_ID = '00000000-0000-4000-8000-000000000000';

/**
 * The operations this file covers, as `METHOD /path` in the spec's `{param}` form. It must equal
 * the set of operations the emulator implements (not its 501 stand-ins).
 */
const COVERED_OPERATIONS = [
	'GET /info',
	'GET /organizations',
	'GET /organizations/{organizationId}',
	'GET /organizations/{organizationId}/workspaces',
	'GET /organizations/{organizationId}/workspaces/{workspaceId}',
	'GET /organizations/{organizationId}/workspaces/{workspaceId}/projects',
	'GET /organizations/{organizationId}/workspaces/{workspaceId}/projects/{projectId}',
	'GET /projects',
	'GET /projects/{projectId}',
	'GET /projects/{projectId}/apiKeys',
	'POST /projects/{projectId}/apiKeys',
	'DELETE /projects/{projectId}/apiKeys/{apiKeyId}',
	'GET /connections/config',
	'GET /connections/config/{connectionType}',
	'GET /data/projects/{projectId}/catalogs',
	'GET /data/projects/{projectId}/catalogs/{catalogId}',
	'GET /data/projects/{projectId}/catalogs/{catalogId}/schemas',
	'GET /data/projects/{projectId}/catalogs/{catalogId}/schemas/{schemaName}/tables',
	'GET /data/projects/{projectId}/catalogs/{catalogId}/schemas/{schemaName}/tables/{tableName}/columns',
	'GET /data/projects/{projectId}/catalogs/{catalogId}/schemas/{schemaName}/tables/{tableName}/isCached',
	'GET /data/projects/{projectId}/catalogs/{catalogId}/schemas/{schemaName}/tables/{tableName}/statistics',
	'POST /data/projects/{projectId}/catalogs',
	'DELETE /data/projects/{projectId}/catalogs/{catalogId}',
	'POST /data/projects/{projectId}/catalogs/{catalogId}/share',
	'POST /data/projects/{projectId}/search',
	'GET /data/projects/{projectId}/queries',
	'POST /data/projects/{projectId}/queries',
	'POST /data/projects/{projectId}/queries/execute',
	'GET /data/projects/{projectId}/queries/{queryId}',
	'PUT /data/projects/{projectId}/queries/{queryId}',
	'DELETE /data/projects/{projectId}/queries/{queryId}',
	'PATCH /data/projects/{projectId}/queries/{queryId}/path',
	'GET /data/projects/{projectId}/queries/folders',
	'POST /data/projects/{projectId}/queries/folders',
	'POST /data/projects/{projectId}/queries/folders/{parentFolderId}',
	'GET /data/projects/{projectId}/queries/folders/tree',
	'GET /data/projects/{projectId}/queries/folders/{folderId}',
	'DELETE /data/projects/{projectId}/queries/folders/{folderId}',
	'POST /organizations/{organizationId}/workspaces',
	'PUT /organizations/{organizationId}/workspaces/{workspaceId}',
	'DELETE /organizations/{organizationId}/workspaces/{workspaceId}',
	'POST /organizations/{organizationId}/workspaces/{workspaceId}/projects',
	'PUT /organizations/{organizationId}/workspaces/{workspaceId}/projects/{projectId}',
	'DELETE /organizations/{organizationId}/workspaces/{workspaceId}/projects/{projectId}',
	'PUT /data/projects/{projectId}/queries/folders/{folderId}',
	'PATCH /data/projects/{projectId}/queries/folders/{folderId}/name',
	'PATCH /data/projects/{projectId}/queries/folders/{folderId}/path',
	'GET /supportedDrivers',
	'GET /supportedDrivers/jdbc',
	'GET /supportedDrivers/sql_alchemy',
	'POST /sql/transpile/{dialect}',
	'POST /ui/initSession',
	// Exports and metadata
	'POST /data/projects/{projectId}/queries/{queryId}/exports',
	'POST /data/projects/{projectId}/catalogs/{catalogId}/schemas/{schemaName}/tables/{tableName}/exports',
	'GET /data/projects/{projectId}/exports',
	'GET /data/projects/{projectId}/exports/{exportId}',
	'DELETE /data/projects/{projectId}/exports/{exportId}',
	'GET /metadata/{projectId}',
	'PUT /metadata/{projectId}/{catalogId}',
	'PUT /metadata/{projectId}/{catalogId}/{schemaName}',
	'PUT /metadata/{projectId}/{catalogId}/{schemaName}/{tableName}',
	'GET /metadata/{projectId}/relations/{catalogId}',
	'POST /metadata/{projectId}/relations/{catalogId}/{schemaName}/{tableName}/{columnName}',
	'PUT /metadata/{projectId}/relations/{catalogId}/{schemaName}/{tableName}/{relationId}',
	'DELETE /metadata/{projectId}/relations/{catalogId}/{schemaName}/{tableName}/{relationId}',
	'PUT /metadata/{projectId}/categorical/{catalogId}/{schemaName}/{tableName}/{columnName}',
	'DELETE /metadata/{projectId}/categorical/{catalogId}/{schemaName}/{tableName}/{columnName}',
	'POST /metadata/{projectId}/semantics/{catalogId}/{schemaName}/{tableName}',
	'POST /metadata/{projectId}/refresh',
	'GET /metadata/{projectId}/refresh/{catalogId}',
	'GET /metadata/{projectId}/refresh/callback',
	'POST /metadata/{projectId}/refresh/callback',
	'DELETE /metadata/{projectId}/refresh/callback',
	'GET /metadata/{projectId}/golden-sqls',
	'POST /metadata/{projectId}/golden-sqls',
	'DELETE /metadata/{projectId}/golden-sqls/{id}',
	'GET /metadata/{projectId}/golden-sql/query',
	'GET /metadata/{projectId}/query',
	'GET /metadata/{projectId}/questions/generate',
	// AI agent
	'POST /ai-agent/{projectId}/chat',
	'GET /ai-agent/{projectId}/threads',
	'GET /ai-agent/{projectId}/threads/{threadId}',
	'PUT /ai-agent/{projectId}/threads/{threadId}',
	'DELETE /ai-agent/{projectId}/threads/{threadId}',
	// Connections, semantic catalogs and parametric tables
	'GET /connections/{projectId}',
	'POST /connections/{projectId}',
	'POST /connections/{projectId}/oauth2',
	'GET /connections/{projectId}/{connectionId}',
	'PUT /connections/{projectId}/{connectionId}',
	'DELETE /connections/{projectId}/{connectionId}',
	'GET /connections/{projectId}/{connectionId}/detail',
	'POST /data/projects/{projectId}/semantic-catalogs',
	'POST /data/projects/{projectId}/semantic-catalogs/{catalogId}',
	'POST /data/projects/{projectId}/semantic-catalogs/{catalogId}/share',
	'DELETE /data/projects/{projectId}/semantic-catalogs/{catalogId}/table/{tableId}',
	'GET /data/projects/{projectId}/catalogs/{catalogId}/parametricTables',
	'POST /data/projects/{projectId}/catalogs/{catalogId}/parametricTables',
	'DELETE /data/projects/{projectId}/catalogs/{catalogId}/parametricTables',
	// Cache and materialized queries
	'POST /data/projects/{projectId}/cache',
	'POST /data/projects/{projectId}/cache/batch',
	'GET /data/projects/{projectId}/cache/status',
	'GET /data/projects/{projectId}/cache/{cacheId}',
	'PUT /data/projects/{projectId}/cache/{cacheId}',
	'DELETE /data/projects/{projectId}/cache/{cacheId}',
	'POST /data/projects/{projectId}/cache/{cacheId}/fullRefreshUpdate',
	'POST /data/projects/{projectId}/cache/{cacheId}/incrementalUpdate',
	'POST /data/projects/{projectId}/cache/{cacheId}/cancelFullRefreshUpdate',
	'POST /data/projects/{projectId}/cache/{cacheId}/cancelIncrementalUpdate',
	'GET /data/projects/{projectId}/cache/{cacheId}/status',
	'GET /data/projects/{projectId}/cache/{cacheId}/executionHistory',
	'GET /data/projects/{projectId}/catalog/{catalogId}/cache/status',
	'GET /data/projects/{projectId}/catalog/{catalogId}/schema/{schemaName}/cache/status',
	'GET /data/projects/{projectId}/materialized-queries/status',
	'GET /data/projects/{projectId}/materialized-queries/{queryId}/status',
	'POST /data/projects/{projectId}/materialized-queries/{queryId}/refresh',
	'POST /data/projects/{projectId}/materialized-queries/{queryId}/cancel',
	// Internal tables
	'GET /data/projects/{projectId}/table',
	'POST /data/projects/{projectId}/table/{tableName}',
	'DELETE /data/projects/{projectId}/table/{tableName}',
	'GET /data/projects/{projectId}/table/{tableName}/columns',
	'POST /data/projects/{projectId}/table/{tableName}/columns',
	'PUT /data/projects/{projectId}/table/{tableName}/columns/{columnName}',
	'DELETE /data/projects/{projectId}/table/{tableName}/columns/{columnName}',
	'POST /data/projects/{projectId}/table/{tableName}/import',
	'GET /data/projects/{projectId}/table/{tableName}/sample',
	'GET /data/projects/{projectId}/bitable',
	'POST /data/projects/{projectId}/bitable/{tableName}',
	'DELETE /data/projects/{projectId}/bitable/{tableName}',
	'GET /data/projects/{projectId}/bitable/{tableName}/columns',
	'POST /data/projects/{projectId}/bitable/{tableName}/columns',
	'PUT /data/projects/{projectId}/bitable/{tableName}/columns/{columnName}',
	'DELETE /data/projects/{projectId}/bitable/{tableName}/columns/{columnName}',
];

/**
 * Lists the API operations the emulator's route modules register, leaving out the 501 routes
 * the server adds for documented operations that no route module implements. It builds a server without
 * starting it and records every route as fastify registers it.
 */
async function implementedOperations() {
	const log = () => {};
	Object.assign(log, { info: log, request: log, warn: log, error: log });
	const faults = createFaults({ log });
	// Route modules read only the saved-query store from the engine while registering.
	const engine = { savedQueries: {} };
	const app = buildServer({ engine, state: createState(), behaviour: 'spec', options: {}, log, faults });
	const found = new Set();
	app.addHook('onRoute', (route) => {
		if (!route.url.startsWith(`${API_PREFIX}/`) || (route.config && route.config.notEmulated)) return;
		const methods = Array.isArray(route.method) ? route.method : [route.method];
		for (const method of methods) {
			if (method !== 'HEAD') found.add(`${method} ${route.url.slice(API_PREFIX.length).replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
		}
	});
	await app.ready();
	await app.close();
	return [...found].sort();
}

const { contract, requiredError } = contractForTests();

if (requiredError) {
	test('Peaka OpenAPI file is present', () => {
		throw requiredError;
	});
}

const describeContract = contract ? describe : describe.skip;

describeContract('emulator responses match Peaka OpenAPI', () => {
	let emulator;
	let http;
	const casesRun = [];
	const keyOf = (kind) => (kind === 'project' ? emulator.projectKey : emulator.partnerKey);

	/**
	 * Sends a request and checks the response against the operation's documented response.
	 * @param {{ operation: string, path: string, key?: 'partner'|'project', body?: unknown,
	 *   query?: Record<string, string>, status: number, example?: string }} request
	 */
	async function call(request) {
		const [method, template] = request.operation.split(' ');
		const response = await http.request({
			method,
			url: request.path,
			params: request.query,
			data: request.body,
			headers: { Authorization: `Bearer ${keyOf(request.key || 'partner')}` },
		});
		const text = response.data;
		const body = text === '' ? undefined : JSON.parse(text);
		const label = `${method} ${request.path} (${request.key || 'partner'} key)`;
		expect({ request: label, status: response.status, body: response.status === request.status ? '(as expected)' : body })
			.toEqual({ request: label, status: request.status, body: '(as expected)' });
		const outcome = contract.validateResponse(method, template, response.status, body, { strict: true, example: request.example });
		expect(outcome.errors).toEqual([]);
		casesRun.push({ operation: request.operation, status: response.status });
		return body;
	}

	const projectPath = (suffix = '') => `/data/projects/${emulator.projectId}${suffix}`;

	beforeAll(async () => {
		emulator = await startEmulator({ behaviour: 'spec', eventsRows: EVENTS_ROWS });
		http = axios.create({
			baseURL: emulator.baseUrl,
			validateStatus: () => true,
			// Bodies are parsed by the test, so an empty body stays distinguishable from null.
			responseType: 'text',
			transformResponse: [(data) => data],
		});
	});

	afterAll(async () => {
		await emulator?.close();
	});

	test('covered operations are exactly the implemented ones', async () => {
		expect([...COVERED_OPERATIONS].sort()).toEqual(await implementedOperations());
		for (const operation of COVERED_OPERATIONS) {
			const [method, template] = operation.split(' ');
			expect({ operation, inSpec: Boolean(contract.findOperation(method, template)) }).toEqual({ operation, inSpec: true });
		}
	});

	describe('account', () => {
		test.each(['partner', 'project'])('GET /info with a %s key', async (key) => {
			const body = await call({ operation: 'GET /info', path: '/info', key, status: 200 });
			expect(body.userId).toBe('0b7e4c2a-6f1d-4e8b-9a3c-5d2f1e0a9b8c');
			expect(body.projectId).toBe(key === 'project' ? emulator.projectId : undefined);
		});

		test('organizations, workspaces and projects', async () => {
			const organizationId = emulator.organizationId;
			const organizations = await call({ operation: 'GET /organizations', path: '/organizations', status: 200 });
			expect(organizations.map((organization) => organization.id)).toEqual([organizationId]);

			await call({ operation: 'GET /organizations/{organizationId}', path: `/organizations/${organizationId}`, status: 200 });

			const workspaces = await call({
				operation: 'GET /organizations/{organizationId}/workspaces',
				path: `/organizations/${organizationId}/workspaces`,
				status: 200,
			});
			expect(workspaces.map((workspace) => workspace.name)).toEqual(['Analytics', 'Sandbox']);

			await call({
				operation: 'GET /organizations/{organizationId}/workspaces/{workspaceId}',
				path: `/organizations/${organizationId}/workspaces/${ANALYTICS_WORKSPACE_ID}`,
				status: 200,
			});
			const projects = await call({
				operation: 'GET /organizations/{organizationId}/workspaces/{workspaceId}/projects',
				path: `/organizations/${organizationId}/workspaces/${ANALYTICS_WORKSPACE_ID}/projects`,
				status: 200,
			});
			expect(projects.map((project) => project.id)).toEqual([emulator.projectId]);

			await call({
				operation: 'GET /organizations/{organizationId}/workspaces/{workspaceId}/projects/{projectId}',
				path: `/organizations/${organizationId}/workspaces/${ANALYTICS_WORKSPACE_ID}/projects/${emulator.projectId}`,
				status: 200,
			});
		});

		test('catalogs of the other project', async () => {
			const catalogs = await call({
				operation: 'GET /data/projects/{projectId}/catalogs',
				path: `/data/projects/${emulator.otherProjectId}/catalogs`,
				status: 200,
			});
			expect(catalogs.map((catalog) => catalog.id)).toEqual(['1', '2']);
		});

		test('deprecated project routes', async () => {
			const projects = await call({ operation: 'GET /projects', path: '/projects', status: 200 });
			expect(projects.map((project) => project.id)).toEqual([emulator.projectId, emulator.otherProjectId]);
			// The other project has a null description, a case the list alone would not show.
			await call({ operation: 'GET /projects/{projectId}', path: `/projects/${emulator.otherProjectId}`, status: 200 });
		});

		test('project API keys: create, list, delete', async () => {
			const keysPath = `/projects/${emulator.projectId}/apiKeys`;
			const created = await call({
				operation: 'POST /projects/{projectId}/apiKeys',
				path: keysPath,
				body: { name: 'contract', expiresAt: '2031-01-01T00:00:00Z' },
				status: 200,
			});
			expect(created.apiKey).toMatch(/^[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}$/);
			const withoutExpiry = await call({ operation: 'POST /projects/{projectId}/apiKeys', path: keysPath, body: { name: 'no expiry' }, status: 200 });
			expect(withoutExpiry.expiresAt).toBeNull();

			const listed = await call({ operation: 'GET /projects/{projectId}/apiKeys', path: keysPath, status: 200 });
			expect(listed.map((key) => [key.name, key.apiKey])).toEqual([['emulator', null], ['contract', null], ['no expiry', null]]);

			for (const key of [created, withoutExpiry]) {
				const body = await call({
					operation: 'DELETE /projects/{projectId}/apiKeys/{apiKeyId}',
					path: `${keysPath}/${key.apiKeyId}`,
					status: 200,
				});
				expect(body).toBeUndefined();
			}
		});
	});

	describe.each(['partner', 'project'])('connections and catalogs with a %s key', (key) => {
		test('connection configurations', async () => {
			const configurations = await call({ operation: 'GET /connections/config', path: '/connections/config', key, status: 200 });
			expect(configurations.map((entry) => entry.connectionType)).toContain('POSTGRES');
			for (const connectionType of ['stripe', 'POSTGRES', 'hubspot']) {
				const configuration = await call({
					operation: 'GET /connections/config/{connectionType}',
					path: `/connections/config/${connectionType}`,
					key,
					status: 200,
				});
				expect(configuration.connectionType).toBe(connectionType);
			}
		});

		test('catalogs, schemas, tables and columns', async () => {
			const catalogs = await call({ operation: 'GET /data/projects/{projectId}/catalogs', path: projectPath('/catalogs'), key, status: 200 });
			expect(catalogs.map((catalog) => catalog.id)).toEqual(['1', '2', DATASETS_CATALOG_ID, STRIPE_CATALOG_ID]);

			for (const catalogId of ['1', DATASETS_CATALOG_ID, STRIPE_CATALOG_ID]) {
				await call({ operation: 'GET /data/projects/{projectId}/catalogs/{catalogId}', path: projectPath(`/catalogs/${catalogId}`), key, status: 200 });
				await call({
					operation: 'GET /data/projects/{projectId}/catalogs/{catalogId}/schemas',
					path: projectPath(`/catalogs/${catalogId}/schemas`),
					key,
					status: 200,
				});
			}

			for (const [catalogId, schemaName] of [[DATASETS_CATALOG_ID, 'public'], [STRIPE_CATALOG_ID, 'payment']]) {
				const tables = await call({
					operation: 'GET /data/projects/{projectId}/catalogs/{catalogId}/schemas/{schemaName}/tables',
					path: projectPath(`/catalogs/${catalogId}/schemas/${schemaName}/tables`),
					key,
					status: 200,
				});
				expect(tables.length).toBeGreaterThan(0);
			}

			for (const [catalogId, schemaName, tableName] of [
				[DATASETS_CATALOG_ID, 'public', 'edge_types'],
				[DATASETS_CATALOG_ID, 'public', 'movies'],
				[STRIPE_CATALOG_ID, 'payment', 'charges'],
			]) {
				const columns = await call({
					operation: 'GET /data/projects/{projectId}/catalogs/{catalogId}/schemas/{schemaName}/tables/{tableName}/columns',
					path: projectPath(`/catalogs/${catalogId}/schemas/${schemaName}/tables/${tableName}/columns`),
					key,
					status: 200,
				});
				expect(columns.length).toBeGreaterThan(0);
			}
		});

		test('catalog changes, statistics and search', async () => {
			const created = await call({
				operation: 'POST /data/projects/{projectId}/catalogs',
				path: projectPath('/catalogs'),
				key,
				body: { name: `contract_${key}`, connectionId: DATASETS_CONNECTION_ID, extraParameters: { note: 'contract' } },
				status: 200,
			});
			expect(created).toMatchObject({ name: `contract_${key}`, catalogType: 'postgresql' });
			const duplicate = await call({
				operation: 'POST /data/projects/{projectId}/catalogs',
				path: projectPath('/catalogs'),
				key,
				body: { name: `contract_${key}`, connectionId: DATASETS_CONNECTION_ID },
				status: 400,
			});
			expect(duplicate.errorCode).toBe(100);

			const cache = await call({
				operation: 'GET /data/projects/{projectId}/catalogs/{catalogId}/schemas/{schemaName}/tables/{tableName}/isCached',
				path: projectPath(`/catalogs/${STRIPE_CATALOG_ID}/schemas/payment/tables/charges/isCached`),
				key,
				status: 200,
			});
			expect(cache.isCacheable).toBe(true);
			const statistics = await call({
				operation: 'GET /data/projects/{projectId}/catalogs/{catalogId}/schemas/{schemaName}/tables/{tableName}/statistics',
				path: projectPath(`/catalogs/${DATASETS_CATALOG_ID}/schemas/public/tables/airports/statistics`),
				key,
				status: 200,
			});
			expect(statistics.columnStatistics.map((column) => column.columnName)).toEqual(['iata', 'name', 'city', 'state', 'country', 'latitude', 'longitude']);

			for (const [body, nextOffset] of [[{ query: 'a', limit: 2 }, 2], [{ query: 'charges', catalog: 'stripe', schema: 'payment', offset: 0 }, null]]) {
				const found = await call({ operation: 'POST /data/projects/{projectId}/search', path: projectPath('/search'), key, body, status: 200 });
				expect(found.meta.page.nextOffset).toBe(nextOffset);
			}

			if (key === 'partner') {
				const shared = await call({
					operation: 'POST /data/projects/{projectId}/catalogs/{catalogId}/share',
					path: projectPath(`/catalogs/${created.id}/share`),
					key,
					body: { targetProjectId: emulator.otherProjectId },
					status: 200,
				});
				await call({
					operation: 'DELETE /data/projects/{projectId}/catalogs/{catalogId}',
					path: `/data/projects/${emulator.otherProjectId}/catalogs/${shared.sharedCatalogId}`,
					key,
					status: 200,
				});
			}
			const deleted = await call({
				operation: 'DELETE /data/projects/{projectId}/catalogs/{catalogId}',
				path: projectPath(`/catalogs/${created.id}`),
				key,
				status: 200,
			});
			expect(deleted).toBeUndefined();
		});
	});

	describe.each(['partner', 'project'])('saved queries and execute with a %s key', (key) => {
		const suffix = key === 'partner' ? 'P' : 'J';
		let saved;

		test('saved query lifecycle', async () => {
			saved = await call({
				operation: 'POST /data/projects/{projectId}/queries',
				path: projectPath('/queries'),
				key,
				body: { displayName: `Contract Origins ${suffix}`, inputQuery: 'SELECT origin, count(*) AS flights FROM datasets.public.flights GROUP BY origin', queryType: 'PLAIN' },
				status: 200,
			});
			expect(saved.id).toMatch(/^\d{18}$/);
			expect(saved.path).toBeNull();

			await call({
				operation: 'POST /data/projects/{projectId}/queries',
				path: projectPath('/queries'),
				key,
				query: { checkSchemaExists: 'false' },
				body: {
					displayName: `Contract Nightly ${suffix}`,
					inputQuery: 'SELECT 1 AS one',
					queryType: 'MATERIALIZED',
					schedule: { type: 'cron', cronExpression: '0 0 * * *', timezone: 'UTC' },
					path: '/contract/nightly',
				},
				status: 200,
			});

			const listed = await call({ operation: 'GET /data/projects/{projectId}/queries', path: projectPath('/queries'), key, status: 200 });
			expect(listed.map((query) => query.id)).toContain(saved.id);

			await call({ operation: 'GET /data/projects/{projectId}/queries/{queryId}', path: projectPath(`/queries/${saved.id}`), key, status: 200 });

			const updated = await call({
				operation: 'PUT /data/projects/{projectId}/queries/{queryId}',
				path: projectPath(`/queries/${saved.id}`),
				key,
				body: { displayName: `Contract Origins Renamed ${suffix}` },
				status: 200,
			});
			expect(updated.displayName).toBe(`Contract Origins Renamed ${suffix}`);

			const moved = await call({
				operation: 'PATCH /data/projects/{projectId}/queries/{queryId}/path',
				path: projectPath(`/queries/${saved.id}/path`),
				key,
				body: { path: `/contract/${suffix}` },
				status: 200,
			});
			expect(moved).toBeUndefined();
			const afterMove = await call({ operation: 'GET /data/projects/{projectId}/queries/{queryId}', path: projectPath(`/queries/${saved.id}`), key, status: 200 });
			expect(afterMove.path).toBe(`/contract/${suffix}`);
		});

		test('materialized queries and schedules', async () => {
			const fromReference = await call({
				operation: 'POST /data/projects/{projectId}/queries',
				path: projectPath('/queries'),
				key,
				body: { displayName: `Contract Twice Daily ${suffix}`, queryType: 'MATERIALIZED', inputQueryRefId: saved.id, schedule: { type: 'interval', repeatDuration: 'PT12H' } },
				status: 200,
			});
			expect(fromReference.schedule).toEqual({ type: 'interval', repeatDuration: 'PT12H' });

			const unscheduled = await call({
				operation: 'PUT /data/projects/{projectId}/queries/{queryId}',
				path: projectPath(`/queries/${fromReference.id}`),
				key,
				query: { checkSchemaExists: 'true' },
				body: { schedule: { type: 'none' } },
				status: 200,
			});
			expect(unscheduled.schedule).toEqual({ type: 'none' });

			// A schedule without a type is valid in the spec; the type must then not come back as null.
			const untyped = await call({
				operation: 'POST /data/projects/{projectId}/queries',
				path: projectPath('/queries'),
				key,
				body: { displayName: `Contract Untyped Schedule ${suffix}`, inputQuery: 'SELECT 1 AS one', schedule: {} },
				status: 200,
			});
			expect(untyped.schedule).toEqual({});

			const views = await call({
				operation: 'GET /data/projects/{projectId}/catalogs/{catalogId}/schemas/{schemaName}/tables',
				path: projectPath('/catalogs/2/schemas/query/tables'),
				key,
				status: 200,
			});
			expect(views.map((table) => table.tableName)).toContain(saved.name);
			await call({
				operation: 'GET /data/projects/{projectId}/catalogs/{catalogId}/schemas/{schemaName}/tables/{tableName}/columns',
				path: projectPath(`/catalogs/2/schemas/query/tables/${saved.name}/columns`),
				key,
				status: 200,
			});
		});

		test.each([
			['CELL_TYPED', undefined],
			['CELL_TYPED', 'CELL_TYPED'],
			['SIMPLE', 'SIMPLE'],
			['COMPACT', 'COMPACT'],
		])('execute a statement as %s (format=%s)', async (example, format) => {
			const body = await call({
				operation: 'POST /data/projects/{projectId}/queries/execute',
				path: projectPath('/queries/execute'),
				key,
				query: format === undefined ? undefined : { format },
				body: { statement: 'SELECT * FROM datasets.public.edge_types ORDER BY id', bindings: [] },
				example,
				status: 200,
			});
			// edge_types has a row of NULLs and one column per type, so null cells are checked too.
			expect(body.data.length).toBeGreaterThan(1);
		});

		test.each(['CELL_TYPED', 'SIMPLE', 'COMPACT'])('execute with bindings, by id, by name and by builder as %s', async (format) => {
			const execute = (body) => call({
				operation: 'POST /data/projects/{projectId}/queries/execute',
				path: projectPath('/queries/execute'),
				key,
				query: { format },
				body,
				example: format,
				status: 200,
			});
			const penguins = await execute({
				statement: 'SELECT species, island, "body mass (g)", sex FROM datasets.public.penguins WHERE island = ? ORDER BY sex NULLS FIRST LIMIT 3',
				bindings: ['Torgersen'],
				timeout: 30,
			});
			expect(penguins.data).toHaveLength(3);

			const byId = await execute({ id: saved.id });
			expect(byId.data.length).toBeGreaterThan(0);

			const byName = await execute({ qualifiedName: 'stripe.payment.charges' });
			expect(byName.data.length).toBeGreaterThan(0);

			const built = await execute({
				columns: ['origin', 'delay'],
				from: [{ catalogName: 'datasets', schemaName: 'public', tableName: 'flights' }],
				filters: { and: [[{ column: { catalogName: 'datasets', schemaName: 'public', tableName: 'flights', columnName: 'delay' } }, '>', [150]]] },
				orderBy: ['delay DESC'],
				offset: 0,
				limit: 5,
			});
			expect(built.data).toHaveLength(5);
		});

		test('delete the saved queries', async () => {
			const listed = await call({ operation: 'GET /data/projects/{projectId}/queries', path: projectPath('/queries'), key, status: 200 });
			for (const query of listed.filter((entry) => entry.displayName.endsWith(suffix))) {
				const body = await call({
					operation: 'DELETE /data/projects/{projectId}/queries/{queryId}',
					path: projectPath(`/queries/${query.id}`),
					key,
					status: 200,
				});
				expect(body).toBeUndefined();
			}
		});
	});

	describe.each(['partner', 'project'])('query folders with a %s key', (key) => {
		test('create, read, tree, conflicts and delete', async () => {
			const folderName = `Reports ${key}`;
			const root = await call({
				operation: 'POST /data/projects/{projectId}/queries/folders',
				path: projectPath('/queries/folders'),
				key,
				body: { folderName },
				status: 201,
			});
			expect(root.parentId).toBeNull();

			await call({
				operation: 'POST /data/projects/{projectId}/queries/folders',
				path: projectPath('/queries/folders'),
				key,
				body: { folderName },
				status: 409,
			});

			const child = await call({
				operation: 'POST /data/projects/{projectId}/queries/folders/{parentFolderId}',
				path: projectPath(`/queries/folders/${root.id}`),
				key,
				body: { folderName: 'Monthly' },
				status: 201,
			});
			expect(child.parentId).toBe(root.id);
			await call({
				operation: 'POST /data/projects/{projectId}/queries/folders/{parentFolderId}',
				path: projectPath(`/queries/folders/${root.id}`),
				key,
				body: { folderName: 'Monthly' },
				status: 409,
			});
			await call({
				operation: 'POST /data/projects/{projectId}/queries/folders/{parentFolderId}',
				path: projectPath(`/queries/folders/${UNKNOWN_FOLDER_ID}`),
				key,
				body: { folderName: 'Orphan' },
				status: 404,
			});

			const query = await call({
				operation: 'POST /data/projects/{projectId}/queries',
				path: projectPath('/queries'),
				key,
				body: { displayName: `Folder Query ${key}`, inputQuery: 'SELECT 1 AS one', path: child.path },
				status: 200,
			});

			const listed = await call({ operation: 'GET /data/projects/{projectId}/queries/folders', path: projectPath('/queries/folders'), key, status: 200 });
			expect(listed.items.map((folder) => folder.path)).toEqual(expect.arrayContaining([root.path, child.path]));

			const contents = await call({
				operation: 'GET /data/projects/{projectId}/queries/folders/{folderId}',
				path: projectPath(`/queries/folders/${child.id}`),
				key,
				status: 200,
			});
			expect(contents.queries.map((entry) => entry.id)).toEqual([query.id]);
			await call({
				operation: 'GET /data/projects/{projectId}/queries/folders/{folderId}',
				path: projectPath(`/queries/folders/${UNKNOWN_FOLDER_ID}`),
				key,
				status: 404,
			});

			for (const query of [{ includeQueries: 'true' }, { includeQueries: 'false', rootFolderId: root.id }, undefined]) {
				const tree = await call({
					operation: 'GET /data/projects/{projectId}/queries/folders/tree',
					path: projectPath('/queries/folders/tree'),
					key,
					query,
					status: 200,
				});
				expect(tree.tree.length).toBeGreaterThan(0);
			}

			await call({
				operation: 'DELETE /data/projects/{projectId}/queries/folders/{folderId}',
				path: projectPath(`/queries/folders/${root.id}`),
				key,
				status: 409,
			});
			await call({
				operation: 'DELETE /data/projects/{projectId}/queries/folders/{folderId}',
				path: projectPath(`/queries/folders/${root.id}`),
				key,
				query: { force: 'true' },
				status: 204,
			});
			await call({
				operation: 'DELETE /data/projects/{projectId}/queries/folders/{folderId}',
				path: projectPath(`/queries/folders/${root.id}`),
				key,
				status: 404,
			});
		});
	});

	describe('workspace and project administration', () => {
		test('create, update and delete a workspace and a project in it', async () => {
			const workspacesPath = `/organizations/${emulator.organizationId}/workspaces`;
			const workspace = await call({
				operation: 'POST /organizations/{organizationId}/workspaces',
				path: workspacesPath,
				body: { name: 'Contract Workspace', description: 'made by the contract test' },
				status: 200,
			});
			expect(workspace.defaultWorkspace).toBe(false);
			const renamed = await call({
				operation: 'PUT /organizations/{organizationId}/workspaces/{workspaceId}',
				path: `${workspacesPath}/${workspace.id}`,
				body: { name: 'Contract Workspace Renamed', description: 'still the contract test' },
				status: 200,
			});
			expect(renamed.name).toBe('Contract Workspace Renamed');

			const projectsPath = `${workspacesPath}/${workspace.id}/projects`;
			const project = await call({
				operation: 'POST /organizations/{organizationId}/workspaces/{workspaceId}/projects',
				path: projectsPath,
				body: { name: 'Contract Project' },
				status: 200,
			});
			expect(project.workspaceId).toBe(workspace.id);
			const updated = await call({
				operation: 'PUT /organizations/{organizationId}/workspaces/{workspaceId}/projects/{projectId}',
				path: `${projectsPath}/${project.id}`,
				body: { name: 'Contract Project Renamed', description: 'described' },
				status: 200,
			});
			expect(updated.description).toBe('described');

			const projectDeleted = await call({
				operation: 'DELETE /organizations/{organizationId}/workspaces/{workspaceId}/projects/{projectId}',
				path: `${projectsPath}/${project.id}`,
				status: 200,
			});
			expect(projectDeleted).toBeUndefined();
			const workspaceDeleted = await call({
				operation: 'DELETE /organizations/{organizationId}/workspaces/{workspaceId}',
				path: `${workspacesPath}/${workspace.id}`,
				status: 200,
			});
			expect(workspaceDeleted).toBeUndefined();
		});
	});

	describe.each(['partner', 'project'])('folder changes, drivers, transpile and sessions with a %s key', (key) => {
		test('add and remove queries, rename and move folders', async () => {
			const folder = await call({
				operation: 'POST /data/projects/{projectId}/queries/folders',
				path: projectPath('/queries/folders'),
				key,
				body: { folderName: `Moves ${key}` },
				status: 201,
			});
			const sibling = await call({
				operation: 'POST /data/projects/{projectId}/queries/folders',
				path: projectPath('/queries/folders'),
				key,
				body: { folderName: `Sibling ${key}` },
				status: 201,
			});
			const query = await call({
				operation: 'POST /data/projects/{projectId}/queries',
				path: projectPath('/queries'),
				key,
				body: { displayName: `Folder Move Query ${key}`, inputQuery: 'SELECT 1 AS one' },
				status: 200,
			});

			const added = await call({
				operation: 'PUT /data/projects/{projectId}/queries/folders/{folderId}',
				path: projectPath(`/queries/folders/${folder.id}`),
				key,
				body: { queryIdsAdded: [query.id], queryIdsRemoved: [] },
				status: 200,
			});
			expect(added.queries.map((entry) => entry.id)).toEqual([query.id]);
			const removed = await call({
				operation: 'PUT /data/projects/{projectId}/queries/folders/{folderId}',
				path: projectPath(`/queries/folders/${folder.id}`),
				key,
				body: { queryIdsAdded: [], queryIdsRemoved: [query.id] },
				status: 200,
			});
			expect(removed.queries).toEqual([]);
			await call({
				operation: 'PUT /data/projects/{projectId}/queries/folders/{folderId}',
				path: projectPath(`/queries/folders/${UNKNOWN_FOLDER_ID}`),
				key,
				body: { queryIdsAdded: [], queryIdsRemoved: [] },
				status: 404,
			});

			const renamed = await call({
				operation: 'PATCH /data/projects/{projectId}/queries/folders/{folderId}/name',
				path: projectPath(`/queries/folders/${folder.id}/name`),
				key,
				body: { name: `Renamed ${key}` },
				status: 200,
			});
			expect(renamed.path).toBe(`/Renamed ${key}`);
			await call({
				operation: 'PATCH /data/projects/{projectId}/queries/folders/{folderId}/name',
				path: projectPath(`/queries/folders/${folder.id}/name`),
				key,
				body: { name: `Sibling ${key}` },
				status: 409,
			});
			await call({
				operation: 'PATCH /data/projects/{projectId}/queries/folders/{folderId}/name',
				path: projectPath(`/queries/folders/${UNKNOWN_FOLDER_ID}/name`),
				key,
				body: { name: 'Nowhere' },
				status: 404,
			});

			const moved = await call({
				operation: 'PATCH /data/projects/{projectId}/queries/folders/{folderId}/path',
				path: projectPath(`/queries/folders/${folder.id}/path`),
				key,
				body: { path: `/Sibling ${key}/Renamed ${key}` },
				status: 200,
			});
			expect(moved.parentId).toBe(sibling.id);
			await call({
				operation: 'PATCH /data/projects/{projectId}/queries/folders/{folderId}/path',
				path: projectPath(`/queries/folders/${sibling.id}/path`),
				key,
				body: { path: `/Sibling ${key}/Renamed ${key}/Sibling ${key}` },
				status: 409,
			});
			await call({
				operation: 'PATCH /data/projects/{projectId}/queries/folders/{folderId}/path',
				path: projectPath(`/queries/folders/${UNKNOWN_FOLDER_ID}/path`),
				key,
				body: { path: '/Nowhere' },
				status: 404,
			});

			await call({ operation: 'DELETE /data/projects/{projectId}/queries/{queryId}', path: projectPath(`/queries/${query.id}`), key, status: 200 });
			await call({
				operation: 'DELETE /data/projects/{projectId}/queries/folders/{folderId}',
				path: projectPath(`/queries/folders/${sibling.id}`),
				key,
				query: { force: 'true' },
				status: 204,
			});
		});

		test('supported drivers embed the caller key', async () => {
			const all = await call({ operation: 'GET /supportedDrivers', path: '/supportedDrivers', key, query: { catalogName: 'datasets' }, status: 200 });
			expect(all.JDBC).toBe(`jdbc:peaka://dbc.peaka.studio:4567/?extraCredentials=peakaKey:${keyOf(key)}`);
			const withoutCatalog = await call({ operation: 'GET /supportedDrivers', path: '/supportedDrivers', key, status: 200 });
			expect(withoutCatalog.SQL_ALCHEMY).toContain('/{catalogName}?');
			const jdbc = await call({ operation: 'GET /supportedDrivers/jdbc', path: '/supportedDrivers/jdbc', key, status: 200 });
			expect(Object.keys(jdbc)).toEqual(['JDBC']);
			const alchemy = await call({
				operation: 'GET /supportedDrivers/sql_alchemy',
				path: '/supportedDrivers/sql_alchemy',
				key,
				query: { catalogName: 'datasets' },
				status: 200,
			});
			expect(alchemy.SQL_ALCHEMY).toBe(`peaka://dbc.peaka.studio:4567/datasets?http_scheme=https&extra_credential=[["peakaKey","${keyOf(key)}"]]&access_token=true`);
		});

		test('transpile answers result', async () => {
			const body = await call({
				operation: 'POST /sql/transpile/{dialect}',
				path: '/sql/transpile/mysql',
				key,
				body: { query: 'SELECT * FROM catalog.schema.table WHERE id = 1' },
				status: 200,
			});
			expect(body).toEqual({ result: 'SELECT * FROM `catalog`.`schema`.`table` WHERE `id` = 1' });
		});

		test('embedded session', async () => {
			const session = await call({
				operation: 'POST /ui/initSession',
				path: '/ui/initSession',
				key,
				body: { projectId: emulator.projectId, sessionMode: 'FULL_STUDIO', theme: 'dark', themeOverride: true, timeoutInSeconds: 300 },
				status: 200,
			});
			expect(session.sessionUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/ui\/session\?code=[0-9a-f]{64}$/);
		});
	});

	describe('AI agent', () => {
		test('chat with and without a golden SQL, then the thread routes', async () => {
			const agentPath = (suffix) => `/ai-agent/${emulator.projectId}${suffix}`;
			// The agent answers only from golden SQLs; this seeds one without checking that route here.
			const seeded = await http.post(`/metadata/${emulator.projectId}/golden-sqls`, {
				prompt: 'Which were the first two events?',
				sql: 'SELECT id FROM "datasets"."public"."events" WHERE id <= 2 ORDER BY id',
			}, { headers: { Authorization: `Bearer ${emulator.partnerKey}` } });
			expect(seeded.status).toBe(200);
			const answered = await call({
				operation: 'POST /ai-agent/{projectId}/chat',
				path: agentPath('/chat'),
				body: { message: 'first two events', noExecute: false },
				status: 200,
			});
			expect(answered.state.currentQueryResult.data.map((row) => row[0].value)).toEqual(['1', '2']);
			const threadId = answered.thread.threadId;
			const unclear = await call({
				operation: 'POST /ai-agent/{projectId}/chat',
				path: agentPath('/chat'),
				body: { message: 'a poem please', threadId },
				status: 200,
			});
			expect(unclear.state.userIntentReasoning).toBe('USER_INTENT_NOT_CLEAR');

			const threads = await call({ operation: 'GET /ai-agent/{projectId}/threads', path: agentPath('/threads'), status: 200 });
			expect(Object.keys(threads)).toContain(threadId);
			await call({ operation: 'GET /ai-agent/{projectId}/threads/{threadId}', path: agentPath(`/threads/${threadId}`), status: 200 });
			await call({
				operation: 'PUT /ai-agent/{projectId}/threads/{threadId}',
				path: agentPath(`/threads/${threadId}`),
				body: { displayName: 'Events' },
				status: 200,
			});
			await call({ operation: 'DELETE /ai-agent/{projectId}/threads/{threadId}', path: agentPath(`/threads/${threadId}`), status: 200 });
		});
	});

	describe.each(['partner', 'project'])('connections, semantic catalogs and parametric tables with a %s key', (key) => {
		const connectionsPath = (suffix = '') => `/connections/${emulator.projectId}${suffix}`;
		const parametricPath = () => projectPath(`/catalogs/${DATASETS_CATALOG_ID}/parametricTables`);

		test('connection lifecycle with OAuth2', async () => {
			const listed = await call({ operation: 'GET /connections/{projectId}', path: connectionsPath(), key, status: 200 });
			expect(listed.map((connection) => connection.type)).toEqual(['POSTGRES', 'stripe']);
			const created = await call({
				operation: 'POST /connections/{projectId}',
				path: connectionsPath(),
				key,
				body: { name: `pg-${key}`, type: 'POSTGRES', credential: { url: 'db.example.com', port: 5432, user: 'u', password: 'p', databaseName: 'd', useSsl: true } },
				status: 200,
			});
			const connectionPath = connectionsPath(`/${created.id}`);
			await call({ operation: 'GET /connections/{projectId}/{connectionId}', path: connectionPath, key, status: 200 });
			const detail = await call({ operation: 'GET /connections/{projectId}/{connectionId}/detail', path: `${connectionPath}/detail`, key, status: 200 });
			expect(detail.password).toBeUndefined();
			await call({
				operation: 'PUT /connections/{projectId}/{connectionId}',
				path: connectionPath,
				key,
				body: { name: `pg-${key}-renamed`, type: 'POSTGRES', credential: { url: 'db.example.com', port: 5433, user: 'u', password: 'p', databaseName: 'd', useSsl: false } },
				status: 200,
			});
			await call({ operation: 'DELETE /connections/{projectId}/{connectionId}', path: connectionPath, key, status: 200 });

			const pending = await call({
				operation: 'POST /connections/{projectId}',
				path: connectionsPath(),
				key,
				body: { name: `ga-${key}`, type: 'google_analytics', credential: { clientId: 'c', clientSecret: 's' }, connectionCallback: 'https://example.com/back' },
				status: 200,
			});
			const oauthState = new URL(pending.url).searchParams.get('state');
			const completed = await call({
				operation: 'POST /connections/{projectId}/oauth2',
				path: connectionsPath('/oauth2'),
				key,
				body: { queryParameters: `code=1234&state=${oauthState}` },
				status: 200,
			});
			expect(completed.id).toBe(pending.id);
			await call({ operation: 'DELETE /connections/{projectId}/{connectionId}', path: connectionsPath(`/${pending.id}`), key, status: 200 });
		});

		test('semantic catalog with a table, shared', async () => {
			const query = await http.post(projectPath('/queries'), { displayName: `semantic source ${key}`, inputQuery: 'SELECT 1 AS one', queryType: 'PLAIN' }, {
				headers: { Authorization: `Bearer ${keyOf(key)}` },
			});
			expect(query.status).toBe(200);
			const catalog = await call({ operation: 'POST /data/projects/{projectId}/semantic-catalogs', path: projectPath('/semantic-catalogs'), key, body: { name: `semantic_${key}` }, status: 200 });
			const table = await call({
				operation: 'POST /data/projects/{projectId}/semantic-catalogs/{catalogId}',
				path: projectPath(`/semantic-catalogs/${catalog.id}`),
				key,
				body: { schemaName: 'reports', tableName: 'ones', queryId: JSON.parse(query.data).id },
				status: 200,
			});
			if (key === 'partner') {
				// A project key reaches no other project to share into.
				await call({
					operation: 'POST /data/projects/{projectId}/semantic-catalogs/{catalogId}/share',
					path: projectPath(`/semantic-catalogs/${catalog.id}/share`),
					key,
					body: { target: emulator.otherProjectId },
					status: 200,
				});
			}
			await call({
				operation: 'DELETE /data/projects/{projectId}/semantic-catalogs/{catalogId}/table/{tableId}',
				path: projectPath(`/semantic-catalogs/${catalog.id}/table/${table.tableId}`),
				key,
				status: 200,
			});
			// Leaves the catalog list as the other cases expect it.
			const removed = await http.delete(projectPath(`/catalogs/${catalog.id}`), { headers: { Authorization: `Bearer ${keyOf(key)}` } });
			expect(removed.status).toBe(200);
		});

		test('parametric table lifecycle', async () => {
			const body = {
				fromSchema: 'public',
				fromTable: 'penguins',
				toSchema: 'public',
				toTable: `adelie_${key}`,
				paramValues: [{ key: 'species', value: 'Adelie' }, { key: 'flipper length (mm)', value: 181 }],
			};
			await call({ operation: 'POST /data/projects/{projectId}/catalogs/{catalogId}/parametricTables', path: parametricPath(), key, body, status: 200 });
			await call({ operation: 'POST /data/projects/{projectId}/catalogs/{catalogId}/parametricTables', path: parametricPath(), key, body, status: 400 });
			const listed = await call({ operation: 'GET /data/projects/{projectId}/catalogs/{catalogId}/parametricTables', path: parametricPath(), key, status: 200 });
			expect(listed).toEqual([body]);
			const target = { toSchema: 'public', toTable: `adelie_${key}` };
			await call({ operation: 'DELETE /data/projects/{projectId}/catalogs/{catalogId}/parametricTables', path: parametricPath(), key, query: target, status: 204 });
			await call({ operation: 'DELETE /data/projects/{projectId}/catalogs/{catalogId}/parametricTables', path: parametricPath(), key, query: target, status: 404 });
		});
	});

	describe('cache and materialized queries', () => {
		const UNKNOWN_CACHE_ID = '00000000-0000-4000-8000-0000000000c1';
		const charges = { catalogId: STRIPE_CATALOG_ID, schemaName: 'payment', tableName: 'charges' };
		const airports = { catalogId: DATASETS_CATALOG_ID, schemaName: 'public', tableName: 'airports' };

		test('cache lifecycle, statuses and history', async () => {
			const created = await call({
				operation: 'POST /data/projects/{projectId}/cache',
				path: projectPath('/cache'),
				body: { ...charges, incrementalCacheSchedule: { type: 'BASIC', expression: 'PT1H' }, fullRefreshCacheSchedule: { type: 'BASIC', expression: 'P1D' } },
				status: 200,
			});
			expect(created).toMatchObject({ ...charges, projectId: emulator.projectId, fullRefreshCacheSchedule: { type: 'BASIC', expression: 'P1D' } });
			const cachePath = (suffix = '') => projectPath(`/cache/${created.id}${suffix}`);
			const unknownPath = (suffix = '') => projectPath(`/cache/${UNKNOWN_CACHE_ID}${suffix}`);

			await call({ operation: 'POST /data/projects/{projectId}/cache', path: projectPath('/cache'), body: charges, status: 409 });
			const refused = await call({ operation: 'POST /data/projects/{projectId}/cache', path: projectPath('/cache'), body: airports, status: 400 });
			expect(refused.errorCode).toBe('TABLE_NOT_CACHEABLE');
			const batch = await call({ operation: 'POST /data/projects/{projectId}/cache/batch', path: projectPath('/cache/batch'), body: [charges, airports], status: 200 });
			expect(batch.map((entry) => entry.success)).toEqual([false, false]);

			await call({ operation: 'GET /data/projects/{projectId}/cache/{cacheId}', path: cachePath(), status: 200 });
			await call({ operation: 'GET /data/projects/{projectId}/cache/{cacheId}', path: unknownPath(), status: 404 });
			const updated = await call({
				operation: 'PUT /data/projects/{projectId}/cache/{cacheId}',
				path: cachePath(),
				body: { incrementalCacheSchedule: { type: 'NONE' }, fullRefreshCacheSchedule: { type: 'BASIC', expression: 'P7D' } },
				status: 200,
			});
			expect(updated).toMatchObject({ incrementalCacheSchedule: { type: 'NONE' }, fullRefreshCacheSchedule: { type: 'BASIC', expression: 'P7D' } });
			await call({ operation: 'PUT /data/projects/{projectId}/cache/{cacheId}', path: cachePath(), body: { fullRefreshCacheSchedule: { type: 'BASIC', expression: '1 day' } }, status: 400 });
			await call({ operation: 'PUT /data/projects/{projectId}/cache/{cacheId}', path: unknownPath(), body: { incrementalCacheSchedule: { type: 'NONE' } }, status: 404 });

			const status = await call({ operation: 'GET /data/projects/{projectId}/cache/{cacheId}/status', path: cachePath('/status'), status: 200 });
			expect(status.status).toBe('RUNNING');
			expect(status.cacheActionLogs.map((entry) => entry.action)).toEqual(['CREATED', 'FULL_REFRESH_STARTED', 'SCHEDULE_UPDATED']);
			await call({ operation: 'GET /data/projects/{projectId}/cache/{cacheId}/status', path: unknownPath('/status'), status: 404 });
			for (const [operation, path] of [
				['GET /data/projects/{projectId}/cache/status', projectPath('/cache/status')],
				['GET /data/projects/{projectId}/catalog/{catalogId}/cache/status', projectPath(`/catalog/${STRIPE_CATALOG_ID}/cache/status`)],
				['GET /data/projects/{projectId}/catalog/{catalogId}/schema/{schemaName}/cache/status', projectPath(`/catalog/${STRIPE_CATALOG_ID}/schema/payment/cache/status`)],
			]) {
				const listed = await call({ operation, path, status: 200 });
				expect(listed.map((entry) => entry.id)).toEqual([created.id]);
			}

			await call({ operation: 'POST /data/projects/{projectId}/cache/{cacheId}/incrementalUpdate', path: cachePath('/incrementalUpdate'), status: 200 });
			await call({ operation: 'POST /data/projects/{projectId}/cache/{cacheId}/incrementalUpdate', path: unknownPath('/incrementalUpdate'), status: 404 });
			await call({ operation: 'POST /data/projects/{projectId}/cache/{cacheId}/fullRefreshUpdate', path: cachePath('/fullRefreshUpdate'), status: 200 });
			await call({ operation: 'POST /data/projects/{projectId}/cache/{cacheId}/fullRefreshUpdate', path: unknownPath('/fullRefreshUpdate'), status: 404 });
			const history = await call({
				operation: 'GET /data/projects/{projectId}/cache/{cacheId}/executionHistory',
				path: cachePath('/executionHistory'),
				query: { limit: '2', offset: '0' },
				status: 200,
			});
			expect(history.map((entry) => entry.executionMode)).toEqual(['FULL_REFRESH', 'INCREMENTAL']);
			await call({ operation: 'GET /data/projects/{projectId}/cache/{cacheId}/executionHistory', path: unknownPath('/executionHistory'), status: 404 });

			for (const kind of ['FullRefresh', 'Incremental']) {
				const operation = `POST /data/projects/{projectId}/cache/{cacheId}/cancel${kind}Update`;
				await call({ operation, path: cachePath(`/cancel${kind}Update`), status: 200 });
				await call({ operation, path: cachePath(`/cancel${kind}Update`), status: 404 });
			}

			await call({ operation: 'DELETE /data/projects/{projectId}/cache/{cacheId}', path: cachePath(), status: 200 });
			await call({ operation: 'DELETE /data/projects/{projectId}/cache/{cacheId}', path: cachePath(), status: 404 });
		});

		test('materialized query status, refresh and cancel', async () => {
			const query = await call({
				operation: 'POST /data/projects/{projectId}/queries',
				path: projectPath('/queries'),
				body: { displayName: 'contractMaterialized', inputQuery: 'SELECT 1 AS one', queryType: 'MATERIALIZED', schedule: { type: 'cron', cronExpression: '0 2 * * *', timezone: 'Europe/Istanbul' } },
				status: 200,
			});
			const materializedPath = (suffix) => projectPath(`/materialized-queries/${query.id}${suffix}`);
			const before = await call({ operation: 'GET /data/projects/{projectId}/materialized-queries/{queryId}/status', path: materializedPath('/status'), status: 200 });
			expect(before).toEqual({
				queryId: query.id,
				queryName: 'contractmaterialized',
				scheduleSettings: { type: 'cron', cronExpression: '0 2 * * *', timezone: 'Europe/Istanbul' },
				nextExecutionStartTime: null,
				status: 'COMPLETED',
				lastExecutionStartTime: null,
				lastUpdateTime: null,
			});
			await call({ operation: 'POST /data/projects/{projectId}/materialized-queries/{queryId}/refresh', path: materializedPath('/refresh'), status: 200 });
			const all = await call({ operation: 'GET /data/projects/{projectId}/materialized-queries/status', path: projectPath('/materialized-queries/status'), status: 200 });
			expect(all.map((entry) => entry.queryId)).toContain(query.id);
			await call({ operation: 'POST /data/projects/{projectId}/materialized-queries/{queryId}/cancel', path: materializedPath('/cancel'), status: 200 });
			const after = await call({ operation: 'GET /data/projects/{projectId}/materialized-queries/{queryId}/status', path: materializedPath('/status'), status: 200 });
			expect(after.status).toBe('CANCELLED');
		});
	});


	describe('exports and metadata', () => {
		const tablePath = `/catalogs/${DATASETS_CATALOG_ID}/schemas/public/tables/airports`;

		test('exports: submit, list, read, cancel', async () => {
			const created = await call({
				operation: 'POST /data/projects/{projectId}/catalogs/{catalogId}/schemas/{schemaName}/tables/{tableName}/exports',
				path: projectPath(`${tablePath}/exports`),
				body: { format: 'CSV', compression: 'GZIP', limit: 5, columns: ['iata', 'name'], csvOptions: { delimiter: ';', includeHeader: true } },
				status: 202,
			});
			expect(created.status).toBe('PENDING');
			const query = await call({
				operation: 'POST /data/projects/{projectId}/queries',
				path: projectPath('/queries'),
				body: { displayName: 'Contract Export Source', inputQuery: 'SELECT iata FROM datasets.public.airports LIMIT 3', queryType: 'PLAIN' },
				status: 200,
			});
			const fromQuery = await call({
				operation: 'POST /data/projects/{projectId}/queries/{queryId}/exports',
				path: projectPath(`/queries/${query.id}/exports`),
				body: { format: 'JSONL' },
				status: 202,
			});
			// Exports take 2 s at the emulator's default job speed.
			await new Promise((resolve) => setTimeout(resolve, 2200));
			const read = await call({
				operation: 'GET /data/projects/{projectId}/exports/{exportId}',
				path: projectPath(`/exports/${created.id}`),
				status: 200,
			});
			expect(read).toMatchObject({ status: 'SUCCEEDED', rowCount: 5, compression: 'GZIP', files: [{ name: `table_${DATASETS_CATALOG_ID}_public_airports.csv.gz` }] });
			const listed = await call({
				operation: 'GET /data/projects/{projectId}/exports',
				path: projectPath('/exports'),
				query: { status: 'SUCCEEDED', limit: '10' },
				status: 200,
			});
			expect(listed.map((entry) => entry.id)).toEqual([fromQuery.id, created.id]);
			expect(listed[0].files).toBeUndefined();
			await call({ operation: 'DELETE /data/projects/{projectId}/exports/{exportId}', path: projectPath(`/exports/${created.id}`), status: 204 });
			await call({ operation: 'GET /data/projects/{projectId}/exports/{exportId}', path: projectPath('/exports/00000000-0000-4000-8000-000000000000'), status: 404 });
		});

		test('metadata: tables, AI usage, relations, categorical values, semantics', async () => {
			const metadata = await call({ operation: 'GET /metadata/{projectId}', path: `/metadata/${emulator.projectId}`, query: { catalogId: DATASETS_CATALOG_ID, schemaName: 'public' }, status: 200 });
			expect(metadata.metadata.map((entry) => entry.metadata.tableName)).toContain('airports');
			await call({ operation: 'PUT /metadata/{projectId}/{catalogId}', path: `/metadata/${emulator.projectId}/${DATASETS_CATALOG_ID}`, body: { useWithAI: true }, status: 200 });
			await call({ operation: 'PUT /metadata/{projectId}/{catalogId}/{schemaName}', path: `/metadata/${emulator.projectId}/${DATASETS_CATALOG_ID}/public`, body: { useWithAI: true }, status: 200 });
			const updated = await call({
				operation: 'PUT /metadata/{projectId}/{catalogId}/{schemaName}/{tableName}',
				path: `/metadata/${emulator.projectId}/${DATASETS_CATALOG_ID}/public/airports`,
				body: { tableDescription: 'Airports', useWithAI: true, columns: [{ columnName: 'iata', columnDescription: 'Code' }] },
				status: 200,
			});
			expect(updated.tableDescription).toBe('Airports');
			const relation = await call({
				operation: 'POST /metadata/{projectId}/relations/{catalogId}/{schemaName}/{tableName}/{columnName}',
				path: `/metadata/${emulator.projectId}/relations/${DATASETS_CATALOG_ID}/public/flights/origin`,
				body: { targetCatalogId: DATASETS_CATALOG_ID, targetSchemaName: 'public', targetTableName: 'airports', targetColumnName: 'iata', type: 'MANY_TO_ONE' },
				status: 200,
			});
			const relations = await call({ operation: 'GET /metadata/{projectId}/relations/{catalogId}', path: `/metadata/${emulator.projectId}/relations/${DATASETS_CATALOG_ID}`, status: 200 });
			expect(relations.relations.map((entry) => entry.id)).toEqual([relation.id]);
			const relationPath = `/metadata/${emulator.projectId}/relations/${DATASETS_CATALOG_ID}/public/flights/${relation.id}`;
			await call({ operation: 'PUT /metadata/{projectId}/relations/{catalogId}/{schemaName}/{tableName}/{relationId}', path: relationPath, body: { type: 'ONE_TO_ONE' }, status: 200 });
			await call({ operation: 'DELETE /metadata/{projectId}/relations/{catalogId}/{schemaName}/{tableName}/{relationId}', path: relationPath, status: 200 });
			const categoricalPath = `/metadata/${emulator.projectId}/categorical/${DATASETS_CATALOG_ID}/public/airports/state`;
			const categorical = await call({ operation: 'PUT /metadata/{projectId}/categorical/{catalogId}/{schemaName}/{tableName}/{columnName}', path: categoricalPath, body: { limit: 2, frequency: 'DAILY' }, status: 200 });
			expect(categorical.categoricalValues).toHaveLength(2);
			await call({ operation: 'DELETE /metadata/{projectId}/categorical/{catalogId}/{schemaName}/{tableName}/{columnName}', path: categoricalPath, status: 200 });
			await call({
				operation: 'POST /metadata/{projectId}/semantics/{catalogId}/{schemaName}/{tableName}',
				path: `/metadata/${emulator.projectId}/semantics/${DATASETS_CATALOG_ID}/public/airports`,
				body: { initialPrompt: 'Airports', limit: 5 },
				status: 200,
			});
		});

		test('metadata: refresh, callback, golden SQLs, search, questions', async () => {
			await call({ operation: 'POST /metadata/{projectId}/refresh', path: `/metadata/${emulator.projectId}/refresh`, body: { catalogId: DATASETS_CATALOG_ID }, status: 200 });
			const status = await call({ operation: 'GET /metadata/{projectId}/refresh/{catalogId}', path: `/metadata/${emulator.projectId}/refresh/${DATASETS_CATALOG_ID}`, status: 200 });
			expect(['WAITING', 'ACTIVE']).toContain(status.status);
			const callbackPath = `/metadata/${emulator.projectId}/refresh/callback`;
			await call({ operation: 'POST /metadata/{projectId}/refresh/callback', path: callbackPath, body: { callbackURL: 'https://hooks.example.com/peaka', callbackToken: 't' }, status: 200 });
			await call({ operation: 'GET /metadata/{projectId}/refresh/callback', path: callbackPath, status: 200 });
			await call({ operation: 'DELETE /metadata/{projectId}/refresh/callback', path: callbackPath, status: 200 });
			const golden = await call({
				operation: 'POST /metadata/{projectId}/golden-sqls',
				path: `/metadata/${emulator.projectId}/golden-sqls`,
				body: { prompt: 'How many airports per state?', sql: 'SELECT state, count(*) FROM datasets.public.airports GROUP BY state' },
				status: 200,
			});
			await call({ operation: 'GET /metadata/{projectId}/golden-sqls', path: `/metadata/${emulator.projectId}/golden-sqls`, status: 200 });
			const hits = await call({ operation: 'GET /metadata/{projectId}/golden-sql/query', path: `/metadata/${emulator.projectId}/golden-sql/query`, query: { q: 'airports per state' }, status: 200 });
			expect(hits.result[0].question).toBe('How many airports per state?');
			await call({ operation: 'DELETE /metadata/{projectId}/golden-sqls/{id}', path: `/metadata/${emulator.projectId}/golden-sqls/${golden.id}`, status: 200 });
			await call({ operation: 'GET /metadata/{projectId}/query', path: `/metadata/${emulator.projectId}/query`, query: { table: 'airports', topK: '1' }, status: 200 });
			await call({ operation: 'GET /metadata/{projectId}/questions/generate', path: `/metadata/${emulator.projectId}/questions/generate`, query: { question: 'airports' }, status: 200 });
		});
	});

	describe.each(['partner', 'project'])('internal tables with a %s key', (key) => {
		test.each(['table', 'bitable'])('%s lifecycle and columns', async (kind) => {
			const name = `contract_${kind}_${key}`;
			const stored = kind === 'bitable' ? name.replace(/_/g, '') : name;
			const base = `/data/projects/{projectId}/${kind}`;
			const path = (suffix = '') => projectPath(`/${kind}${suffix}`);
			const created = await call({ operation: `POST ${base}/{tableName}`, path: path(`/${name}`), key, status: 200 });
			expect(created.tableName).toBe(stored);
			const listed = await call({ operation: `GET ${base}`, path: path(), key, status: 200 });
			expect(listed.map((table) => table.tableName)).toContain(stored);

			const added = await call({
				operation: `POST ${base}/{tableName}/columns`,
				path: path(`/${stored}/columns`),
				key,
				body: [
					{ name: 'qty', dataType: 'BIGINT', displayName: 'qty', defaultValue: null, isNotNull: false, isUnique: false },
					{ name: 'price', dataType: 'DECIMAL', displayName: 'price', defaultValue: '1.5', isNotNull: false, isUnique: true },
				],
				status: 200,
			});
			expect(added.map((column) => column.name)).toEqual(['qty', 'price']);
			const columns = await call({ operation: `GET ${base}/{tableName}/columns`, path: path(`/${stored}/columns`), key, status: 200 });
			expect(columns.map((column) => column.name).slice(-2)).toEqual(['qty', 'price']);
			await call({
				operation: `PUT ${base}/{tableName}/columns/{columnName}`,
				path: path(`/${stored}/columns/qty`),
				key,
				body: { name: 'qty', dataType: 'BIGINT', displayName: 'Quantity', defaultValue: '0', isNotNull: false, isUnique: false },
				status: 200,
			});

			if (kind === 'table') {
				const form = new FormData();
				form.append('file', new Blob(['qty,price\n1,2.5\n2,\n'], { type: 'text/csv' }), 'rows.csv');
				form.append('request', JSON.stringify({ mappings: [{ name: 'qty', csvColumnName: 'qty' }, { name: 'price', csvColumnIndex: 1 }], containsHeader: true }));
				const job = await call({ operation: `POST ${base}/{tableName}/import`, path: path(`/${stored}/import`), key, body: form, status: 200 });
				expect(job.result).toEqual({ processed: 2 });

				// The sample is CSV text, which the JSON-reading helper above cannot check.
				const sample = await http.get(path(`/${stored}/sample`), { headers: { Authorization: `Bearer ${keyOf(key)}` } });
				expect(sample.status).toBe(200);
				expect(sample.headers['content-type']).toMatch(/^text\/csv/);
				expect(Object.keys(contract.document.paths[`${base}/{tableName}/sample`].get.responses['200'].content)).toEqual(['text/csv']);
				expect(sample.data.split('\n')[0]).toBe('text,qty,price');
				casesRun.push({ operation: `GET ${base}/{tableName}/sample`, status: sample.status });
			}

			await call({ operation: `DELETE ${base}/{tableName}/columns/{columnName}`, path: path(`/${stored}/columns/price`), key, status: 200 });
			await call({ operation: `DELETE ${base}/{tableName}`, path: path(`/${stored}`), key, status: 200 });
		});
	});

	describe('after every case', () => {
		test('every covered operation got a documented response', () => {
			const operationsRun = new Set(casesRun.map((entry) => entry.operation));
			expect(COVERED_OPERATIONS.filter((operation) => !operationsRun.has(operation))).toEqual([]);
		});

		test('documented error statuses were exercised', () => {
			const errors = casesRun.filter((entry) => entry.status >= 400).map((entry) => `${entry.operation} ${entry.status}`);
			expect([...new Set(errors)].sort()).toEqual([
				'DELETE /data/projects/{projectId}/queries/folders/{folderId} 404',
				'DELETE /data/projects/{projectId}/queries/folders/{folderId} 409',
				'GET /data/projects/{projectId}/exports/{exportId} 404',
				'DELETE /data/projects/{projectId}/catalogs/{catalogId}/parametricTables 404',
				'POST /data/projects/{projectId}/catalogs 400',
				'POST /data/projects/{projectId}/catalogs/{catalogId}/parametricTables 400',
				'GET /data/projects/{projectId}/queries/folders/{folderId} 404',
				'POST /data/projects/{projectId}/queries/folders 409',
				'POST /data/projects/{projectId}/queries/folders/{parentFolderId} 404',
				'POST /data/projects/{projectId}/queries/folders/{parentFolderId} 409',
				'PATCH /data/projects/{projectId}/queries/folders/{folderId}/name 404',
				'PATCH /data/projects/{projectId}/queries/folders/{folderId}/name 409',
				'PATCH /data/projects/{projectId}/queries/folders/{folderId}/path 404',
				'PATCH /data/projects/{projectId}/queries/folders/{folderId}/path 409',
				'PUT /data/projects/{projectId}/queries/folders/{folderId} 404',
				'POST /data/projects/{projectId}/cache 400',
				'POST /data/projects/{projectId}/cache 409',
				'GET /data/projects/{projectId}/cache/{cacheId} 404',
				'PUT /data/projects/{projectId}/cache/{cacheId} 400',
				'PUT /data/projects/{projectId}/cache/{cacheId} 404',
				'DELETE /data/projects/{projectId}/cache/{cacheId} 404',
				'POST /data/projects/{projectId}/cache/{cacheId}/cancelFullRefreshUpdate 404',
				'POST /data/projects/{projectId}/cache/{cacheId}/cancelIncrementalUpdate 404',
				'GET /data/projects/{projectId}/cache/{cacheId}/executionHistory 404',
				'POST /data/projects/{projectId}/cache/{cacheId}/fullRefreshUpdate 404',
				'POST /data/projects/{projectId}/cache/{cacheId}/incrementalUpdate 404',
				'GET /data/projects/{projectId}/cache/{cacheId}/status 404',
			].sort());
		});

		test('this file sent only requests the spec documents', () => {
			expect(contract.checkRequests(emulator.faults.requests())).toEqual([]);
		});
	});
});
