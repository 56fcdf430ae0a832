'use strict';

// Runs the package in n8n 2.40.7 queue mode: PostgreSQL and Redis on loopback, `n8n start` as
// main (webhooks, activation) and two `n8n worker` processes, each with the packed package
// installed the way Community Nodes installs it. A Webhook → Peaka Execute workflow is published
// from the command line and called 40 times. Every execution is then read back from PostgreSQL,
// and its rows are compared with the airports file the emulator serves. A second round of 40
// calls kills one worker with SIGKILL mid-run and checks that every execution n8n reports as
// successful still carries the right rows. Last, with the Peaka Trigger active on main, rows
// inserted into the emulator must each reach one execution on a worker.
//
//   npm run build && node test/e2e/queue-mode.js
//
// Needs the n8n 2.40.7 line of the e2e cache (test/e2e/prepare-cache.js). Without it the run is
// skipped, unless PEAKA_E2E=1. Installs Debian's redis-server and postgresql when missing (root).
// Prints one line per check and ends with "N passed, N failed". Exits 1 when a check failed.

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const { DuckDBInstance } = require('@duckdb/node-api');

const { cacheRoot, isLineReady, linePaths } = require('./prepare-cache');
const n8n = require('./n8n');
const { freeLoopbackPort, httpRequest, startN8nServer } = require('./n8n-server');
const { EXAMPLE_CREDENTIAL, packPackage } = require('./peaka-in-n8n');
const services = require('./queue-mode-services');
const { startEmulator } = require('../../emulator/src/index.js');

const LINE = '2';
const REQUESTS_PER_ROUND = 40;
const ROWS_PER_REQUEST = 3;
const WORKER_CONCURRENCY = 5;
// Each query waits this long in the emulator, so that executions overlap on both workers and a
// worker killed mid-round has executions in flight.
const QUERY_DELAY_MS = 1_500;
const EXECUTIONS_TIMEOUT_MS = 180_000;
const ACTIVATION_TIMEOUT_MS = 60_000;
const KILL_WAIT_TIMEOUT_MS = 60_000;
const POLL_MS = 500;
// Bull's job lock: a killed worker's active jobs count as stalled once it expires (n8n's default
// is 60 s). n8n runs Bull with maxStalledCount 0, so a stalled job fails instead of running twice.
const QUEUE_LOCK_DURATION_MS = 10_000;
const QUEUE_LOCK_RENEW_MS = 3_000;
const QUEUE_STALLED_INTERVAL_MS = 5_000;
// Main also marks executions whose job left the queue unfinished as crashed, on this schedule
// (N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL, in minutes, 180 by default).
const QUEUE_RECOVERY_INTERVAL_MIN = 1;
const GRACEFUL_SHUTDOWN_S = 10;

const WEBHOOK_PATH = 'peaka-queue-mode';
const WORKFLOW_ID = 'peakaQueueMode01';
const WEBHOOK_NODE = 'Webhook';
const PEAKA_NODE = 'Airports After Code';
const AIRPORT_COLUMNS = ['iata', 'name', 'city', 'state', 'latitude', 'longitude'];
const QUERY_SQL =
	`SELECT ${AIRPORT_COLUMNS.join(', ')} FROM "datasets"."public"."airports"\n` +
	`WHERE iata > ? ORDER BY iata LIMIT ${ROWS_PER_REQUEST}`;
const FINAL_STATUSES = new Set(['success', 'error', 'crashed', 'canceled']);

const TRIGGER_WORKFLOW_ID = 'peakaQueueTrigger1';
const TRIGGER_NODE = 'New Events';
const TRIGGER_NEXT_NODE = 'Received Events';
// The emulator's `datasets` catalog, which contains the writable events table.
const DATASETS_CATALOG_ID = '846085284821991568';
// n8n polls at most once a minute (a sub-minute poll time is rejected at activation), so each
// delivery waits for the next minute tick, at a random second.
const TRIGGER_POLL_TIMEOUT_MS = 150_000;
// Later than every generated event (they start in 2024), so new rows pass the watermark.
const TRIGGER_BATCHES = [
	[
		{ created_at: '2045-01-01 00:01:00', payload: '{"batch":"A","n":1}' },
		{ created_at: '2045-01-01 00:01:00', payload: '{"batch":"A","n":2}' },
		{ created_at: '2045-01-01 00:02:00', payload: '{"batch":"A","n":3}' },
	],
	[
		{ created_at: '2045-01-01 00:03:00', payload: '{"batch":"B","n":1}' },
		{ created_at: '2045-01-01 00:04:00', payload: '{"batch":"B","n":2}' },
	],
];

