'use strict';

const path = require('node:path');
const fastify = require('fastify');

const { PeakaError, frameworkBody, isPeakaError, peakaBody, sendError } = require('./errors');
const { ADMIN_PREFIX, API_PREFIX, isAdminUrl } = require('./faults');
const { registerAdmin: registerJobsAdmin } = require('./jobs');
const { DOCUMENTED_OPERATIONS } = require('./operations');

/**
 * The fastify application: authentication and project scoping for every API route, Peaka's error
 * bodies, Spring Boot style 404 and 405 responses, and 501 for documented operations that no route
 * module implements.
 */

/** Request bodies up to this size are accepted; Peaka's own limit is not documented. */
const BODY_LIMIT_BYTES = 64 * 1024 * 1024;

/** Route modules in registration order; each exports `register(app, ctx)`. */
const ROUTE_MODULES = ['account', 'connections', 'catalogs', 'queries', 'execute', 'drivers', 'sql', 'embedded', 'semantic', 'parametric', 'exports', 'metadata', 'cache', 'materialized', 'agent', 'tables'];

function requestPath(request) {
	return request.url.split('?')[0];
}

/**
 * Checks the bearer key and the key's scope. Returns the rejection it sent, or undefined when the
 * request may go on, with `request.peaka` set.
 * @param {object} state the account state
 * @param {{ partnerOnly?: boolean, projectId?: string }} route what the matched route requires
 */
function authorize(state, request, reply, route) {
	const entry = request.emulatorLogEntry;
	const header = request.headers.authorization;
	const pathOnly = requestPath(request);

	if (header === undefined || header === '') {
		if (entry) entry.auth = 'missing';
		return sendError(reply, 401, frameworkBody(401, pathOnly, 'Missing Authorization header. Send "Authorization: Bearer <API key>".'));
	}
	const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
	if (!match) {
		if (entry) entry.auth = 'malformed';
		return sendError(reply, 401, frameworkBody(401, pathOnly, 'The Authorization header must have the form "Bearer <API key>".'));
	}
	const identity = state.authenticate(match[1]);
	if (identity === null) {
		if (entry) entry.auth = 'unknown';
		return sendError(reply, 401, frameworkBody(401, pathOnly, 'The API key is not valid. Check the key, or create a new one in Peaka Studio.'));
	}
	if (identity.keyKind === 'expired') {
		if (entry) entry.auth = 'expired';
		return sendError(reply, 401, frameworkBody(401, pathOnly, 'The API key has expired. Create a new project API key.'));
	}

	if (entry) {
		entry.auth = identity.keyKind;
		entry.projectId = identity.projectId ?? null;
	}
	request.peaka = identity;

	if (identity.keyKind === 'project' && route.partnerOnly) {
		return sendError(reply, 403, frameworkBody(403, pathOnly, 'A project API key cannot call this endpoint. Use a partner API key.'));
	}
	const projectId = route.projectId;
	if (projectId !== undefined) {
		if (identity.keyKind === 'project' && projectId !== identity.projectId) {
			return sendError(reply, 403, frameworkBody(403, pathOnly, `The project API key belongs to project '${identity.projectId}' and cannot access project '${projectId}'.`));
		}
		if (identity.keyKind === 'partner' && !state.findProject(projectId)) {
			return sendError(reply, 404, peakaBody(`Project not found: ${projectId}`));
		}
	}
	return undefined;
}

/** Compiles a fastify route path such as `/a/:id/b` to an anchored RegExp over request paths. */
function routePattern(url) {
	const source = url
		.split('/')
		.map((segment) => {
			if (segment.startsWith(':')) return '[^/]+';
			if (segment === '*') return '.*';
			return segment.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
		})
		.join('/');
	return new RegExp(`^${source}$`);
}

/**
 * Builds the fastify application without starting it.
 * @param {{ engine: object, state: object, behaviour: 'spec'|'observed', options: object, log: Function, faults: object }} ctx
 */
