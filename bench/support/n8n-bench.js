'use strict';

// The real-n8n part of the bench: n8n 2.40.7 on Node 24 from the e2e cache, the packed package
// installed as Community Nodes does, and one workflow per contender and size. Each run is an
// `n8n execute` process with a fixed heap; its peak RSS comes from bench/support/peak-memory.js
// and the node's own time from the run data n8n prints.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const { prepareCache } = require('../../test/e2e/prepare-cache');
const n8n = require('../../test/e2e/n8n');
const { EXAMPLE_CREDENTIAL, packPackage } = require('../../test/e2e/peaka-in-n8n');
const { countFlightDifferences } = require('./exactness');

const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');
const PEAKA_NODE = 'Peaka';
const HTTP_NODE = 'HTTP Request';
const FLATTEN_NODE = 'Flatten Rows';
const EXECUTE_TIMEOUT_MS = 15 * 60_000;

// The code a user writes without this package: it turns CELL_TYPED rows into one item per row,
// keeping Peaka's text values as they come.
const FLATTEN_CODE = `const body = $input.first().json;
return body.data.map((row) => ({ json: Object.fromEntries(row.map((cell) => [cell.name, cell.value])) }));`;

function workflowId(kind, rows) {
	return `bench${kind}${String(rows)}`.padEnd(16, 'x').slice(0, 16);
}

