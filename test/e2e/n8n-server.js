'use strict';

// Runs a real `n8n start` (editor and REST API) from the e2e cache on 127.0.0.1, in a user folder
// made by n8n.js, with the same offline settings as the n8n commands there. It creates the owner
// account through n8n's REST API, so the editor opens at the sign-in page, never at the setup form.
//
//   const server = await startN8nServer({ line: '2' });
//   const cookie = await server.login();
//   const nodeTypes = await server.request('GET', '/types/nodes.json', { cookie });
//   await server.stop();

const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');

const n8n = require('./n8n');

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 180_000;
const READY_POLL_MS = 500;
const REQUEST_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 20_000;
const LOG_TAIL_CHARS = 4_000;
const SERVER_LOG_FILE = 'n8n-start.log';
const CONNECT_TRACE_FILE = 'n8n-start-connect-trace.txt';

// Settings of one line only: n8n rejects a module name it does not know, so a module that exists
// on 2.x alone cannot be named in the settings shared with 1.x.
const LINE_SETTINGS = {
	// The mcp-registry module's system task fetches https://api.n8n.io/api/mcp-servers at every
	// `n8n start` of 2.40.7; no setting other than disabling the module stops it.
	2: { N8N_DISABLED_MODULES: 'mcp-registry' },
	1: {},
};

// The owner account the servers are set up with. n8n 1.123.81 and 2.40.7 accept a password of 8
// to 64 characters with at least one digit and one uppercase letter (OwnerSetupRequestDto).
const DEFAULT_OWNER = {
	email: 'owner@n8n-nodes-peaka.test',
	firstName: 'Peaka',
	lastName: 'Tester',
	password: 'PeakaE2e-Owner-2024',
};

function serverEnvironment(userFolder, paths) {
	return n8n.n8nEnvironment(userFolder, paths);
}

function freeLoopbackPort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, HOST, () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** Tells whether nothing listens on a port of 127.0.0.1. */
function isPortFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, HOST, () => server.close(() => resolve(true)));
	});
}

/** Returns `preferred` when it is free on 127.0.0.1, else the next free port above it. */
async function nextFreePort(preferred, attempts = 50) {
	for (let port = preferred; port < preferred + attempts; port++) {
		if (await isPortFree(port)) return port;
	}
	throw new Error(`No free port on ${HOST} from ${preferred} to ${preferred + attempts - 1}; stop some servers and retry.`);
}

/**
 * Sends one HTTP request to a loopback URL and resolves with { status, headers, body, text },
 * where body is the parsed JSON when the response is JSON. Never rejects on an HTTP error status.
 */
