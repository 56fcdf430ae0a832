'use strict';

// Runs a real n8n from the e2e cache (see prepare-cache.js) in an isolated user folder: install a
// community package tarball the way n8n's installer does, import credentials and workflows, run
// `n8n execute` and read back what every node output, pairedItem included.
//
// A user folder belongs to one n8n line, because each n8n version migrates its own database
// schema. createUserFolder() records the line in the folder, and every other function reads it.

const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const { LINES, cacheRoot, isLineReady, linePaths } = require('./prepare-cache');

const USER_FOLDER_STATE_FILE = 'peaka-e2e.json';
const ENCRYPTION_KEY = 'n8n-nodes-peaka-e2e-fixed-encryption-key';
const N8N_COMMAND_TIMEOUT_MS = 180_000;
const NPM_COMMAND_TIMEOUT_MS = 300_000;
const OUTPUT_TAIL_CHARS = 4_000;
const WORKFLOW_ID_LENGTH = 16;
const WORKFLOW_ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// The registry n8n's installer passes to npm unless N8N_COMMUNITY_PACKAGES_REGISTRY is set
// (the same default in n8n 1.123 and 2.40).
const DEFAULT_NPM_REGISTRY = 'https://registry.npmjs.org';

// Flags of the `npm install` that n8n's community package installer runs inside the extracted
// package folder (CommunityPackagesService.downloadPackage, n8n 1.123.81 and 2.40.7).
const N8N_INSTALLER_NPM_FLAGS = [
	'--audit=false',
	'--fund=false',
	'--bin-links=false',
	'--install-strategy=shallow',
	'--ignore-scripts=true',
	'--package-lock=false',
];

// Settings that keep n8n from contacting any host. Every name exists in n8n 1.123.81 or 2.40.7,
// and n8n ignores names it does not know. The smoke test checks with strace that `n8n execute`
// then connects only to loopback: on 2.40.7 to its own task broker, on 1.123.81 nowhere.
const OFFLINE_SETTINGS = {
	N8N_DIAGNOSTICS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
	N8N_TEMPLATES_ENABLED: 'false',
	N8N_PERSONALIZATION_ENABLED: 'false',
	N8N_DYNAMIC_BANNERS_ENABLED: 'false',
	N8N_HIRING_BANNER_ENABLED: 'false',
	N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
	N8N_LICENSE_DETACH_FLOATING_ON_SHUTDOWN: 'false',
	N8N_VERIFIED_PACKAGES_ENABLED: 'false',
	N8N_REINSTALL_MISSING_PACKAGES: 'false',
	N8N_AI_ENABLED: 'false',
	N8N_AI_GATEWAY_ENABLED: 'false',
	N8N_PUBLIC_API_DISABLED: 'true',
	N8N_METRICS: 'false',
	N8N_SENTRY_DSN: '',
	N8N_FRONTEND_SENTRY_DSN: '',
	EXTERNAL_FRONTEND_HOOKS_URLS: '',
	N8N_LISTEN_ADDRESS: '127.0.0.1',
	N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
};

/**
 * Creates an empty n8n user folder for one n8n line ('1' or '2') and returns its path.
 * n8n keeps its data in `<userFolder>/.n8n` (database, config, nodes).
 */
function createUserFolder({ line = '2', parent = os.tmpdir() } = {}) {
	const lineKey = String(line);
	const paths = linePaths(lineKey);
	if (!isLineReady(lineKey)) {
		throw new Error(
			`n8n ${paths.n8nVersion} is not prepared in ${cacheRoot()}. ` +
				`Run 'node test/e2e/prepare-cache.js --only ${lineKey}' first.`,
		);
	}
	const userFolder = fs.mkdtempSync(path.join(parent, `peaka-e2e-n8n${lineKey}-`));
	fs.mkdirSync(path.join(userFolder, '.n8n', 'nodes'), { recursive: true });
	fs.writeFileSync(path.join(userFolder, USER_FOLDER_STATE_FILE), JSON.stringify({ line: lineKey }));
	return userFolder;
}

function removeUserFolder(userFolder) {
	fs.rmSync(userFolder, { recursive: true, force: true });
}

/** Returns the cache paths of the n8n line a user folder was created for. */
function lineOfUserFolder(userFolder) {
	const stateFile = path.join(userFolder, USER_FOLDER_STATE_FILE);
	let state;
	try {
		state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
	} catch (error) {
		throw new Error(`${userFolder} is not a user folder made by createUserFolder() (${error.message}).`);
	}
	return linePaths(state.line);
}

