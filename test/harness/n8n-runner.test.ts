import {
	createServer,
	type IncomingHttpHeaders,
	type IncomingMessage,
	type Server,
	type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ICredentialDataDecryptedObject, ICredentialType } from 'n8n-workflow';

import { HarnessFixtureApi } from './fixtures/HarnessFixtureApi.credentials';
import { HarnessFixture } from './fixtures/HarnessFixture.node';
import { HarnessFixtureTrigger } from './fixtures/HarnessFixtureTrigger.node';
import { HarnessSessionApi } from './fixtures/HarnessSessionApi.credentials';
import {
	createPoller,
	listSearch,
	loadOptions,
	readBinary,
	runNode,
	testCredential,
} from './n8n-runner';

const API_KEY = 'fixture-key-5b9e';
const FORBIDDEN_KEY = 'fixture-key-read-none';
const SUSPENDED_KEY = 'fixture-key-suspended';
const SESSION_PASSWORD = 'fixture-password';
const SLOW_RESPONSE_MS = 3_000;
const EXPORT_CSV = 'id,city\n1,Zürich\n2,Kraków\n';

interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: IncomingHttpHeaders;
	body: string;
}

interface ServerState {
	requests: RecordedRequest[];
	flakyFailuresLeft: number;
	sessionToken: string;
	sessionsIssued: number;
	events: Array<{ id: number; name: string }>;
	eventsFailing: boolean;
	onSlowRequest?: () => void;
}

const PROJECTS = [
	{ id: 'p1', name: 'Sales' },
	{ id: 'p2', name: 'Marketing' },
	{ id: 'p3', name: 'Sales Ops' },
];
const PROJECTS_PAGE_SIZE = 2;

const CATALOGS: Record<string, Array<{ id: string; name: string }>> = {
	p1: [
		{ id: 'c1', name: 'orders' },
		{ id: 'c2', name: 'customers' },
	],
};

let server: Server;
let baseUrl: string;
let state: ServerState;
const slowTimers = new Set<NodeJS.Timeout>();

function freshState(): ServerState {
	return {
		requests: [],
		flakyFailuresLeft: 0,
		sessionToken: 'no-session-yet',
		sessionsIssued: 0,
		events: [],
		eventsFailing: false,
	};
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
	response.writeHead(status, { 'content-type': 'application/json' });
	response.end(JSON.stringify(body));
}

function isAuthorized(headers: IncomingHttpHeaders): boolean {
	return (
		headers.authorization === `Bearer ${API_KEY}` ||
		headers['x-session-token'] === state.sessionToken
	);
}

function rows(query: Record<string, string>) {
	const count = Number(query.rowCount);
	return Array.from({ length: count }, (_, row) => ({
		item: Number(query.itemIndex),
		row,
		project: query.project,
	}));
}