const log = (line) => process.stdout.write(`[queue-mode] ${line}\n`);

// ---------------------------------------------------------------------------------------------
// Checks

const results = [];

function check(name, passed, detail = '') {
	results.push({ name, passed });
	log(`${passed ? 'PASS' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
	return passed;
}

// ---------------------------------------------------------------------------------------------
// Expected rows, read straight from the vega-datasets file, not through the emulator or n8n

function airportsFile() {
	return path.join(path.dirname(require.resolve('vega-datasets')), '..', 'data', 'airports.csv');
}

/**
 * Picks REQUESTS_PER_ROUND airport codes spread evenly over the file as the requests' lower
 * bounds, and returns { keys, expected } where expected maps each key to the rows the Peaka node
 * must emit for it, as item json. Keys at least ROWS_PER_REQUEST codes apart select distinct rows.
 */
async function expectedRows() {
	const instance = await DuckDBInstance.create(':memory:');
	const connection = await instance.connect();
	const airports = `read_csv('${airportsFile().replace(/'/g, "''")}', header = true, columns = {
		'iata': 'VARCHAR', 'name': 'VARCHAR', 'city': 'VARCHAR', 'state': 'VARCHAR',
		'country': 'VARCHAR', 'latitude': 'DOUBLE', 'longitude': 'DOUBLE'})`;
	try {
		const codes = (await connection.runAndReadAll(`SELECT iata FROM ${airports} ORDER BY iata`))
			.getRowObjectsJS()
			.map((row) => row.iata);
		const step = Math.floor(codes.length / (REQUESTS_PER_ROUND + 1));
		const keys = Array.from({ length: REQUESTS_PER_ROUND }, (_, n) => codes[(n + 1) * step]);
		const expected = new Map();
		for (const key of keys) {
			const reader = await connection.runAndReadAll(
				`SELECT ${AIRPORT_COLUMNS.join(', ')} FROM ${airports}
				WHERE iata > '${key.replace(/'/g, "''")}' ORDER BY iata LIMIT ${ROWS_PER_REQUEST}`,
			);
			expected.set(key, reader.getRowObjectsJS());
		}
		return { keys, expected };
	} finally {
		connection.closeSync();
		instance.closeSync();
	}
}

// ---------------------------------------------------------------------------------------------
// n8n setup

function queueWorkflow(projectId) {
	return {
		id: WORKFLOW_ID,
		name: 'Peaka in queue mode',
		active: false,
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
		nodes: [
			{
				id: crypto.randomUUID(),
				name: WEBHOOK_NODE,
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: crypto.randomUUID(),
				// Responding at once keeps the check on n8n's execution records, which is where a
				// lost or duplicated execution would show, not on a response relayed from a worker.
				parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
			},
			{
				id: crypto.randomUUID(),
				name: PEAKA_NODE,
				type: 'n8n-nodes-peaka.peaka',
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					resource: 'query',
					operation: 'execute',
					project: { __rl: true, mode: 'id', value: projectId },
					source: 'statement',
					sql: QUERY_SQL,
					queryParameters: { parameters: [{ value: '={{ $json.body.after }}' }] },
					returnAll: true,
					options: {},
				},
				credentials: { peakaApi: { ...EXAMPLE_CREDENTIAL } },
			},
		],
		connections: {
			[WEBHOOK_NODE]: { main: [[{ node: PEAKA_NODE, type: 'main', index: 0 }]] },
		},
		pinData: {},
	};
}