function nodesFolder(userFolder) {
	return path.join(userFolder, '.n8n', 'nodes');
}

/**
 * Installs an `npm pack` tarball into `<userFolder>/.n8n/nodes` with the steps of n8n's community
 * package installer: extract into node_modules/<name>, drop devDependencies, peerDependencies and
 * optionalDependencies from its package.json, `npm install` its own dependencies inside it, and
 * record it in the folder's package.json. Returns the package name, version and folder.
 *
 * NOTE: n8n fetches the tarball with `npm pack <name>@<version>` from the registry. This takes a
 * local tarball instead, so the registry download and n8n's integrity check are not exercised.
 */
async function installPackageTarball(userFolder, tgzPath) {
	lineOfUserFolder(userFolder);
	const tarball = path.resolve(tgzPath);
	const manifest = JSON.parse(await runCapture('tar', ['-xzOf', tarball, 'package/package.json']));
	const modulesFolder = path.join(nodesFolder(userFolder), 'node_modules');
	const packageFolder = path.join(modulesFolder, manifest.name);
	if (path.relative(modulesFolder, packageFolder).split(path.sep).join('/') !== manifest.name) {
		throw new Error(`Invalid package name '${manifest.name}' in ${tarball}.`);
	}

	fs.rmSync(packageFolder, { recursive: true, force: true });
	fs.mkdirSync(packageFolder, { recursive: true });
	await runCapture('tar', ['-xzf', tarball, '-C', packageFolder, '--strip-components=1']);

	// n8n strips these so that npm never installs a private n8n-workflow: the package must use
	// the one n8n itself loaded.
	const { devDependencies, peerDependencies, optionalDependencies, ...installedManifest } = manifest;
	fs.writeFileSync(path.join(packageFolder, 'package.json'), JSON.stringify(installedManifest, null, 2));

	const registry = process.env.N8N_COMMUNITY_PACKAGES_REGISTRY || DEFAULT_NPM_REGISTRY;
	await runCapture('npm', ['install', ...N8N_INSTALLER_NPM_FLAGS, `--registry=${registry}`], {
		cwd: packageFolder,
		env: withoutNpmLifecycleVariables(process.env),
		timeoutMs: NPM_COMMAND_TIMEOUT_MS,
	});

	const ledgerPath = path.join(nodesFolder(userFolder), 'package.json');
	const ledger = fs.existsSync(ledgerPath)
		? JSON.parse(fs.readFileSync(ledgerPath, 'utf8'))
		: { name: 'installed-nodes', private: true, dependencies: {} };
	ledger.dependencies = { ...ledger.dependencies, [manifest.name]: manifest.version };
	fs.writeFileSync(ledgerPath, JSON.stringify(ledger, null, 2));

	return { name: manifest.name, version: manifest.version, folder: packageFolder };
}

/**
 * Imports credentials with `n8n import:credentials`. Each entry is { id, name, type, data } with
 * `data` as plain values: n8n encrypts an object `data` with N8N_ENCRYPTION_KEY on import.
 * Returns the ids.
 */
async function importCredentials(userFolder, credentials) {
	const list = (Array.isArray(credentials) ? credentials : [credentials]).map((credential) => ({
		...credential,
		id: credential.id ?? newN8nId(),
	}));
	const inputFile = writeInputFile(userFolder, 'credentials', list);
	await runN8nCommand(userFolder, ['import:credentials', `--input=${inputFile}`]);
	return list.map((credential) => credential.id);
}

/** Imports one workflow with `n8n import:workflow` and returns its id (assigned when missing). */
async function importWorkflow(userFolder, workflow) {
	const [id] = await importWorkflows(userFolder, [workflow]);
	return id;
}

/** Imports several workflows in one n8n start (each start costs seconds) and returns their ids. */
async function importWorkflows(userFolder, workflows) {
	const list = workflows.map((workflow) => ({ active: false, settings: {}, ...workflow, id: workflow.id ?? newN8nId() }));
	const inputFile = writeInputFile(userFolder, 'workflows', list);
	await runN8nCommand(userFolder, ['import:workflow', `--input=${inputFile}`]);
	return list.map((workflow) => workflow.id);
}