function route(request: RecordedRequest, response: ServerResponse) {
	const { method, path, query } = request;
	const key = `${method} ${path}`;

	if (key === 'POST /session') {
		const credentials = JSON.parse(request.body) as { username: string; password: string };
		if (credentials.password !== SESSION_PASSWORD) {
			sendJson(response, 401, { message: 'Wrong username or password' });
			return;
		}
		state.sessionsIssued += 1;
		state.sessionToken = `token-${state.sessionsIssued}`;
		sendJson(response, 200, { token: state.sessionToken });
		return;
	}

	if (key === 'GET /whoami') {
		if (request.headers.authorization === `Bearer ${FORBIDDEN_KEY}`) {
			sendJson(response, 403, { message: 'Forbidden' });
		} else if (request.headers.authorization === `Bearer ${SUSPENDED_KEY}`) {
			sendJson(response, 200, { user: 'fixture-user', account: { status: 'suspended' } });
		} else if (isAuthorized(request.headers)) {
			sendJson(response, 200, { user: 'fixture-user', account: { status: 'active' } });
		} else {
			sendJson(response, 401, { message: 'Invalid API key' });
		}
		return;
	}

	if (key === 'GET /down/whoami') {
		sendJson(response, 500, { message: 'Database unavailable' });
		return;
	}

	if (!isAuthorized(request.headers)) {
		sendJson(response, 401, { message: 'Invalid API key' });
		return;
	}

	switch (key) {
		case 'GET /rows':
			sendJson(response, 200, { rows: rows(query) });
			return;
		case 'GET /export.csv':
			response.writeHead(200, { 'content-type': 'text/csv' });
			response.end(EXPORT_CSV);
			return;
		case 'GET /missing':
			sendJson(response, 404, { message: "Catalog 'sales' was not found" });
			return;
		case 'GET /flaky':
			if (state.flakyFailuresLeft > 0) {
				state.flakyFailuresLeft -= 1;
				sendJson(response, 503, { message: 'Try again later' });
			} else {
				sendJson(response, 200, { rows: rows(query) });
			}
			return;
		case 'GET /slow': {
			const timer = setTimeout(() => {
				slowTimers.delete(timer);
				sendJson(response, 200, { rows: rows(query) });
			}, SLOW_RESPONSE_MS);
			slowTimers.add(timer);
			state.onSlowRequest?.();
			response.on('close', () => {
				clearTimeout(timer);
				slowTimers.delete(timer);
			});
			return;
		}
		case 'GET /projects': {
			const filter = (query.filter ?? '').toLowerCase();
			const matches = PROJECTS.filter(({ name }) => name.toLowerCase().includes(filter));
			const start = Number(query.page ?? 0);
			const end = start + PROJECTS_PAGE_SIZE;
			sendJson(response, 200, {
				projects: matches.slice(start, end),
				nextPage: end < matches.length ? String(end) : undefined,
			});
			return;
		}
		case 'GET /catalogs':
			sendJson(response, 200, { catalogs: CATALOGS[query.project] ?? [] });
			return;
		case 'GET /events':
			if (state.eventsFailing) {
				sendJson(response, 500, { message: 'Event store unavailable' });
				return;
			}
			sendJson(response, 200, {
				events: state.events.filter(({ id }) => id > Number(query.after)),
			});
			return;
		default:
			sendJson(response, 404, { message: `No route for ${key}` });
	}
}

function handle(incoming: IncomingMessage, response: ServerResponse) {
	const chunks: Buffer[] = [];
	incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
	incoming.on('end', () => {
		const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
		const request: RecordedRequest = {
			method: incoming.method ?? 'GET',
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers: incoming.headers,
			body: Buffer.concat(chunks).toString('utf8'),
		};
		state.requests.push(request);
		route(request, response);
	});
}

function requestsTo(path: string): RecordedRequest[] {
	return state.requests.filter((request) => request.path === path);
}

const fixtureSetup = () => ({
	nodeType: HarnessFixture,
	credentialTypes: [HarnessFixtureApi, HarnessSessionApi],
	credentials: { harnessFixtureApi: { apiKey: API_KEY, baseUrl } },
});

const consoleMethods = ['log', 'info', 'warn', 'error', 'debug'] as const;
const consoleSpies = consoleMethods.map((method) => jest.spyOn(console, method));

beforeAll(async () => {
	server = createServer(handle);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	slowTimers.forEach(clearTimeout);
	server.closeAllConnections();
	await new Promise<void>((resolve) => server.close(() => resolve()));
	consoleSpies.forEach((spy) => spy.mockRestore());
});

beforeEach(() => {
	state = freshState();
});

