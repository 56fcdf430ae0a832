'use strict';

// Runs the Peaka Trigger in a real `n8n start` of both lines, with the workflow activated from the
// command line before n8n starts: `publish:workflow --id` on 2.40.7 (whose `update:workflow
// --active=true` is a deprecated alias of it) and `update:workflow --id --active=true` on 1.123.81.
// Rows inserted into the emulator's events table must start one execution that carries each row
// once. n8n polls at most once a minute on both lines, so a line takes two to three minutes.
// Skipped when the n8n cache is not prepared, unless PEAKA_E2E=1.

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const { LINES, LINE_ORDER, cacheRoot, isLineReady } = require('./prepare-cache');
const n8n = require('./n8n');
const { startN8nServer } = require('./n8n-server');
const { EXAMPLE_CREDENTIAL, packPackage, prepareN8n } = require('./peaka-in-n8n');
const { startEmulator } = require('../../emulator/src/index.js');

const E2E_REQUIRED = process.env.PEAKA_E2E === '1';
const LINE_TIMEOUT_MS = 420_000;
const DATASETS_CATALOG_ID = '846085284821991568';
const WAIT_STEP_MS = 2_000;
/** Two poll intervals of one minute, plus n8n's start-up. */
const POLL_WAIT_MS = 150_000;
const EXECUTE_PATH = '/data/projects/mtKDhe1U/queries/execute';

// Poll times per line. n8n 2.40.7 refuses a cron whose seconds field is not a single number, so a
// minute is its shortest interval. n8n 1.123.81 refuses a seconds field containing `*` only, so
// a list of seconds polls four times a minute there.
const POLL_TIMES = {
	2: { item: [{ mode: 'custom', cronExpression: '0 * * * * *' }] },
	1: { item: [{ mode: 'custom', cronExpression: '0,15,30,45 * * * * *' }] },
};

const ACTIVATE_COMMANDS = {
	2: (id) => ['publish:workflow', `--id=${id}`],
	1: (id) => ['update:workflow', `--id=${id}`, '--active=true'],
};

const readyLines = LINE_ORDER.filter((lineKey) => isLineReady(lineKey));
if (readyLines.length < LINE_ORDER.length && !E2E_REQUIRED) {
	console.warn(`[e2e trigger] SKIPPED the n8n lines not prepared in ${cacheRoot()}; run 'node test/e2e/prepare-cache.js'.`);
}
const linesToRun = E2E_REQUIRED ? LINE_ORDER : readyLines;

