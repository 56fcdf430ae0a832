'use strict';

// `npm run bench`: turns flights rows into n8n items with the Peaka node, against the floor (a bare
// script fetching COMPACT) and against the HTTP Request + Code baseline, at 10,000, 100,000 and
// 1,000,000 rows, and counts inexact values. See bench/README.md for what each figure means.
//
// Options: --sizes 10000,100000  row counts;  --quick  1,000 and 5,000 rows (CI's check that the
// script works);  --no-n8n  skip real n8n;  --publish  write bench/RESULTS.md and bench/chart.svg.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');

const { collectReference, countEdgeDifferences, countFlightDifferences } = require('./support/exactness');
const { writeChart } = require('./support/chart');
const { writeResults } = require('./support/report');

const REPOSITORY_ROOT = path.resolve(__dirname, '..');
const ARTIFACTS_FOLDER = path.join(REPOSITORY_ROOT, 'test-artifacts', 'bench');
const DEFAULT_SIZES = [10_000, 100_000, 1_000_000];
const QUICK_SIZES = [1_000, 5_000];
const INSERT_ROWS = [10_000, 100_000];
const QUICK_INSERT_ROWS = [1_000];
// The node's default batch size, and the largest it takes.
const INSERT_BATCH_SIZES = [1_000, 50_000];
const SMALL_EVENTS_ROWS = 10_000;
const LARGE_EVENTS_ROWS = 3_000_000;
const QUICK_LARGE_EVENTS_ROWS = 100_000;
const N8N_HEAP_MB = 4096;
const CHILD_TIMEOUT_MS = 15 * 60_000;
const FLIGHTS_SQL = (rows) => `SELECT * FROM datasets.public.flights LIMIT ${rows}`;
const EDGE_SQL = require('../test/support/edge-items').EDGE_ROWS_SQL;

function parseArguments(argv) {
	const options = { sizes: DEFAULT_SIZES, n8n: true, publish: false, quick: false };
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index];
		if (argument === '--quick') {
			options.quick = true;
			options.sizes = QUICK_SIZES;
		} else if (argument === '--no-n8n') options.n8n = false;
		else if (argument === '--publish') options.publish = true;
		else if (argument === '--sizes') {
			options.sizes = String(argv[++index] ?? '')
				.split(',')
				.map((value) => Number(value));
			if (options.sizes.some((value) => !Number.isInteger(value) || value < 1)) {
				throw new Error(`--sizes value '${argv[index]}' is invalid: give whole numbers of rows separated by commas, e.g. --sizes 10000,100000.`);
			}
		} else throw new Error(`Unknown option ${argument}. Options: --sizes N,N  --quick  --no-n8n  --publish.`);
	}
	return options;
}

function log(message) {
	console.log(`[bench] ${message}`);
}

/** Runs a child process; resolves with its stdout, rejects with its stderr tail on failure. */
function runChild(command, args, { env = process.env, timeoutMs = CHILD_TIMEOUT_MS } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd: REPOSITORY_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
		const stdout = [];
		const stderr = [];
		child.stdout.on('data', (chunk) => stdout.push(chunk));
		child.stderr.on('data', (chunk) => stderr.push(chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			const output = Buffer.concat(stdout).toString('utf8');
			if (code === 0) resolve(output);
			else {
				const tail = Buffer.concat(stderr).toString('utf8').slice(-2000) || output.slice(-2000);
				const script = path.basename(args.find((argument) => argument.endsWith('.js')) ?? command);
				reject(new Error(`${script} failed with ${signal ?? `exit code ${code}`}: ${tail.trim()}`));
			}
		});
	});
}

function lastJsonLine(output) {
	const line = output.trim().split('\n').filter((entry) => entry.startsWith('{')).pop();
	return JSON.parse(line);
}

async function startEmulatorProcess(eventsRows = SMALL_EVENTS_ROWS) {
	const child = spawn(process.execPath, [path.join(__dirname, 'support', 'emulator-process.js')], {
		cwd: REPOSITORY_ROOT,
		env: { ...process.env, PEAKA_BENCH_EVENTS_ROWS: String(eventsRows) },
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const lines = readline.createInterface({ input: child.stdout });
	const info = await new Promise((resolve, reject) => {
		child.once('exit', (code) => reject(new Error(`The emulator exited with code ${code} before it listened.`)));
		lines.once('line', (line) => resolve(JSON.parse(line)));
	});
	return { ...info, stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))) };
}

