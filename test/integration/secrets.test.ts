/**
 * Runs the fault matrix and a set of operations with each emulator key, including faults whose
 * bodies quote the key. Then it searches everything the node leaves behind for either key:
 * output items, errors (as n8n stores them and as objects in memory), hints, credential test
 * results and n8n's log lines.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { PeakaApi } from '../../credentials/PeakaApi.credentials';
import { Peaka } from '../../nodes/Peaka/Peaka.node';
import { PeakaTrigger } from '../../nodes/PeakaTrigger/PeakaTrigger.node';
import { createPoller, getHarnessLogs, listSearch, type RunNodeResult, testCredential } from '../harness/n8n-runner';
import { capRequestTimeout, cellInputs, FAULT_CASES, OPERATION_KINDS } from '../support/fault-cases';
import { credentialsFor, type Emulator, executeSql, projectParameter, runPeaka, startPeaka } from './support';

const MAX_WALK_DEPTH = 12;

/** Collects every string reachable from a value, including error properties that JSON leaves out. */
function collectText(value: unknown, seen = new Set<unknown>(), depth = 0, out: string[] = []): string[] {
	if (typeof value === 'string') {
		out.push(value);
		return out;
	}
	if (value === null || typeof value !== 'object' || seen.has(value) || depth > MAX_WALK_DEPTH) return out;
	seen.add(value);
	if (Buffer.isBuffer(value)) {
		out.push(value.toString('utf8'));
		return out;
	}
	const names = value instanceof Error ? Object.getOwnPropertyNames(value).concat(['message', 'description', 'cause']) : Object.keys(value);
	for (const name of new Set(names)) {
		collectText((value as Record<string, unknown>)[name], seen, depth + 1, out);
	}
	return out;
}

