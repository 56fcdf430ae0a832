'use strict';

/**
 * Error bodies in the shapes Peaka sends. Peaka's layers disagree: most services send
 * `{ errorCode: 100, message }`, some send `{ error: 'WrongRequestException', message,
 * errorCode: null }` or a string `errorCode` such as 'TABLE_NOT_CACHEABLE', and the web framework
 * itself (Spring Boot) sends `{ timestamp, status, error, path }` for unknown routes and wrong verbs.
 */

/** The numeric errorCode most Peaka services put in their error bodies. */
const GENERIC_ERROR_CODE = 100;

/** Reason phrases that Spring Boot writes into the `error` field of its default error body. */
const REASON_PHRASES = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	405: 'Method Not Allowed',
	408: 'Request Timeout',
	409: 'Conflict',
	413: 'Payload Too Large',
	415: 'Unsupported Media Type',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	501: 'Not Implemented',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
};

/**
 * An error a route throws to answer with a Peaka error body. The server's error handler sends
 * `body` as JSON with `status` and any `headers`.
 */
class PeakaError extends Error {
	/**
	 * @param {number} status HTTP status code
	 * @param {object|string} body the response body, sent as JSON when it is an object
	 * @param {{ headers?: Record<string, string> }} [options]
	 */
	constructor(status, body, options = {}) {
		const message = body && typeof body === 'object' && typeof body.message === 'string'
			? body.message
			: String(body);
		super(message);
		this.name = 'PeakaError';
		this.isPeakaError = true;
		this.status = status;
		this.body = body;
		this.headers = options.headers || {};
	}

	/** 400 with `{ errorCode: 100, message }`. */
	static badRequest(message) {
		return new PeakaError(400, peakaBody(message));
	}

	/** 404 with `{ errorCode: 100, message }`. */
	static notFound(message) {
		return new PeakaError(404, peakaBody(message));
	}

	/** 400 with `{ error: 'WrongRequestException', message, errorCode: null }`. */
	static wrongRequest(message) {
		return new PeakaError(400, wrongRequestBody(message));
	}
}

/** Returns the common Peaka body `{ errorCode: 100, message }`. */
function peakaBody(message, errorCode = GENERIC_ERROR_CODE) {
	return { errorCode, message };
}

/** Returns the body Peaka's gateway sends for a rejected request: `{ error: 'WrongRequestException', message, errorCode: null }`. */
function wrongRequestBody(message) {
	return { error: 'WrongRequestException', message, errorCode: null };
}

/**
 * Returns Spring Boot's default error body. `message` is left out unless given, as Spring Boot
 * leaves it out by default.
 * @param {number} status
 * @param {string} path the request path, as the server received it (without the query string)
 * @param {string} [message]
 */
function frameworkBody(status, path, message) {
	const body = {
		// Spring Boot writes the offset as +00:00, not Z.
		timestamp: new Date().toISOString().replace('Z', '+00:00'),
		status,
		error: REASON_PHRASES[status] || 'Error',
	};
	if (message !== undefined) body.message = message;
	body.path = path;
	return body;
}

/** Returns whether `error` is a PeakaError, also when it comes from another copy of this module. */
function isPeakaError(error) {
	return Boolean(error) && (error instanceof PeakaError || error.isPeakaError === true);
}

/**
 * Sends `body` with `status` and returns the reply, so a hook or handler can `return sendError(...)`.
 * @param {import('fastify').FastifyReply} reply
 * @param {number} status
 * @param {object|string} body
 * @param {Record<string, string>} [headers]
 */
function sendError(reply, status, body, headers = {}) {
	reply.code(status).headers(headers);
	if (typeof body === 'string') reply.type('text/plain; charset=utf-8');
	else reply.type('application/json; charset=utf-8');
	return reply.send(body);
}

module.exports = {
	GENERIC_ERROR_CODE,
	REASON_PHRASES,
	PeakaError,
	peakaBody,
	wrongRequestBody,
	frameworkBody,
	isPeakaError,
	sendError,
};
