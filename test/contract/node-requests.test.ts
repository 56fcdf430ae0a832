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
});