describe('secrets never leave the credential', () => {
	let emulator: Emulator;
	let keys: string[];
	let scanned = 0;
	let hits: string[] = [];
	let totalHits = 0;

	beforeAll(async () => {
		emulator = await startPeaka('spec');
		keys = [emulator.partnerKey, emulator.projectKey];
	});
	afterAll(async () => {
		capRequestTimeout(undefined);
		// eslint-disable-next-line no-console
		console.log(`secrets scan: ${scanned} outputs scanned, ${totalHits} key hits`);
		await emulator?.close();
	});
	beforeEach(() => {
		emulator.faults.reset();
		emulator.faults.clearRequests();
		hits = [];
	});

	/** Records every place in `value` that contains a key, its secret part or its URL-encoded form. */
	function scan(label: string, value: unknown): void {
		scanned += 1;
		const texts = collectText(value);
		try {
			texts.push(JSON.stringify(value) ?? '');
		} catch {
			// A circular structure is still covered by the walk above.
		}
		for (const key of keys) {
			const forms = [key, key.split('.')[1], encodeURIComponent(key)];
			for (const text of texts) {
				for (const form of forms) {
					if (!text.includes(form)) continue;
					hits.push(`${label}: ${text.slice(0, 200)}`);
					totalHits += 1;
				}
			}
		}
	}

	function scanRun(label: string, result: RunNodeResult): void {
		scan(`${label} run`, result.run);
		scan(`${label} outputs`, result.outputs);
		scan(`${label} error`, result.error);
		scan(`${label} hints`, result.hints);
		for (const output of result.outputs) for (const item of output) scan(`${label} item error`, item.error);
	}

	// The project key runs only the cells that fail at once: the retried cells spend seconds in
	// back-off and, with the partner key, already cover the paths a retry takes.
	it.each([
		['partner key', 'partnerKey', false],
		['project key', 'projectKey', true],
	] as const)('fault matrix with the %s', async (_label, keyName, failingOnly) => {
		const apiKey = emulator[keyName];
		for (const kind of OPERATION_KINDS) {
			for (const faultCase of FAULT_CASES) {
				const outcome = kind.write ? faultCase.write : faultCase.read;
				if (failingOnly && (outcome !== 'fail' || faultCase.timeoutCapMs !== undefined)) continue;
				emulator.faults.reset();
				emulator.faults.add({ ...faultCase.fault, method: kind.method, path: kind.path, skip: 1, times: 1 });
				capRequestTimeout(faultCase.timeoutCapMs);
				const result = await runPeaka(emulator, kind.parameters(emulator), {
					apiKey,
					onError: 'continueErrorOutput',
					inputItems: cellInputs(kind, faultCase),
				});
				capRequestTimeout(undefined);
				scanRun(`${kind.name} × ${faultCase.id}`, result);
			}
		}
		scan('n8n log', getHarnessLogs());
		expect(hits).toEqual([]);
	}, 120_000);

	it.each([
		['partner key', 'partnerKey'],
		['project key', 'projectKey'],
	] as const)('bodies that quote the %s', async (_label, keyName) => {
		const apiKey = emulator[keyName];
		const echoes: Array<Record<string, unknown>> = [
			{ status: 401, body: { message: `Invalid API key ${apiKey}` } },
			{ status: 400, body: { error: 'Bad Request', message: `Rejected Authorization: Bearer ${apiKey}`, reason: apiKey } },
			{ status: 403, body: `forbidden for ${apiKey}`, contentType: 'text/plain' },
			// A write is not repeated after these, so they fail without seconds of back-off.
			{ status: 502, html: true, body: `<html><body><h1>502</h1><pre>Authorization: Bearer ${apiKey}</pre></body></html>`, write: true },
			{ status: 200, html: true, body: `<p>login page for ${encodeURIComponent(apiKey)}</p>`, write: true },
		];
		for (const { write, ...echo } of echoes) {
			emulator.faults.reset();
			emulator.faults.add({ ...echo, method: 'POST', path: write ? '/data/projects/*/queries' : '/data/projects/*/queries/execute' });
			const parameters = write
				? { resource: 'query', operation: 'create', project: projectParameter(emulator.projectId), displayName: 'Echo', inputQuery: 'SELECT 1' }
				: executeSql(emulator, 'SELECT 1 AS n');
			const result = await runPeaka(emulator, parameters, { apiKey });
			expect(result.error).toBeDefined();
			scanRun(`echo ${String(echo.status)}`, result);
		}
		scan('n8n log', getHarnessLogs());
		expect(hits).toEqual([]);
	}, 60_000);

	it.each([
		['partner key', 'partnerKey'],
		['project key', 'projectKey'],
	] as const)('operations and pickers with the %s', async (_label, keyName) => {
		const apiKey = emulator[keyName];
		const project = projectParameter(emulator.projectId);
		const operations: INodeParameters[] = [
			executeSql(emulator, 'SELECT 1 AS n'),
			executeSql(emulator, 'SELECT * FROM no_such_table'),
			{ resource: 'catalog', operation: 'getMany', project, returnAll: true },
			{ resource: 'driver', operation: 'getJdbcUrl', project },
			{ resource: 'driver', operation: 'getSqlAlchemyUrl', project, catalogName: 'datasets' },
			{ resource: 'embedded', operation: 'createSession', project, options: {} },
			{ resource: 'sql', operation: 'transpile', direction: 'fromTrino', dialect: 'mysql', query: 'SELECT 1' },
			{ resource: 'projectApiKey', operation: 'getMany', project },
			{ resource: 'organization', operation: 'getMany' },
			{ resource: 'internalTable', operation: 'getMany', project },
			{ resource: 'export', operation: 'getMany', project },
			{ resource: 'connection', operation: 'getMany', project },
		];
		const outputs: IDataObject[] = [];
		for (const parameters of operations) {
			const result = await runPeaka(emulator, parameters, { apiKey, onError: 'continueRegularOutput' });
			scanRun(`${String(parameters.resource)}:${String(parameters.operation)}`, result);
			outputs.push(...(result.outputs[0] ?? []).map((item) => item.json));
		}
		// The Streaming engine sends the key as a Trino extra credential instead of a header.
		const trinoCredential = { ...credentialsFor(emulator, apiKey), trinoUrl: (emulator as unknown as { trinoUrl: string }).trinoUrl };
		for (const sql of ['SELECT 1 AS n', 'SELECT * FROM no_such_table']) {
			const result = await runPeaka(emulator, executeSql(emulator, sql, [], { options: { engine: 'streaming' } }), {
				credentials: { peakaApi: trinoCredential },
				onError: 'continueRegularOutput',
			} as never);
			scanRun(`streaming ${sql}`, result);
			outputs.push(...(result.outputs[0] ?? []).map((item) => item.json));
		}

		// The runs did produce data, so the scan looked at real outputs.
		expect(outputs.length).toBeGreaterThan(operations.length);

		scan('credential test', await testCredential({ credentialType: PeakaApi, data: credentialsFor(emulator, apiKey) }));
		scan(
			'credential test with an unknown key',
			await testCredential({ credentialType: PeakaApi, data: credentialsFor(emulator, 'Unknown1.notAKeyThisEmulatorKnows') }),
		);
		try {
			scan(
				'project picker',
				await listSearch({
					nodeType: Peaka,
					credentialTypes: [PeakaApi],
					credentials: { peakaApi: credentialsFor(emulator, apiKey) },
					methodName: 'searchProjects',
				}),
			);
		} catch (error) {
			scan('project picker error', error);
		}
		const poller = createPoller({
			nodeType: PeakaTrigger,
			credentialTypes: [PeakaApi],
			credentials: { peakaApi: credentialsFor(emulator, apiKey) },
			parameters: {
				event: 'newRows',
				project,
				source: 'table',
				catalog: { __rl: true, mode: 'id', value: '846085284821991568' },
				schema: { __rl: true, mode: 'id', value: 'public' },
				table: { __rl: true, mode: 'id', value: 'events' },
				watermarkColumn: 'created_at',
				tieBreakerColumn: 'id',
			},
		});
		scan('trigger poll', await poller.poll());
		emulator.faults.add({ method: 'POST', path: '/data/projects/*/queries/execute', status: 401, body: { message: `Invalid key ${apiKey}` } });
		const failedPoll = await poller.poll();
		expect(failedPoll.error).toBeDefined();
		scan('failed trigger poll', failedPoll);

		scan('n8n log', getHarnessLogs());
		expect(hits).toEqual([]);
	}, 60_000);
});