function triggerWorkflow(projectId) {
	const locator = (value) => ({ __rl: true, mode: 'id', value });
	return {
		id: TRIGGER_WORKFLOW_ID,
		name: 'Peaka Trigger in queue mode',
		active: false,
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
		nodes: [
			{
				id: crypto.randomUUID(),
				name: TRIGGER_NODE,
				type: 'n8n-nodes-peaka.peakaTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					event: 'newRows',
					project: locator(projectId),
					source: 'table',
					catalog: locator(DATASETS_CATALOG_ID),
					schema: locator('public'),
					table: locator('events'),
					watermarkColumn: 'created_at',
					tieBreakerColumn: 'id',
				},
				credentials: { peakaApi: { ...EXAMPLE_CREDENTIAL } },
			},
			{
				id: crypto.randomUUID(),
				name: TRIGGER_NEXT_NODE,
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			},
		],
		connections: {
			[TRIGGER_NODE]: { main: [[{ node: TRIGGER_NEXT_NODE, type: 'main', index: 0 }]] },
		},
		pinData: {},
	};
}

/** Environment shared by main, the workers and the CLI commands: one database, one queue. */
function queueEnvironment({ postgres, redis }) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: services.HOST,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		QUEUE_WORKER_LOCK_DURATION: String(QUEUE_LOCK_DURATION_MS),
		QUEUE_WORKER_LOCK_RENEW_TIME: String(QUEUE_LOCK_RENEW_MS),
		QUEUE_WORKER_STALLED_INTERVAL: String(QUEUE_STALLED_INTERVAL_MS),
		N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: String(QUEUE_RECOVERY_INTERVAL_MIN),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: services.HOST,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: '',
		EXECUTIONS_DATA_PRUNE: 'false',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: String(GRACEFUL_SHUTDOWN_S),
		// Started by `n8n start` and `n8n worker` alike on 2.40.7; its system task fetches
		// https://api.n8n.io/api/mcp-servers unless the module is disabled.
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_LOG_LEVEL: process.env.PEAKA_E2E_N8N_LOG_LEVEL || 'info',
	};
}

function writeJson(folder, name, value) {
	const file = path.join(folder, name);
	fs.writeFileSync(file, JSON.stringify(value, null, 2));
	return file;
}

/**
 * Imports the credential and the workflows into the shared database and publishes each workflow
 * before main starts. On n8n 2.40.7 `import:workflow` deactivates what it imports unless given
 * `--activeState=fromJson` (queue mode only), and `publish:workflow --id` marks the current
 * version active. Main then activates the workflows when it starts.
 */
async function importAndPublish({ userFolder, env, emulator, withTrigger }) {
	const credentialFile = writeJson(userFolder, 'queue-credentials.json', [
		{
			...EXAMPLE_CREDENTIAL,
			type: 'peakaApi',
			data: { apiKey: emulator.partnerKey, zone: 'custom', baseUrl: emulator.baseUrl, allowUnencryptedHttp: false },
		},
	]);
	const workflows = [queueWorkflow(emulator.projectId)];
	if (withTrigger) workflows.push(triggerWorkflow(emulator.projectId));
	const workflowFile = writeJson(userFolder, 'queue-workflows.json', workflows);
	await n8n.runN8nCommand(userFolder, ['import:credentials', `--input=${credentialFile}`], { env });
	await n8n.runN8nCommand(userFolder, ['import:workflow', `--input=${workflowFile}`], { env });
	for (const workflow of workflows) {
		await n8n.runN8nCommand(userFolder, ['publish:workflow', `--id=${workflow.id}`], { env });
	}
}

// ---------------------------------------------------------------------------------------------
// Reading executions back

/**
 * Reads every execution of the workflow with an id above `afterId` from PostgreSQL, decoding the
 * run data (a `flatted` string) with n8n's own copy of flatted.
 */
async function readExecutions(database, flatted, afterId = 0, workflowId = WORKFLOW_ID) {
	const { rows } = await database.query(
		`SELECT e.id, e.status, e.finished, e.mode, d.data
		FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id
		WHERE e."workflowId" = $1 AND e.id > $2 ORDER BY e.id`,
		[workflowId, afterId],
	);
	return rows.map((row) => ({
		id: Number(row.id),
		status: row.status,
		finished: row.finished,
		mode: row.mode,
		data: row.data ? flatted.parse(row.data) : undefined,
	}));
}

async function maxExecutionId(database) {
	const { rows } = await database.query('SELECT coalesce(max(id), 0) AS id FROM execution_entity');
	return Number(rows[0].id);
}

