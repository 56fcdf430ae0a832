import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { PeakaApi } from '../../credentials/PeakaApi.credentials';
import { Peaka } from '../../nodes/Peaka/Peaka.node';
import { expectRequestsMatchSpec, type LoggedRequest } from '../contract/openapi';
import { listSearch, type RunNodeResult } from '../harness/n8n-runner';
import { BEHAVIOURS, credentialsFor, type Emulator, jsonOf, pairedItemsOf, projectParameter, runPeaka, startPeaka } from './support';

const DATASETS_CONNECTION_ID = '3f6b2c1d-8e4a-4b7c-9d2e-1a5f6c7b8d90';
const STRIPE_CONNECTION_ID = '7c2d4e6f-1a3b-4c5d-8e9f-0a1b2c3d4e5f';
const UNKNOWN_CONNECTION_ID = '00000000-0000-4000-8000-000000000000';
const POSTGRES_PASSWORD = 'pg-Secret-42';
const STRIPE_TOKEN = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';

interface StoredConnection {
	id: string;
	name: string;
	type: string;
	credential: Record<string, unknown>;
	consentUrl: string | null;
	oauthState: string | null;
}

interface ConnectionState {
	connections: Map<string, Map<string, StoredConnection>>;
}

const locator = (value: string, mode = 'id'): INodeParameters => ({ __rl: true, mode, value });

const postgresCredential = (overrides: Record<string, unknown> = {}) =>
	JSON.stringify({ url: 'db.example.com', port: 5432, user: 'analyst', password: POSTGRES_PASSWORD, databaseName: 'sales', useSsl: true, ...overrides });

