'use strict';

const crypto = require('node:crypto');
const fastify = require('fastify');

const { createValueWriter, parseTypeName, typeSignature } = require('./types');

/**
 * Peaka's Trino-protocol endpoint (dbc.peaka.studio:4567 in the US zone) on a listener of its own:
 * POST /v1/statement, GET on each `nextUri`, DELETE on a `nextUri` or on /v1/query/{queryId} to
 * cancel. The API key arrives as the extra credential `peakaKey`, as Peaka's `@peaka/client`
 * sends it. Results stream from DuckDB one page at a time; only the engine's current batch is
 * held in memory.
 *
 * Admin: GET /__emulator/trino lists the queries with their state, pages and rows sent and how
 * they ended; PUT /__emulator/trino/settings changes `pageRows` and `queryDelayMs`.
 */

const DEFAULT_PAGE_ROWS = 1000;
/** How long a GET waits for a query that is not ready before it returns no rows, as Trino's long poll does. */
const MAX_POLL_WAIT_MS = 1000;
/** A query without a request for this long is closed, as Trino abandons queries whose client went away. */
const DEFAULT_ABANDON_AFTER_MS = 5 * 60 * 1000;
/** Queries kept in the admin list; older ones are dropped. */
const MAX_LISTED_QUERIES = 500;
const ADMIN_PATH = '/__emulator/trino';
/** Requests kept in the request log; older ones are dropped. */
const MAX_LOGGED_REQUESTS = 5000;

/** Trino's error codes for the errors the emulator produces. */
const TRINO_ERRORS = {
	GENERIC_USER_ERROR: { errorCode: 0, errorType: 'USER_ERROR' },
	SYNTAX_ERROR: { errorCode: 1, errorType: 'USER_ERROR' },
	USER_CANCELED: { errorCode: 3, errorType: 'USER_ERROR' },
	PERMISSION_DENIED: { errorCode: 4, errorType: 'USER_ERROR' },
	NOT_SUPPORTED: { errorCode: 13, errorType: 'USER_ERROR' },
	TABLE_NOT_FOUND: { errorCode: 46, errorType: 'USER_ERROR' },
	COLUMN_NOT_FOUND: { errorCode: 47, errorType: 'USER_ERROR' },
	CATALOG_NOT_FOUND: { errorCode: 44, errorType: 'USER_ERROR' },
	SCHEMA_NOT_FOUND: { errorCode: 45, errorType: 'USER_ERROR' },
	EXCEEDED_TIME_LIMIT: { errorCode: 131075, errorType: 'INSUFFICIENT_RESOURCES' },
	GENERIC_INTERNAL_ERROR: { errorCode: 65536, errorType: 'INTERNAL_ERROR' },
};

class TrinoFailure extends Error {
	constructor(errorName, message) {
		super(message);
		this.errorName = errorName;
	}
}

/** Names the Trino error for a message of the engine, which follows Trino's wording. */
function errorNameFor(message) {
	if (/Query was cancelled/i.test(message)) return 'USER_CANCELED';
	if (/exceeded maximum time limit/i.test(message)) return 'EXCEEDED_TIME_LIMIT';
	if (/^line \d+:\d+: (mismatched input|extraneous input|no viable alternative)/i.test(message) || /syntax error/i.test(message)) return 'SYNTAX_ERROR';
	if (/Table '.*' does not exist/i.test(message)) return 'TABLE_NOT_FOUND';
	if (/Schema '.*' does not exist/i.test(message)) return 'SCHEMA_NOT_FOUND';
	if (/Catalog '.*' (not found|does not exist)/i.test(message)) return 'CATALOG_NOT_FOUND';
	if (/Column '.*' cannot be resolved/i.test(message)) return 'COLUMN_NOT_FOUND';
	if (/is not allowed/i.test(message)) return 'NOT_SUPPORTED';
	return 'GENERIC_USER_ERROR';
}

function errorBody(failure) {
	const known = TRINO_ERRORS[failure.errorName] ?? TRINO_ERRORS.GENERIC_USER_ERROR;
	return {
		message: failure.message,
		errorCode: known.errorCode,
		errorName: failure.errorName,
		errorType: known.errorType,
		failureInfo: { type: 'io.trino.spi.TrinoException', message: failure.message, suppressed: [], stack: [] },
	};
}