async function readMemoryFile(file) {
	const report = JSON.parse(fs.readFileSync(file, 'utf8'));
	fs.rmSync(file, { force: true });
	return report;
}

async function measureFloor(nodeBinary, emulator, sql) {
	const memoryFile = path.join(os.tmpdir(), `peaka-bench-floor-${process.pid}.json`);
	const output = await runChild(
		nodeBinary,
		['--require', path.join(__dirname, 'support', 'peak-memory.js'), path.join(__dirname, 'floor.js'), emulator.baseUrl, emulator.projectKey, emulator.projectId, sql],
		{ env: { ...process.env, PEAKA_BENCH_MEMORY_FILE: memoryFile } },
	);
	const figures = lastJsonLine(output);
	const memory = await readMemoryFile(memoryFile);
	return { rows: figures.rows, ms: figures.ms, maxRssBytes: memory.maxRssBytes, node: memory.node };
}

async function measureInProcess(emulator, sql, engine, reference) {
	const itemsFile = path.join(os.tmpdir(), `peaka-bench-items-${process.pid}.ndjson`);
	try {
		const output = await runChild(process.execPath, [path.join(__dirname, 'in-process.js'), emulator.baseUrl, emulator.projectKey, emulator.projectId, sql, engine, itemsFile], {
			env: { ...process.env, PEAKA_BENCH_TRINO_URL: emulator.trinoUrl ?? '' },
		});
		const figures = lastJsonLine(output);
		const inexact = await countFlightDifferences(readItemsFile(itemsFile), reference);
		return { ...figures, node: process.version, inexact };
	} finally {
		fs.rmSync(itemsFile, { force: true });
	}
}

async function measureInserts(emulator, sizes) {
	const entries = [];
	for (const rows of sizes) {
		for (const batchSize of INSERT_BATCH_SIZES) {
			try {
				const output = await runChild(process.execPath, [path.join(__dirname, 'insert-rows.js'), emulator.baseUrl, emulator.projectKey, emulator.projectId, String(rows), String(batchSize)]);
				const figures = lastJsonLine(output);
				entries.push(figures);
				log(`Insert Rows, ${rows} rows in batches of ${batchSize}: node ${Math.round(figures.nodeMs)} ms, floor ${Math.round(figures.floorMs)} ms, ${figures.storedRows} rows stored`);
			} catch (error) {
				entries.push({ rows, batchSize, error: error.message.split('\n')[0].slice(0, 300) });
				log(`Insert Rows, ${rows} rows in batches of ${batchSize}: failed: ${error.message}`);
			}
		}
	}
	return entries;
}

async function measureTriggerPolls(emulator, largeRows) {
	const large = await startEmulatorProcess(largeRows);
	const entries = [];
	try {
		for (const target of [{ ...emulator, tableRows: SMALL_EVENTS_ROWS }, { ...large, tableRows: largeRows }]) {
			const output = await runChild(process.execPath, [path.join(__dirname, 'trigger-poll.js'), target.baseUrl, target.adminUrl, target.projectKey, target.projectId, String(target.tableRows)]);
			const figures = lastJsonLine(output);
			entries.push(figures);
			log(`trigger poll on ${target.tableRows} rows: ${figures.ms.toFixed(1)} ms, ${figures.emitted} of ${figures.expected} new rows emitted`);
		}
	} finally {
		await large.stop();
	}
	return entries;
}

async function* readItemsFile(file) {
	const lines = readline.createInterface({ input: fs.createReadStream(file) });
	for await (const line of lines) if (line) yield JSON.parse(line);
}

