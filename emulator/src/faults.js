'use strict';

const { Readable } = require('node:stream');
const { setTimeout: sleep } = require('node:timers/promises');

const { REASON_PHRASES, isPeakaError } = require('./errors');

/**
 * Fault injection and the request log, driven through the unauthenticated admin endpoints under
 * /__emulator. A fault matches API requests by method and path (the path after /api/v1, decoded)
 * and then, for its next `times` matches, replaces, delays, cuts or drops the response.
 */

const API_PREFIX = '/api/v1';
const ADMIN_PREFIX = '/__emulator';
/** The request log keeps the newest entries only, so a long benchmark cannot exhaust memory. */
const REQUEST_LOG_MAX_ENTRIES = 10000;
/** Upper bound for `delayMs`, so a typo cannot hang a test run for hours. */
const MAX_FAULT_DELAY_MS = 10 * 60 * 1000;
const DEFAULT_HTML_STATUS = 500;
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const FAULT_FIELDS = new Set([
	'method', 'path', 'pathRegex', 'times', 'skip', 'status', 'body', 'headers', 'delayMs', 'drop',
	'truncate', 'html', 'contentType', 'empty',
]);

class FaultRequestError extends Error {}

/** Converts a glob to an anchored RegExp: `*` matches within one path segment, `**` across segments. */
function globToRegExp(glob) {
	let source = '';
	for (let index = 0; index < glob.length; index += 1) {
		const char = glob[index];
		if (char === '*' && glob[index + 1] === '*') {
			source += '.*';
			index += 1;
		} else if (char === '*') {
			source += '[^/]*';
		} else {
			source += char.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
		}
	}
	return new RegExp(`^${source}$`);
}

/** Returns the decoded path of a URL without its query string. */
function decodedPath(url) {
	const rawPath = url.split('?')[0];
	try {
		return decodeURIComponent(rawPath);
	} catch {
		return rawPath;
	}
}

/** Returns the path after /api/v1 for API requests, or null for any other request. */
function apiPath(url) {
	const path = decodedPath(url);
	if (path === API_PREFIX) return '/';
	if (path.startsWith(`${API_PREFIX}/`)) return path.slice(API_PREFIX.length);
	return null;
}

function isAdminUrl(url) {
	return url === ADMIN_PREFIX || url.startsWith(`${ADMIN_PREFIX}/`) || url.startsWith(`${ADMIN_PREFIX}?`);
}

function checkInteger(value, name, minimum) {
	if (!Number.isInteger(value) || value < minimum) {
		throw new FaultRequestError(`Invalid fault: '${name}' must be an integer of at least ${minimum}, got ${JSON.stringify(value)}.`);
	}
}

/**
 * Validates one fault request and returns the stored fault.
 * @param {object} request the JSON object posted to /__emulator/faults
 * @param {number} id
 */