describe.each(BEHAVIOURS)('Connection operations against the %s emulator', (behaviour) => {
	let emulator: Emulator;

	beforeAll(async () => {
		emulator = await startPeaka(behaviour, { eventsRows: 10 });
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => emulator.faults.clearRequests());
	// Every request the node sent must match Peaka's OpenAPI file (skipped when the file is absent).
	afterEach(() => {
		expectRequestsMatchSpec(emulator.faults.requests() as LoggedRequest[]);
	});

	const stored = (): Map<string, StoredConnection> =>
		(emulator as unknown as { state: ConnectionState }).state.connections.get(emulator.projectId) ?? new Map();
	const connectionOperation = (operation: string, extra: INodeParameters = {}): INodeParameters => ({
		resource: 'connection',
		operation,
		project: projectParameter(emulator.projectId),
		...extra,
	});
	const ok = (result: RunNodeResult): IDataObject[] => {
		expect(result.error).toBeUndefined();
		return jsonOf(result.outputs[0]);
	};
	const httpCode = (result: RunNodeResult) => (result.error as { httpCode?: string } | undefined)?.httpCode;
	const requestLog = () => emulator.faults.requests().map((request) => `${request.method} ${request.path}`);
	const configPath = (type: string) => `GET /connections/config/${type}`;

	it('lists seeded connections with limit and pairing', async () => {
		const listed = ok(await runPeaka(emulator, connectionOperation('getMany', { returnAll: true })));
		expect(listed).toEqual([
			{ id: DATASETS_CONNECTION_ID, name: 'Datasets', type: 'POSTGRES' },
			{ id: STRIPE_CONNECTION_ID, name: 'Stripe', type: 'stripe' },
		]);

		const limited = await runPeaka(emulator, connectionOperation('getMany', { returnAll: false, limit: 1 }), {
			inputItems: [{ run: 'a' }, { run: 'b' }],
		});
		expect(ok(limited).map((connection) => connection.id)).toEqual([DATASETS_CONNECTION_ID, DATASETS_CONNECTION_ID]);
		expect(pairedItemsOf(limited.outputs[0])).toEqual([{ item: 0 }, { item: 1 }]);
		expect(requestLog()).toEqual([`GET /connections/${emulator.projectId}`, `GET /connections/${emulator.projectId}`, `GET /connections/${emulator.projectId}`]);
	});

	it('lists types and one type configuration', async () => {
		const types = ok(await runPeaka(emulator, { resource: 'connection', operation: 'getTypes', returnAll: true }));
		expect(types.map((type) => type.connectionType)).toEqual(['stripe', 'POSTGRES', 'hubspot', 'airtable', 'google_analytics']);

		const postgres = ok(await runPeaka(emulator, { resource: 'connection', operation: 'getTypeConfiguration', connectionType: locator('POSTGRES') }));
		expect(postgres).toHaveLength(1);
		expect(postgres[0].connectionType).toBe('POSTGRES');
		expect((postgres[0].configuration as IDataObject[]).map((item) => [item.fieldName, item.fieldType, item.required])).toEqual([
			['url', 'text', true],
			['port', 'number', true],
			['user', 'text', true],
			['password', 'text', true],
			['databaseName', 'text', true],
			['useSsl', 'boolean', false],
		]);

		const unknown = await runPeaka(emulator, { resource: 'connection', operation: 'getTypeConfiguration', connectionType: locator('postgres') });
		expect(unknown.error?.message).toBe("Connection type 'postgres' is not known to Peaka");
		expect(requestLog()).toEqual(['GET /connections/config', configPath('POSTGRES'), configPath('postgres')]);
	});

	it('creates, reads, updates and deletes a Postgres connection', async () => {
		const created = ok(
			await runPeaka(emulator, connectionOperation('create', { name: 'Sales PG', connectionType: locator('POSTGRES'), credential: postgresCredential() })),
		);
		expect(created).toHaveLength(1);
		const id = String(created[0].id);
		expect(created[0]).toEqual(behaviour === 'spec' ? { id, name: 'Sales PG', type: 'POSTGRES' } : { name: 'Sales PG', id, type: 'POSTGRES' });
		expect(JSON.stringify(created)).not.toContain(POSTGRES_PASSWORD);
		expect(requestLog()).toEqual([configPath('POSTGRES'), `POST /connections/${emulator.projectId}`]);
		expect(emulator.faults.requests()[1].body).toEqual({ name: 'Sales PG', type: 'POSTGRES', credential: JSON.parse(postgresCredential()) });

		const record = stored().get(id);
		expect(record).toMatchObject({ name: 'Sales PG', type: 'POSTGRES', consentUrl: null });
		expect(record?.credential).toEqual(JSON.parse(postgresCredential()));

		const read = ok(await runPeaka(emulator, connectionOperation('get', { connection: locator(id) })));
		expect(read).toEqual([{ id, name: 'Sales PG', type: 'POSTGRES' }]);

		const detail = ok(await runPeaka(emulator, connectionOperation('getDetail', { connection: locator(id) })));
		expect(detail).toEqual([{ id, type: 'POSTGRES', url: 'db.example.com', port: 5432, user: 'analyst', databaseName: 'sales', useSsl: true }]);

		emulator.faults.clearRequests();
		const renamed = ok(
			await runPeaka(emulator, connectionOperation('update', {
				connection: locator(id),
				name: '',
				connectionType: locator('POSTGRES'),
				credential: postgresCredential({ user: 'reporter', useSsl: false }),
			})),
		);
		expect(renamed).toEqual([{ id, name: 'Sales PG', type: 'POSTGRES' }]);
		// An empty Name keeps the current one, read before the update.
		expect(requestLog()).toEqual([configPath('POSTGRES'), `GET /connections/${emulator.projectId}/${id}`, `PUT /connections/${emulator.projectId}/${id}`]);
		expect(stored().get(id)?.credential).toMatchObject({ user: 'reporter', useSsl: false });

		const updated = ok(
			await runPeaka(emulator, connectionOperation('update', {
				connection: locator(id),
				name: 'Reporting PG',
				connectionType: locator('POSTGRES'),
				credential: postgresCredential(),
			})),
		);
		expect(updated).toEqual([{ id, name: 'Reporting PG', type: 'POSTGRES' }]);
		expect(stored().get(id)?.name).toBe('Reporting PG');

		const deleted = ok(await runPeaka(emulator, connectionOperation('delete', { connection: locator(id) })));
		expect(deleted).toEqual([{ id, deleted: true }]);
		expect(stored().has(id)).toBe(false);

		const again = await runPeaka(emulator, connectionOperation('get', { connection: locator(id) }));
		expect(again.error?.message).toBe(`Connection '${id}' was not found in project '${emulator.projectId}'`);
		expect(httpCode(again)).toBe(behaviour === 'spec' ? '404' : '400');
	});

	it('creates a catalog on a new connection', async () => {
		const [connection] = ok(
			await runPeaka(emulator, connectionOperation('create', { name: 'Orders PG', connectionType: locator('POSTGRES'), credential: postgresCredential() })),
		);
		const [catalog] = ok(
			await runPeaka(emulator, {
				resource: 'catalog',
				operation: 'create',
				project: projectParameter(emulator.projectId),
				name: 'Orders',
				connectionId: String(connection.id),
				extraParameters: '{}',
			}),
		);

		expect(catalog).toMatchObject({ name: 'orders', displayName: 'Orders', catalogType: 'postgresql', connectionId: connection.id });
		const schemas = ok(
			await runPeaka(emulator, {
				resource: 'catalog',
				operation: 'getSchemas',
				project: projectParameter(emulator.projectId),
				catalog: locator(String(catalog.id)),
				returnAll: true,
			}),
		);
		expect(schemas).toEqual([{ catalogId: catalog.id, catalogName: 'orders', schemaName: 'public' }]);
	});

	it('creates Stripe connections per item', async () => {
		const result = await runPeaka(
			emulator,
			connectionOperation('create', { name: '={{ $json.name }}', connectionType: locator('stripe'), credential: '={{ JSON.stringify({ token: $json.token }) }}' }),
			{ inputItems: [{ name: 'Stripe EU', token: STRIPE_TOKEN }, { name: 'Stripe US', token: 'rk_live_abc123' }] },
		);
		const created = ok(result);
		expect(created.map((connection) => [connection.name, connection.type])).toEqual([
			['Stripe EU', 'stripe'],
			['Stripe US', 'stripe'],
		]);
		expect(pairedItemsOf(result.outputs[0])).toEqual([{ item: 0 }, { item: 1 }]);
		expect(JSON.stringify(created)).not.toContain(STRIPE_TOKEN);
		for (const connection of created) expect(stored().get(String(connection.id))?.type).toBe('stripe');

		const detail = ok(await runPeaka(emulator, connectionOperation('getDetail', { connection: locator(String(created[0].id)) })));
		expect(detail).toEqual([{ id: created[0].id, type: 'stripe' }]);
	});

	it('rejects a token Peaka refuses', async () => {
		const before = stored().size;
		const result = await runPeaka(emulator, connectionOperation('create', { name: 'Bad', connectionType: locator('stripe'), credential: '{"token": "not-a-key"}' }));
		expect(result.error?.message).toBe("Peaka rejected the credential for connection type 'stripe'");
		expect(httpCode(result)).toBe('400');
		expect(String((result.error as { description?: string }).description)).toContain("Check the values in 'Credential (JSON)'");
		expect(String((result.error as { description?: string }).description)).not.toContain('not-a-key');
		expect(stored().size).toBe(before);
	});

	describe('credential checked before sending', () => {
		const cases: Array<[string, string, string, string]> = [
			['missing password', 'POSTGRES', JSON.stringify({ url: 'h', port: 5432, user: 'u', databaseName: 'd' }), "Field 'password' is missing from 'Credential (JSON)'"],
			['port as text', 'POSTGRES', postgresCredential({ port: '5432' }), "Field 'port' in 'Credential (JSON)' must be number, not text"],
			['password as number', 'POSTGRES', postgresCredential({ password: 12345 }), "Field 'password' in 'Credential (JSON)' must be text, not a number"],
			['useSsl as text', 'POSTGRES', postgresCredential({ useSsl: 'yes' }), "Field 'useSsl' in 'Credential (JSON)' must be boolean, not text"],
			['unknown field', 'stripe', '{"token": "sk_test_x", "tokn": "x"}', "Field 'tokn' in 'Credential (JSON)' is not a field of connection type 'stripe'"],
			['empty token', 'stripe', '{"token": ""}', "Field 'token' is missing from 'Credential (JSON)'"],
		];

		it.each(cases)('%s', async (_label, type, credential, message) => {
			const before = [...stored().keys()];
			const result = await runPeaka(emulator, connectionOperation('create', { name: 'Checked', connectionType: locator(type), credential }));
			expect(result.error?.message).toBe(message);
			expect(String((result.error as { description?: string }).description)).not.toContain(POSTGRES_PASSWORD);
			// Only the configuration was read; nothing that writes reached Peaka.
			expect(requestLog()).toEqual([configPath(type)]);
			expect([...stored().keys()]).toEqual(before);
		});

		it('rejects bad JSON without any request', async () => {
			const result = await runPeaka(emulator, connectionOperation('create', { name: 'Checked', connectionType: locator('POSTGRES'), credential: `{"password": "${POSTGRES_PASSWORD}",` }));
			expect(result.error?.message).toBe("'Credential (JSON)' is not valid JSON");
			expect(String((result.error as { description?: string }).description)).not.toContain(POSTGRES_PASSWORD);
			expect(requestLog()).toEqual([]);
		});

		it('checks the update credential too', async () => {
			const result = await runPeaka(emulator, connectionOperation('update', {
				connection: locator(DATASETS_CONNECTION_ID),
				name: 'Datasets',
				connectionType: locator('POSTGRES'),
				credential: JSON.stringify({ url: 'h' }),
			}));
			expect(result.error?.message).toBe("Field 'port' is missing from 'Credential (JSON)'");
			expect(requestLog()).toEqual([configPath('POSTGRES')]);
			expect(stored().get(DATASETS_CONNECTION_ID)?.name).toBe('Datasets');
		});
	});

	it('completes an OAuth2 connection', async () => {
		const pending = await runPeaka(emulator, connectionOperation('create', {
			name: 'CRM',
			connectionType: locator('hubspot'),
			credential: '{"clientId": "app-1", "clientSecret": "shh-hubspot"}',
			options: { connectionCallback: 'https://example.com/peaka/connected' },
		}));
		const created = ok(pending);
		const consentHints = pending.hints;
		const id = String(created[0].id);
		const consentUrl = new URL(String(created[0].url));
		expect(consentHints).toEqual([{ message: "Connection 'CRM' waits for OAuth2 consent: open its url in a browser to authorize it", location: 'outputPane' }]);
		expect(consentUrl.searchParams.get('redirect_uri')).toBe('https://example.com/peaka/connected');
		expect(JSON.stringify(created)).not.toContain('shh-hubspot');
		const oauthState = String(consentUrl.searchParams.get('state'));
		expect(stored().get(id)?.oauthState).toBe(oauthState);
		expect(emulator.faults.requests()[1].body).toMatchObject({ connectionCallback: 'https://example.com/peaka/connected' });

		emulator.faults.clearRequests();
		const completed = ok(
			await runPeaka(emulator, connectionOperation('completeOAuth2', { queryParameters: `https://example.com/oauth/back?code=abc&state=${oauthState}` })),
		);
		expect(completed).toEqual([{ id, name: 'CRM', type: 'hubspot' }]);
		expect(emulator.faults.requests().map((request) => request.body)).toEqual([{ queryParameters: `code=abc&state=${oauthState}` }]);
		expect(stored().get(id)).toMatchObject({ consentUrl: null, oauthState: null });

		const replay = await runPeaka(emulator, connectionOperation('completeOAuth2', { queryParameters: `code=abc&state=${oauthState}` }));
		expect(replay.error?.message).toBe(`Peaka could not complete the OAuth2 authorization in project '${emulator.projectId}'`);
		expect(httpCode(replay)).toBe('400');
	});

	it('fails for an unknown connection', async () => {
		const update = { name: 'Renamed', connectionType: locator('stripe'), credential: `{"token": "${STRIPE_TOKEN}"}` };
		for (const operation of ['get', 'getDetail', 'delete', 'update']) {
			const result = await runPeaka(emulator, connectionOperation(operation, { connection: locator(UNKNOWN_CONNECTION_ID), ...update }));
			expect(httpCode(result)).toBe(behaviour === 'spec' ? '404' : '400');
			expect(result.error?.message).toBe(`Connection '${UNKNOWN_CONNECTION_ID}' was not found in project '${emulator.projectId}'`);
		}
	});

	it('lists connections and types in the pickers', async () => {
		const pick = async (methodName: string, filter?: string) =>
			await listSearch({
				nodeType: Peaka,
				credentialTypes: [PeakaApi],
				credentials: { peakaApi: credentialsFor(emulator, emulator.projectKey) },
				parameters: { resource: 'connection', operation: 'get', project: projectParameter(emulator.projectId) },
				methodName,
				filter,
			});
		const connections = await pick('searchConnections', 'strip');
		expect(connections.results.filter((entry) => entry.value === STRIPE_CONNECTION_ID)).toEqual([
			{ name: 'Stripe', value: STRIPE_CONNECTION_ID, description: 'stripe' },
		]);
		expect(connections.results.every((entry) => /strip/i.test(`${entry.name}`))).toBe(true);

		const types = await pick('searchConnectionTypes', 'sql');
		expect(types.results).toEqual([{ name: 'PostgreSQL', value: 'POSTGRES', description: 'POSTGRES · custom' }]);
	});
});
