/**
 * The requests the n8n node sends must match Peaka's OpenAPI file too. Each test runs node
 * operations through n8n-core against the emulator, then checks every request the emulator
 * logged (method, path, query and body) against the spec, and asserts which requests were sent,
 * so a check over an empty log cannot pass.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { PeakaApi } from '../../credentials/PeakaApi.credentials';
import { Peaka } from '../../nodes/Peaka/Peaka.node';
import { listSearch, testCredential } from '../harness/n8n-runner';
import {
	credentialsFor,
	type Emulator,
	executeSql,
	projectParameter,
	type RequestRecord,
	runPeaka,
	startPeaka,
} from '../integration/support';
import { contractForTests, expectRequestsMatchSpec, type LoggedRequest } from './openapi';

type KeyKind = 'partner' | 'project';

const EXECUTE_PATH = '/data/projects/mtKDhe1U/queries/execute';
const KEY_KINDS: KeyKind[] = ['partner', 'project'];

const { contract, requiredError } = contractForTests();

if (requiredError) {
	test('Peaka OpenAPI file is present', () => {
		throw requiredError;
	});
}

const describeContract = contract ? describe : describe.skip;

describeContract('node requests match Peaka OpenAPI', () => {
	let emulator: Emulator;

	beforeAll(async () => {
		emulator = await startPeaka('spec', { eventsRows: 50 });
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => emulator.faults.clearRequests());

	const apiKey = (kind: KeyKind) => (kind === 'project' ? emulator.projectKey : emulator.partnerKey);
	const peakaCredentials = (kind: KeyKind) => credentialsFor(emulator, apiKey(kind)) as ICredentialDataDecryptedObject;
	const savedQuery = (id: string): INodeParameters => ({ __rl: true, mode: 'id', value: id });
	const queryOperation = (operation: string, extra: INodeParameters = {}): INodeParameters => ({
		resource: 'query',
		operation,
		project: projectParameter(emulator.projectId),
		...extra,
	});

	/** Checks every logged request against the spec and returns them as `METHOD path`. */
	function checkedRequests(): string[] {
		const requests = emulator.faults.requests() as Array<RequestRecord & LoggedRequest>;
		expect(expectRequestsMatchSpec(requests)).toBe(true);
		return requests.map((request) => `${request.method} ${request.path}`);
	}

	async function run(parameters: INodeParameters, kind: KeyKind, inputItems: IDataObject[] = [{}]) {
		const result = await runPeaka(emulator, parameters, { apiKey: apiKey(kind), inputItems });
		expect(result.error).toBeUndefined();
		return result;
	}

	async function createSavedQuery(kind: KeyKind, displayName: string, inputQuery: string): Promise<string> {
		const created = await run(queryOperation('create', { displayName, inputQuery }), kind);
		return String(created.outputs[0][0].json.id);
	}

	test.each(KEY_KINDS)('credential test with a %s key', async (kind) => {
		const result = await testCredential({ credentialType: PeakaApi, data: peakaCredentials(kind) });
		expect(result.status).toBe('OK');
		expect(checkedRequests()).toEqual(['GET /connections/config']);
	});

	test('project picker with a partner key walks the account', async () => {
		const result = await listSearch({
			nodeType: Peaka,
			credentialTypes: [PeakaApi],
			credentials: { peakaApi: peakaCredentials('partner') },
			methodName: 'searchProjects',
		});
		expect(result.results.map((entry) => entry.value)).toEqual(['mtKDhe1U', 'SksnYuxH']);
		const organizationPath = `/organizations/${(emulator as Emulator & { organizationId: string }).organizationId}`;
		expect(checkedRequests()).toEqual([
			'GET /info',
			'GET /organizations',
			`GET ${organizationPath}/workspaces`,
			`GET ${organizationPath}/workspaces/8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f/projects`,
			`GET ${organizationPath}/workspaces/2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d/projects`,
		]);
	});

	test.each(KEY_KINDS)('saved query picker with a %s key', async (kind) => {
		await createSavedQuery(kind, `Picker Query ${kind}`, 'SELECT 1 AS one');
		emulator.faults.clearRequests();
		const result = await listSearch({
			nodeType: Peaka,
			credentialTypes: [PeakaApi],
			credentials: { peakaApi: peakaCredentials(kind) },
			parameters: queryOperation('get'),
			methodName: 'searchSavedQueries',
			filter: `picker query ${kind}`,
		});
		expect(result.results.map((entry) => entry.name)).toEqual([`Picker Query ${kind}`]);
		expect(checkedRequests()).toEqual(['GET /data/projects/mtKDhe1U/queries']);
	});

	describe.each(KEY_KINDS)('execute with a %s key', (kind) => {
		test('statement with and without query parameters', async () => {
			await run(executeSql(emulator, 'SELECT ? AS a, ? AS b', ['x', 42]), kind);
			await run(executeSql(emulator, 'SELECT origin FROM "datasets"."public"."flights" LIMIT 2'), kind);
			await run(
				executeSql(emulator, 'SELECT ? AS flag', [true], { options: { timeout: 30, outputMode: 'singleItem' } }),
				kind,
			);
			expect(checkedRequests()).toEqual([`POST ${EXECUTE_PATH}`, `POST ${EXECUTE_PATH}`, `POST ${EXECUTE_PATH}`]);
			const bodies = emulator.faults.requests().map((request) => request.body);
			expect(bodies).toEqual([
				{ statement: 'SELECT ? AS a, ? AS b', bindings: ['x', '42'], timeout: 300 },
				{ statement: 'SELECT origin FROM "datasets"."public"."flights" LIMIT 2', timeout: 300 },
				{ statement: 'SELECT ? AS flag', bindings: ['true'], timeout: 30 },
			]);
			expect(emulator.faults.requests().map((request) => request.query)).toEqual([
				{ format: 'CELL_TYPED' },
				{ format: 'CELL_TYPED' },
				{ format: 'CELL_TYPED' },
			]);
		});

		test('one request per input item, with expressions', async () => {
			await run(
				executeSql(emulator, 'SELECT ? AS origin', ['={{ $json.origin }}']),
				kind,
				[{ origin: 'ORD' }, { origin: 'DFW' }],
			);
			expect(checkedRequests()).toEqual([`POST ${EXECUTE_PATH}`, `POST ${EXECUTE_PATH}`]);
			expect(emulator.faults.requests().map((request) => (request.body as { bindings: string[] }).bindings)).toEqual([['ORD'], ['DFW']]);
		});

		test('saved query by id and a table by qualified name', async () => {
			const id = await createSavedQuery(kind, `Execute By Id ${kind}`, 'SELECT 1 AS one');
			emulator.faults.clearRequests();
			await run(queryOperation('execute', { source: 'savedQuery', savedQuery: savedQuery(id) }), kind);
			await run(queryOperation('execute', { source: 'qualifiedName', qualifiedName: 'stripe.payment.charges', returnAll: false, limit: 3 }), kind);
			expect(checkedRequests()).toEqual([`POST ${EXECUTE_PATH}`, `POST ${EXECUTE_PATH}`]);
			expect(emulator.faults.requests().map((request) => request.body)).toEqual([
				{ id, timeout: 300 },
				{ qualifiedName: 'stripe.payment.charges', timeout: 300 },
			]);
		});

		test('query builder JSON', async () => {
			const builder = {
				columns: ['origin', 'delay'],
				from: [{ catalogName: 'datasets', schemaName: 'public', tableName: 'flights' }],
				filters: { and: [[{ column: { catalogName: 'datasets', schemaName: 'public', tableName: 'flights', columnName: 'delay' } }, '>', [150]]] },
				orderBy: ['delay DESC'],
				offset: 0,
				limit: 5,
			};
			await run(queryOperation('execute', { source: 'builder', builder: JSON.stringify(builder) }), kind);
			await run(queryOperation('execute', {
				source: 'builder',
				builder: '{"from": [{"catalogName": "datasets", "schemaName": "public", "tableName": "airports"}], "limit": 2}',
			}), kind);
			expect(checkedRequests()).toEqual([`POST ${EXECUTE_PATH}`, `POST ${EXECUTE_PATH}`]);
			expect(emulator.faults.requests().map((request) => request.body)).toEqual([
				{ ...builder, timeout: 300 },
				{ from: [{ catalogName: 'datasets', schemaName: 'public', tableName: 'airports' }], limit: 2, timeout: 300 },
			]);
		});
	});

	test.each(KEY_KINDS)('saved query operations with a %s key', async (kind) => {
		const id = await createSavedQuery(kind, `Contract Saved ${kind}`, 'SELECT origin FROM "datasets"."public"."flights" LIMIT 1');
		await run(queryOperation('get', { savedQuery: savedQuery(id) }), kind);
		await run(queryOperation('getMany', { returnAll: true }), kind);
		await run(queryOperation('getMany', { returnAll: false, limit: 1, filters: { nameContains: 'contract' } }), kind);
		await run(queryOperation('update', { savedQuery: savedQuery(id), updateFields: { displayName: `Contract Renamed ${kind}` } }), kind);
		await run(queryOperation('update', { savedQuery: savedQuery(id), updateFields: { inputQuery: 'SELECT 2 AS two' } }), kind);
		await run(queryOperation('update', {
			savedQuery: savedQuery(id),
			updateFields: { displayName: `Contract Both ${kind}`, inputQuery: 'SELECT 3 AS three' },
		}), kind);
		await run(queryOperation('move', { savedQuery: savedQuery(id), path: `/contract/${kind}` }), kind);
		await run(queryOperation('move', { savedQuery: savedQuery(id), path: '/' }), kind);
		await run(queryOperation('delete', { savedQuery: savedQuery(id) }), kind);

		const queryPath = `/data/projects/mtKDhe1U/queries/${id}`;
		expect(checkedRequests()).toEqual([
			'POST /data/projects/mtKDhe1U/queries',
			`GET ${queryPath}`,
			'GET /data/projects/mtKDhe1U/queries',
			'GET /data/projects/mtKDhe1U/queries',
			`PUT ${queryPath}`,
			`PUT ${queryPath}`,
			`PUT ${queryPath}`,
			`PATCH ${queryPath}/path`,
			`PATCH ${queryPath}/path`,
			`DELETE ${queryPath}`,
		]);
		expect(emulator.faults.requests().map((request) => request.body ?? null)).toEqual([
			{ displayName: `Contract Saved ${kind}`, inputQuery: 'SELECT origin FROM "datasets"."public"."flights" LIMIT 1', queryType: 'PLAIN' },
			null,
			null,
			null,
			{ displayName: `Contract Renamed ${kind}` },
			{ inputQuery: 'SELECT 2 AS two' },
			{ displayName: `Contract Both ${kind}`, inputQuery: 'SELECT 3 AS three' },
			{ path: `/contract/${kind}` },
			{ path: '/' },
			null,
		]);
	});
	describe('account administration, folders, drivers, SQL and sessions', () => {
		const locator = (value: string): INodeParameters => ({ __rl: true, mode: 'id', value });
		const organizationId = () => (emulator as Emulator & { organizationId: string }).organizationId;

		test('workspace, project and API key operations with a partner key', async () => {
			const organization = locator(organizationId());
			await run({ resource: 'organization', operation: 'getMany', returnAll: true }, 'partner');
			await run({ resource: 'organization', operation: 'get', organization }, 'partner');
			const workspace = (await run({ resource: 'workspace', operation: 'create', organization, name: 'Contract WS', additionalFields: { description: 'd' } }, 'partner')).outputs[0][0].json;
			const inWorkspace = { organization, workspace: locator(String(workspace.id)) };
			await run({ resource: 'workspace', operation: 'get', ...inWorkspace }, 'partner');
			await run({ resource: 'workspace', operation: 'getMany', organization }, 'partner');
			await run({ resource: 'workspace', operation: 'update', ...inWorkspace, updateFields: { name: 'Contract WS 2' } }, 'partner');
			const project = (await run({ resource: 'project', operation: 'create', ...inWorkspace, name: 'Contract Project' }, 'partner')).outputs[0][0].json;
			const inProject = { ...inWorkspace, workspaceProject: locator(String(project.id)) };
			await run({ resource: 'project', operation: 'get', ...inProject }, 'partner');
			await run({ resource: 'project', operation: 'getMany', scope: 'workspace', ...inWorkspace }, 'partner');
			await run({ resource: 'project', operation: 'update', ...inProject, updateFields: { description: 'described' } }, 'partner');
			const keyProject = { project: projectParameter(String(project.id)) };
			const key = (await run({ resource: 'projectApiKey', operation: 'create', ...keyProject, name: 'k', additionalFields: { expiresAt: '2032-01-01T00:00:00Z' } }, 'partner')).outputs[0][0].json;
			await run({ resource: 'projectApiKey', operation: 'getMany', ...keyProject }, 'partner');
			await run({ resource: 'projectApiKey', operation: 'delete', ...keyProject, apiKeyId: String(key.apiKeyId) }, 'partner');
			await run({ resource: 'project', operation: 'delete', ...inProject }, 'partner');
			await run({ resource: 'workspace', operation: 'delete', ...inWorkspace }, 'partner');

			const workspacePath = `/organizations/${organizationId()}/workspaces/${String(workspace.id)}`;
			const projectPath = `${workspacePath}/projects/${String(project.id)}`;
			expect(checkedRequests()).toEqual([
				'GET /organizations',
				`GET /organizations/${organizationId()}`,
				`POST /organizations/${organizationId()}/workspaces`,
				`GET ${workspacePath}`,
				`GET /organizations/${organizationId()}/workspaces`,
				`GET ${workspacePath}`,
				`PUT ${workspacePath}`,
				`POST ${workspacePath}/projects`,
				`GET ${projectPath}`,
				`GET ${workspacePath}/projects`,
				`GET ${projectPath}`,
				`PUT ${projectPath}`,
				`POST /projects/${String(project.id)}/apiKeys`,
				`GET /projects/${String(project.id)}/apiKeys`,
				`DELETE /projects/${String(project.id)}/apiKeys/${String(key.apiKeyId)}`,
				`DELETE ${projectPath}`,
				`DELETE ${workspacePath}`,
			]);
		});

		test.each(KEY_KINDS)('query folder operations with a %s key', async (kind) => {
			const folderOperation = (operation: string, extra: INodeParameters = {}) => ({ resource: 'queryFolder', operation, project: projectParameter(emulator.projectId), ...extra });
			const queryId = await createSavedQuery(kind, `Folder Contract ${kind}`, 'SELECT 1 AS one');
			emulator.faults.clearRequests();
			const parent = (await run(folderOperation('create', { folderName: `Contract ${kind}` }), kind)).outputs[0][0].json;
			const folder = locator(String(parent.id));
			const child = (await run(folderOperation('create', { folderName: 'Child', location: 'folder', folder }), kind)).outputs[0][0].json;
			await run(folderOperation('getMany'), kind);
			await run(folderOperation('getTree', { includeQueries: true }), kind);
			await run(folderOperation('getTree', { fromFolder: true, folder }), kind);
			await run(folderOperation('get', { folder }), kind);
			await run(folderOperation('updateQueries', { folder, queryIdsAdded: queryId }), kind);
			await run(folderOperation('updateQueries', { folder, queryIdsRemoved: queryId }), kind);
			await run(folderOperation('rename', { folder: locator(String(child.id)), name: 'Renamed' }), kind);
			await run(folderOperation('move', { folder: locator(String(child.id)), path: `/Moved ${kind}/Renamed` }), kind);
			await run(folderOperation('delete', { folder, force: true }), kind);

			const folders = '/data/projects/mtKDhe1U/queries/folders';
			expect(checkedRequests()).toEqual([
				`POST ${folders}`,
				`POST ${folders}/${String(parent.id)}`,
				`GET ${folders}`,
				`GET ${folders}/tree`,
				`GET ${folders}/tree`,
				`GET ${folders}/${String(parent.id)}`,
				`PUT ${folders}/${String(parent.id)}`,
				`PUT ${folders}/${String(parent.id)}`,
				`PATCH ${folders}/${String(child.id)}/name`,
				`PATCH ${folders}/${String(child.id)}/path`,
				`DELETE ${folders}/${String(parent.id)}`,
			]);
		});

		test.each(KEY_KINDS)('driver, transpile and session operations with a %s key', async (kind) => {
			await run({ resource: 'driver', operation: 'getJdbcUrl' }, kind);
			await run({ resource: 'driver', operation: 'getSqlAlchemyUrl', catalogName: 'datasets' }, kind);
			await run({ resource: 'sql', operation: 'transpile', direction: 'fromTrino', dialect: 'postgres', query: 'SELECT 1' }, kind);
			await run({ resource: 'sql', operation: 'transpile', direction: 'toTrino', query: 'SELECT 1' }, kind);
			await run({
				resource: 'embedded',
				operation: 'createSession',
				project: projectParameter(emulator.projectId),
				options: { sessionMode: 'FULL_STUDIO', theme: 'dark', themeOverride: true, timeoutInSeconds: 300 },
			}, kind);
			expect(checkedRequests()).toEqual([
				'GET /supportedDrivers/jdbc',
				'GET /supportedDrivers/sql_alchemy',
				'POST /sql/transpile/postgres',
				'POST /sql/transpile/trino',
				'POST /ui/initSession',
			]);
		});

		test.each(KEY_KINDS)('catalog operations with a %s key', async (kind) => {
			const id = (value: string, mode = 'id'): INodeParameters => ({ __rl: true, mode, value });
			const catalogOperation = (operation: string, extra: INodeParameters = {}): INodeParameters => ({
				resource: 'catalog',
				operation,
				project: projectParameter(emulator.projectId),
				...extra,
			});
			const penguins = { catalog: id('846085284821991568'), schema: id('public'), table: id('penguins') };
			const created = await run(catalogOperation('create', {
				name: `Node Contract ${kind}`,
				connectionId: '3f6b2c1d-8e4a-4b7c-9d2e-1a5f6c7b8d90',
				extraParameters: '{"note": "contract"}',
			}), kind);
			const catalogId = String(created.outputs[0][0].json.id);
			await run(catalogOperation('getMany', { returnAll: false, limit: 1 }), kind);
			await run(catalogOperation('get', { catalog: id(catalogId) }), kind);
			await run(catalogOperation('getSchemas', { catalog: penguins.catalog }), kind);
			await run(catalogOperation('getTables', { catalog: penguins.catalog, schema: penguins.schema }), kind);
			await run(catalogOperation('getColumns', penguins), kind);
			await run(catalogOperation('isCached', penguins), kind);
			await run(catalogOperation('getStatistics', penguins), kind);
			await run(catalogOperation('search', { query: 'a', returnAll: false, limit: 3, filters: { catalog: 'datasets', schema: 'public' } }), kind);
			if (kind === 'partner') {
				await run(catalogOperation('share', { catalog: id(catalogId), targetProject: projectParameter(emulator.otherProjectId) }), kind);
			}
			await run(catalogOperation('delete', { catalog: id(catalogId) }), kind);

			const catalogs = '/data/projects/mtKDhe1U/catalogs';
			const table = `${catalogs}/846085284821991568/schemas/public/tables/penguins`;
			expect(checkedRequests()).toEqual([
				`POST ${catalogs}`,
				`GET ${catalogs}`,
				`GET ${catalogs}/${catalogId}`,
				`GET ${catalogs}/846085284821991568/schemas`,
				`GET ${catalogs}/846085284821991568/schemas/public/tables`,
				`GET ${table}/columns`,
				`GET ${table}/isCached`,
				`GET ${table}/statistics`,
				'POST /data/projects/mtKDhe1U/search',
				...(kind === 'partner' ? [`POST ${catalogs}/${catalogId}/share`] : []),
				`DELETE ${catalogs}/${catalogId}`,
			]);
		});
	});

	test('cache and materialized query operations', async () => {
		const id = (value: string): INodeParameters => ({ __rl: true, mode: 'id', value });
		const project = projectParameter(emulator.projectId);
		const cacheOperation = (operation: string, extra: INodeParameters = {}): INodeParameters => ({ resource: 'cache', operation, project, ...extra });
		const charges = { catalog: id('846085284821991569'), schema: id('payment'), table: id('charges') };

		const created = await run(cacheOperation('create', { ...charges, incrementalInterval: 'PT1H', fullRefreshInterval: 'P1D' }), 'partner');
		const cacheId = String(created.outputs[0][0].json.id);
		const cache = id(cacheId);
		await run(cacheOperation('createMany', { tables: { table: [{ catalogId: '846085284821991568', schemaName: 'public', tableName: 'airports', incrementalInterval: 'PT6H' }] } }), 'partner');
		await run(cacheOperation('get', { cache }), 'partner');
		await run(cacheOperation('getStatus', { scope: 'cache', cache }), 'partner');
		await run(cacheOperation('getStatus', { scope: 'project' }), 'partner');
		await run(cacheOperation('getStatus', { scope: 'catalog', catalog: charges.catalog }), 'partner');
		await run(cacheOperation('getStatus', { scope: 'schema', catalog: charges.catalog, schema: charges.schema }), 'partner');
		await run(cacheOperation('updateSchedules', { cache, incrementalChange: 'off', fullRefreshChange: 'set', fullRefreshInterval: 'P7D' }), 'partner');
		await run(cacheOperation('startIncrementalUpdate', { cache }), 'partner');
		await run(cacheOperation('startFullRefresh', { cache }), 'partner');
		await run(cacheOperation('cancel', { cache, syncKind: 'full' }), 'partner');
		await run(cacheOperation('getExecutionHistory', { cache, returnAll: false, limit: 2 }), 'partner');
		await run(cacheOperation('delete', { cache }), 'partner');

		const query = await run(
			queryOperation('create', {
				displayName: 'Nightly Totals',
				inputQuery: 'SELECT 1 AS one',
				queryType: 'MATERIALIZED',
				scheduleType: 'cron',
				cronExpression: '0 2 * * *',
				timezone: 'Europe/Istanbul',
			}),
			'partner',
		);
		const queryId = String(query.outputs[0][0].json.id);
		await run(queryOperation('update', { savedQuery: savedQuery(queryId), updateFields: { scheduleType: 'interval', repeatDuration: 'PT6H' } }), 'partner');
		const materializedOperation = (operation: string, extra: INodeParameters = {}): INodeParameters => ({
			resource: 'materializedQuery',
			operation,
			project,
			materializedQuery: id(queryId),
			...extra,
		});
		await run(materializedOperation('getStatus', { scope: 'one' }), 'partner');
		await run(materializedOperation('getStatus', { scope: 'all' }), 'partner');
		await run(materializedOperation('refresh'), 'partner');
		await run(materializedOperation('cancel'), 'partner');

		const caches = '/data/projects/mtKDhe1U/cache';
		const materialized = '/data/projects/mtKDhe1U/materialized-queries';
		expect(checkedRequests()).toEqual([
			`POST ${caches}`,
			`POST ${caches}/batch`,
			`GET ${caches}/${cacheId}`,
			`GET ${caches}/${cacheId}/status`,
			`GET ${caches}/status`,
			'GET /data/projects/mtKDhe1U/catalog/846085284821991569/cache/status',
			'GET /data/projects/mtKDhe1U/catalog/846085284821991569/schema/payment/cache/status',
			`GET ${caches}/${cacheId}`,
			`PUT ${caches}/${cacheId}`,
			`POST ${caches}/${cacheId}/incrementalUpdate`,
			`POST ${caches}/${cacheId}/fullRefreshUpdate`,
			`POST ${caches}/${cacheId}/cancelFullRefreshUpdate`,
			`GET ${caches}/${cacheId}/executionHistory`,
			`DELETE ${caches}/${cacheId}`,
			'POST /data/projects/mtKDhe1U/queries',
			`PUT /data/projects/mtKDhe1U/queries/${queryId}`,
			`GET ${materialized}/${queryId}/status`,
			`GET ${materialized}/status`,
			`POST ${materialized}/${queryId}/refresh`,
			`POST ${materialized}/${queryId}/cancel`,
		]);
	});
});