function parseFault(request, id) {
	if (!request || typeof request !== 'object' || Array.isArray(request)) {
		throw new FaultRequestError('Invalid fault: send a JSON object such as {"path": "/organizations", "status": 503}.');
	}
	for (const field of Object.keys(request)) {
		if (!FAULT_FIELDS.has(field)) {
			throw new FaultRequestError(`Invalid fault: unknown field '${field}'. Known fields: ${[...FAULT_FIELDS].join(', ')}.`);
		}
	}

	const fault = {
		id,
		method: null,
		path: null,
		pathRegex: null,
		times: 1,
		skip: 0,
		status: null,
		body: undefined,
		headers: {},
		delayMs: 0,
		drop: null,
		truncate: null,
		html: false,
		contentType: null,
		empty: false,
		hits: 0,
		remaining: 1,
	};

	if (request.method !== undefined) {
		const method = String(request.method).toUpperCase();
		if (!HTTP_METHODS.includes(method)) throw new FaultRequestError(`Invalid fault: unknown method '${request.method}'.`);
		fault.method = method;
	}
	if (request.path !== undefined && request.pathRegex !== undefined) {
		throw new FaultRequestError("Invalid fault: give either 'path' (a glob) or 'pathRegex', not both.");
	}
	if (request.path !== undefined) {
		if (typeof request.path !== 'string' || !request.path.startsWith('/')) {
			throw new FaultRequestError(`Invalid fault: 'path' must be a glob starting with '/' over the path after /api/v1, e.g. "/data/projects/*/queries/execute", got ${JSON.stringify(request.path)}.`);
		}
		fault.path = request.path;
		fault.matcher = globToRegExp(request.path);
	}
	if (request.pathRegex !== undefined) {
		try {
			fault.matcher = new RegExp(request.pathRegex);
		} catch (error) {
			throw new FaultRequestError(`Invalid fault: 'pathRegex' is not a valid regular expression: ${error.message}`);
		}
		fault.pathRegex = request.pathRegex;
	}
	if (request.times !== undefined) {
		checkInteger(request.times, 'times', 1);
		fault.times = request.times;
	}
	fault.remaining = fault.times;
	if (request.skip !== undefined) {
		checkInteger(request.skip, 'skip', 0);
		fault.skip = request.skip;
	}
	if (request.status !== undefined) {
		checkInteger(request.status, 'status', 100);
		if (request.status > 599) throw new FaultRequestError(`Invalid fault: 'status' must be at most 599, got ${request.status}.`);
		fault.status = request.status;
	}
	if (request.body !== undefined) {
		if (fault.status === null) {
			throw new FaultRequestError("Invalid fault: 'body' replaces the response, so give a 'status' with it.");
		}
		fault.body = request.body;
	}
	if (request.headers !== undefined) {
		if (!request.headers || typeof request.headers !== 'object' || Array.isArray(request.headers)) {
			throw new FaultRequestError('Invalid fault: \'headers\' must be an object such as {"Retry-After": "2"}.');
		}
		for (const [name, value] of Object.entries(request.headers)) fault.headers[name] = String(value);
	}
	if (request.delayMs !== undefined) {
		checkInteger(request.delayMs, 'delayMs', 0);
		if (request.delayMs > MAX_FAULT_DELAY_MS) {
			throw new FaultRequestError(`Invalid fault: 'delayMs' must be at most ${MAX_FAULT_DELAY_MS}, got ${request.delayMs}.`);
		}
		fault.delayMs = request.delayMs;
	}
	if (request.drop !== undefined) {
		if (request.drop !== 'before' && request.drop !== 'after') {
			throw new FaultRequestError(`Invalid fault: 'drop' must be "before" or "after", got ${JSON.stringify(request.drop)}.`);
		}
		fault.drop = request.drop;
	}
	if (request.truncate !== undefined) {
		checkInteger(request.truncate, 'truncate', 0);
		fault.truncate = request.truncate;
	}
	if (request.html !== undefined) {
		if (typeof request.html !== 'boolean') throw new FaultRequestError("Invalid fault: 'html' must be true or false.");
		fault.html = request.html;
		if (fault.html && fault.status === null) fault.status = DEFAULT_HTML_STATUS;
	}
	if (request.contentType !== undefined) {
		if (typeof request.contentType !== 'string' || request.contentType.length === 0) {
			throw new FaultRequestError("Invalid fault: 'contentType' must be a non-empty string such as \"text/plain\".");
		}
		fault.contentType = request.contentType;
	}
	if (request.empty !== undefined) {
		if (typeof request.empty !== 'boolean') throw new FaultRequestError("Invalid fault: 'empty' must be true or false.");
		fault.empty = request.empty;
	}

	const changesRealResponse = fault.truncate !== null || fault.empty;
	if (fault.drop !== null && (fault.status !== null || changesRealResponse || fault.contentType !== null)) {
		throw new FaultRequestError("Invalid fault: 'drop' sends no response, so it cannot be combined with status, body, html, truncate, empty or contentType.");
	}
	if (fault.status !== null && changesRealResponse) {
		throw new FaultRequestError("Invalid fault: 'truncate' and 'empty' change the route's own response, so they cannot be combined with 'status' or 'html'.");
	}
	if (fault.truncate !== null && fault.empty) {
		throw new FaultRequestError("Invalid fault: give either 'truncate' or 'empty', not both.");
	}
	const hasEffect = fault.status !== null || fault.drop !== null || changesRealResponse
		|| fault.contentType !== null || fault.delayMs > 0 || Object.keys(fault.headers).length > 0;
	if (!hasEffect) {
		throw new FaultRequestError('Invalid fault: it has no effect. Give at least one of status, html, drop, truncate, empty, contentType, headers or delayMs.');
	}
	return fault;
}

/** Returns the public view of a fault, as the admin endpoints list it. */
function describeFault(fault) {
	const { matcher, ...view } = fault;
	return view;
}

function htmlPage(status) {
	const title = `${status} ${REASON_PHRASES[status] || 'Error'}`;
	return `<!DOCTYPE html>\n<html>\n<head><title>${title}</title></head>\n<body>\n<h1>${title}</h1>\n<p>The upstream server failed to answer the request.</p>\n</body>\n</html>\n`;
}

/** Reads a reply payload into a Buffer, stopping after `maxBytes` and destroying a stream cut short. */
async function readPayload(payload, maxBytes) {
	if (payload === null || payload === undefined) return Buffer.alloc(0);
	if (Buffer.isBuffer(payload)) return payload.subarray(0, maxBytes);
	if (typeof payload === 'string') return Buffer.from(payload).subarray(0, maxBytes);
	const chunks = [];
	let length = 0;
	for await (const chunk of payload) {
		const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
		chunks.push(buffer);
		length += buffer.length;
		if (length >= maxBytes) break;
	}
	if (typeof payload.destroy === 'function') payload.destroy();
	return Buffer.concat(chunks).subarray(0, maxBytes);
}

