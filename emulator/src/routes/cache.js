'use strict';

const crypto = require('node:crypto');

const { PeakaError, frameworkBody, peakaBody, wrongRequestBody } = require('../errors');
const sql = require('../engine/sql');

/**
 * Table caches: create (one or a batch), read and update settings, delete, start and cancel full
 * refreshes and incremental syncs, statuses (one cache, the project, a catalog, a schema) and the
 * execution history. Each sync is a job of ctx.jobs ('cache-full' or 'cache-incremental', target
 * the cache id), so its status moves with the clock at the emulator's job speed.
 *
 * Caches are kept on the engine's project state as `project.caches` (a Map by id), so tests can
 * read what was stored.
 *
 * Differences between the behaviours, as live Peaka was measured (spec first):
 * - a second cache for a table: 409; observed 500 while the first sync runs, else 200 with the
 *   existing cache;
 * - an invalid schedule expression: 400; observed 200 with the schedule ignored;
 * - a sync's execution record: at once; observed only once the job leaves PENDING (live Peaka
 *   showed it about 300 ms after the trigger), while the top-level status is RUNNING at once;
 * - cancelling a full refresh in that gap before any full refresh record exists: observed 500;
 * - triggering a sync of an unknown cache: 404; observed 400 "Cache settings not found";
 * - the schema-level status listing: observed 500;
 * - internal tables (catalog 1): TABLE_NOT_CACHEABLE; observed 400 with errorCode null.
 */

/**
 * Sync time of a cache job at job speed 1, unless the in-process option `cacheSyncMs` sets another.
 * Live syncs took 2.5 s (0 rows) to 50 s (invoices).
 */
const SYNC_DURATION_MS = 30_000;
const DEFAULT_HISTORY_LIMIT = 10;
const SCHEDULE_TYPES = ['BASIC', 'NONE'];
/** The duration form Java's Duration.parse takes (days and time only), which the spec's Schedule text documents. */
const ISO_DURATION = /^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const JOB_KINDS = { full: 'cache-full', incremental: 'cache-incremental' };
const EXECUTION_MODES = { 'cache-full': 'FULL_REFRESH', 'cache-incremental': 'INCREMENTAL' };
/** Execution statuses by job state. A queued sync already counts as RUNNING in Peaka's enum. */
const EXECUTION_STATUSES = { PENDING: 'RUNNING', RUNNING: 'RUNNING', SUCCESS: 'COMPLETED', FAILED: 'FAILED', CANCELLED: 'CANCELLED' };
const INTERNAL_CATALOG_ID = '1';

/**
 * Route options for POST endpoints that take no body. Clients such as axios label an empty POST
 * as a form; Peaka (Spring) ignores the label, so the emulator drops it before body parsing.
 */
const NO_BODY_ROUTE = {
	onRequest: async (request) => {
		const length = request.headers['content-length'];
		if (length === undefined || length === '0') delete request.headers['content-type'];
	},
};

function requestPath(request) {
	return request.url.split('?')[0];
}

function isoTime(epochMs) {
	return new Date(epochMs).toISOString();
}

/**
 * Checks a cache schedule. Returns the schedule to store, or throws 400 in spec behaviour; in
 * observed behaviour an invalid schedule is ignored (undefined), as live Peaka returned 200 and
 * kept the previous one.
 */
function readSchedule(value, name, behaviour) {
	if (value === undefined || value === null) return undefined;
	const reject = (message) => {
		if (behaviour === 'observed') return undefined;
		throw PeakaError.badRequest(message);
	};
	if (typeof value !== 'object' || Array.isArray(value)) {
		return reject(`Invalid ${name} ${JSON.stringify(value)}: send an object such as {"type": "BASIC", "expression": "PT6H"}.`);
	}
	if (!SCHEDULE_TYPES.includes(value.type)) {
		return reject(`Invalid ${name} type ${JSON.stringify(value.type)}: use BASIC or NONE.`);
	}
	if (value.type === 'NONE') return { type: 'NONE' };
	if (typeof value.expression !== 'string' || !ISO_DURATION.test(value.expression)) {
		return reject(`Invalid ${name} expression ${JSON.stringify(value.expression)}: use an ISO-8601 duration such as PT6H.`);
	}
	return { type: 'BASIC', expression: value.expression };
}