function triggerWorkflow(lineKey, emulator) {
	return {
		id: `peakaTriggerE2e${lineKey}`,
		name: `Peaka: new events (n8n line ${lineKey})`,
		nodes: [
			{
				id: 'b1f0c6a2-0d3e-4c1a-9f6e-1a2b3c4d5e01',
				name: 'New Events',
				type: 'n8n-nodes-peaka.peakaTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					pollTimes: POLL_TIMES[lineKey],
					event: 'newRows',
					project: { __rl: true, mode: 'id', value: emulator.projectId },
					source: 'table',
					catalog: { __rl: true, mode: 'id', value: DATASETS_CATALOG_ID },
					schema: { __rl: true, mode: 'id', value: 'public' },
					table: { __rl: true, mode: 'id', value: 'events' },
					watermarkColumn: 'created_at',
					tieBreakerColumn: 'id',
				},
				credentials: { peakaApi: EXAMPLE_CREDENTIAL },
			},
			{
				id: 'b1f0c6a2-0d3e-4c1a-9f6e-1a2b3c4d5e02',
				name: 'Received',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			},
		],
		connections: { 'New Events': { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/**
 * Reads every execution of a workflow from the line's SQLite database, oldest first, with the
 * items its trigger emitted. The line's own Node.js runs the query with that install's sqlite3
 * and flatted, so no native module loads into jest.
 */
function readExecutions(userFolder, workflowId, triggerName) {
	const paths = n8n.lineOfUserFolder(userFolder);
	const database = path.join(userFolder, '.n8n', 'database.sqlite');
	const script = `
const from = (name) => require.resolve(name, { paths: [process.argv[1]] });
const sqlite3 = require(from('sqlite3'));
const { parse } = require(from('flatted'));
const db = new sqlite3.Database(process.argv[2], sqlite3.OPEN_READONLY);
db.all('SELECT e.id, e.status, e.mode, d.data FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = ? ORDER BY e.id', [process.argv[3]], (error, rows) => {
	if (error) { console.error(error.message); process.exit(1); }
	process.stdout.write(JSON.stringify(rows.map((row) => {
		const runs = row.data ? parse(row.data).resultData.runData[process.argv[4]] : undefined;
		const items = runs?.[0]?.data?.main?.[0] ?? [];
		return { id: row.id, status: row.status, mode: row.mode, items: items.map((item) => item.json) };
	})));
});
`;
	const output = execFileSync(paths.nodeBin, ['-e', script, path.join(paths.n8nModules, 'n8n'), database, workflowId, triggerName], {
		encoding: 'utf8',
		env: { PATH: process.env.PATH },
	});
	return JSON.parse(output);
}

async function waitFor(read, done, description) {
	const deadline = Date.now() + POLL_WAIT_MS;
	for (;;) {
		const value = await read();
		if (done(value)) return value;
		if (Date.now() > deadline) throw new Error(`Timed out after ${POLL_WAIT_MS} ms waiting for ${description}; last read ${JSON.stringify(value)}.`);
		await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
	}
}

let tarball;
let emulator;
let insertRound = 0;

beforeAll(async () => {
	if (linesToRun.length === 0) return;
	tarball = packPackage();
	emulator = await startEmulator({ behaviour: 'spec', eventsRows: 5 });
}, 120_000);

afterAll(async () => {
	await emulator?.close();
	if (tarball) fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
});

const lineTable = linesToRun.map((lineKey) => [LINES[lineKey].n8nVersion, lineKey]);
if (lineTable.length === 0) {
	describe.skip('Peaka Trigger in real n8n (no n8n line prepared)', () => {
		it('emits inserted rows', () => {});
	});
}
const describeEachLine = lineTable.length > 0 ? describe.each(lineTable) : () => () => {};

describeEachLine('Peaka Trigger in an active workflow of n8n %s', (_version, lineKey) => {
	let userFolder;
	let server;

	afterAll(async () => {
		await server?.stop();
		if (userFolder) n8n.removeUserFolder(userFolder);
	});

	it(
		'starts one execution for rows inserted after activation, each row once',
		async () => {
			const workflow = triggerWorkflow(lineKey, emulator);
			userFolder = await prepareN8n({ line: lineKey, tarball, emulator, workflows: [workflow] });
			await n8n.runN8nCommand(userFolder, ACTIVATE_COMMANDS[lineKey](workflow.id));
			emulator.faults.clearRequests();
			const executeCount = () => emulator.faults.requests().filter((request) => request.path === EXECUTE_PATH).length;

			server = await startN8nServer({ line: lineKey, userFolder });
			// The activation poll and the first scheduled poll: by then the cursor marks where the rows end.
			await waitFor(async () => executeCount(), (count) => count >= 2, 'the first scheduled poll');
			expect(readExecutions(userFolder, workflow.id, 'New Events')).toEqual([]);

			// Both lines share one events table, so each run's rows must come after every earlier row.
			insertRound += 1;
			const createdAt = `2070-0${insertRound}-01 12:00:00`;
			const inserted = await emulator.engine.insertEvents(emulator.projectId, [
				{ created_at: createdAt, payload: `line ${lineKey} a` },
				{ created_at: createdAt, payload: `line ${lineKey} b` },
				{ created_at: createdAt, payload: `line ${lineKey} c` },
			]);
			const [execution] = await waitFor(
				async () => readExecutions(userFolder, workflow.id, 'New Events'),
				(executions) => executions.length > 0 && executions[0].status !== 'running' && executions[0].status !== 'new',
				'an execution of the trigger',
			);
			// One more poll after the emitting one: it must find nothing new.
			const pollsAfter = executeCount();
			await waitFor(async () => executeCount(), (count) => count > pollsAfter, 'the poll after the execution');
			await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));

			expect(execution.status).toBe('success');
			expect(execution.mode).toBe('trigger');
			expect(execution.items).toEqual(
				inserted.map((row) => ({ id: row.id, created_at: `${createdAt}.000000`, payload: row.payload })),
			);
			expect(readExecutions(userFolder, workflow.id, 'New Events')).toHaveLength(1);
		},
		LINE_TIMEOUT_MS,
	);
});