function httpRequest(method, url, { body, cookie, headers = {}, timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
	const target = new URL(url);
	if (target.hostname !== HOST) {
		return Promise.reject(new Error(`Refusing a request to ${target.hostname}: the e2e helpers only talk to ${HOST}.`));
	}
	const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
	const requestHeaders = { accept: 'application/json', ...headers };
	if (payload) {
		requestHeaders['content-type'] = 'application/json';
		requestHeaders['content-length'] = String(payload.length);
	}
	if (cookie) requestHeaders.cookie = cookie;

	return new Promise((resolve, reject) => {
		const request = http.request(target, { method, headers: requestHeaders, timeout: timeoutMs }, (response) => {
			const chunks = [];
			response.on('data', (chunk) => chunks.push(chunk));
			response.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let parsed = text;
				if (/json/.test(response.headers['content-type'] ?? '')) {
					try {
						parsed = JSON.parse(text);
					} catch {
						// A body that claims JSON but is not: the caller gets the text.
					}
				}
				resolve({ status: response.statusCode, headers: response.headers, body: parsed, text });
			});
			response.on('error', reject);
		});
		request.on('timeout', () => request.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms.`)));
		request.on('error', reject);
		if (payload) request.write(payload);
		request.end();
	});
}

/** Extracts `name=value` pairs from Set-Cookie headers into one Cookie header value. */
function cookieHeader(setCookieHeaders = []) {
	return setCookieHeaders.map((header) => header.split(';')[0]).join('; ');
}

/**
 * Signs in with `POST /rest/login` and returns the Cookie header value (n8n-auth) for later
 * requests. n8n 1.123.81 and 2.40.7 both take { emailOrLdapLoginId, password }.
 */
async function loginToN8n(url, { email, password }) {
	const response = await httpRequest('POST', `${url}/rest/login`, {
		body: { emailOrLdapLoginId: email, password },
	});
	const cookie = cookieHeader(response.headers['set-cookie']);
	if (response.status !== 200 || !cookie.includes('n8n-auth=')) {
		throw new Error(
			`Sign-in as ${email} at ${url} failed with HTTP ${response.status}: ${response.text.slice(0, 300)}. ` +
				'Check the password, or start with a fresh user folder.',
		);
	}
	return cookie;
}

/**
 * Creates the instance owner with `POST /rest/owner/setup` (no sign-in needed until an owner
 * exists). Resolves with 'created', or 'exists' when the user folder already has an owner.
 */
async function setupOwner(url, owner) {
	const response = await httpRequest('POST', `${url}/rest/owner/setup`, { body: owner });
	if (response.status === 200 && response.body?.data?.email === owner.email.toLowerCase()) return 'created';
	if (response.status === 400 && /already setup/i.test(response.text)) return 'exists';
	throw new Error(`Owner setup at ${url} failed with HTTP ${response.status}: ${response.text.slice(0, 300)}.`);
}

/**
 * Lists the addresses an strace connect trace shows: { family, address, port } for IP sockets,
 * { family, path } for Unix sockets.
 */
function parseConnectTrace(trace) {
	const connections = [];
	for (const line of trace.split('\n')) {
		const ipv4 = line.match(/connect\(\d+, \{sa_family=AF_INET, sin_port=htons\((\d+)\), sin_addr=inet_addr\("([^"]+)"\)/);
		const ipv6 = line.match(/connect\(\d+, \{sa_family=AF_INET6, sin6_port=htons\((\d+)\),[^}]*inet_pton\(AF_INET6, "([^"]+)"/);
		const unix = line.match(/connect\(\d+, \{sa_family=AF_UNIX, sun_path="([^"]*)"/);
		if (ipv4) connections.push({ family: 'AF_INET', address: ipv4[2], port: Number(ipv4[1]) });
		else if (ipv6) connections.push({ family: 'AF_INET6', address: ipv6[2], port: Number(ipv6[1]) });
		else if (unix) connections.push({ family: 'AF_UNIX', path: unix[1] });
	}
	return connections;
}

function readTail(file) {
	try {
		const text = fs.readFileSync(file, 'utf8');
		return text.length > LOG_TAIL_CHARS ? `…${text.slice(-LOG_TAIL_CHARS)}` : text;
	} catch {
		return '(no log)';
	}
}

/**
 * Polls until n8n is ready: `/healthz/readiness` returns 200 once the database is migrated (and,
 * on 2.x, the server fully started), and `/rest/settings` returns JSON once the REST routes exist.
 * Before that, n8n responds to every path with HTTP 200 and the text "n8n is starting up".
 */
async function waitUntilReady({ url, child, logFile, timeoutMs }) {
	const deadline = Date.now() + timeoutMs;
	let exit;
	child.once('exit', (code, signal) => {
		exit = signal ? `signal ${signal}` : `exit code ${code}`;
	});
	let lastProblem = 'no answer yet';
	while (Date.now() < deadline) {
		if (exit) {
			throw new Error(`n8n start exited with ${exit} before it was ready.\n--- ${logFile} (tail) ---\n${readTail(logFile)}`);
		}
		try {
			const readiness = await httpRequest('GET', `${url}/healthz/readiness`, { timeoutMs: READY_POLL_MS * 4 });
			if (readiness.status === 200) {
				const settings = await httpRequest('GET', `${url}/rest/settings`, { timeoutMs: READY_POLL_MS * 4 });
				if (settings.status === 200 && typeof settings.body === 'object' && settings.body?.data) return;
				lastProblem = `settings: HTTP ${settings.status} ${settings.text.slice(0, 80)}`;
			} else {
				lastProblem = `readiness: HTTP ${readiness.status}`;
			}
		} catch (error) {
			lastProblem = error.message;
		}
		await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
	}
	throw new Error(
		`n8n at ${url} was not ready after ${timeoutMs} ms (last: ${lastProblem}).\n--- ${logFile} (tail) ---\n${readTail(logFile)}`,
	);
}

function stopProcessGroup(child, timeoutMs) {
	return new Promise((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) {
			resolve();
			return;
		}
		const signalGroup = (signal) => {
			try {
				process.kill(-child.pid, signal);
			} catch {
				// The group is already gone.
			}
		};
		// n8n shuts down on SIGTERM and then ends its task runner; SIGKILL is the fallback for a
		// shutdown that hangs.
		const timer = setTimeout(() => signalGroup('SIGKILL'), timeoutMs);
		child.once('exit', () => {
			clearTimeout(timer);
			// A task runner that outlived n8n would keep the broker port busy.
			signalGroup('SIGKILL');
			resolve();
		});
		signalGroup('SIGTERM');
	});
}

/**
 * Starts `n8n start` of one line ('2' by default, or '1') on 127.0.0.1 and resolves once it is
 * ready and its owner account exists.
 *
 * Options: line; userFolder (made by n8n.createUserFolder for that line; a new temporary one when
 * missing, removed again by stop()); port (a free one when missing); owner ({ email, firstName,
 * lastName, password }); env (extra variables for n8n); output ('file' writes n8n's output to
 * <userFolder>/n8n-start.log, 'inherit' shows it on this console); readyTimeoutMs;
 * traceConnections (runs n8n under strace, which must be installed).
 *
 * Resolves with { url, email, password, ownerState, userFolder, line, n8nVersion, logFile, pid,
 * process, connections(), login(), request(method, path, options), stop() }. connections() lists
 * the addresses n8n connected to so far when traceConnections is set.
 */
async function startN8nServer(options = {}) {
	const {
		port: requestedPort,
		owner = DEFAULT_OWNER,
		env: extraEnv = {},
		output = 'file',
		readyTimeoutMs = READY_TIMEOUT_MS,
		traceConnections = false,
	} = options;
	const ownsUserFolder = options.userFolder === undefined;
	const userFolder = options.userFolder ?? n8n.createUserFolder({ line: options.line ?? '2' });
	const paths = n8n.lineOfUserFolder(userFolder);
	if (options.line !== undefined && String(options.line) !== paths.lineKey) {
		throw new Error(`User folder ${userFolder} belongs to n8n line ${paths.lineKey}, not line ${options.line}.`);
	}

	const port = requestedPort ?? (await freeLoopbackPort());
	const url = `http://${HOST}:${port}`;
	const env = {
		...(await serverEnvironment(userFolder, paths)),
		N8N_PORT: String(port),
		N8N_HOST: HOST,
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `${url}/`,
		...LINE_SETTINGS[paths.lineKey],
		...extraEnv,
	};

	const logFile = path.join(userFolder, SERVER_LOG_FILE);
	const logFd = output === 'inherit' ? undefined : fs.openSync(logFile, 'a');
	const stdio = output === 'inherit' ? ['ignore', 'inherit', 'inherit'] : ['ignore', logFd, logFd];
	let command = paths.nodeBin;
	let args = [paths.n8nBin, 'start'];
	const traceFile = path.join(userFolder, CONNECT_TRACE_FILE);
	if (traceConnections) {
		command = 'strace';
		args = ['-f', '-qq', '--seccomp-bpf', '-e', 'trace=connect', '-o', traceFile, paths.nodeBin, ...args];
	}
	// A process group of its own, so that stop() also ends n8n's task runner children.
	const child = spawn(command, args, { cwd: userFolder, env, detached: true, stdio });
	if (logFd !== undefined) fs.closeSync(logFd);
	const spawned = new Promise((resolve, reject) => {
		child.once('spawn', resolve);
		child.once('error', (error) => reject(new Error(`Could not start n8n ${paths.n8nVersion}: ${error.message}`)));
	});

	// n8n runs detached, so a caller that crashes or calls process.exit() would leave it running.
	const killOnExit = () => {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			// The group is already gone.
		}
	};
	process.once('exit', killOnExit);

	let stopping;
	const stop = () => {
		stopping ??= (async () => {
			await stopProcessGroup(child, STOP_TIMEOUT_MS);
			process.removeListener('exit', killOnExit);
			if (ownsUserFolder) n8n.removeUserFolder(userFolder);
		})();
		return stopping;
	};

	try {
		await spawned;
		await waitUntilReady({ url, child, logFile, timeoutMs: readyTimeoutMs });
		const ownerState = await setupOwner(url, owner);
		// Signing in once proves the owner's password, also for a user folder set up earlier.
		await loginToN8n(url, owner);

		return {
			url,
			email: owner.email,
			password: owner.password,
			ownerState,
			userFolder,
			line: paths.lineKey,
			n8nVersion: paths.n8nVersion,
			logFile: output === 'inherit' ? undefined : logFile,
			pid: child.pid,
			process: child,
			connections: () => (traceConnections ? parseConnectTrace(fs.readFileSync(traceFile, 'utf8')) : undefined),
			login: () => loginToN8n(url, owner),
			request: (method, requestPath, requestOptions) => httpRequest(method, `${url}${requestPath}`, requestOptions),
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

module.exports = {
	DEFAULT_OWNER,
	HOST,
	cookieHeader,
	freeLoopbackPort,
	httpRequest,
	loginToN8n,
	nextFreePort,
	parseConnectTrace,
	setupOwner,
	startN8nServer,
};