describe('runNode', () => {
	it('sends the credential header built by authenticate', async () => {
		const result = await runNode({ ...fixtureSetup(), parameters: { rowCount: 1 } });

		expect(result.status).toBe('success');
		expect(requestsTo('/rows')).toHaveLength(1);
		// keyPrefix was not given, so the header proves the credential default was applied.
		expect(requestsTo('/rows')[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
	});

	it('pairs 2, 0 and 3 rows to input items 0, 1 and 2', async () => {
		const result = await runNode({
			...fixtureSetup(),
			parameters: {
				rowCount: '={{ $json.rows }}',
				project: { __rl: true, mode: 'id', value: 'p1' },
			},
			inputItems: [{ rows: 2 }, { rows: 0 }, { rows: 3 }],
		});

		expect(result.status).toBe('success');
		expect(result.outputs).toEqual([
			[
				{ json: { item: 0, row: 0, project: 'p1' }, pairedItem: { item: 0 } },
				{ json: { item: 0, row: 1, project: 'p1' }, pairedItem: { item: 0 } },
				{ json: { item: 2, row: 0, project: 'p1' }, pairedItem: { item: 2 } },
				{ json: { item: 2, row: 1, project: 'p1' }, pairedItem: { item: 2 } },
				{ json: { item: 2, row: 2, project: 'p1' }, pairedItem: { item: 2 } },
			],
		]);
		expect(requestsTo('/rows').map(({ query }) => query)).toEqual([
			{ rowCount: '2', itemIndex: '0', project: 'p1' },
			{ rowCount: '0', itemIndex: '1', project: 'p1' },
			{ rowCount: '3', itemIndex: '2', project: 'p1' },
		]);
		expect(result.hints).toEqual([{ message: 'Items 1 returned no rows', location: 'outputPane' }]);
	});

	it('routes a failed item to the error output', async () => {
		const result = await runNode({
			...fixtureSetup(),
			parameters: { path: '={{ $json.path }}' },
			inputItems: [{ path: '/rows' }, { path: '/missing' }, { path: '/rows' }],
			onError: 'continueErrorOutput',
		});

		expect(result.status).toBe('success');
		expect(result.outputs).toHaveLength(2);
		expect(result.outputs[0]).toEqual([
			{ json: { item: 0, row: 0, project: '' }, pairedItem: { item: 0 } },
			{ json: { item: 2, row: 0, project: '' }, pairedItem: { item: 2 } },
		]);
		// n8n merges the failed input item into the error item it routes.
		expect(result.outputs[1]).toEqual([
			{
				json: {
					path: '/missing',
					error: 'The resource you are requesting could not be found',
				},
				pairedItem: { item: 1 },
			},
		]);
	});

	it('keeps a failed item in place on the regular output', async () => {
		const result = await runNode({
			...fixtureSetup(),
			parameters: { path: '={{ $json.path }}' },
			inputItems: [{ path: '/rows' }, { path: '/missing' }, { path: '/rows' }],
			onError: 'continueRegularOutput',
		});

		expect(result.outputs).toEqual([
			[
				{ json: { item: 0, row: 0, project: '' }, pairedItem: { item: 0 } },
				{
					json: { error: 'The resource you are requesting could not be found' },
					pairedItem: { item: 1 },
				},
				{ json: { item: 2, row: 0, project: '' }, pairedItem: { item: 2 } },
			],
		]);
	});

	it('surfaces the NodeApiError when the workflow stops', async () => {
		const result = await runNode({
			...fixtureSetup(),
			parameters: { path: '={{ $json.path }}' },
			inputItems: [{ path: '/rows' }, { path: '/missing' }, { path: '/rows' }],
		});

		expect(result.status).toBe('error');
		expect(result.executed).toBe(true);
		expect(result.outputs).toEqual([]);
		expect(result.error).toMatchObject({
			name: 'NodeApiError',
			message: 'The resource you are requesting could not be found',
			httpCode: '404',
			description: "Catalog 'sales' was not found",
			context: { itemIndex: 1 },
		});
		// The third item never ran.
		expect(requestsTo('/rows')).toHaveLength(1);
		expect(requestsTo('/missing')).toHaveLength(1);
	});

	it('retries a failed node when retryOnFail is set', async () => {
		state.flakyFailuresLeft = 1;

		const result = await runNode({
			...fixtureSetup(),
			parameters: { path: '/flaky', rowCount: 2 },
			retryOnFail: true,
			maxTries: 3,
			waitBetweenTries: 1,
		});

		expect(result.status).toBe('success');
		expect(requestsTo('/flaky')).toHaveLength(2);
		expect(result.outputs[0].map(({ json }) => json.row)).toEqual([0, 1]);
	});

	it('fails on the first error without retryOnFail', async () => {
		state.flakyFailuresLeft = 1;

		const result = await runNode({ ...fixtureSetup(), parameters: { path: '/flaky' } });

		expect(result.status).toBe('error');
		expect(result.error).toMatchObject({ name: 'NodeApiError', httpCode: '503' });
		expect(requestsTo('/flaky')).toHaveLength(1);
	});

	it('runs once for executeOnce', async () => {
		const result = await runNode({
			...fixtureSetup(),
			inputItems: [{ a: 1 }, { a: 2 }, { a: 3 }],
			executeOnce: true,
		});

		expect(requestsTo('/rows').map(({ query }) => query.itemIndex)).toEqual(['0']);
		expect(result.outputs[0]).toEqual([
			{ json: { item: 0, row: 0, project: '' }, pairedItem: { item: 0 } },
		]);
	});

	it('outputs an empty item for alwaysOutputData', async () => {
		const result = await runNode({
			...fixtureSetup(),
			parameters: { rowCount: 0 },
			alwaysOutputData: true,
		});

		expect(result.outputs).toEqual([[{ json: {}, pairedItem: [{ item: 0, input: 0 }] }]]);
	});

	it('stores binary output on disk', async () => {
		const result = await runNode({
			...fixtureSetup(),
			parameters: { output: 'file', path: '/export.csv' },
		});

		const [item] = result.outputs[0];
		expect(item.json).toEqual({ fileName: 'export.csv' });
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.binary?.data).toMatchObject({
			fileName: 'export.csv',
			mimeType: 'text/csv',
			data: 'filesystem-v2',
		});
		expect((await readBinary(item)).toString('utf8')).toBe(EXPORT_CSV);
	});

	it('cancels an execution through the abort signal', async () => {
		const startedAt = Date.now();
		const slowRequestArrived = new Promise<void>((resolve) => {
			state.onSlowRequest = resolve;
		});

		const result = await runNode({
			...fixtureSetup(),
			parameters: { path: '/slow' },
			cancelWhen: slowRequestArrived,
		});

		expect(result.status).toBe('canceled');
		expect(Date.now() - startedAt).toBeLessThan(SLOW_RESPONSE_MS);
		expect(requestsTo('/slow')).toHaveLength(1);
	});

	it('reports a missing credential as n8n does', async () => {
		const result = await runNode({ ...fixtureSetup(), credentials: {} });

		expect(result.status).toBe('error');
		expect(result.error).toMatchObject({
			name: 'NodeOperationError',
			message: 'Node does not have any credentials set for "harnessFixtureApi"',
		});
		expect(state.requests).toEqual([]);
	});
});

describe('preAuthentication', () => {
	const sessionSetup = (storedToken?: string) => {
		const harnessSessionApi: ICredentialDataDecryptedObject = {
			baseUrl,
			username: 'ada',
			password: SESSION_PASSWORD,
		};
		if (storedToken !== undefined) harnessSessionApi.sessionToken = storedToken;
		return {
			nodeType: HarnessFixture,
			credentialTypes: [HarnessFixtureApi, HarnessSessionApi],
			credentials: { harnessSessionApi },
			parameters: { authentication: 'session' },
			inputItems: [{ a: 1 }, { a: 2 }],
		};
	};

	it('fetches a session token once and stores it', async () => {
		const result = await runNode(sessionSetup());

		expect(result.status).toBe('success');
		expect(state.requests.map(({ method, path }) => `${method} ${path}`)).toEqual([
			'POST /session',
			'GET /rows',
			'GET /rows',
		]);
		expect(requestsTo('/rows').map(({ headers }) => headers['x-session-token'])).toEqual([
			'token-1',
			'token-1',
		]);
		expect(result.updatedCredentials.harnessSessionApi).toMatchObject({ sessionToken: 'token-1' });
	});

	it('renews a rejected session token and retries', async () => {
		const result = await runNode(sessionSetup('stale-token'));

		expect(result.status).toBe('success');
		expect(state.requests.map(({ method, path }) => `${method} ${path}`)).toEqual([
			'GET /rows',
			'POST /session',
			'GET /rows',
			'GET /rows',
		]);
		expect(requestsTo('/rows').map(({ headers }) => headers['x-session-token'])).toEqual([
			'stale-token',
			'token-1',
			'token-1',
		]);
		expect(result.outputs[0].map(({ pairedItem }) => pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
		]);
	});
});

describe('testCredential', () => {
	it('returns OK for an accepted key', async () => {
		const result = await testCredential({
			credentialType: HarnessFixtureApi,
			data: { apiKey: API_KEY, baseUrl },
		});

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(requestsTo('/whoami')[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
	});

	it('returns the rule message for 401', async () => {
		const result = await testCredential({
			credentialType: HarnessFixtureApi,
			data: { apiKey: 'wrong-key', baseUrl },
		});

		expect(result).toEqual({
			status: 'Error',
			message: 'The API key was rejected. Copy it again from the account settings.',
		});
	});

	it('returns the rule message for 403', async () => {
		const result = await testCredential({
			credentialType: HarnessFixtureApi,
			data: { apiKey: FORBIDDEN_KEY, baseUrl },
		});

		expect(result).toEqual({
			status: 'Error',
			message: 'The API key may not read this account. Use a key with read access.',
		});
	});

	it('returns the status text without a rule', async () => {
		const result = await testCredential({
			credentialType: HarnessFixtureApi,
			data: { apiKey: API_KEY, baseUrl: `${baseUrl}/down` },
		});

		expect(result).toEqual({ status: 'Error', message: 'Internal Server Error' });
	});

	it('applies a responseSuccessBody rule', async () => {
		const withBodyRule: ICredentialType = {
			...new HarnessFixtureApi(),
			test: {
				request: { baseURL: '={{$credentials.baseUrl}}', url: '/whoami' },
				rules: [
					{
						type: 'responseSuccessBody',
						properties: {
							key: 'account.status',
							value: 'suspended',
							message: 'The account is suspended.',
						},
					},
				],
			},
		};

		const suspended = await testCredential({
			credentialType: withBodyRule,
			data: { apiKey: SUSPENDED_KEY, baseUrl },
		});
		const active = await testCredential({
			credentialType: withBodyRule,
			data: { apiKey: API_KEY, baseUrl },
		});

		expect(suspended).toEqual({ status: 'Error', message: 'The account is suspended.' });
		expect(active).toEqual({ status: 'OK', message: 'Connection successful!' });
	});

	it('returns the error code for a closed port', async () => {
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const { port } = closed.address() as AddressInfo;
		await new Promise<void>((resolve) => closed.close(() => resolve()));

		const result = await testCredential({
			credentialType: HarnessFixtureApi,
			data: { apiKey: API_KEY, baseUrl: `http://127.0.0.1:${port}` },
		});

		expect(result).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});
});

describe('loadOptions and listSearch', () => {
	it('loads options with the current parameters', async () => {
		const options = await loadOptions({
			...fixtureSetup(),
			parameters: { project: { __rl: true, mode: 'list', value: 'p1' } },
			methodName: 'getCatalogs',
			parameterPath: 'parameters.catalog',
		});

		expect(options).toEqual([
			{ name: 'orders', value: 'c1' },
			{ name: 'customers', value: 'c2' },
		]);
		expect(requestsTo('/catalogs')[0].query).toEqual({ project: 'p1' });
		expect(requestsTo('/catalogs')[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
	});

	it('pages list search results', async () => {
		const firstPage = await listSearch({ ...fixtureSetup(), methodName: 'searchProjects' });
		const secondPage = await listSearch({
			...fixtureSetup(),
			methodName: 'searchProjects',
			paginationToken: firstPage.paginationToken as string,
		});

		expect(firstPage).toEqual({
			results: [
				{ name: 'Sales', value: 'p1' },
				{ name: 'Marketing', value: 'p2' },
			],
			paginationToken: '2',
		});
		expect(secondPage).toEqual({
			results: [{ name: 'Sales Ops', value: 'p3' }],
			paginationToken: undefined,
		});
	});

	it('passes the list search filter', async () => {
		const result = await listSearch({
			...fixtureSetup(),
			methodName: 'searchProjects',
			filter: 'ops',
		});

		expect(result.results).toEqual([{ name: 'Sales Ops', value: 'p3' }]);
		expect(requestsTo('/projects')[0].query).toEqual({ filter: 'ops' });
	});

	it('names the known methods when one is missing', async () => {
		await expect(
			listSearch({ ...fixtureSetup(), methodName: 'searchCatalogs' }),
		).rejects.toThrow(
			'Node type "harnessFixture" has no methods.listSearch.searchCatalogs (has: searchProjects).',
		);
	});
});

describe('createPoller', () => {
	const pollerSetup = () => ({
		nodeType: HarnessFixtureTrigger,
		credentialTypes: [HarnessFixtureApi],
		credentials: { harnessFixtureApi: { apiKey: API_KEY, baseUrl } },
	});

	it('keeps the cursor between scheduled polls', async () => {
		state.events = [
			{ id: 1, name: 'created' },
			{ id: 2, name: 'updated' },
		];
		const poller = createPoller(pollerSetup());

		const first = await poller.poll();
		const second = await poller.poll();

		expect(first.items).toEqual([
			[{ json: { id: 1, name: 'created' } }, { json: { id: 2, name: 'updated' } }],
		]);
		expect(first.staticData).toEqual({ pollCount: 1, lastId: 2 });
		expect(second.items).toBeNull();
		// A poll that returns null still stores its change (n8n commits the staged cursor).
		expect(second.staticData).toEqual({ pollCount: 2, lastId: 2 });
		expect(second.staticDataStored).toBe(true);
		expect(requestsTo('/events').map(({ query }) => query)).toEqual([
			{ after: '0', mode: 'trigger', activation: 'activate' },
			{ after: '2', mode: 'trigger', activation: 'activate' },
		]);
	});

	it('drops the staged change of a failed poll', async () => {
		const poller = createPoller({ ...pollerSetup(), staticData: { pollCount: 4, lastId: 9 } });
		state.eventsFailing = true;

		const result = await poller.poll();

		expect(result.items).toBeNull();
		expect(result.error).toMatchObject({ name: 'NodeApiError', httpCode: '500' });
		expect(result.stagedStaticData).toEqual({ pollCount: 5, lastId: 9 });
		expect(result.staticData).toEqual({ pollCount: 4, lastId: 9 });
		expect(result.staticDataStored).toBe(false);
	});

	it('keeps an in-place change of a failed poll', async () => {
		const poller = createPoller({
			...pollerSetup(),
			staticData: { pollCount: 4, lastId: 9 },
			staticDataMode: 'inPlace',
		});
		state.eventsFailing = true;

		const result = await poller.poll();

		expect(result.error).toMatchObject({ name: 'NodeApiError', httpCode: '500' });
		expect(poller.staticData).toEqual({ pollCount: 5, lastId: 9 });
	});

	it('does not store static data of a manual run', async () => {
		state.events = [{ id: 3, name: 'deleted' }];
		const poller = createPoller({ ...pollerSetup(), staticData: { pollCount: 2, lastId: 2 } });

		const result = await poller.poll({ mode: 'manual' });

		expect(result.items).toEqual([[{ json: { id: 3, name: 'deleted' }, pairedItem: { item: 0 } }]]);
		expect(result.stagedStaticData).toEqual({ pollCount: 3, lastId: 3 });
		expect(result.staticData).toEqual({ pollCount: 2, lastId: 2 });
		expect(poller.staticData).toEqual({ pollCount: 2, lastId: 2 });
		expect(requestsTo('/events')[0].query).toEqual({
			after: '2',
			mode: 'manual',
			activation: 'manual',
		});
	});

	it('rejects activation when the first poll fails', async () => {
		const poller = createPoller(pollerSetup());
		state.eventsFailing = true;

		await expect(poller.activate()).rejects.toMatchObject({
			name: 'NodeApiError',
			httpCode: '500',
		});
		expect(poller.staticData).toEqual({});
	});

	it('stores nothing when the activation poll finds nothing', async () => {
		const poller = createPoller(pollerSetup());

		const result = await poller.activate();

		expect(result.items).toBeNull();
		expect(result.stagedStaticData).toEqual({ pollCount: 1 });
		expect(poller.staticData).toEqual({});
	});
});

describe('harness', () => {
	it('writes nothing to the console', () => {
		for (const spy of consoleSpies) {
			expect(spy).not.toHaveBeenCalled();
		}
	});
});
