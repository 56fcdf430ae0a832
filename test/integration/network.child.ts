/**
 * Run by network.test.ts in a child jest process started with NODE_EXTRA_CA_CERTS, because
 * Node.js reads that variable only at process start and n8n's request helpers offer no other
 * way to trust a CA. The emulator serves HTTPS with the parent's test certificate, and n8n's
 * helpers reach it through a CONNECT proxy named in HTTPS_PROXY, which they read per request.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { PeakaApi } from '../../credentials/PeakaApi.credentials';
import { testCredential } from '../harness/n8n-runner';
import { type ConnectProxy, startConnectProxy } from '../support/connect-proxy';
import { type Emulator, eventsTriggerParameters, executeSql, jsonOf, projectParameter, runPeaka, startPeaka, triggerPoller } from './support';

const TLS_DIR_VARIABLE = 'PEAKA_TEST_TLS_DIR';
const STRIPE_CATALOG_ID = '846085284821991569';
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];
const NO_PROXY_VARIABLES = ['NO_PROXY', 'no_proxy'];

describe('HTTPS emulator through a CONNECT proxy', () => {
	let emulator: Emulator & { port: number };
	let proxy: ConnectProxy;
	const savedEnvironment: Record<string, string | undefined> = {};

	beforeAll(async () => {
		const tlsDir = process.env[TLS_DIR_VARIABLE];
		if (!tlsDir || !process.env.NODE_EXTRA_CA_CERTS) {
			throw new Error(`Run this file through network.test.ts, which sets ${TLS_DIR_VARIABLE} and NODE_EXTRA_CA_CERTS.`);
		}
		emulator = (await startPeaka('spec', {
			tls: { cert: readFileSync(path.join(tlsDir, 'server.pem')), key: readFileSync(path.join(tlsDir, 'server.key')) },
		})) as Emulator & { port: number };
		proxy = await startConnectProxy();
		for (const name of [...PROXY_VARIABLES, ...NO_PROXY_VARIABLES]) savedEnvironment[name] = process.env[name];
		for (const name of NO_PROXY_VARIABLES) delete process.env[name];
		process.env.HTTPS_PROXY = proxy.url;
		process.env.HTTP_PROXY = proxy.url;
	});
	afterAll(async () => {
		for (const [name, value] of Object.entries(savedEnvironment)) {
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
		}
		await proxy?.close();
		await emulator?.close();
	});

	it('serves the REST API over https', () => {
		expect(emulator.baseUrl).toBe(`https://127.0.0.1:${emulator.port}/api/v1`);
	});

	it('tests the credential, runs a query and lists catalogs through the proxy', async () => {
		const credential = { apiKey: emulator.partnerKey, zone: 'custom', baseUrl: emulator.baseUrl };

		const tested = await testCredential({ credentialType: PeakaApi, data: credential });
		expect(tested).toEqual({ status: 'OK', message: 'Connection successful!' });

		const query = await runPeaka(emulator, executeSql(emulator, 'SELECT 42 AS answer'));
		expect(query.error).toBeUndefined();
		expect(jsonOf(query.outputs[0])).toEqual([{ answer: 42 }]);

		const catalogs = await runPeaka(emulator, {
			resource: 'catalog',
			operation: 'getMany',
			project: projectParameter(emulator.projectId),
			returnAll: true,
		});
		expect(catalogs.error).toBeUndefined();
		const names = jsonOf(catalogs.outputs[0]).map((catalog) => catalog.name);
		expect(names).toContain('peaka');
		expect(names).toContain('datasets');

		// Every connection went through the proxy, to the emulator and nowhere else.
		const emulatorTarget = `127.0.0.1:${emulator.port}`;
		expect(proxy.log.length).toBeGreaterThanOrEqual(3);
		expect(proxy.log.filter((entry) => entry.target !== emulatorTarget || entry.method !== 'CONNECT')).toEqual([]);
		expect(emulator.faults.requests().map((request) => `${request.method} ${request.path}`)).toEqual([
			'GET /connections/config',
			`POST /data/projects/${emulator.projectId}/queries/execute`,
			`GET /data/projects/${emulator.projectId}/catalogs`,
		]);
	});

	it('reads metadata, creates a cache and polls the trigger through the proxy', async () => {
		proxy.log.length = 0;
		emulator.faults.clearRequests();
		const locator = (value: string) => ({ __rl: true, mode: 'id', value });

		const metadata = await runPeaka(emulator, { resource: 'metadata', operation: 'get', project: projectParameter(emulator.projectId) });
		expect(metadata.error).toBeUndefined();
		const cache = await runPeaka(emulator, {
			resource: 'cache',
			operation: 'create',
			project: projectParameter(emulator.projectId),
			catalog: locator(STRIPE_CATALOG_ID),
			schema: locator('payment'),
			table: locator('charges'),
		});
		expect(cache.error).toBeUndefined();
		const poller = triggerPoller(emulator, eventsTriggerParameters(emulator));
		const poll = await poller.poll();
		expect(poll.error).toBeUndefined();

		const emulatorTarget = `127.0.0.1:${emulator.port}`;
		expect(proxy.log.length).toBeGreaterThanOrEqual(3);
		expect(proxy.log.filter((entry) => entry.target !== emulatorTarget || entry.method !== 'CONNECT')).toEqual([]);
		const paths = emulator.faults.requests().map((request) => `${request.method} ${request.path}`);
		expect(paths).toContain(`GET /metadata/${emulator.projectId}`);
		expect(paths).toContain(`POST /data/projects/${emulator.projectId}/cache`);
		expect(paths).toContain(`POST /data/projects/${emulator.projectId}/queries/execute`);
	});
});