/** Returns the body the webhook received, from the run data or, before a worker ran, the start stack. */
function webhookBody(execution) {
	const run = execution.data?.resultData?.runData?.[WEBHOOK_NODE]?.[0];
	const fromRun = run?.data?.main?.[0]?.[0]?.json?.body;
	if (fromRun) return fromRun;
	const stack = execution.data?.executionData?.nodeExecutionStack ?? [];
	return stack.find((entry) => entry.node?.name === WEBHOOK_NODE)?.data?.main?.[0]?.[0]?.json?.body;
}

function peakaItems(execution) {
	return execution.data?.resultData?.runData?.[PEAKA_NODE]?.[0]?.data?.main?.[0];
}

/** Returns undefined when the execution's Peaka items are exactly the expected rows, else why not. */
function rowProblem(execution, expected) {
	const body = webhookBody(execution);
	if (!body) return `execution ${execution.id} has no webhook body`;
	const rows = expected.get(body.after);
	if (!rows) return `execution ${execution.id} received an unknown key ${JSON.stringify(body.after)}`;
	const items = peakaItems(execution);
	if (!items) return `execution ${execution.id} (key ${body.after}) has no output of '${PEAKA_NODE}'`;
	const actual = items.map((item) => item.json);
	if (JSON.stringify(actual) !== JSON.stringify(rows)) {
		return `execution ${execution.id} (key ${body.after}) emitted ${JSON.stringify(actual)}, expected ${JSON.stringify(rows)}`;
	}
	const unpaired = items.findIndex((item) => JSON.stringify(item.pairedItem) !== JSON.stringify({ item: 0 }));
	if (unpaired !== -1) {
		return `execution ${execution.id} item ${unpaired} is paired with ${JSON.stringify(items[unpaired].pairedItem)}, expected {"item":0}`;
	}
	return undefined;
}

