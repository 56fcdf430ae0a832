import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { getHarnessLogs, type RunNodeResult } from '../harness/n8n-runner';
import { BEHAVIOURS, type Emulator, jsonOf, pairedItemsOf, projectParameter, runPeaka, startPeaka } from './support';

const JDBC_PREFIX = 'jdbc:peaka://dbc.peaka.studio:4567/?extraCredentials=peakaKey:';

describe.each(BEHAVIOURS)('Driver, SQL and Embedded operations against the %s emulator', (behaviour) => {
	let emulator: Emulator;

	beforeAll(async () => {
		emulator = await startPeaka(behaviour, { eventsRows: 20 });
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => emulator.faults.clearRequests());

	const ok = (result: RunNodeResult): IDataObject[] => {
		expect(result.error).toBeUndefined();
		return jsonOf(result.outputs[0]);
	};

	describe('Driver', () => {
		it.each([
			['partner', () => emulator.partnerKey],
			['project', () => emulator.projectKey],
		])('masks the %s key in the JDBC URL', async (_kind, key) => {
			const result = await runPeaka(emulator, { resource: 'driver', operation: 'getJdbcUrl' }, { apiKey: key() });
			const [prefix] = key().split('.');
			expect(ok(result)).toEqual([{ JDBC: `${JDBC_PREFIX}${prefix}.****` }]);
			expect(JSON.stringify([result.outputs, result.hints, getHarnessLogs()])).not.toContain(key().split('.')[1]);
		});

		it('masks the key in the SQLAlchemy URL and sends the catalog', async () => {
			const result = await runPeaka(emulator, { resource: 'driver', operation: 'getSqlAlchemyUrl', catalogName: 'datasets' });
			expect(ok(result)).toEqual([{
				SQL_ALCHEMY: 'peaka://dbc.peaka.studio:4567/datasets?http_scheme=https&extra_credential=[["peakaKey","EmuPrtnr.****"]]&access_token=true',
			}]);
			expect(emulator.faults.requests().map((request) => [request.path, request.query])).toEqual([['/supportedDrivers/sql_alchemy', { catalogName: 'datasets' }]]);
		});

		it('includes the key when asked', async () => {
			const result = await runPeaka(emulator, { resource: 'driver', operation: 'getJdbcUrl', includeApiKey: true });
			expect(ok(result)).toEqual([{ JDBC: `${JDBC_PREFIX}${emulator.partnerKey}` }]);
		});

		it('keeps the key out of an unreadable response', async () => {
			emulator.faults.add({ method: 'GET', path: '/supportedDrivers/jdbc', contentType: 'text/html', times: 4 });
			const result = await runPeaka(emulator, { resource: 'driver', operation: 'getJdbcUrl' });
			emulator.faults.reset();
			expect(result.error?.message).toBe("Peaka's response (200) is text/html instead of JSON");
			expect(JSON.stringify([result.error, getHarnessLogs()])).not.toContain(emulator.partnerKey.split('.')[1]);
		});

		it('refuses an empty catalog name before sending', async () => {
			const result = await runPeaka(emulator, { resource: 'driver', operation: 'getSqlAlchemyUrl', catalogName: ' ' });
			expect(result.error?.message).toBe("The 'Catalog Name' parameter is empty");
			expect(emulator.faults.requests()).toEqual([]);
		});
	});

	describe('SQL', () => {
		const transpile = (extra: INodeParameters): INodeParameters => ({ resource: 'sql', operation: 'transpile', ...extra });

		it('transpiles Trino to MySQL, whichever key Peaka answers with', async () => {
			const result = await runPeaka(emulator, transpile({ direction: 'fromTrino', dialect: 'mysql', query: 'SELECT origin FROM "datasets"."public"."flights"' }));
			expect(ok(result)).toEqual([{ query: 'SELECT `origin` FROM `datasets`.`public`.`flights`', dialect: 'mysql' }]);
			expect(emulator.faults.requests().map((request) => [request.method, request.path, request.body])).toEqual([
				['POST', '/sql/transpile/mysql', { query: 'SELECT origin FROM "datasets"."public"."flights"' }],
			]);
		});

		it('transpiles another dialect to Trino', async () => {
			const result = await runPeaka(emulator, transpile({ direction: 'toTrino', query: 'SELECT `origin` FROM flights' }));
			expect(ok(result)).toEqual([{ query: 'SELECT "origin" FROM flights', dialect: 'trino' }]);
		});

		it('sends another dialect by name and keeps Peaka\'s refusal', async () => {
			const result = await runPeaka(emulator, transpile({ direction: 'fromTrino', dialect: 'other', dialectName: 'Snowflake', query: 'SELECT 1' }));
			expect(emulator.faults.requests().map((request) => request.path)).toEqual(['/sql/transpile/snowflake']);
			expect(result.error?.message).toBe("Peaka rejected the request (400): Unsupported dialect 'snowflake': the emulator transpiles only to mysql, postgres, trino.");
		});

		it('pairs each transpiled statement with its input item', async () => {
			const result = await runPeaka(emulator, transpile({ dialect: 'postgres', query: '={{ $json.sql }}' }), {
				inputItems: [{ sql: 'SELECT a FROM t' }, { sql: 'SELECT b FROM u' }],
			});
			expect(ok(result).map((item) => item.query)).toEqual(['SELECT "a" FROM "t"', 'SELECT "b" FROM "u"']);
			expect(pairedItemsOf(result.outputs[0])).toEqual([{ item: 0 }, { item: 1 }]);
		});
	});

	describe('Embedded', () => {
		it('returns a session URL on the emulator host', async () => {
			const result = await runPeaka(emulator, {
				resource: 'embedded',
				operation: 'createSession',
				project: projectParameter(emulator.projectId),
				options: { sessionMode: 'CONNECTOR_MODAL_ONLY', timeoutInSeconds: 120, themeOverride: false },
			}, { apiKey: emulator.projectKey });
			const [session] = ok(result);
			expect(String(session.sessionUrl)).toMatch(new RegExp(`^${emulator.baseUrl.replace(/\./g, '\\.')}/ui/session\\?code=[0-9a-f]{64}$`));
			expect(emulator.faults.requests().map((request) => request.body)).toEqual([
				{ projectId: emulator.projectId, sessionMode: 'CONNECTOR_MODAL_ONLY', themeOverride: false, timeoutInSeconds: 120 },
			]);
		});

		it('is not repeated after a 5xx', async () => {
			emulator.faults.add({ method: 'POST', path: '/ui/initSession', status: 503 });
			const result = await runPeaka(emulator, {
				resource: 'embedded',
				operation: 'createSession',
				project: projectParameter(emulator.projectId),
			});
			emulator.faults.reset();
			expect(result.error?.message).toMatch(/^Peaka failed to process the request \(503\)/);
			expect(emulator.faults.requests()).toHaveLength(1);
		});
	});
});