function isActive(schedule) {
	return Boolean(schedule) && schedule.type === 'BASIC';
}

/**
 * @param {import('fastify').FastifyInstance} app
 * @param {{ engine: object, behaviour: 'spec'|'observed', jobs: object }} ctx
 */
function register(app, ctx) {
	const { engine, behaviour } = ctx;
	const observed = behaviour === 'observed';

	function caches(projectId) {
		const project = engine.project(projectId);
		project.caches ??= new Map();
		return project.caches;
	}

	function findCache(projectId, cacheId) {
		return caches(projectId).get(cacheId) ?? null;
	}

	function requireCache(projectId, cacheId) {
		const cache = findCache(projectId, cacheId);
		if (!cache) throw PeakaError.notFound(`Cache not found: ${cacheId}`);
		return cache;
	}

	function syncJobs(cache) {
		return ctx.jobs.list({ kind: [JOB_KINDS.full, JOB_KINDS.incremental], target: cache.id, projectId: cache.projectId });
	}

	/** Returns whether a job's execution record is visible yet (observed: only once it runs). */
	function recordVisible(job) {
		return !observed || ctx.jobs.state(job) !== 'PENDING';
	}

	function executionInfo(cache, job) {
		const state = ctx.jobs.state(job);
		const share = ctx.jobs.progress(job);
		const cached = Math.round(cache.rowCount * share);
		const info = {
			id: job.id,
			executionMode: EXECUTION_MODES[job.kind],
			status: EXECUTION_STATUSES[state],
			progress: {
				numberOfCachedRecords: cached,
				numberOfInsertedRecords: job.kind === JOB_KINDS.full ? cached : 0,
				numberOfUpdatedRecords: 0,
				numberOfDeletedRecords: 0,
				lastOffset: String(cached),
				lastCacheTxId: job.id.slice(0, 8),
			},
			createdAt: isoTime(job.requestedAt),
			updatedAt: isoTime(job.finishedAt ?? Math.max(job.requestedAt, Math.min(Date.now(), job.endsAt ?? job.startedAt))),
		};
		// The spec types `error` and `finishedAt` without null, so they are left out until set.
		if (state === 'FAILED') info.error = { message: job.message };
		if (job.finishedAt !== null) info.finishedAt = isoTime(job.finishedAt);
		return info;
	}

	function renderCache(cache) {
		const view = {
			id: cache.id,
			catalogId: cache.catalogId,
			schemaName: cache.schemaName,
			tableName: cache.tableName,
			projectId: cache.projectId,
		};
		// The spec's Schedule is not nullable, so a mode without a schedule is left out.
		if (cache.incrementalCacheSchedule) view.incrementalCacheSchedule = { ...cache.incrementalCacheSchedule };
		if (cache.fullRefreshCacheSchedule) view.fullRefreshCacheSchedule = { ...cache.fullRefreshCacheSchedule };
		return view;
	}

	function renderStatus(cache, { withLogs }) {
		const jobs = syncJobs(cache);
		const latest = jobs[0];
		const lastOf = (kind) => jobs.find((job) => job.kind === kind && recordVisible(job));
		const lastFull = lastOf(JOB_KINDS.full);
		const lastIncremental = lastOf(JOB_KINDS.incremental);
		const status = {
			id: cache.id,
			status: latest ? EXECUTION_STATUSES[ctx.jobs.state(latest)] : 'NOT_INITIALIZED',
			catalogId: cache.catalogId,
			schemaName: cache.schemaName,
			tableName: cache.tableName,
			projectId: cache.projectId,
		};
		if (lastIncremental) status.lastIncrementalCacheExecution = executionInfo(cache, lastIncremental);
		if (lastFull) status.lastFullRefreshCacheExecution = executionInfo(cache, lastFull);
		status.cacheActionLogs = withLogs ? actionLogs(cache) : [];
		return status;
	}

	function actionLogs(cache) {
		const logs = cache.actions.map((entry) => ({ ...entry }));
		for (const job of syncJobs(cache).slice().reverse()) {
			const state = ctx.jobs.state(job);
			if (state === 'PENDING' || state === 'RUNNING') continue;
			logs.push({
				timestamp: isoTime(job.finishedAt),
				action: `${EXECUTION_MODES[job.kind]}_${EXECUTION_STATUSES[state]}`,
				message: state === 'FAILED' ? job.message : `${EXECUTION_MODES[job.kind]} ${EXECUTION_STATUSES[state].toLowerCase()}`,
				cacheType: EXECUTION_MODES[job.kind],
				isScheduled: false,
			});
		}
		return logs.sort((left, right) => left.timestamp.localeCompare(right.timestamp));
	}

	function logAction(cache, action, message, kind) {
		cache.actions.push({ timestamp: new Date().toISOString(), action, message, cacheType: EXECUTION_MODES[kind] ?? 'FULL_REFRESH', isScheduled: false });
	}

	function startSync(cache, kind) {
		logAction(cache, `${EXECUTION_MODES[kind]}_STARTED`, `${EXECUTION_MODES[kind]} started`, kind);
		const durationMs = ctx.options?.cacheSyncMs ?? SYNC_DURATION_MS;
		return ctx.jobs.start({ kind, target: cache.id, durationMs, projectId: cache.projectId });
	}

	/** Finds a table to cache, or throws the 400 Peaka sends for it. */
	async function findCacheableTable(projectId, request) {
		const { catalogId, schemaName, tableName } = request;
		for (const [name, value] of [['catalogId', catalogId], ['schemaName', schemaName], ['tableName', tableName]]) {
			if (typeof value !== 'string' || value === '') {
				throw PeakaError.badRequest(`${name} is required: send {"catalogId": "...", "schemaName": "...", "tableName": "..."}.`);
			}
		}
		const catalogs = await engine.listCatalogs(projectId);
		const catalog = catalogs.find((entry) => String(entry.id) === catalogId);
		if (!catalog) throw PeakaError.badRequest(`Catalog not found: ${catalogId}`);
		let tables;
		try {
			tables = await engine.listTables(projectId, catalogId, schemaName);
		} catch {
			throw PeakaError.badRequest(`Schema '${catalog.name}.${schemaName}' does not exist`);
		}
		const table = tables.find((entry) => entry.name === tableName);
		if (!table) throw PeakaError.badRequest(`Table '${catalog.name}.${schemaName}.${tableName}' does not exist`);
		if (!table.isCacheable) {
			if (observed && catalogId === INTERNAL_CATALOG_ID) {
				throw new PeakaError(400, { message: `cannot find table or properties: "${tableName}" in schema: "${schemaName}"`, errorCode: null });
			}
			throw new PeakaError(400, peakaBody(`Table '${catalog.name}.${schemaName}.${tableName}' cannot be cached.`, 'TABLE_NOT_CACHEABLE'));
		}
		return { catalog, table };
	}

	async function countRows(projectId, catalog, schemaName, tableName) {
		const relation = [catalog.name, schemaName, tableName].map(sql.quoteIdentifier).join('.');
		const rows = await engine.query(projectId, `SELECT count(*) AS n FROM ${relation}`);
		return Number(rows[0].n);
	}

	/**
	 * Creates a cache and starts its first sync. Returns `{ status, cache }`, where status 200 with
	 * an existing cache is observed behaviour's get-or-create.
	 */
	async function createCache(projectId, request) {
		if (!request || typeof request !== 'object' || Array.isArray(request)) {
			throw PeakaError.badRequest('Send a cache request such as {"catalogId": "...", "schemaName": "...", "tableName": "..."}.');
		}
		const { catalog } = await findCacheableTable(projectId, request);
		const incrementalCacheSchedule = readSchedule(request.incrementalCacheSchedule, 'incrementalCacheSchedule', behaviour);
		const fullRefreshCacheSchedule = readSchedule(request.fullRefreshCacheSchedule, 'fullRefreshCacheSchedule', behaviour);

		const existing = [...caches(projectId).values()].find((cache) => cache.catalogId === request.catalogId
			&& cache.schemaName === request.schemaName && cache.tableName === request.tableName);
		if (existing) {
			if (!observed) throw new PeakaError(409, peakaBody('A cache already exists for this table'));
			const latest = syncJobs(existing)[0];
			if (latest && !ctx.jobs.isTerminal(ctx.jobs.state(latest))) {
				throw new PeakaError(500, frameworkBody(500, `/api/v1/data/projects/${projectId}/cache`, 'A cache sync is running for this table'));
			}
			return existing;
		}

		const cache = {
			id: crypto.randomUUID(),
			catalogId: request.catalogId,
			schemaName: request.schemaName,
			tableName: request.tableName,
			projectId,
			incrementalCacheSchedule: incrementalCacheSchedule ?? null,
			fullRefreshCacheSchedule: fullRefreshCacheSchedule ?? null,
			rowCount: 0,
			actions: [],
		};
		caches(projectId).set(cache.id, cache);
		// Reads switch to the cache as soon as it exists, as live Peaka's did.
		await engine.setTableCached(projectId, cache.catalogId, cache.schemaName, cache.tableName, true);
		cache.rowCount = await countRows(projectId, catalog, cache.schemaName, cache.tableName);
		logAction(cache, 'CREATED', 'Cache created', JOB_KINDS.full);

		// The first sync starts by itself: incremental when only an incremental schedule is set,
		// otherwise a full refresh (also for a one-time cache without schedules).
		const firstKind = isActive(cache.incrementalCacheSchedule) && !isActive(cache.fullRefreshCacheSchedule)
			? JOB_KINDS.incremental
			: JOB_KINDS.full;
		startSync(cache, firstKind);
		return cache;
	}

	function triggerTarget(projectId, cacheId) {
		const cache = findCache(projectId, cacheId);
		if (cache) return cache;
		if (observed) throw new PeakaError(400, wrongRequestBody('Cache settings not found'));
		throw PeakaError.notFound(`Cache not found: ${cacheId}`);
	}

	function cancelSync(request, kind) {
		const { projectId, cacheId } = request.params;
		const cache = requireCache(projectId, cacheId);
		const jobs = syncJobs(cache).filter((job) => job.kind === kind);
		const running = jobs.filter((job) => !ctx.jobs.isTerminal(ctx.jobs.state(job)));
		const label = kind === JOB_KINDS.full ? 'full refresh' : 'incremental sync';
		if (running.length === 0) throw PeakaError.notFound(`No running ${label} for cache ${cacheId}`);
		if (observed && kind === JOB_KINDS.full && !jobs.some(recordVisible)) {
			throw new PeakaError(500, frameworkBody(500, requestPath(request),
				'Cannot invoke "CacheExecutionInfo.getStatus()" because the return value of "CacheStatus.getLastFullRefreshCacheExecution()" is null'));
		}
		// One cancel stops every run of that kind, the queued ones included.
		for (const job of running) ctx.jobs.cancel(job);
		logAction(cache, `${EXECUTION_MODES[kind]}_CANCEL_REQUESTED`, `${label} cancelled`, kind);
	}

	const base = '/data/projects/:projectId/cache';

	app.post(base, async (request) => {
		return renderCache(await createCache(request.params.projectId, request.body));
	});

	app.post(`${base}/batch`, async (request) => {
		const { projectId } = request.params;
		if (!Array.isArray(request.body)) {
			throw PeakaError.badRequest('Send an array of cache requests, e.g. [{"catalogId": "...", "schemaName": "...", "tableName": "..."}].');
		}
		const results = [];
		// One at a time, so two entries for the same table meet the duplicate rule.
		for (const entry of request.body) {
			try {
				results.push({ success: true, cache: renderCache(await createCache(projectId, entry)) });
			} catch (error) {
				if (!error.isPeakaError) throw error;
				results.push({ success: false, error: error.message });
			}
		}
		return results;
	});

	app.get(`${base}/status`, async (request) => {
		const { projectId } = request.params;
		return [...caches(projectId).values()].map((cache) => renderStatus(cache, { withLogs: false }));
	});

	app.get(`${base}/:cacheId`, async (request) => {
		const { projectId, cacheId } = request.params;
		return renderCache(requireCache(projectId, cacheId));
	});

	app.put(`${base}/:cacheId`, async (request) => {
		const { projectId, cacheId } = request.params;
		const cache = requireCache(projectId, cacheId);
		const body = request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? request.body : {};
		const incremental = readSchedule(body.incrementalCacheSchedule, 'incrementalCacheSchedule', behaviour);
		const full = readSchedule(body.fullRefreshCacheSchedule, 'fullRefreshCacheSchedule', behaviour);
		// Only the schedules sent change, as the spec documents.
		if (incremental !== undefined) cache.incrementalCacheSchedule = incremental;
		if (full !== undefined) cache.fullRefreshCacheSchedule = full;
		logAction(cache, 'SCHEDULE_UPDATED', 'Cache schedules updated', JOB_KINDS.full);
		return renderCache(cache);
	});

	app.delete(`${base}/:cacheId`, async (request, reply) => {
		const { projectId, cacheId } = request.params;
		const cache = requireCache(projectId, cacheId);
		for (const job of syncJobs(cache)) ctx.jobs.cancel(job);
		ctx.jobs.forget({ target: cache.id, projectId });
		caches(projectId).delete(cache.id);
		await engine.setTableCached(projectId, cache.catalogId, cache.schemaName, cache.tableName, false);
		return reply.code(200).send();
	});

	app.post(`${base}/:cacheId/fullRefreshUpdate`, NO_BODY_ROUTE, async (request) => {
		const { projectId, cacheId } = request.params;
		startSync(triggerTarget(projectId, cacheId), JOB_KINDS.full);
		return {};
	});

	app.post(`${base}/:cacheId/incrementalUpdate`, NO_BODY_ROUTE, async (request) => {
		const { projectId, cacheId } = request.params;
		startSync(triggerTarget(projectId, cacheId), JOB_KINDS.incremental);
		return {};
	});

	app.post(`${base}/:cacheId/cancelFullRefreshUpdate`, NO_BODY_ROUTE, async (request, reply) => {
		cancelSync(request, JOB_KINDS.full);
		return reply.code(200).send();
	});

	app.post(`${base}/:cacheId/cancelIncrementalUpdate`, NO_BODY_ROUTE, async (request, reply) => {
		cancelSync(request, JOB_KINDS.incremental);
		return reply.code(200).send();
	});

	app.get(`${base}/:cacheId/status`, async (request) => {
		const { projectId, cacheId } = request.params;
		const withLogs = request.query.excludeLogs !== 'true';
		return renderStatus(requireCache(projectId, cacheId), { withLogs });
	});

	app.get(`${base}/:cacheId/executionHistory`, async (request) => {
		const { projectId, cacheId } = request.params;
		const cache = requireCache(projectId, cacheId);
		const limit = readPaging(request, 'limit', DEFAULT_HISTORY_LIMIT, 1);
		const offset = readPaging(request, 'offset', 0, 0);
		return syncJobs(cache)
			.filter(recordVisible)
			.slice(offset, offset + limit)
			.map((job) => executionInfo(cache, job));
	});

	app.get('/data/projects/:projectId/catalog/:catalogId/cache/status', async (request) => {
		const { projectId, catalogId } = request.params;
		return [...caches(projectId).values()]
			.filter((cache) => cache.catalogId === catalogId)
			.map((cache) => renderStatus(cache, { withLogs: false }));
	});

	app.get('/data/projects/:projectId/catalog/:catalogId/schema/:schemaName/cache/status', async (request) => {
		const { projectId, catalogId, schemaName } = request.params;
		if (observed) {
			throw new PeakaError(500, frameworkBody(500, requestPath(request)));
		}
		return [...caches(projectId).values()]
			.filter((cache) => cache.catalogId === catalogId && cache.schemaName === schemaName)
			.map((cache) => renderStatus(cache, { withLogs: false }));
	});
}

function readPaging(request, name, fallback, minimum) {
	const text = request.query[name];
	if (text === undefined) return fallback;
	if (!/^\d+$/.test(String(text)) || Number(text) < minimum) {
		throw new PeakaError(400, frameworkBody(400, requestPath(request), `Invalid ${name} '${text}': use a whole number of at least ${minimum}.`));
	}
	return Number(text);
}

module.exports = { register, SYNC_DURATION_MS, NO_BODY_ROUTE };