/**
 * Sends the first `fault.truncate` bytes of the route's response, then closes the connection, so
 * the client gets the status line and headers but an unfinished body. A body of known length keeps
 * its full Content-Length; a streamed body is sent chunked without its final chunk.
 */
async function truncateResponse(request, reply, payload, fault, log) {
	const res = reply.raw;
	const fullLength = typeof payload === 'string' || Buffer.isBuffer(payload) ? Buffer.byteLength(payload) : null;
	const head = await readPayload(payload, fault.truncate);
	request.emulatorLogEntry.truncated = head.length;
	request.emulatorLogEntry.status = reply.statusCode;
	log(`${request.method} ${request.url} ${reply.statusCode} cut after ${head.length} bytes by fault ${fault.id}`);
	if (fullLength !== null) reply.header('content-length', String(fullLength));
	else reply.removeHeader('content-length');

	// socket.end() flushes what the response wrote before it sends FIN, where destroy() could
	// discard the corked status line and head.
	const closeConnection = () => res.socket && res.socket.end();
	const body = new Readable({ read() {} });
	if (head.length === 0) {
		res.once('pipe', () => {
			res.flushHeaders();
			closeConnection();
		});
		return body;
	}
	const write = res.write;
	res.write = function writeThenClose(...args) {
		res.write = write;
		const result = write.apply(this, args);
		closeConnection();
		return result;
	};
	body.push(head);
	return body;
}

function destroyPayload(payload) {
	if (payload && typeof payload === 'object' && !Buffer.isBuffer(payload) && typeof payload.destroy === 'function') {
		payload.destroy();
	}
}

/**
 * Creates the fault registry and request log.
 * @param {{ log?: (line: string) => void }} [options]
 */