/**
 * Runs `n8n execute --id <id> --rawOutput` and returns { status, runData, error, run, source,
 * exitCode, durationMs, stdout, stderr, connections }. runData maps each node name to its runs as
 * n8n stored them ({ data: { main: [[{ json, pairedItem }]] }, error, ... }). `connections` lists
 * the sockets n8n opened, when `traceConnections` is set and strace is installed.
 *
 * On success the run comes from the JSON that `execute` prints. For a failed execution n8n prints
 * the run wrapped in log lines and exits non-zero, so the run is then read from the database, as it
 * is when PEAKA_E2E_N8N_LOG_LEVEL hides the output. A failed execution rejects unless
 * `allowFailure` is set.
 */
async function executeWorkflow(userFolder, workflowId, options = {}) {
	const { allowFailure = false, timeoutMs = N8N_COMMAND_TIMEOUT_MS, traceConnections = false } = options;
	const result = await runN8n(userFolder, ['execute', `--id=${workflowId}`, '--rawOutput'], {
		timeoutMs,
		traceConnections,
	});

	let run = parseExecuteOutput(result.stdout);
	let source = 'stdout';
	if (run === undefined || run.status !== 'success') {
		const stored = await readLatestExecution(userFolder, workflowId);
		if (stored === undefined) {
			throw new Error(
				`n8n execute of workflow ${workflowId} exited with ${result.exitDescription} and stored no execution.\n` +
					describeOutput(result),
			);
		}
		run = stored;
		source = 'database';
	}

	const execution = {
		status: run.status,
		runData: run.data?.resultData?.runData ?? {},
		error: run.data?.resultData?.error,
		run,
		source,
		exitCode: result.exitCode,
		durationMs: result.durationMs,
		stdout: result.stdout,
		stderr: result.stderr,
		connections: result.connections,
	};
	if (execution.status !== 'success' && !allowFailure) {
		const message = execution.error?.message ?? 'no error message stored';
		const failedNode = execution.error?.node?.name ?? run.data?.resultData?.lastNodeExecuted ?? 'unknown node';
		throw new Error(
			`Workflow ${workflowId} finished with status '${execution.status}' at node '${failedNode}': ${message}\n` +
				describeOutput(result),
		);
	}
	return execution;
}

/** Returns the items a node sent to one output in one run: [{ json, pairedItem, ... }]. */
function nodeOutput(execution, nodeName, { output = 0, run = 0 } = {}) {
	const runs = execution.runData[nodeName];
	if (!runs) {
		throw new Error(
			`Node '${nodeName}' did not run; nodes that ran: ${Object.keys(execution.runData).join(', ') || 'none'}.`,
		);
	}
	if (!runs[run]) throw new Error(`Node '${nodeName}' has ${runs.length} run(s), no run ${run}.`);
	return runs[run].data?.main?.[output] ?? [];
}

/**
 * Extracts the run object from `n8n execute --rawOutput` output. n8n writes log lines (task
 * broker, license SDK) to the same stdout before the JSON, which it prints with two-space
 * indentation, so the run starts at a line that is exactly "{" and ends at a line that is "}".
 */
function parseExecuteOutput(stdout) {
	const lines = stdout.split('\n');
	const starts = [];
	const ends = [];
	lines.forEach((line, index) => {
		if (line === '{') starts.push(index);
		if (line === '}') ends.push(index);
	});
	for (const start of starts) {
		for (const end of ends.filter((index) => index > start).reverse()) {
			try {
				const parsed = JSON.parse(lines.slice(start, end + 1).join('\n'));
				if (parsed?.data?.resultData) return parsed;
			} catch {
				// A "{" line inside a log message: try the next candidate.
			}
		}
	}
	return undefined;
}

/**
 * Reads the newest execution of a workflow from n8n's SQLite database and returns it shaped like
 * the `execute` output ({ id, status, mode, finished, storedAt, startedAt, stoppedAt, data }).
 * n8n stores the run data as a `flatted` string. The line's own Node.js reads it with the sqlite3
 * and flatted copies of that n8n install, so no native module is loaded into the calling process.
 */