/** Returns { started: Set, finished: Set } of the execution ids a worker logged. */
function workerExecutions(logFile) {
	const text = fs.readFileSync(logFile, 'utf8');
	const ids = (pattern) => new Set([...text.matchAll(pattern)].map((match) => Number(match[1])));
	return {
		started: ids(/Worker started execution (\d+) \(job/g),
		finished: ids(/Worker finished execution (\d+) \(job/g),
	};
}

async function waitUntil(description, probe, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	let last;
	while (Date.now() < deadline) {
		last = await probe();
		if (last.done) return last;
		await new Promise((resolve) => setTimeout(resolve, POLL_MS));
	}
	log(`timed out after ${timeoutMs} ms waiting for ${description}`);
	return last;
}

/** Returns the rows a trigger execution passed on to the node after the trigger, as item json. */
function deliveredRows(execution) {
	const items = execution.data?.resultData?.runData?.[TRIGGER_NEXT_NODE]?.[0]?.data?.main?.[0] ?? [];
	return items.map((item) => item.json);
}

/**
 * Checks the Peaka Trigger in queue mode: main polls, workers run the executions, and each row
 * inserted after the trigger noted where the rows end is delivered exactly once, in order.
 */
async function checkTrigger({ emulator, database, flatted, workerLogs }) {
	// The first scheduled poll stores the start-from-now cursor (the activation poll keeps none),
	// so rows count as new only once a second completed events query shows that poll has run.
	const eventsQueries = () =>
		emulator.faults
			.requests()
			.filter((request) => request.path.endsWith('/queries/execute') && request.status !== null && /events/.test(JSON.stringify(request.body ?? '')));
	const cursorSet = await waitUntil('the first scheduled poll of the trigger', async () => ({ done: eventsQueries().length >= 2 }), TRIGGER_POLL_TIMEOUT_MS);
	if (!check('trigger: main polled on activation and on schedule', cursorSet.done, `${eventsQueries().length} events queries`)) return undefined;

	const inserted = [];
	for (const [index, batch] of TRIGGER_BATCHES.entries()) {
		const response = await httpRequest('POST', `${emulator.adminUrl}/events`, { body: { rows: batch } });
		if (response.status !== 200 || !Array.isArray(response.body)) {
			throw new Error(`The emulator did not insert trigger batch ${index + 1}: HTTP ${response.status} ${response.text.slice(0, 300)}`);
		}
		inserted.push(...response.body);
		const wanted = inserted.map((row) => row.id);
		const delivered = await waitUntil(`trigger batch ${index + 1} to be delivered`, async () => {
			const executions = await readExecutions(database, flatted, 0, TRIGGER_WORKFLOW_ID);
			const ids = new Set(executions.flatMap((execution) => deliveredRows(execution).map((row) => String(row.id))));
			const done = wanted.every((id) => ids.has(id)) && executions.every((execution) => FINAL_STATUSES.has(execution.status));
			return { done };
		}, TRIGGER_POLL_TIMEOUT_MS);
		check(`trigger: batch ${index + 1} (${batch.length} rows) delivered`, delivered.done);
	}

	const executions = await readExecutions(database, flatted, 0, TRIGGER_WORKFLOW_ID);
	const failed = executions.filter((execution) => execution.status !== 'success');
	check('trigger: every execution succeeded', failed.length === 0, failed.map((execution) => `${execution.id}: ${execution.status}`).join(', '));
	const rows = executions.flatMap((execution) => deliveredRows(execution));
	check('trigger: each inserted row delivered once, in order, exactly as stored', JSON.stringify(rows) === JSON.stringify(inserted),
		`delivered ${JSON.stringify(rows)}, inserted ${JSON.stringify(inserted)}`);
	const started = Object.values(workerLogs).map((file) => workerExecutions(file).started);
	const offWorker = executions.filter((execution) => !started.some((ids) => ids.has(execution.id)));
	check('trigger: every execution ran on a worker', offWorker.length === 0, offWorker.map((execution) => execution.id).join(', '));
	return { executions: executions.map((execution) => `${execution.id}:${deliveredRows(execution).length} rows`) };
}

async function postRound(url, keys, round) {
	return Promise.all(
		keys.map((after, n) =>
			httpRequest('POST', url, { body: { round, n, after } }).catch((error) => ({ status: 0, text: error.message })),
		),
	);
}

// ---------------------------------------------------------------------------------------------
// The run

/**
 * Prepares everything but n8n: Debian's packages, the tarball, the expected rows, the emulator
 * with its query delay, PostgreSQL and Redis. Fills `context` and returns it.
 */
async function prepareServices(context) {
	context.n8nPaths = linePaths(LINE);
	const packages = services.ensureDebianPackages(log);
	context.timings.aptMs = packages.durationMs;
	if (packages.installed.length > 0) log(`installed ${packages.installed.join(', ')} in ${packages.durationMs} ms`);

	context.tarball = packPackage();
	const packed = JSON.parse(execFileSync('tar', ['-xzOf', context.tarball, 'package/package.json'], { encoding: 'utf8' }));
	context.withTrigger = (packed.n8n?.nodes ?? []).some((node) => /PeakaTrigger\.node\.js$/.test(node));
	const { keys, expected } = await expectedRows();
	const distinct = new Set([...expected.values()].map((rows) => JSON.stringify(rows)));
	if (distinct.size !== keys.length || [...expected.values()].some((rows) => rows.length !== ROWS_PER_REQUEST)) {
		throw new Error(`The ${keys.length} request keys must select ${keys.length} distinct sets of ${ROWS_PER_REQUEST} airports; they select ${distinct.size}.`);
	}
	Object.assign(context, { keys, expected });

	context.emulator = await startEmulator({ behaviour: 'spec', eventsRows: 1000 });
	const fault = await httpRequest('POST', `${context.emulator.adminUrl}/faults`, {
		body: { method: 'POST', path: '/data/projects/*/queries/execute', delayMs: QUERY_DELAY_MS, times: 100_000 },
	});
	if (fault.status !== 200) throw new Error(`The emulator rejected the delay fault: HTTP ${fault.status} ${fault.text}`);

	context.baseFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'peaka-queue-mode-'));
	// The postgres user must reach its data folder inside.
	fs.chmodSync(context.baseFolder, 0o755);
	const [postgres, redis] = await Promise.all([
		freeLoopbackPort().then((port) => services.startPostgres({ baseFolder: context.baseFolder, port, n8nPaths: context.n8nPaths })),
		freeLoopbackPort().then((port) => services.startRedis({ baseFolder: context.baseFolder, port })),
	]);
	log(`PostgreSQL on ${services.HOST}:${postgres.port}, Redis on ${services.HOST}:${redis.port}`);
	context.database = await postgres.client();
	context.flatted = services.requireFromN8n(context.n8nPaths, 'flatted');
	context.sharedEnv = queueEnvironment({ postgres, redis });
	return context;
}