function createFaults(options = {}) {
	const log = options.log || (() => {});
	/** @type {object[]} */
	let faults = [];
	let nextFaultId = 1;
	/** @type {object[]} */
	let requests = [];
	let nextRequestId = 1;

	function add(request) {
		const fault = parseFault(request, nextFaultId);
		nextFaultId += 1;
		faults.push(fault);
		return fault;
	}

	/** Finds the first active fault for a request and counts the match against it. */
	function take(method, path) {
		for (const fault of faults) {
			if (fault.remaining === 0) continue;
			if (fault.method !== null && fault.method !== method) continue;
			if (fault.matcher && !fault.matcher.test(path)) continue;
			if (fault.skip > 0) {
				fault.skip -= 1;
				continue;
			}
			fault.remaining -= 1;
			fault.hits += 1;
			return fault;
		}
		return null;
	}

	function reset() {
		const removed = faults.length;
		faults = [];
		return removed;
	}

	function remove(id) {
		const before = faults.length;
		faults = faults.filter((fault) => fault.id !== id);
		return faults.length < before;
	}

	function record(entry) {
		const stored = { id: nextRequestId, ...entry };
		nextRequestId += 1;
		requests.push(stored);
		if (requests.length > REQUEST_LOG_MAX_ENTRIES) requests = requests.slice(-REQUEST_LOG_MAX_ENTRIES);
		return stored;
	}

	/**
	 * Installs the hooks that log API requests and apply faults. They go on the root instance so
	 * that they run before authentication and also for unknown routes.
	 * @param {import('fastify').FastifyInstance} app
	 */
	function installHooks(app) {
		app.addHook('onRequest', async (request, reply) => {
			if (isAdminUrl(request.url)) return undefined;
			const path = apiPath(request.url) ?? decodedPath(request.url);
			request.emulatorStartedAt = process.hrtime.bigint();
			request.emulatorLogEntry = record({
				time: new Date().toISOString(),
				method: request.method,
				path,
				query: { ...request.query },
				body: null,
				auth: null,
				projectId: null,
				status: null,
				fault: null,
			});

			const fault = take(request.method, path);
			if (!fault) return undefined;
			request.emulatorFault = fault;
			request.emulatorLogEntry.fault = fault.id;
			if (fault.delayMs > 0) await sleep(fault.delayMs);

			if (fault.drop === 'before') {
				request.emulatorLogEntry.dropped = 'before';
				log(`${request.method} ${request.url} dropped before the route by fault ${fault.id}`);
				reply.hijack();
				request.raw.socket.destroy();
				return undefined;
			}
			if (fault.status !== null) {
				request.emulatorFaultReplaced = true;
				reply.code(fault.status).headers(fault.headers);
				if (fault.html) {
					reply.type(fault.contentType || 'text/html; charset=utf-8');
					return reply.send(typeof fault.body === 'string' ? fault.body : htmlPage(fault.status));
				}
				if (fault.body === undefined) {
					reply.type(fault.contentType || 'application/json; charset=utf-8');
					return reply.send({ errorCode: 100, message: `Fault ${fault.id} injected by the emulator returned status ${fault.status}.` });
				}
				if (typeof fault.body === 'string') {
					reply.type(fault.contentType || 'text/plain; charset=utf-8');
					return reply.send(fault.body);
				}
				reply.type(fault.contentType || 'application/json; charset=utf-8');
				return reply.send(JSON.stringify(fault.body));
			}
			return undefined;
		});

		app.addHook('preHandler', async (request) => {
			if (request.emulatorLogEntry && request.body !== undefined) request.emulatorLogEntry.body = request.body;
		});

		app.addHook('onSend', async (request, reply, payload) => {
			const fault = request.emulatorFault;
			if (!fault || request.emulatorFaultReplaced) return payload;

			if (fault.drop === 'after') {
				request.emulatorLogEntry.dropped = 'after';
				log(`${request.method} ${request.url} dropped after the route by fault ${fault.id}`);
				destroyPayload(payload);
				request.raw.socket.destroy();
				return null;
			}

			reply.headers(fault.headers);
			if (fault.contentType !== null) reply.header('content-type', fault.contentType);
			if (fault.empty) {
				destroyPayload(payload);
				reply.removeHeader('content-length');
				return '';
			}
			if (fault.truncate !== null) {
				return truncateResponse(request, reply, payload, fault, log);
			}
			return payload;
		});

		app.addHook('onResponse', async (request, reply) => {
			const entry = request.emulatorLogEntry;
			if (!entry) return;
			entry.status = reply.statusCode;
			entry.durationMs = Number(process.hrtime.bigint() - request.emulatorStartedAt) / 1e6;
		});
	}

	/**
	 * Registers the admin endpoints under /__emulator.
	 * @param {import('fastify').FastifyInstance} app
	 * @param {{ engine: object, state: object, behaviour: string }} ctx
	 */
	function registerAdmin(app, ctx) {
		app.register(async (admin) => {
			admin.setErrorHandler((error, request, reply) => {
				let status = error.statusCode || 500;
				if (error instanceof FaultRequestError) status = 400;
				else if (isPeakaError(error)) status = error.status;
				reply.code(status).send({ message: error.message });
			});

			admin.get('/', async () => ({
				behaviour: ctx.behaviour,
				organizationId: ctx.state.organization.id,
				projectIds: ctx.state.projectIds(),
				faults: faults.filter((fault) => fault.remaining > 0).length,
				requests: requests.length,
			}));

			admin.post('/faults', async (request) => {
				const body = request.body;
				if (Array.isArray(body)) {
					// Validate every fault before storing any, so a bad entry leaves nothing half-added.
					body.forEach((entry, index) => parseFault(entry, index));
					return body.map((entry) => describeFault(add(entry)));
				}
				return describeFault(add(body));
			});
			admin.get('/faults', async () => faults.map(describeFault));
			admin.delete('/faults', async () => ({ removed: reset() }));
			admin.delete('/faults/:id', async (request, reply) => {
				const id = Number(request.params.id);
				if (!remove(id)) return reply.code(404).send({ message: `No fault with id ${request.params.id}.` });
				return { removed: 1 };
			});

			admin.get('/requests', async (request) => {
				const { method, path } = request.query;
				const matcher = typeof path === 'string' ? globToRegExp(path) : null;
				return requests.filter((entry) => (!method || entry.method === String(method).toUpperCase())
					&& (!matcher || matcher.test(entry.path)));
			});
			admin.delete('/requests', async () => {
				const removed = requests.length;
				requests = [];
				return { removed };
			});

			admin.post('/events', async (request, reply) => {
				const body = request.body || {};
				const projectId = body.projectId ?? ctx.state.projectId;
				if (!ctx.state.findProject(projectId)) {
					return reply.code(400).send({ message: `Unknown project '${projectId}'. Known projects: ${ctx.state.projectIds().join(', ')}.` });
				}
				if (!Array.isArray(body.rows) || body.rows.length === 0) {
					return reply.code(400).send({ message: 'Send {"rows": [{"payload": "..."}, ...]} with at least one row.' });
				}
				const result = await ctx.engine.insertEvents(projectId, body.rows);
				return result === undefined ? { inserted: body.rows.length } : result;
			});
		}, { prefix: ADMIN_PREFIX });
	}

	return {
		add,
		take,
		reset,
		remove,
		list: () => faults.map(describeFault),
		requests: () => requests.slice(),
		clearRequests: () => { requests = []; },
		installHooks,
		registerAdmin,
	};
}

module.exports = {
	ADMIN_PREFIX,
	API_PREFIX,
	createFaults,
	parseFault,
	globToRegExp,
	apiPath,
	isAdminUrl,
	FaultRequestError,
};
