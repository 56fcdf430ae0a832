'use strict';

// Services of the queue-mode harness (queue-mode.js). Debian's redis-server and PostgreSQL are
// installed with apt-get when missing and started on free 127.0.0.1 ports in throwaway data
// folders. n8n workers run beside `n8n start`. Every process group started here is recorded, so
// that a failure or an interrupt still stops all of them.

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const HOST = '127.0.0.1';
const APT_TIMEOUT_MS = 900_000;
const SERVICE_READY_TIMEOUT_MS = 60_000;
const WORKER_READY_TIMEOUT_MS = 180_000;
const READY_POLL_MS = 250;
const STOP_TIMEOUT_MS = 20_000;
const LOG_TAIL_CHARS = 4_000;
const POSTGRES_ROOT = '/usr/lib/postgresql';
const POSTGRES_USER = 'postgres';
const N8N_DATABASE = 'n8n';
const WORKER_READY_LINE = 'n8n worker is now ready';

// Debian package → the program whose presence shows it is installed.
const DEBIAN_PACKAGES = [
	{ name: 'redis-server', isInstalled: () => commandExists('redis-server') },
	{ name: 'postgresql', isInstalled: () => findPostgresBin() !== undefined },
];

/** Services started here and not yet stopped, by the pid of their process group. */
const runningServices = new Map();
/** The pid of every process group started here, stopped or not. */
const startedGroups = [];