/**
 * Installs the tarball into a user folder each for main and the two workers, imports and
 * publishes the workflows, starts main and the workers, and waits until main stored the webhook.
 */
async function startQueueN8n(context) {
	const { n8nPaths, sharedEnv, database, timings } = context;
	const folders = {};
	for (const name of ['main', 'worker-1', 'worker-2']) {
		folders[name] = n8n.createUserFolder({ line: LINE, parent: context.baseFolder });
		await n8n.installPackageTarball(folders[name], context.tarball);
	}

	const importStarted = Date.now();
	await importAndPublish({ userFolder: folders.main, env: sharedEnv, emulator: context.emulator, withTrigger: context.withTrigger });
	timings.importMs = Date.now() - importStarted;

	context.workerLogs = {};
	const startWorker = async (name) => {
		const env = { ...(await n8n.n8nEnvironment(folders[name])), ...sharedEnv };
		context.workerLogs[name] = path.join(folders[name], 'n8n-worker.log');
		return services.startN8nWorker({
			name,
			n8nPaths,
			env,
			cwd: folders[name],
			logFile: context.workerLogs[name],
			concurrency: WORKER_CONCURRENCY,
		});
	};
	const startsAt = Date.now();
	const [main, worker1] = await Promise.all([
		startN8nServer({ line: LINE, userFolder: folders.main, env: sharedEnv }).then((server) => {
			context.main = server;
			return server;
		}),
		startWorker('worker-1'),
		startWorker('worker-2'),
	]);
	context.worker1 = worker1;
	timings.startMs = Date.now() - startsAt;
	log(`main at ${main.url}, workers ready`);

	// Main passes its readiness check before it has activated the published workflows, and until
	// the webhook is stored, its path returns 404.
	const registered = await waitUntil('main to register the webhook', async () => {
		const { rows } = await database.query('SELECT "webhookPath", method FROM webhook_entity WHERE "workflowId" = $1', [WORKFLOW_ID]);
		return { done: rows.some((row) => row.webhookPath === WEBHOOK_PATH && row.method === 'POST'), rows };
	}, ACTIVATION_TIMEOUT_MS);
	check('publish:workflow before start activates the webhook', registered.done, JSON.stringify(registered.rows));
	context.webhookUrl = `${main.url}/webhook/${WEBHOOK_PATH}`;
}

/** Round 1: 40 calls with both workers up; every execution must succeed with its exact rows. */
async function runSteadyRound(context) {
	const { database, flatted, keys, expected, workerLogs } = context;
	const roundStarted = Date.now();
	const responses = await postRound(context.webhookUrl, keys, 1);
	const accepted = responses.filter((response) => response.status === 200).length;
	check(`round 1: ${REQUESTS_PER_ROUND} webhook calls accepted`, accepted === REQUESTS_PER_ROUND,
		`${accepted} answered 200; first other: ${responses.find((response) => response.status !== 200)?.text?.slice(0, 200) ?? 'none'}`);
	const round = await waitUntil('round 1 executions to finish', async () => {
		const executions = await readExecutions(database, flatted);
		const done = executions.length >= accepted && executions.every((execution) => FINAL_STATUSES.has(execution.status));
		return { done, executions };
	}, EXECUTIONS_TIMEOUT_MS);
	context.timings.round1Ms = Date.now() - roundStarted;

	const { executions } = round;
	check(`round 1: ${REQUESTS_PER_ROUND} executions recorded`, executions.length === REQUESTS_PER_ROUND, `${executions.length} recorded`);
	const notSuccess = executions.filter((execution) => execution.status !== 'success');
	check('round 1: every execution succeeded', notSuccess.length === 0,
		notSuccess.map((execution) => `${execution.id}: ${execution.status}`).join(', '));
	const problems = executions.map((execution) => rowProblem(execution, expected)).filter(Boolean);
	check(`round 1: every execution emitted its exact ${ROWS_PER_REQUEST} airports, paired`, problems.length === 0, problems.slice(0, 3).join('; '));
	const keysRun = executions.map((execution) => webhookBody(execution)?.after).sort();
	check('round 1: each key ran exactly once', JSON.stringify(keysRun) === JSON.stringify([...keys].sort()));

	const logs = Object.fromEntries(Object.entries(workerLogs).map(([name, file]) => [name, workerExecutions(file)]));
	const ids = executions.map((execution) => execution.id);
	const finishedOn = ids.map((id) => Object.keys(logs).filter((name) => logs[name].finished.has(id)));
	const perWorker = Object.fromEntries(Object.keys(logs).map((name) => [name, ids.filter((id) => logs[name].finished.has(id)).length]));
	check('round 1: each execution finished on exactly one worker', finishedOn.every((names) => names.length === 1),
		ids.filter((_, index) => finishedOn[index].length !== 1).join(', '));
	check('round 1: both workers ran executions', perWorker['worker-1'] > 0 && perWorker['worker-2'] > 0, JSON.stringify(perWorker));
	return perWorker;
}