async function readLatestExecution(userFolder, workflowId) {
	const paths = lineOfUserFolder(userFolder);
	const database = path.join(userFolder, '.n8n', 'database.sqlite');
	if (!fs.existsSync(database)) return undefined;
	const script = `
const resolveFromN8n = (name) => require.resolve(name, { paths: [process.argv[1]] });
const sqlite3 = require(resolveFromN8n('sqlite3'));
const { parse } = require(resolveFromN8n('flatted'));
const db = new sqlite3.Database(process.argv[2], sqlite3.OPEN_READONLY);
// e.* because n8n 2.x added columns (storedAt) that 1.x lacks.
const query = 'SELECT e.*, d.data AS runData FROM execution_entity e ' +
	'LEFT JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = ? ORDER BY e.id DESC LIMIT 1';
db.get(query, [process.argv[3]], (error, row) => {
	if (error) { console.error(error.message); process.exit(1); }
	if (!row) { process.stdout.write('null'); return; }
	process.stdout.write(JSON.stringify({
		id: row.id,
		status: row.status,
		mode: row.mode,
		finished: Boolean(row.finished),
		storedAt: row.storedAt ?? 'db',
		startedAt: row.startedAt,
		stoppedAt: row.stoppedAt,
		data: row.runData ? parse(row.runData) : undefined,
	}));
});
`;
	const output = await runCapture(
		paths.nodeBin,
		['-e', script, path.join(paths.n8nModules, 'n8n'), database, workflowId],
		{ env: { PATH: process.env.PATH } },
	);
	const execution = JSON.parse(output);
	if (execution === null) return undefined;
	if (execution.data === undefined) {
		throw new Error(
			`Execution ${execution.id} of workflow ${workflowId} has no data row (storedAt '${execution.storedAt}'). ` +
				`Set N8N_EXECUTION_DATA_STORAGE_MODE=database.`,
		);
	}
	return execution;
}

/** Runs an n8n CLI command and rejects when it exits non-zero. */
async function runN8nCommand(userFolder, args, options = {}) {
	const result = await runN8n(userFolder, args, options);
	if (result.exitCode !== 0) {
		throw new Error(`'n8n ${args.join(' ')}' exited with ${result.exitDescription}.\n${describeOutput(result)}`);
	}
	return result;
}

/**
 * Runs the line's n8n binary with the line's Node.js and the isolated, offline environment.
 * Resolves with { exitCode, exitDescription, stdout, stderr, durationMs, connections } even when
 * n8n fails; rejects only when it cannot start or times out.
 */
async function runN8n(userFolder, args, options = {}) {
	const { timeoutMs = N8N_COMMAND_TIMEOUT_MS, traceConnections = false, env: extraEnv = {} } = options;
	const paths = lineOfUserFolder(userFolder);
	const env = { ...(await n8nEnvironment(userFolder, paths)), ...extraEnv };

	let command = paths.nodeBin;
	let commandArgs = [paths.n8nBin, ...args];
	let traceFile;
	if (traceConnections && isStraceInstalled()) {
		traceFile = path.join(userFolder, `connect-trace-${Date.now()}.txt`);
		commandArgs = ['-f', '-qq', '--seccomp-bpf', '-e', 'trace=connect', '-o', traceFile, command, ...commandArgs];
		command = 'strace';
	}

	const started = Date.now();
	const result = await runProcess(command, commandArgs, { env, cwd: userFolder, timeoutMs });
	result.durationMs = Date.now() - started;
	result.connections = traceFile ? parseConnectTrace(fs.readFileSync(traceFile, 'utf8')) : undefined;
	return result;
}

/**
 * Builds the environment of an isolated, offline n8n for a user folder and its line's paths,
 * with free loopback ports for the HTTP server and the task broker.
 */
async function n8nEnvironment(userFolder, paths = lineOfUserFolder(userFolder)) {
	const env = {};
	// The caller's own n8n and npm settings must not leak into the isolated instance, nor jest's
	// NODE_ENV=test, under which n8n silences its logger and refuses to load nodes.
	for (const [name, value] of Object.entries(process.env)) {
		if (/^(N8N_|DB_|NODE_ENV$|NODE_OPTIONS$|NODE_PATH$|JEST_|npm_)/i.test(name)) continue;
		env[name] = value;
	}
	env.PATH = [path.dirname(paths.nodeBin), process.env.PATH].join(path.delimiter);
	Object.assign(env, OFFLINE_SETTINGS, {
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		DB_TYPE: 'sqlite',
		N8N_EXECUTION_DATA_STORAGE_MODE: 'database',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		// `execute --rawOutput` prints the run through n8n's logger at level info, so a quieter
		// level hides it. The output is captured, never shown unless a command fails.
		N8N_LOG_LEVEL: process.env.PEAKA_E2E_N8N_LOG_LEVEL || 'info',
		N8N_LOG_FORMAT: 'text',
		N8N_LOG_OUTPUT: 'console',
		// Two n8n processes (parallel test files) must not race for the default ports.
		N8N_PORT: String(await freeLoopbackPort()),
		N8N_RUNNERS_BROKER_PORT: String(await freeLoopbackPort()),
	});
	if (process.env.N8N_COMMUNITY_PACKAGES_REGISTRY) {
		env.N8N_COMMUNITY_PACKAGES_REGISTRY = process.env.N8N_COMMUNITY_PACKAGES_REGISTRY;
	}
	return env;
}

