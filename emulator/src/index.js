'use strict';

const { createFaults, ADMIN_PREFIX, API_PREFIX } = require('./faults');
const { createJobs } = require('./jobs');
const { buildServer } = require('./server');
const { createState } = require('./state');
const { createTrinoServer, checkSettings: checkTrinoSettings } = require('./trino/server');

/** The emulator binds loopback only: it serves fixed, documented keys. */
const HOST = '127.0.0.1';
const BEHAVIOURS = ['spec', 'observed'];
const DEFAULT_EVENTS_ROWS = 10000;

/**
 * Creates the emulator's logger. `log(line)` and `log.info` print progress, `log.request` prints
 * one line per API request; both are silent when `quiet`. Warnings and errors always go to stderr.
 */
function createLog(quiet) {
	const noop = () => {};
	const out = (line) => process.stdout.write(`${line}\n`);
	const err = (line) => process.stderr.write(`${line}\n`);
	const log = quiet ? noop : out;
	const logger = (line) => log(line);
	logger.info = log;
	logger.request = log;
	logger.warn = (line) => err(`warning: ${line}`);
	logger.error = (line) => err(`error: ${line}`);
	return logger;
}

function checkOptions(options) {
	const { port, behaviour, eventsRows, jobSpeed } = options;
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		throw new TypeError(`Invalid port ${JSON.stringify(port)}: use an integer from 0 to 65535 (0 picks a free port).`);
	}
	if (!BEHAVIOURS.includes(behaviour)) {
		throw new TypeError(`Invalid behaviour ${JSON.stringify(behaviour)}: use 'spec' or 'observed'.`);
	}
	if (!Number.isInteger(eventsRows) || eventsRows < 0) {
		throw new TypeError(`Invalid eventsRows ${JSON.stringify(eventsRows)}: use an integer of at least 0.`);
	}
	if (jobSpeed !== undefined && !(typeof jobSpeed === 'number' && jobSpeed > 0 && Number.isFinite(jobSpeed))) {
		throw new TypeError(`Invalid jobSpeed ${JSON.stringify(jobSpeed)}: use a positive number (1 = Peaka's pace, 10 = ten times faster).`);
	}
	const trinoSettings = {};
	if (options.trinoPageRows !== undefined) trinoSettings.pageRows = options.trinoPageRows;
	if (options.trinoQueryDelayMs !== undefined) trinoSettings.queryDelayMs = options.trinoQueryDelayMs;
	const trinoProblem = checkTrinoSettings(trinoSettings);
	if (trinoProblem) throw new TypeError(trinoProblem.replace('Invalid pageRows', 'Invalid trinoPageRows').replace('Invalid queryDelayMs', 'Invalid trinoQueryDelayMs'));
	const { trinoPort } = options;
	if (trinoPort !== undefined && (!Number.isInteger(trinoPort) || trinoPort < 0 || trinoPort > 65535)) {
		throw new TypeError(`Invalid trinoPort ${JSON.stringify(trinoPort)}: use an integer from 0 to 65535 (0 picks a free port).`);
	}
}

/**
 * Starts the emulator on 127.0.0.1.
 * @param {{ port?: number, behaviour?: 'spec'|'observed', eventsRows?: number, quiet?: boolean,
 *   jobSpeed?: number, partnerKey?: string, projectKey?: string, trinoPort?: number,
 *   trinoPageRows?: number, trinoQueryDelayMs?: number, tls?: { key: string|Buffer, cert: string|Buffer } }} [input]
 *   With `tls` the REST API is served over HTTPS with that key and certificate.
 *   The Trino-protocol endpoint listens on its own port (`trinoPort`, default a free one), as
 *   Peaka serves it on its own host. Each page holds `trinoPageRows` rows, and each Trino query
 *   waits `trinoQueryDelayMs` before it runs.
 */
async function startEmulator(input = {}) {
	const options = {
		port: 0,
		behaviour: 'spec',
		eventsRows: DEFAULT_EVENTS_ROWS,
		quiet: true,
		...input,
	};
	checkOptions(options);
	if (options.tls !== undefined && !(options.tls && options.tls.key && options.tls.cert)) {
		throw new TypeError('Invalid tls: give { key, cert } as PEM text or Buffers to serve HTTPS, or leave tls out for HTTP.');
	}

	const log = createLog(options.quiet);
	const state = createState({ partnerKey: options.partnerKey, projectKey: options.projectKey });
	const faults = createFaults({ log });
	const jobs = createJobs({ jobSpeed: options.jobSpeed ?? 1 });

	// Loaded here rather than at the top so that a broken engine module fails the start with its
	// own error instead of failing every require of this file.
	const { createEngine } = require('./engine/database');
	const engine = await createEngine({
		projects: state.projectIds(),
		eventsRows: options.eventsRows,
		behaviour: options.behaviour,
		jobSpeed: options.jobSpeed,
	});

	const ctx = { engine, state, behaviour: options.behaviour, options, log, faults, jobs };
	const app = buildServer(ctx);
	let port;
	try {
		await app.listen({ host: HOST, port: options.port });
		port = app.server.address().port;
	} catch (error) {
		await app.close().catch(() => {});
		jobs.close();
		await engine.close();
		if (error.code === 'EADDRINUSE') {
			const inUse = new Error(`Port ${options.port} on ${HOST} is already in use: stop the other server or choose another port (0 picks a free one).`);
			inUse.code = 'EADDRINUSE';
			throw inUse;
		}
		throw error;
	}

	const trino = createTrinoServer({
		engine,
		state,
		log,
		pageRows: options.trinoPageRows,
		queryDelayMs: options.trinoQueryDelayMs,
		tls: options.tls,
	});
	let trinoPort;
	try {
		await trino.app.listen({ host: HOST, port: options.trinoPort ?? 0 });
		trinoPort = trino.app.server.address().port;
	} catch (error) {
		await trino.app.close().catch(() => {});
		await app.close().catch(() => {});
		await engine.close();
		throw error;
	}

	let closing = null;
	const origin = `${options.tls ? 'https' : 'http'}://${HOST}:${port}`;
	return {
		baseUrl: `${origin}${API_PREFIX}`,
		adminUrl: `${origin}${ADMIN_PREFIX}`,
		trinoUrl: `${options.tls ? 'https' : 'http'}://${HOST}:${trinoPort}`,
		port,
		behaviour: options.behaviour,
		partnerKey: state.partnerKey,
		projectKey: state.projectKey,
		projectId: state.projectId,
		otherProjectId: state.otherProjectId,
		organizationId: state.organization.id,
		engine,
		state,
		faults,
		jobs,
		app,
		trino,
		close() {
			closing ??= (async () => {
				trino.closeQueries();
				await trino.app.close();
				await app.close();
				jobs.close();
				await engine.close();
			})();
			return closing;
		},
	};
}

module.exports = { startEmulator, HOST, BEHAVIOURS, DEFAULT_EVENTS_ROWS };