/**
 * Round 2: 40 calls, and worker-1 is killed with SIGKILL once it runs two of them. Executions it
 * held may fail; every execution n8n reports as successful must carry its exact rows.
 */
async function runKillRound(context) {
	const { database, flatted, keys, expected, workerLogs } = context;
	const lastIdBefore = await maxExecutionId(database);
	const roundStarted = Date.now();
	const posting = postRound(context.webhookUrl, keys, 2);
	const inFlight = await waitUntil('worker-1 to run round-2 executions', async () => {
		const { started, finished } = workerExecutions(workerLogs['worker-1']);
		const running = [...started].filter((id) => id > lastIdBefore && !finished.has(id));
		return { done: running.length >= 2, running };
	}, KILL_WAIT_TIMEOUT_MS);
	await context.worker1.kill();
	const killedAt = Date.now();
	log(`killed worker-1 (SIGKILL) with executions ${inFlight.running.join(', ')} in flight`);
	check('round 2: worker-1 had executions in flight when killed', inFlight.running.length >= 2, inFlight.running.join(', '));

	const responses = await posting;
	const accepted = responses.filter((response) => response.status === 200).length;
	check(`round 2: ${REQUESTS_PER_ROUND} webhook calls accepted`, accepted === REQUESTS_PER_ROUND, `${accepted} answered 200`);
	const round = await waitUntil('round 2 executions to reach a final status', async () => {
		const executions = await readExecutions(database, flatted, lastIdBefore);
		const done = executions.length >= accepted && executions.every((execution) => FINAL_STATUSES.has(execution.status));
		return { done, executions };
	}, EXECUTIONS_TIMEOUT_MS);
	context.timings.round2Ms = Date.now() - roundStarted;
	const settledAfterKillMs = round.done ? Date.now() - killedAt : undefined;
	const { executions } = round;
	check('round 2: every accepted call has an execution record', executions.length === accepted, `${executions.length} records for ${accepted} accepted calls`);

	const byStatus = {};
	for (const execution of executions) byStatus[execution.status] = (byStatus[execution.status] ?? 0) + 1;
	log(`round 2 statuses: ${JSON.stringify(byStatus)}`);
	const succeeded = executions.filter((execution) => execution.status === 'success');
	const problems = succeeded.map((execution) => rowProblem(execution, expected)).filter(Boolean);
	check('round 2: every execution reported successful emitted its exact rows', problems.length === 0, problems.slice(0, 3).join('; '));
	const successKeys = succeeded.map((execution) => webhookBody(execution)?.after);
	check('round 2: no key succeeded twice', new Set(successKeys).size === successKeys.length);

	const logs = Object.fromEntries(Object.entries(workerLogs).map(([name, file]) => [name, workerExecutions(file)]));
	const cutOff = executions.filter((execution) => logs['worker-1'].started.has(execution.id) && !logs['worker-1'].finished.has(execution.id));
	check('round 2: no execution cut off by the kill is reported successful',
		cutOff.every((execution) => execution.status !== 'success'),
		cutOff.map((execution) => `${execution.id}: ${execution.status}`).join(', '));
	const failed = executions.filter((execution) => execution.status !== 'success');
	for (const execution of failed) {
		const where = Object.keys(logs).filter((name) => logs[name].started.has(execution.id)).join(', ') || 'no worker log';
		log(`round 2 execution ${execution.id} is '${execution.status}' (started on: ${where}): ${execution.data?.resultData?.error?.message ?? 'no error stored'}`);
	}
	// Bull hands a worker at most its concurrency in jobs, so the kill can cut off no more.
	check(`round 2: at most ${WORKER_CONCURRENCY} executions (worker-1's concurrency) did not succeed`, failed.length <= WORKER_CONCURRENCY,
		`${failed.length} did not succeed`);
	const failedOnSurvivor = failed.filter((execution) => logs['worker-2'].started.has(execution.id));
	check('round 2: every execution worker-2 started succeeded', failedOnSurvivor.length === 0,
		failedOnSurvivor.map((execution) => `${execution.id}: ${execution.status}`).join(', '));
	const onSurvivor = succeeded.filter((execution) => logs['worker-2'].finished.has(execution.id));
	check('round 2: worker-2 went on running executions', onSurvivor.length > 0, `${onSurvivor.length} succeeded on worker-2`);

	return {
		byStatus,
		cutOff: cutOff.map((execution) => `${execution.id}:${execution.status}`),
		leftUnfinished: executions.filter((execution) => !FINAL_STATUSES.has(execution.status)).map((execution) => execution.id),
		settledAfterKillMs,
	};
}