/** Reads `X-Trino-Extra-Credential: name=value, ...`; values are URL-encoded in Trino's protocol. */
function readExtraCredentials(header) {
	const credentials = {};
	const values = Array.isArray(header) ? header : [header ?? ''];
	for (const value of values) {
		for (const entry of String(value).split(',')) {
			const separator = entry.indexOf('=');
			if (separator <= 0) continue;
			const name = entry.slice(0, separator).trim();
			const raw = entry.slice(separator + 1).trim();
			try {
				credentials[name] = decodeURIComponent(raw);
			} catch {
				credentials[name] = raw;
			}
		}
	}
	return credentials;
}

function newQueryId(sequence) {
	const now = new Date();
	const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
	return `${stamp.slice(0, 8)}_${stamp.slice(8)}_${String(sequence).padStart(5, '0')}_emula`;
}

/**
 * Creates the Trino endpoint's fastify app.
 * @param {{ engine: object, state: object, log: Function, pageRows?: number, queryDelayMs?: number,
 *   abandonAfterMs?: number, tls?: { key: string|Buffer, cert: string|Buffer } }} options
 *   With `tls` the endpoint is served over HTTPS, like the REST API.
 */
function createTrinoServer(options) {
	const { engine, state, log } = options;
	const settings = {
		pageRows: options.pageRows ?? DEFAULT_PAGE_ROWS,
		queryDelayMs: options.queryDelayMs ?? 0,
		// The next this-many page requests get 503, as a Trino coordinator behind a busy gateway can.
		failNextPages: 0,
	};
	const abandonAfterMs = options.abandonAfterMs ?? DEFAULT_ABANDON_AFTER_MS;
	const queries = new Map();
	let sequence = 0;

	const app = fastify({
		logger: false,
		forceCloseConnections: true,
		...(options.tls && { https: { key: options.tls.key, cert: options.tls.cert } }),
	});
	const scheme = options.tls ? 'https' : 'http';
	// Clients send the statement as text with whatever content type their HTTP library picks
	// (trino-client's axios sends application/x-www-form-urlencoded).
	app.removeAllContentTypeParsers();
	app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => done(null, body));

	let requests = [];
	app.addHook('onResponse', async (request, reply) => {
		if (request.url.startsWith(ADMIN_PATH)) return;
		// Which headers carried a key is recorded, never the key itself.
		requests.push({
			method: request.method,
			path: request.url.split('?')[0],
			status: reply.statusCode,
			extraCredential: request.headers['x-trino-extra-credential'] !== undefined,
			authorization: request.headers.authorization !== undefined,
		});
		if (requests.length > MAX_LOGGED_REQUESTS) requests = requests.slice(-MAX_LOGGED_REQUESTS);
		log.request(`trino ${request.method} ${request.url} ${reply.statusCode}`);
	});

	function publicRecord(query) {
		return {
			id: query.id,
			projectId: query.projectId,
			sql: query.sql,
			state: query.state,
			pagesSent: query.pagesSent,
			rowsSent: query.rowsSent,
			cancelled: query.cancelledBy !== null,
			cancelledBy: query.cancelledBy,
			createdAt: query.createdAt,
			endedAt: query.endedAt,
		};
	}

	function remember(query) {
		queries.set(query.id, query);
		if (queries.size > MAX_LISTED_QUERIES) {
			const oldest = queries.keys().next().value;
			queries.delete(oldest);
		}
	}

	function end(query, stateName) {
		if (query.endedAt !== null) return;
		query.state = stateName;
		query.endedAt = new Date().toISOString();
		clearTimeout(query.abandonTimer);
		if (query.result) query.result.close();
		query.abort.abort();
	}

	function touch(query) {
		clearTimeout(query.abandonTimer);
		query.abandonTimer = setTimeout(() => {
			if (query.endedAt !== null) return;
			log(`trino query ${query.id} abandoned: no request for ${abandonAfterMs} ms`);
			query.cancelledBy = 'abandoned';
			end(query, 'FAILED');
		}, abandonAfterMs);
		query.abandonTimer.unref();
	}

	function cancel(query, by) {
		if (query.endedAt !== null) return;
		query.cancelledBy = by;
		end(query, 'FAILED');
		log(`trino query ${query.id} cancelled by ${by} after ${query.pagesSent} page(s), ${query.rowsSent} row(s)`);
	}

	function origin(request) {
		return `${scheme}://${request.headers.host}`;
	}

	function nextUri(request, query) {
		const stage = query.state === 'QUEUED' ? 'queued' : 'executing';
		return `${origin(request)}/v1/statement/${stage}/${query.id}/${query.slug}/${query.token + 1}`;
	}

	function stats(query) {
		return {
			state: query.state,
			queued: query.state === 'QUEUED',
			scheduled: query.state !== 'QUEUED',
			nodes: 1,
			totalSplits: 0,
			queuedSplits: 0,
			runningSplits: 0,
			completedSplits: 0,
			cpuTimeMillis: 0,
			wallTimeMillis: Date.now() - query.startedAt,
			queuedTimeMillis: 0,
			elapsedTimeMillis: Date.now() - query.startedAt,
			processedRows: query.rowsSent,
			processedBytes: 0,
			physicalInputBytes: 0,
			peakMemoryBytes: 0,
			spilledBytes: 0,
		};
	}

	/** Builds a response as JSON text, so that BIGINT values stay bare numbers with every digit. */
	function responseText(request, query, { columns, rows, withNext, error }) {
		let text = `{"id":${JSON.stringify(query.id)},"infoUri":${JSON.stringify(`${origin(request)}/ui/query.html?${query.id}`)}`;
		if (withNext) text += `,"nextUri":${JSON.stringify(nextUri(request, query))}`;
		if (columns) text += `,"columns":${query.columnsJson}`;
		if (rows && rows.length > 0) text += `,"data":[${rows.join(',')}]`;
		text += `,"stats":${JSON.stringify(stats(query))}`;
		if (error) text += `,"error":${JSON.stringify(errorBody(error))}`;
		return `${text},"warnings":[]}`;
	}

	function authenticate(request) {
		const key = readExtraCredentials(request.headers['x-trino-extra-credential']).peakaKey;
		if (!key) {
			return { status: 401, message: 'Missing the peakaKey extra credential. Send "X-Trino-Extra-Credential: peakaKey=<API key>".' };
		}
		const identity = state.authenticate(key);
		if (identity === null) return { status: 401, message: 'The API key in the peakaKey extra credential is not valid.' };
		if (identity.keyKind === 'expired') return { status: 401, message: 'The API key in the peakaKey extra credential has expired.' };
		return { identity };
	}

	async function startQuery(query) {
		if (settings.queryDelayMs > 0) {
			await new Promise((resolve) => {
				const timer = setTimeout(resolve, settings.queryDelayMs);
				query.abort.signal.addEventListener('abort', () => {
					clearTimeout(timer);
					resolve();
				}, { once: true });
			});
		}
		if (query.endedAt !== null) throw new TrinoFailure('USER_CANCELED', 'Query was canceled');
		const result = await engine.execute(query.projectId, { sql: query.sql, signal: query.abort.signal });
		if (query.endedAt !== null) {
			result.close();
			throw new TrinoFailure('USER_CANCELED', 'Query was canceled');
		}
		query.result = result;
		query.batches = result.batches()[Symbol.asyncIterator]();
		query.columns = result.columns.map((column) => ({
			name: column.name,
			type: column.dataType,
			typeSignature: typeSignature(parseTypeName(column.dataType)),
		}));
		query.columnsJson = JSON.stringify(query.columns);
		query.writers = result.columns.map((column) => createValueWriter(column.dataType));
		query.state = 'RUNNING';
	}

	/** Takes up to `pageRows` rows from the engine, as JSON array texts; `done` when the result ended. */
	async function nextRows(query) {
		const rows = [];
		const { writers } = query;
		const columnCount = writers.length;
		while (rows.length < settings.pageRows) {
			if (!query.batch || query.batchOffset >= query.batch.rowCount) {
				const next = await query.batches.next();
				if (next.done) return { rows, done: true };
				query.batch = next.value;
				query.batchOffset = 0;
				continue;
			}
			const { cells, rowCount } = query.batch;
			const end = Math.min(rowCount, query.batchOffset + settings.pageRows - rows.length);
			for (let row = query.batchOffset; row < end; row++) {
				let text = '[';
				for (let column = 0; column < columnCount; column++) {
					text += (column ? ',' : '') + writers[column](cells[column][row]);
				}
				rows.push(`${text}]`);
			}
			query.batchOffset = end;
		}
		return { rows, done: false };
	}

	async function waitUntilReady(query) {
		let timer;
		const waited = new Promise((resolve) => {
			timer = setTimeout(() => resolve(false), MAX_POLL_WAIT_MS);
		});
		try {
			return await Promise.race([query.ready.then(() => true, () => true), waited]);
		} finally {
			clearTimeout(timer);
		}
	}

	/** Produces the response for the query's next token. */
	async function advance(request, query) {
		if (query.endedAt !== null && query.cancelledBy !== null) {
			return responseText(request, query, { error: new TrinoFailure('USER_CANCELED', 'Query was canceled') });
		}
		if (!(await waitUntilReady(query))) {
			return responseText(request, query, { withNext: true });
		}
		try {
			await query.ready;
		} catch (error) {
			const failure = error instanceof TrinoFailure ? error : new TrinoFailure(errorNameFor(error.message), error.message);
			end(query, 'FAILED');
			return responseText(request, query, { error: failure });
		}
		try {
			const { rows, done } = await nextRows(query);
			query.pagesSent += rows.length > 0 ? 1 : 0;
			query.rowsSent += rows.length;
			if (done) end(query, 'FINISHED');
			return responseText(request, query, { columns: true, rows, withNext: !done });
		} catch (error) {
			const failure = query.cancelledBy !== null
				? new TrinoFailure('USER_CANCELED', 'Query was canceled')
				: new TrinoFailure(errorNameFor(error.message), error.message);
			end(query, 'FAILED');
			return responseText(request, query, { error: failure });
		}
	}

	app.post('/v1/statement', async (request, reply) => {
		const auth = authenticate(request);
		if (auth.status) return reply.code(auth.status).type('text/plain; charset=utf-8').send(auth.message);
		const sqlText = typeof request.body === 'string' ? request.body : '';
		if (sqlText.trim() === '') {
			return reply.code(400).type('text/plain; charset=utf-8').send('SQL statement is empty');
		}

		sequence += 1;
		const query = {
			id: newQueryId(sequence),
			slug: `x${crypto.randomBytes(16).toString('hex')}`,
			projectId: auth.identity.projectId ?? null,
			sql: sqlText,
			state: 'QUEUED',
			token: 0,
			lastResponse: null,
			pagesSent: 0,
			rowsSent: 0,
			cancelledBy: null,
			createdAt: new Date().toISOString(),
			startedAt: Date.now(),
			endedAt: null,
			abort: new AbortController(),
			result: null,
			batch: null,
			batchOffset: 0,
			busy: Promise.resolve(),
		};
		remember(query);
		touch(query);
		if (auth.identity.keyKind === 'partner') {
			// Peaka's drivers name no project, and every project has its own `peaka` catalog, so a
			// key that reaches several projects cannot pick one here.
			// NOTE: how live Peaka treats a partner key on this endpoint was not measured.
			query.ready = Promise.reject(new TrinoFailure('PERMISSION_DENIED',
				'A partner API key does not identify a project. Use a project API key for the Trino endpoint.'));
		} else {
			query.ready = startQuery(query);
		}
		query.ready.catch(() => {});
		log(`trino query ${query.id} submitted for project ${query.projectId ?? '(partner key)'}`);
		return reply.type('application/json').send(responseText(request, query, { withNext: true }));
	});

	/**
	 * Finds the query a nextUri names. The random slug in the nextUri authorizes requests on it, as
	 * in Trino. A peakaKey credential, when sent, must still be valid and of the query's project.
	 */
	function findQuery(request, reply) {
		let projectMatches = true;
		if (request.headers['x-trino-extra-credential'] !== undefined) {
			const auth = authenticate(request);
			if (auth.status) {
				reply.code(auth.status).type('text/plain; charset=utf-8').send(auth.message);
				return null;
			}
			projectMatches = (query) => (auth.identity.projectId ?? null) === query.projectId;
		}
		const { queryId, slug, token } = request.params;
		const query = queries.get(queryId);
		if (!query || query.slug !== slug || (projectMatches !== true && !projectMatches(query))) {
			reply.code(404).type('text/plain; charset=utf-8').send(`Query not found: ${queryId}`);
			return null;
		}
		return { query, token: Number(token) };
	}

	const pageRoute = async (request, reply) => {
		const found = findQuery(request, reply);
		if (!found) return reply;
		const { query, token } = found;
		touch(query);
		if (settings.failNextPages > 0) {
			settings.failNextPages -= 1;
			return reply.code(503).type('text/plain; charset=utf-8').send('Service Unavailable');
		}
		// One request at a time per query, so a retried GET gets the page its first attempt made.
		const run = query.busy.then(async () => {
			if (token === query.token && query.lastResponse !== null) return query.lastResponse;
			if (token !== query.token + 1) return null;
			query.token = token;
			query.lastResponse = null;
			const text = await advance(request, query);
			query.lastResponse = text;
			return text;
		});
		query.busy = run.catch(() => {});
		const text = await run;
		if (text === null) {
			return reply.code(410).type('text/plain; charset=utf-8').send(`Token ${token} of query ${query.id} is gone; the current token is ${query.token}.`);
		}
		return reply.type('application/json').send(text);
	};

	const cancelRoute = async (request, reply) => {
		const found = findQuery(request, reply);
		if (!found) return reply;
		cancel(found.query, 'client');
		return reply.code(204).send();
	};

	for (const stage of ['queued', 'executing']) {
		app.get(`/v1/statement/${stage}/:queryId/:slug/:token`, pageRoute);
		app.delete(`/v1/statement/${stage}/:queryId/:slug/:token`, cancelRoute);
	}

	// trino-client cancels through the query resource rather than the nextUri.
	app.delete('/v1/query/:queryId', async (request, reply) => {
		const auth = authenticate(request);
		if (auth.status) return reply.code(auth.status).type('text/plain; charset=utf-8').send(auth.message);
		const query = queries.get(request.params.queryId);
		if (!query || (auth.identity.projectId ?? null) !== query.projectId) {
			return reply.code(404).type('text/plain; charset=utf-8').send(`Query not found: ${request.params.queryId}`);
		}
		cancel(query, 'client');
		return reply.code(204).send();
	});

	app.get(ADMIN_PATH, async () => ({
		settings: { ...settings },
		queries: [...queries.values()].map(publicRecord),
		requests,
	}));
	app.put(`${ADMIN_PATH}/settings`, async (request, reply) => {
		let body;
		try {
			body = typeof request.body === 'string' && request.body !== '' ? JSON.parse(request.body) : {};
		} catch (error) {
			return reply.code(400).send({ message: `The settings body is not JSON: ${error.message}` });
		}
		const problem = checkSettings(body);
		if (problem) return reply.code(400).send({ message: problem });
		Object.assign(settings, body);
		return { settings: { ...settings } };
	});

	return {
		app,
		settings,
		queries: () => [...queries.values()].map(publicRecord),
		requests: () => requests.slice(),
		clearRequests: () => {
			requests = [];
		},
		closeQueries() {
			for (const query of queries.values()) end(query, query.endedAt === null ? 'FAILED' : query.state);
		},
	};
}

/** Returns what is wrong with Trino endpoint settings, or null. */
function checkSettings(settings) {
	for (const [name, value] of Object.entries(settings)) {
		if (name === 'pageRows') {
			if (!Number.isInteger(value) || value < 1) return `Invalid pageRows ${JSON.stringify(value)}: use a whole number of rows, 1 or more.`;
		} else if (name === 'queryDelayMs') {
			if (!Number.isInteger(value) || value < 0) return `Invalid queryDelayMs ${JSON.stringify(value)}: use a whole number of milliseconds, 0 or more.`;
		} else if (name === 'failNextPages') {
			if (!Number.isInteger(value) || value < 0) return `Invalid failNextPages ${JSON.stringify(value)}: use a whole number of requests, 0 or more.`;
		} else {
			return `Unknown Trino setting '${name}': use pageRows, queryDelayMs or failNextPages.`;
		}
	}
	return null;
}

module.exports = { createTrinoServer, checkSettings, readExtraCredentials, errorNameFor, DEFAULT_PAGE_ROWS };