let straceInstalled;

function isStraceInstalled() {
	straceInstalled ??= spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;
	return straceInstalled;
}

function freeLoopbackPort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** Lists the addresses n8n connected to: { family, address, port } for IP, { family, path } for Unix. */
function parseConnectTrace(trace) {
	const connections = [];
	for (const line of trace.split('\n')) {
		const inet = line.match(/connect\(\d+, \{sa_family=(AF_INET6?), sin6?_port=htons\((\d+)\), (?:sin_addr=inet_addr\("([^"]+)"\)|[^}]*inet_pton\(AF_INET6, "([^"]+)")/);
		if (inet) {
			connections.push({ family: inet[1], address: inet[3] ?? inet[4], port: Number(inet[2]) });
			continue;
		}
		const unix = line.match(/connect\(\d+, \{sa_family=AF_UNIX, sun_path="([^"]*)"/);
		if (unix) connections.push({ family: 'AF_UNIX', path: unix[1] });
	}
	return connections;
}

function writeInputFile(userFolder, kind, value) {
	const file = path.join(userFolder, `${kind}-${crypto.randomUUID()}.json`);
	fs.writeFileSync(file, JSON.stringify(value, null, 2));
	return file;
}

function newN8nId() {
	const bytes = crypto.randomBytes(WORKFLOW_ID_LENGTH);
	return Array.from(bytes, (byte) => WORKFLOW_ID_ALPHABET[byte % WORKFLOW_ID_ALPHABET.length]).join('');
}

function withoutNpmLifecycleVariables(env) {
	return Object.fromEntries(Object.entries(env).filter(([name]) => !/^npm_/i.test(name)));
}

function describeOutput(result) {
	const tail = (text) => (text.length > OUTPUT_TAIL_CHARS ? `…${text.slice(-OUTPUT_TAIL_CHARS)}` : text);
	return `--- stdout (tail) ---\n${tail(result.stdout)}\n--- stderr (tail) ---\n${tail(result.stderr)}`;
}

/** Runs a command and resolves with its stdout; rejects on a non-zero exit with its output. */
async function runCapture(command, args, options = {}) {
	const result = await runProcess(command, args, {
		cwd: options.cwd,
		env: options.env ?? process.env,
		timeoutMs: options.timeoutMs ?? N8N_COMMAND_TIMEOUT_MS,
	});
	if (result.exitCode !== 0) {
		throw new Error(`'${command} ${args.join(' ')}' exited with ${result.exitDescription}.\n${describeOutput(result)}`);
	}
	return result.stdout;
}

function runProcess(command, args, { cwd, env, timeoutMs }) {
	return new Promise((resolve, reject) => {
		// A process group of its own, so that a timeout also ends n8n's task runner children.
		const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		const stdout = [];
		const stderr = [];
		child.stdout.on('data', (chunk) => stdout.push(chunk));
		child.stderr.on('data', (chunk) => stderr.push(chunk));
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				// The group is already gone.
			}
		}, timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(new Error(`Could not start '${command}': ${error.message}`));
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			const result = {
				exitCode: code,
				exitDescription: signal ? `signal ${signal}` : `exit code ${code}`,
				stdout: Buffer.concat(stdout).toString('utf8'),
				stderr: Buffer.concat(stderr).toString('utf8'),
			};
			if (timedOut) {
				reject(
					new Error(
						`'${path.basename(command)} ${args.join(' ')}' timed out after ${timeoutMs} ms.\n${describeOutput(result)}`,
					),
				);
				return;
			}
			resolve(result);
		});
	});
}

module.exports = {
	LINES,
	ENCRYPTION_KEY,
	OFFLINE_SETTINGS,
	n8nEnvironment,
	createUserFolder,
	removeUserFolder,
	lineOfUserFolder,
	installPackageTarball,
	importCredentials,
	importWorkflow,
	importWorkflows,
	executeWorkflow,
	nodeOutput,
	readLatestExecution,
	parseExecuteOutput,
	runN8n,
	runN8nCommand,
};