async function run(context) {
	const started = Date.now();
	context.timings = {};
	await prepareServices(context);
	await startQueueN8n(context);
	const perWorkerRound1 = await runSteadyRound(context);
	const round2 = await runKillRound(context);

	let trigger = 'not checked: the package does not ship nodes/PeakaTrigger';
	if (context.withTrigger) {
		const triggerStarted = Date.now();
		trigger = await checkTrigger(context);
		context.timings.triggerMs = Date.now() - triggerStarted;
	}
	return { timings: context.timings, perWorkerRound1, round2, trigger, totalMs: Date.now() - started };
}

async function cleanUp(context) {
	const stops = [];
	await context.database?.end().catch(() => {});
	if (context.main) stops.push(context.main.stop());
	await Promise.allSettled(stops);
	await services.stopAllServices();
	await context.emulator?.close().catch(() => {});
	if (context.baseFolder) fs.rmSync(context.baseFolder, { recursive: true, force: true });
	if (context.tarball) fs.rmSync(path.dirname(context.tarball), { recursive: true, force: true });
}

async function main() {
	if (!isLineReady(LINE)) {
		const message = `n8n line ${LINE} is not prepared in ${cacheRoot()}. Run 'node test/e2e/prepare-cache.js --only ${LINE}'.`;
		if (process.env.PEAKA_E2E === '1') {
			log(`FAIL ${message}`);
			process.exitCode = 1;
			return;
		}
		log(`SKIPPED: ${message}`);
		return;
	}

	const context = {};
	const interrupt = (signal) => {
		log(`received ${signal}; stopping every process the harness started`);
		cleanUp(context).finally(() => process.exit(130));
	};
	process.once('SIGINT', interrupt);
	process.once('SIGTERM', interrupt);

	const wallStarted = Date.now();
	let summary;
	try {
		summary = await run(context);
	} catch (error) {
		check('harness ran to the end', false, error.stack ?? error.message);
	} finally {
		await cleanUp(context);
	}
	const leftovers = context.baseFolder && fs.existsSync(context.baseFolder);
	check('data folders removed', !leftovers, context.baseFolder);
	const live = services.liveGroups();
	if (context.main && services.signalGroup(context.main.pid, 0)) live.push({ name: 'main', pid: context.main.pid });
	check('every process started is stopped', live.length === 0, live.map(({ name, pid }) => `${name} (process group ${pid})`).join(', '));

	if (summary) log(`summary ${JSON.stringify(summary)}`);
	log(`wall time ${Math.round((Date.now() - wallStarted) / 1000)} s`);
	const failed = results.filter((result) => !result.passed).length;
	process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
	process.exitCode = failed > 0 ? 1 : 0;
}

main();