function buildServer(ctx) {
	const { state, faults, log } = ctx;
	const app = fastify({
		logger: false,
		bodyLimit: BODY_LIMIT_BYTES,
		forceCloseConnections: true,
		// Optional HTTPS, for tests of certificates and proxies; the CLI and tests pass PEM text.
		...(ctx.options && ctx.options.tls ? { https: { key: ctx.options.tls.key, cert: ctx.options.tls.cert } } : {}),
	});

	/** Every registered route with its compiled path, for telling 405 from 404. */
	const routes = [];
	app.addHook('onRoute', (options) => {
		const methods = Array.isArray(options.method) ? options.method : [options.method];
		routes.push({ methods, pattern: routePattern(options.url) });
	});

	faults.installHooks(app);

	app.addHook('onResponse', async (request, reply) => {
		if (isAdminUrl(request.url)) return;
		const entry = request.emulatorLogEntry;
		const kind = entry && entry.auth ? ` ${entry.auth}` : '';
		const durationMs = entry && entry.durationMs !== undefined ? ` ${entry.durationMs.toFixed(1)}ms` : '';
		log.request(`${request.method} ${request.url} ${reply.statusCode}${durationMs}${kind}`);
	});

	app.setErrorHandler((error, request, reply) => {
		if (isPeakaError(error)) return sendError(reply, error.status, error.body, error.headers);
		const pathOnly = requestPath(request);
		if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
			return sendError(reply, 400, frameworkBody(400, pathOnly, 'Required request body is missing.'));
		}
		if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (error instanceof SyntaxError && error.statusCode === 400)) {
			return sendError(reply, 400, frameworkBody(400, pathOnly, `JSON parse error: ${error.message}`));
		}
		if (error.validation) {
			return sendError(reply, 400, frameworkBody(400, pathOnly, error.message));
		}
		if (Number.isInteger(error.statusCode) && error.statusCode >= 400 && error.statusCode < 500) {
			return sendError(reply, error.statusCode, frameworkBody(error.statusCode, pathOnly, error.message));
		}
		log.error(`${request.method} ${pathOnly} failed: ${error.stack || error.message}`);
		return sendError(reply, 500, frameworkBody(500, pathOnly, error.message));
	});

	app.setNotFoundHandler(async (request, reply) => {
		const pathOnly = requestPath(request);
		if (pathOnly === API_PREFIX || pathOnly.startsWith(`${API_PREFIX}/`)) {
			const rejected = authorize(state, request, reply, {});
			if (rejected) return rejected;
		}
		const allowed = new Set();
		for (const route of routes) {
			if (!route.pattern.test(pathOnly)) continue;
			for (const method of route.methods) if (method !== 'HEAD') allowed.add(method);
		}
		if (allowed.size > 0) {
			return sendError(reply, 405, frameworkBody(405, pathOnly), { Allow: [...allowed].join(', ') });
		}
		return sendError(reply, 404, frameworkBody(404, pathOnly));
	});

	faults.registerAdmin(app, ctx);
	if (ctx.jobs) registerJobsAdmin(app, ctx.jobs, ADMIN_PREFIX);

	// Routes Peaka serves without its API key (presigned export downloads) sit outside the API's
	// authentication hook, so a module registers them on the root instance.
	for (const name of ROUTE_MODULES) {
		const routeModule = require(path.join(__dirname, 'routes', `${name}.js`));
		if (typeof routeModule.registerPublic === 'function') routeModule.registerPublic(app, ctx);
	}

	app.register(async (api) => {
		api.addHook('onRequest', async (request, reply) => {
			const config = request.routeOptions.config || {};
			return authorize(state, request, reply, {
				partnerOnly: config.partnerOnly === true,
				projectId: request.params ? request.params.projectId : undefined,
			});
		});

		for (const name of ROUTE_MODULES) {
			require(path.join(__dirname, 'routes', `${name}.js`)).register(api, ctx);
		}

		for (const [method, url, partnerOnly] of DOCUMENTED_OPERATIONS) {
			if (api.hasRoute({ method, url: `${API_PREFIX}${url}` })) continue;
			api.route({
				method,
				url,
				config: { partnerOnly: partnerOnly === true, notEmulated: true },
				handler: async (request) => {
					throw new PeakaError(501, frameworkBody(501, requestPath(request), `The emulator does not implement ${method} ${API_PREFIX}${url}, which Peaka documents.`));
				},
			});
		}
	}, { prefix: API_PREFIX });

	return app;
}

module.exports = { buildServer, authorize, routePattern, BODY_LIMIT_BYTES };