function manualTrigger() {
	return { id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
}

function nodeWorkflow(id, emulator, sql, engine) {
	return {
		id,
		name: `Bench: Peaka node (${engine}) ${id}`,
		nodes: [
			manualTrigger(),
			{
				id: 'peaka',
				name: PEAKA_NODE,
				type: 'n8n-nodes-peaka.peaka',
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					resource: 'query',
					operation: 'execute',
					project: { __rl: true, mode: 'id', value: emulator.projectId },
					source: 'statement',
					sql,
					returnAll: true,
					options: engine === 'streaming' ? { engine: 'streaming' } : {},
				},
				credentials: { peakaApi: EXAMPLE_CREDENTIAL },
			},
		],
		connections: { Start: { main: [[{ node: PEAKA_NODE, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

function baselineWorkflow(id, emulator, sql) {
	return {
		id,
		name: `Bench: HTTP Request + Code ${id}`,
		nodes: [
			manualTrigger(),
			{
				id: 'http',
				name: HTTP_NODE,
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					method: 'POST',
					url: `${emulator.baseUrl}/data/projects/${emulator.projectId}/queries/execute?format=CELL_TYPED`,
					authentication: 'predefinedCredentialType',
					nodeCredentialType: 'peakaApi',
					sendBody: true,
					specifyBody: 'json',
					jsonBody: JSON.stringify({ statement: sql }),
					options: {},
				},
				credentials: { peakaApi: EXAMPLE_CREDENTIAL },
			},
			{ id: 'flatten', name: FLATTEN_NODE, type: 'n8n-nodes-base.code', typeVersion: 2, position: [440, 0], parameters: { jsCode: FLATTEN_CODE } },
		],
		connections: {
			Start: { main: [[{ node: HTTP_NODE, type: 'main', index: 0 }]] },
			[HTTP_NODE]: { main: [[{ node: FLATTEN_NODE, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

/**
 * Runs an n8n command with stdout and stderr going to files. Node.js writes to a pipe
 * asynchronously, and `n8n execute` exits before a large run's JSON has all gone through one, so a
 * pipe would cut the output of a 100,000-row run short; writes to a file are synchronous.
 */
async function runToFiles(userFolder, args, extraEnv) {
	const paths = n8n.lineOfUserFolder(userFolder);
	const env = { ...(await n8n.n8nEnvironment(userFolder, paths)), ...extraEnv };
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'peaka-bench-out-'));
	const outFile = path.join(folder, 'stdout.txt');
	const errFile = path.join(folder, 'stderr.txt');
	const out = fs.openSync(outFile, 'w');
	const err = fs.openSync(errFile, 'w');
	const started = Date.now();
	try {
		const { code, signal } = await new Promise((resolve, reject) => {
			const child = spawn(paths.nodeBin, [paths.n8nBin, ...args], { cwd: userFolder, env, stdio: ['ignore', out, err], detached: true });
			const timer = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), EXECUTE_TIMEOUT_MS);
			child.on('error', reject);
			child.on('close', (exitCode, exitSignal) => {
				clearTimeout(timer);
				resolve({ code: exitCode, signal: exitSignal });
			});
		});
		return {
			stdout: fs.readFileSync(outFile, 'utf8'),
			stderr: fs.readFileSync(errFile, 'utf8'),
			exitDescription: signal ? `signal ${signal}` : `exit code ${code}`,
			wallMs: Date.now() - started,
		};
	} finally {
		fs.closeSync(out);
		fs.closeSync(err);
		fs.rmSync(folder, { recursive: true, force: true });
	}
}

async function prepare({ emulator, sizes, engines, flightsSql, edgeSql, heapMb }) {
	await prepareCache({ only: ['2'] });
	const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: REPOSITORY_ROOT, stdio: 'inherit' });
	if (build.status !== 0) throw new Error('npm run build failed; the bench needs dist/.');
	const tarball = packPackage();

	const workflows = [];
	for (const rows of sizes) {
		for (const engine of engines) workflows.push(nodeWorkflow(workflowId(`N${engine[0]}`, rows), emulator, flightsSql(rows), engine));
		workflows.push(baselineWorkflow(workflowId('B', rows), emulator, flightsSql(rows)));
	}
	const edgeNode = nodeWorkflow(workflowId('EdgeN', 0), emulator, edgeSql, 'rest');
	const edgeBaseline = baselineWorkflow(workflowId('EdgeB', 0), emulator, edgeSql);
	workflows.push(edgeNode, edgeBaseline);

	const userFolder = n8n.createUserFolder({ line: '2' });
	await n8n.installPackageTarball(userFolder, tarball);
	await n8n.importCredentials(userFolder, [
		{
			...EXAMPLE_CREDENTIAL,
			type: 'peakaApi',
			data: { apiKey: emulator.projectKey, zone: 'custom', baseUrl: emulator.baseUrl, trinoUrl: emulator.trinoUrl ?? '', allowUnencryptedHttp: false },
		},
	]);
	await n8n.importWorkflows(userFolder, workflows);
	fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	const nodeBinary = n8n.lineOfUserFolder(userFolder).nodeBin;

	async function execute(id) {
		const memoryFile = path.join(os.tmpdir(), `peaka-bench-n8n-${process.pid}.json`);
		const result = await runToFiles(userFolder, ['execute', `--id=${id}`, '--rawOutput'], {
			NODE_OPTIONS: `--max-old-space-size=${heapMb} --require ${path.join(__dirname, 'peak-memory.js')}`,
			PEAKA_BENCH_MEMORY_FILE: memoryFile,
		});
		const memory = fs.existsSync(memoryFile) ? JSON.parse(fs.readFileSync(memoryFile, 'utf8')) : {};
		fs.rmSync(memoryFile, { force: true });
		const run = n8n.parseExecuteOutput(result.stdout);
		if (!run || run.status !== 'success') {
			const tail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-3).join(' ').slice(-500);
			const message = run?.data?.resultData?.error?.message ?? `n8n exited with ${result.exitDescription}: ${tail}`;
			throw new Error(message);
		}
		return { runData: run.data.resultData.runData, maxRssBytes: memory.maxRssBytes, wallMs: result.wallMs };
	}

	const items = (runData, nodeName) => (runData[nodeName]?.[0]?.data?.main?.[0] ?? []).map((item) => item.json);
	const nodeMs = (runData, names) => names.reduce((sum, name) => sum + (runData[name]?.[0]?.executionTime ?? 0), 0);

	return {
		nodeBinary,
		async runNode(rows, engine, reference) {
			const { runData, maxRssBytes, wallMs } = await execute(workflowId(`N${engine[0]}`, rows));
			const output = items(runData, PEAKA_NODE);
			return { rows: output.length, ms: nodeMs(runData, [PEAKA_NODE]), wallMs, maxRssBytes, inexact: await countFlightDifferences(output, reference) };
		},
		async runBaseline(rows, reference) {
			const { runData, maxRssBytes, wallMs } = await execute(workflowId('B', rows));
			const output = items(runData, FLATTEN_NODE);
			return { rows: output.length, ms: nodeMs(runData, [HTTP_NODE, FLATTEN_NODE]), wallMs, maxRssBytes, inexact: await countFlightDifferences(output, reference) };
		},
		async runEdge(countEdgeDifferences) {
			const node = countEdgeDifferences(items((await execute(edgeNode.id)).runData, PEAKA_NODE));
			const baseline = countEdgeDifferences(items((await execute(edgeBaseline.id)).runData, FLATTEN_NODE));
			return { values: node.values, node: node.differences, baseline: baseline.differences };
		},
		async close() {
			n8n.removeUserFolder(userFolder);
		},
	};
}

module.exports = { prepare, FLATTEN_CODE };