function commandExists(command) {
	return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Returns the bin folder of the newest PostgreSQL major version Debian installed, if any. */
function findPostgresBin() {
	if (!fs.existsSync(POSTGRES_ROOT)) return undefined;
	const versions = fs
		.readdirSync(POSTGRES_ROOT)
		.filter((entry) => /^\d+$/.test(entry) && fs.existsSync(path.join(POSTGRES_ROOT, entry, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length > 0 ? path.join(POSTGRES_ROOT, versions[0], 'bin') : undefined;
}

/**
 * Installs redis-server and postgresql from Debian's packages when they are missing, with one
 * `apt-get update` and then one `apt-get install -y`. Returns { installed: [names], durationMs }.
 * The harness starts its own servers on free ports, so a Debian service that apt may start
 * (where no policy-rc.d forbids it) does not interfere.
 */
function ensureDebianPackages(log) {
	const missing = DEBIAN_PACKAGES.filter((entry) => !entry.isInstalled()).map((entry) => entry.name);
	if (missing.length === 0) return { installed: [], durationMs: 0 };
	if (process.getuid?.() !== 0) {
		throw new Error(
			`The queue-mode harness needs Debian's ${missing.join(' and ')}, which are not installed, and only root can ` +
				`install them. Run 'apt-get install -y ${missing.join(' ')}' as root, then retry.`,
		);
	}
	const started = Date.now();
	log(`installing ${missing.join(', ')} with apt-get`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...missing]]) {
		const result = spawnSync('apt-get', args, { env, encoding: 'utf8', timeout: APT_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
		if (result.status !== 0) {
			const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
			throw new Error(
				`'apt-get ${args.join(' ')}' failed (${result.error?.message ?? `exit code ${result.status}`}).\n` +
					output.slice(-LOG_TAIL_CHARS),
			);
		}
	}
	const stillMissing = DEBIAN_PACKAGES.filter((entry) => !entry.isInstalled()).map((entry) => entry.name);
	if (stillMissing.length > 0) {
		throw new Error(
			`apt-get installed ${missing.join(', ')}, but ${stillMissing.join(', ')} is still missing. ` +
				"Check that the package's program is on PATH (redis-server) or under /usr/lib/postgresql.",
		);
	}
	return { installed: missing, durationMs: Date.now() - started };
}

function readTail(file) {
	try {
		const text = fs.readFileSync(file, 'utf8');
		return text.length > LOG_TAIL_CHARS ? `…${text.slice(-LOG_TAIL_CHARS)}` : text;
	} catch {
		return '(no log)';
	}
}

function signalGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}

/**
 * Spawns a command in a process group of its own, its output appended to `logFile`, and records
 * the service so that stopAllServices() and the exit handler can end it. Returns a service handle:
 * { name, pid, child, logFile, exit (a promise of the exit description), stop(signal), kill() }.
 */
function startProcessGroup(name, command, args, { env = process.env, cwd, logFile, stopSignal = 'SIGTERM' }) {
	const logFd = fs.openSync(logFile, 'a');
	const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', logFd, logFd] });
	fs.closeSync(logFd);
	let exitDescription;
	const exit = new Promise((resolve) => {
		child.once('exit', (code, signal) => {
			exitDescription = signal ? `signal ${signal}` : `exit code ${code}`;
			resolve(exitDescription);
		});
		child.once('error', (error) => {
			exitDescription = `start failure: ${error.message}`;
			resolve(exitDescription);
		});
	});

	let stopping;
	const service = {
		name,
		pid: child.pid,
		child,
		logFile,
		exit,
		exitDescription: () => exitDescription,
		/** Sends `signal` to the group, then SIGKILL after STOP_TIMEOUT_MS; resolves once it exited. */
		stop(signal = stopSignal) {
			stopping ??= (async () => {
				if (child.pid === undefined) return;
				if (exitDescription === undefined) {
					signalGroup(child.pid, signal);
					const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), STOP_TIMEOUT_MS);
					await exit;
					clearTimeout(timer);
				}
				// Children that outlived the leader (n8n's task runner, PostgreSQL backends).
				signalGroup(child.pid, 'SIGKILL');
				runningServices.delete(child.pid);
			})();
			return stopping;
		},
		/** Sends SIGKILL to the whole group at once, as a crash would end it. */
		kill() {
			return service.stop('SIGKILL');
		},
	};
	if (child.pid !== undefined) {
		runningServices.set(child.pid, service);
		startedGroups.push({ name, pid: child.pid });
	}
	return service;
}

/**
 * Stops every service started here that still runs, newest first, each with its own stop signal
 * and SIGKILL after STOP_TIMEOUT_MS. Resolves with the names of the services it stopped.
 */
async function stopAllServices() {
	const stopped = [];
	for (const service of [...runningServices.values()].reverse()) {
		await service.stop();
		stopped.push(service.name);
	}
	return stopped;
}

/** Lists the process groups started here that still have a live process. */
function liveGroups() {
	return startedGroups.filter(({ pid }) => signalGroup(pid, 0));
}

// A harness that crashes or is interrupted must not leave servers behind.
process.once('exit', () => {
	for (const pid of runningServices.keys()) signalGroup(pid, 'SIGKILL');
});

async function waitFor(description, check, { timeoutMs, service }) {
	const deadline = Date.now() + timeoutMs;
	let lastProblem = 'not checked yet';
	while (Date.now() < deadline) {
		if (service?.exitDescription() !== undefined) {
			throw new Error(
				`${service.name} exited with ${service.exitDescription()} before ${description}.\n` +
					`--- ${service.logFile} (tail) ---\n${readTail(service.logFile)}`,
			);
		}
		try {
			if (await check()) return;
		} catch (error) {
			lastProblem = error.message;
		}
		await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
	}
	const logTail = service ? `\n--- ${service.logFile} (tail) ---\n${readTail(service.logFile)}` : '';
	throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description} (last: ${lastProblem}).${logTail}`);
}

function uidOf(user) {
	const result = spawnSync('id', ['-u', user], { encoding: 'utf8' });
	if (result.status !== 0) {
		throw new Error(`The system user '${user}' does not exist; the postgresql package creates it. Reinstall postgresql.`);
	}
	return Number(result.stdout.trim());
}

/**
 * Returns [command, args] that run a PostgreSQL program as the `postgres` user when this process
 * is root, because PostgreSQL refuses to run as root, and as the current user otherwise.
 */
function asPostgresUser(program, args) {
	if (process.getuid?.() !== 0) return [program, args];
	return ['runuser', ['-u', POSTGRES_USER, '--', program, ...args]];
}

/** Loads a module from the n8n install of a cache line, so this repository needs no copy of it. */
function requireFromN8n(paths, name) {
	return require(require.resolve(name, { paths: [path.join(paths.n8nModules, 'n8n')] }));
}

/**
 * Starts a throwaway PostgreSQL cluster on 127.0.0.1:<port> with TCP only (no Unix socket) and
 * creates the database n8n uses. Run as root, the cluster folder belongs to the `postgres` user
 * and initdb and postgres run as that user through runuser. Returns
 * { service, port, database, user, client() } where client() opens a `pg` client on the database.
 */
async function startPostgres({ baseFolder, port, n8nPaths }) {
	const bin = findPostgresBin();
	if (!bin) throw new Error(`PostgreSQL is not installed under ${POSTGRES_ROOT}. Run 'apt-get install -y postgresql'.`);
	const dataFolder = path.join(baseFolder, 'postgres-data');
	fs.mkdirSync(dataFolder, { mode: 0o700 });
	if (process.getuid?.() === 0) {
		const uid = uidOf(POSTGRES_USER);
		fs.chownSync(dataFolder, uid, uid);
	}

	const initdb = spawnSync(
		...asPostgresUser(path.join(bin, 'initdb'), ['-D', dataFolder, '-U', POSTGRES_USER,
			'--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync']),
		{ encoding: 'utf8' },
	);
	if (initdb.status !== 0) {
		throw new Error(`initdb of ${dataFolder} failed (exit code ${initdb.status}).\n${initdb.stdout}${initdb.stderr}`);
	}

	// The cluster is thrown away after the run, so fsync and synchronous commits are off.
	const service = startProcessGroup(
		'postgres',
		...asPostgresUser(path.join(bin, 'postgres'), ['-D', dataFolder, '-p', String(port),
			'-c', `listen_addresses=${HOST}`, '-c', 'unix_socket_directories=', '-c', 'fsync=off',
			'-c', 'synchronous_commit=off', '-c', 'max_connections=200']),
		// SIGINT is PostgreSQL's fast shutdown. SIGTERM would wait for n8n's pooled connections.
		{ logFile: path.join(baseFolder, 'postgres.log'), cwd: baseFolder, stopSignal: 'SIGINT' },
	);

	const pg = requireFromN8n(n8nPaths, 'pg');
	const connect = async (database) => {
		const client = new pg.Client({ host: HOST, port, user: POSTGRES_USER, database });
		await client.connect();
		return client;
	};
	await waitFor(`PostgreSQL on ${HOST}:${port}`, async () => {
		const client = await connect('postgres');
		await client.end();
		return true;
	}, { timeoutMs: SERVICE_READY_TIMEOUT_MS, service });

	const admin = await connect('postgres');
	try {
		await admin.query(`CREATE DATABASE ${N8N_DATABASE}`);
	} finally {
		await admin.end();
	}
	return { service, port, database: N8N_DATABASE, user: POSTGRES_USER, client: () => connect(N8N_DATABASE) };
}

/** Starts redis-server on 127.0.0.1:<port> without persistence. Returns { service, port }. */
async function startRedis({ baseFolder, port }) {
	const dataFolder = path.join(baseFolder, 'redis-data');
	fs.mkdirSync(dataFolder);
	const service = startProcessGroup(
		'redis',
		'redis-server',
		['--bind', HOST, '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dataFolder,
			'--protected-mode', 'yes', '--daemonize', 'no'],
		{ logFile: path.join(baseFolder, 'redis.log'), cwd: dataFolder },
	);
	await waitFor(`Redis on ${HOST}:${port}`, () => redisPing(port), { timeoutMs: SERVICE_READY_TIMEOUT_MS, service });
	return { service, port };
}

/** Sends PING over RESP and resolves true on +PONG. */
function redisPing(port) {
	return new Promise((resolve, reject) => {
		const socket = net.connect({ host: HOST, port });
		let reply = '';
		socket.setTimeout(READY_POLL_MS * 4, () => socket.destroy(new Error('PING timed out')));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			reply += chunk.toString('utf8');
			if (reply.includes('\r\n')) {
				socket.end();
				resolve(reply.startsWith('+PONG'));
			}
		});
		socket.on('error', reject);
	});
}

/**
 * Starts `n8n worker --concurrency=<n>` with the given environment and resolves once it logged
 * that it is ready. Returns the service handle.
 */
async function startN8nWorker({ name, n8nPaths, env, cwd, logFile, concurrency }) {
	const service = startProcessGroup(
		name,
		n8nPaths.nodeBin,
		[n8nPaths.n8nBin, 'worker', `--concurrency=${concurrency}`],
		{ env, cwd, logFile },
	);
	await waitFor(`${name} to log '${WORKER_READY_LINE}'`, () => fs.readFileSync(logFile, 'utf8').includes(WORKER_READY_LINE), {
		timeoutMs: WORKER_READY_TIMEOUT_MS,
		service,
	});
	return service;
}

module.exports = {
	HOST,
	ensureDebianPackages,
	liveGroups,
	signalGroup,
	readTail,
	requireFromN8n,
	startN8nWorker,
	startPostgres,
	startProcessGroup,
	startRedis,
	stopAllServices,
	waitFor,
};