async function main() {
	const options = parseArguments(process.argv.slice(2));
	fs.mkdirSync(ARTIFACTS_FOLDER, { recursive: true });
	const started = new Date();
	log(`sizes ${options.sizes.join(', ')}; real n8n ${options.n8n ? 'on' : 'off'}`);

	const n8nBench = options.n8n ? require('./support/n8n-bench') : undefined;
	const emulator = await startEmulatorProcess();
	log(`emulator at ${emulator.baseUrl}${emulator.trinoUrl ? `, Trino protocol at ${emulator.trinoUrl}` : ''}`);
	const engines = emulator.trinoUrl ? ['rest', 'streaming'] : ['rest'];
	const results = { started: started.toISOString(), machine: describeMachine(), sizes: [], edge: undefined, heapMb: N8N_HEAP_MB };

	let n8nSession;
	try {
		if (n8nBench) {
			log('preparing n8n 2.40.7 (build, pack, install, import)…');
			n8nSession = await n8nBench.prepare({ emulator, sizes: options.sizes, engines, flightsSql: FLIGHTS_SQL, edgeSql: EDGE_SQL, heapMb: N8N_HEAP_MB });
		}

		for (const rows of options.sizes) {
			const sql = FLIGHTS_SQL(rows);
			const reference = await collectReference(rows);
			const entry = { rows, contenders: [] };
			const record = (name, figures) => {
				entry.contenders.push({ name, ...figures });
				const summary = figures.error ? `failed: ${figures.error}` : `${Math.round(figures.ms)} ms, ${Math.round(figures.maxRssBytes / 2 ** 20)} MiB, ${figures.inexact ?? '-'} inexact`;
				log(`${rows} rows, ${name}: ${summary}`);
			};
			const attempt = async (name, measure) => {
				try {
					record(name, await measure());
				} catch (error) {
					record(name, { error: error.message.split('\n')[0].slice(0, 300) });
				}
			};

			await attempt('floor (Node 20)', () => measureFloor(process.execPath, emulator, sql));
			for (const engine of engines) {
				await attempt(`node, ${engine}, in-process (Node 20)`, () => measureInProcess(emulator, sql, engine, reference));
			}
			if (n8nSession) {
				await attempt('floor (Node 24)', () => measureFloor(n8nSession.nodeBinary, emulator, sql));
				for (const engine of engines) {
					await attempt(`node, ${engine}, n8n 2.40.7`, () => n8nSession.runNode(rows, engine, reference));
				}
				await attempt('HTTP Request + Code, n8n 2.40.7', () => n8nSession.runBaseline(rows, reference));
			}
			results.sizes.push(entry);
		}

		results.insert = await measureInserts(emulator, options.quick ? QUICK_INSERT_ROWS : INSERT_ROWS);
		results.trigger = await measureTriggerPolls(emulator, options.quick ? QUICK_LARGE_EVENTS_ROWS : LARGE_EVENTS_ROWS);

		if (n8nSession) {
			results.edge = await n8nSession.runEdge(countEdgeDifferences);
			log(`edge table: node ${results.edge.node} inexact values, baseline ${results.edge.baseline} of ${results.edge.values}`);
		}
	} finally {
		await n8nSession?.close();
		await emulator.stop();
	}

	const resultsFile = path.join(ARTIFACTS_FOLDER, 'results.json');
	fs.writeFileSync(resultsFile, `${JSON.stringify(results, null, '\t')}\n`);
	const table = writeResults(results, { publish: options.publish, command: `npm run bench${options.quick ? ' -- --quick' : ''}` });
	console.log(`\n${table}`);
	if (options.publish) {
		writeChart(results, path.join(__dirname, 'chart.svg'));
		log('wrote bench/RESULTS.md and bench/chart.svg');
	}
	log(`results in ${path.relative(REPOSITORY_ROOT, resultsFile)}`);

	// At CI's small sizes every contender must finish and the node must be exact.
	if (options.quick) {
		const problems = results.sizes.flatMap((entry) =>
			entry.contenders
				.filter((contender) => contender.error || (contender.name.startsWith('node') && contender.inexact !== 0))
				.map((contender) => `${entry.rows} rows, ${contender.name}: ${contender.error ?? `${contender.inexact} inexact values`}`),
		);
		if (results.edge && results.edge.node !== 0) problems.push(`edge table: the node gave ${results.edge.node} inexact values`);
		for (const entry of results.insert) {
			if (entry.error || entry.storedRows !== 2 * entry.rows) problems.push(`Insert Rows, ${entry.rows} rows: ${entry.error ?? `${entry.storedRows} rows stored, not ${2 * entry.rows}`}`);
		}
		for (const entry of results.trigger) {
			if (entry.emitted !== entry.expected) problems.push(`trigger poll on ${entry.tableRows} rows: ${entry.emitted} of ${entry.expected} new rows emitted`);
		}
		if (problems.length > 0) throw new Error(`the quick run found problems:\n${problems.join('\n')}`);
	}
}

function describeMachine() {
	const cpus = os.cpus();
	return {
		cpu: `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}`,
		memoryGiB: Math.round(os.totalmem() / 2 ** 30),
		os: `${os.type()} ${os.release()}`,
		node: process.version,
	};
}

main().catch((error) => {
	console.error(`[bench] ${error.message}`);
	process.exit(1);
});
