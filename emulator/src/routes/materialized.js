'use strict';

const { PeakaError, peakaBody } = require('../errors');
const { NO_BODY_ROUTE } = require('./cache');

/**
 * Materialized query statuses, refresh and cancel. A refresh is a job of ctx.jobs (kind
 * 'materialized', target the query id). The query's stored result `peaka.mtquery.<name>` is
 * rebuilt only when the refresh succeeds, so SQL on that table and runs by id see new rows then.
 *
 * Differences between the behaviours, as live Peaka was measured (spec first):
 * - while a refresh is queued (the first tenth of its run) the status shows PENDING; observed
 *   keeps showing the previous run's status and times until the new run starts, as live Peaka did;
 * - a cancelled run: CANCELLED; observed CANCELED (one L);
 * - an unknown query id: 404; observed 400 "There is no query with id: <id>".
 * A new MATERIALIZED query reports COMPLETED with null times until its first refresh, as observed.
 */

/**
 * Refresh time at job speed 1, unless the in-process option `materializedRefreshMs` sets another.
 * Neither the spec nor the measurements give one.
 */
const REFRESH_DURATION_MS = 10_000;
const JOB_KIND = 'materialized';
const MS_PER = { D: 86_400_000, H: 3_600_000, M: 60_000, S: 1000 };

/** Milliseconds of an ISO-8601 duration of days and time parts (weeks, months and years are left out: null). */
function durationMs(text) {
	const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(String(text ?? ''));
	if (!match) return null;
	const [, days, hours, minutes, seconds] = match;
	const total = Number(days ?? 0) * MS_PER.D + Number(hours ?? 0) * MS_PER.H
		+ Number(minutes ?? 0) * MS_PER.M + Number(seconds ?? 0) * MS_PER.S;
	return total > 0 ? total : null;
}

function isoTime(epochMs) {
	return epochMs === null || epochMs === undefined ? null : new Date(epochMs).toISOString();
}

/**
 * @param {import('fastify').FastifyInstance} app
 * @param {{ engine: object, behaviour: 'spec'|'observed', jobs: object, log: Function }} ctx
 */
function register(app, ctx) {
	const { engine, behaviour } = ctx;
	const observed = behaviour === 'observed';
	/** Stored-result rebuilds in flight by query id, awaited before a status is returned. */
	const pendingWrites = new Map();

	function statusName(state) {
		if (state === 'SUCCESS') return 'COMPLETED';
		if (state === 'CANCELLED') return observed ? 'CANCELED' : 'CANCELLED';
		return state;
	}

	function requireMaterialized(projectId, queryId) {
		const record = engine.savedQueries.get(projectId, queryId);
		if (!record) {
			throw new PeakaError(observed ? 400 : 404, peakaBody(`There is no query with id: ${queryId}`));
		}
		if (record.queryType !== 'MATERIALIZED') {
			throw PeakaError.badRequest(`Query ${queryId} is not a materialized query (queryType ${record.queryType}).`);
		}
		return record;
	}

	function nextExecution(schedule, lastStartMs) {
		if (!schedule || schedule.type !== 'interval') return null;
		// NOTE: the next run of a cron schedule is not computed; the spec allows null for it.
		const interval = durationMs(schedule.repeatDuration ?? schedule.expression);
		if (interval === null) return null;
		const now = Date.now();
		const base = lastStartMs ?? now;
		const periods = Math.max(1, Math.ceil((now - base) / interval));
		return isoTime(base + periods * interval);
	}

	function renderStatus(record) {
		const jobs = ctx.jobs.list({ kind: JOB_KIND, target: record.id, projectId: record.projectId ?? undefined });
		// Observed: a queued refresh stays invisible, so the previous run (or none) is shown.
		const visibleJob = jobs.find((job) => !observed || ctx.jobs.state(job) !== 'PENDING');
		const state = visibleJob ? ctx.jobs.state(visibleJob) : null;
		const started = visibleJob && state !== 'PENDING' ? visibleJob.startedAt : null;
		return {
			queryId: record.id,
			queryName: record.name,
			scheduleSettings: record.schedule ?? null,
			nextExecutionStartTime: nextExecution(record.schedule, started),
			status: visibleJob ? statusName(state) : 'COMPLETED',
			lastExecutionStartTime: isoTime(started),
			lastUpdateTime: visibleJob ? isoTime(visibleJob.finishedAt ?? visibleJob.startedAt ?? visibleJob.requestedAt) : null,
		};
	}

	async function settledStatus(projectId, record) {
		// Reading the state first runs onSettle for a finished refresh, so its write is awaited.
		for (const job of ctx.jobs.list({ kind: JOB_KIND, target: record.id, projectId })) ctx.jobs.state(job);
		const write = pendingWrites.get(`${projectId}/${record.id}`);
		if (write) await write;
		return renderStatus({ ...record, projectId });
	}

	const base = '/data/projects/:projectId/materialized-queries';

	app.get(`${base}/status`, async (request) => {
		const { projectId } = request.params;
		const records = engine.savedQueries.list(projectId).filter((record) => record.queryType === 'MATERIALIZED');
		const statuses = [];
		for (const record of records) statuses.push(await settledStatus(projectId, record));
		return statuses;
	});

	app.get(`${base}/:queryId/status`, async (request) => {
		const { projectId, queryId } = request.params;
		return settledStatus(projectId, requireMaterialized(projectId, queryId));
	});

	app.post(`${base}/:queryId/refresh`, NO_BODY_ROUTE, async (request, reply) => {
		const { projectId, queryId } = request.params;
		const record = requireMaterialized(projectId, queryId);
		const key = `${projectId}/${record.id}`;
		ctx.jobs.start({
			kind: JOB_KIND,
			target: record.id,
			durationMs: ctx.options?.materializedRefreshMs ?? REFRESH_DURATION_MS,
			projectId,
			onSettle: (job, state) => {
				if (state !== 'SUCCESS') return;
				const write = engine.savedQueries.refreshMaterialized(projectId, record.id)
					.catch((error) => ctx.log.error(`refresh of materialized query ${record.id} in ${projectId} failed: ${error.message}`))
					.finally(() => {
						if (pendingWrites.get(key) === write) pendingWrites.delete(key);
					});
				pendingWrites.set(key, write);
			},
		});
		return reply.code(200).send();
	});

	app.post(`${base}/:queryId/cancel`, NO_BODY_ROUTE, async (request, reply) => {
		const { projectId, queryId } = request.params;
		const record = requireMaterialized(projectId, queryId);
		// Live Peaka returned 200 with nothing running, too.
		for (const job of ctx.jobs.list({ kind: JOB_KIND, target: record.id, projectId })) ctx.jobs.cancel(job);
		return reply.code(200).send();
	});
}

module.exports = { register, REFRESH_DURATION_MS };
