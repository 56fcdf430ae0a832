'use strict';

const crypto = require('node:crypto');

/**
 * Background jobs (cache syncs, materialized refreshes, exports, metadata refreshes) as state
 * machines over time. A job's state is computed from the clock when it is read, so no timer has
 * to fire for a status to change. An optional `onSettle` callback still runs once at the end, by
 * timer or at the first read after the end, for side effects such as storing a result.
 *
 * Tests arrange how the next job of a kind ends through `arrange` (or POST /__emulator/jobs):
 * 'fail' ends FAILED with a message, 'cancel' ends CANCELLED, 'hang' never finishes.
 */

/** Duration of a job when the route gives none, at jobSpeed 1. */
const DEFAULT_JOB_DURATION_MS = 2000;
/** Share of a job's duration spent PENDING before it runs. */
const PENDING_SHARE = 0.1;
const OUTCOMES = ['fail', 'hang', 'cancel'];
const TERMINAL_STATES = new Set(['SUCCESS', 'FAILED', 'CANCELLED']);
const DEFAULT_FAILURE_MESSAGE = 'The job failed (arranged by the emulator).';

class JobRequestError extends Error {}

/** Returns whether `value` matches a filter value: undefined matches all, an array any member. */
function matches(filter, value) {
	if (filter === undefined || filter === null) return true;
	if (Array.isArray(filter)) return filter.includes(value);
	return filter === value;
}

/**
 * Checks an arrangement request and returns the stored arrangement.
 * @param {object} request `{ kind, target?, outcome, message?, times? }`
 */
function parseArrangement(request) {
	if (!request || typeof request !== 'object' || Array.isArray(request)) {
		throw new JobRequestError('Invalid job arrangement: send a JSON object such as {"kind": "cache-full", "outcome": "fail"}.');
	}
	const { kind, target, outcome, message, times = 1 } = request;
	if (typeof kind !== 'string' || kind === '') {
		throw new JobRequestError(`Invalid job arrangement: 'kind' must be a non-empty string such as "cache-full", got ${JSON.stringify(kind)}.`);
	}
	if (target !== undefined && target !== null && typeof target !== 'string') {
		throw new JobRequestError(`Invalid job arrangement: 'target' must be a string (a cache id, query id, export id or catalog id), got ${JSON.stringify(target)}.`);
	}
	if (!OUTCOMES.includes(outcome)) {
		throw new JobRequestError(`Invalid job arrangement: 'outcome' must be one of ${OUTCOMES.join(', ')}, got ${JSON.stringify(outcome)}.`);
	}
	if (message !== undefined && typeof message !== 'string') {
		throw new JobRequestError(`Invalid job arrangement: 'message' must be a string, got ${JSON.stringify(message)}.`);
	}
	if (!Number.isInteger(times) || times < 1) {
		throw new JobRequestError(`Invalid job arrangement: 'times' must be an integer of at least 1, got ${JSON.stringify(times)}.`);
	}
	return { kind, target: target ?? null, outcome, message: message ?? null, remaining: times };
}

/**
 * Creates the job registry.
 * @param {{ jobSpeed?: number, now?: () => number }} [options] jobSpeed divides every duration
 *   (10 means a 2 s job takes 200 ms); `now` returns epoch milliseconds (tests may pass a fake clock)
 */
function createJobs(options = {}) {
	const jobSpeed = options.jobSpeed ?? 1;
	const now = options.now ?? Date.now;
	if (!(typeof jobSpeed === 'number' && jobSpeed > 0 && Number.isFinite(jobSpeed))) {
		throw new TypeError(`Invalid jobSpeed ${JSON.stringify(jobSpeed)}: use a positive number (1 = Peaka's pace, 10 = ten times faster).`);
	}

	/** Jobs in start order; `list` returns them newest first. */
	let records = [];
	let arrangements = [];
	/** Private per-job data that the public record does not show. */
	const internals = new Map();

	function takeArrangement(kind, target) {
		const found = arrangements.find((entry) => entry.remaining > 0 && entry.kind === kind
			&& (entry.target === null || entry.target === target));
		if (!found) return null;
		found.remaining -= 1;
		arrangements = arrangements.filter((entry) => entry.remaining > 0);
		return found;
	}

	/**
	 * Starts a job and returns its record.
	 * @param {{ kind: string, target: string, durationMs?: number, projectId?: string,
	 *   onSettle?: (job: object, state: string) => void }} request durationMs at jobSpeed 1
	 */
	function start(request) {
		const { kind, target, durationMs = DEFAULT_JOB_DURATION_MS, projectId = null, onSettle = null } = request;
		if (typeof kind !== 'string' || kind === '') throw new TypeError(`jobs.start needs a kind, got ${JSON.stringify(kind)}.`);
		if (!(durationMs >= 0)) throw new TypeError(`jobs.start needs durationMs of at least 0, got ${JSON.stringify(durationMs)}.`);
		const arranged = takeArrangement(kind, String(target));
		const requestedAt = now();
		const effectiveMs = durationMs / jobSpeed;
		const job = {
			id: crypto.randomUUID(),
			kind,
			target: String(target),
			projectId,
			requestedAt,
			startedAt: requestedAt + Math.round(effectiveMs * PENDING_SHARE),
			finishedAt: null,
			endsAt: arranged && arranged.outcome === 'hang' ? null : requestedAt + Math.round(effectiveMs),
			durationMs: effectiveMs,
			outcome: arranged ? arranged.outcome : 'success',
			message: arranged && arranged.outcome === 'fail' ? (arranged.message ?? DEFAULT_FAILURE_MESSAGE) : (arranged?.message ?? null),
			cancelledAt: null,
		};
		records.push(job);
		const internal = { onSettle, settled: false, timer: null };
		internals.set(job.id, internal);
		if (onSettle && job.endsAt !== null) {
			internal.timer = setTimeout(() => state(job), Math.max(0, job.endsAt - requestedAt));
			internal.timer.unref?.();
		}
		return job;
	}

	function computeState(job, at) {
		if (job.cancelledAt !== null) return 'CANCELLED';
		if (at < job.startedAt) return 'PENDING';
		if (job.endsAt === null || at < job.endsAt) return 'RUNNING';
		if (job.outcome === 'fail') return 'FAILED';
		if (job.outcome === 'cancel') return 'CANCELLED';
		return 'SUCCESS';
	}

	/** Returns the job's state now: PENDING, RUNNING, SUCCESS, FAILED or CANCELLED. */
	function state(job) {
		const at = now();
		const current = computeState(job, at);
		if (TERMINAL_STATES.has(current) && job.finishedAt === null) {
			job.finishedAt = job.cancelledAt ?? job.endsAt ?? at;
		}
		const internal = internals.get(job.id);
		if (internal && TERMINAL_STATES.has(current) && !internal.settled) {
			internal.settled = true;
			if (internal.timer) clearTimeout(internal.timer);
			if (internal.onSettle) internal.onSettle(job, current);
		}
		return current;
	}

	/** Returns the share of the job's run done, from 0 to 1 (a hanging job stays below 1). */
	function progress(job) {
		const current = state(job);
		if (current === 'SUCCESS') return 1;
		if (current === 'PENDING') return 0;
		const end = job.finishedAt ?? job.endsAt;
		if (end === null) return 0;
		const span = Math.max(1, end - job.startedAt);
		return Math.min(1, Math.max(0, ((job.finishedAt ?? now()) - job.startedAt) / span));
	}

	/** Cancels a job that has not finished. Returns false when it had already finished. */
	function cancel(job) {
		if (TERMINAL_STATES.has(state(job))) return false;
		job.cancelledAt = now();
		state(job);
		return true;
	}

	function list(filter = {}) {
		return records
			.filter((job) => matches(filter.kind, job.kind) && matches(filter.target, job.target)
				&& matches(filter.projectId, job.projectId))
			.reverse();
	}

	function latest(filter = {}) {
		return list(filter)[0] ?? null;
	}

	function get(id) {
		return records.find((job) => job.id === id) ?? null;
	}

	function isTerminal(stateName) {
		return TERMINAL_STATES.has(stateName);
	}

	function arrange(request) {
		const arrangement = parseArrangement(request);
		arrangements.push(arrangement);
		return { ...arrangement };
	}

	function clearArrangements() {
		const removed = arrangements.length;
		arrangements = [];
		return removed;
	}

	/** Drops every job record (an emulated delete of a cache, a query or a project). */
	function forget(filter = {}) {
		const dropped = new Set(list(filter).map((job) => job.id));
		for (const id of dropped) {
			const internal = internals.get(id);
			if (internal?.timer) clearTimeout(internal.timer);
			internals.delete(id);
		}
		records = records.filter((job) => !dropped.has(job.id));
		return dropped.size;
	}

	/** Returns a job with its current state, as the admin endpoint lists it. */
	function describe(job) {
		return { ...job, state: state(job) };
	}

	function close() {
		for (const internal of internals.values()) if (internal.timer) clearTimeout(internal.timer);
	}

	return {
		jobSpeed,
		start,
		state,
		progress,
		cancel,
		list,
		latest,
		get,
		isTerminal,
		arrange,
		arrangements: () => arrangements.map((entry) => ({ ...entry })),
		clearArrangements,
		forget,
		describe,
		close,
	};
}

/**
 * Registers the admin endpoints under `prefix` (normally /__emulator). POST /jobs arranges how the
 * next jobs end (one object or an array), and DELETE /jobs clears the arrangements. GET /jobs lists
 * jobs newest first with their state, filtered by the query parameters `kind`, `target`, `projectId`.
 * @param {import('fastify').FastifyInstance} app
 * @param {ReturnType<typeof createJobs>} jobs
 * @param {string} prefix
 */
function registerAdmin(app, jobs, prefix) {
	app.register(async (admin) => {
		admin.setErrorHandler((error, request, reply) => {
			const status = error instanceof JobRequestError ? 400 : (error.statusCode || 500);
			reply.code(status).send({ message: error.message });
		});
		admin.post('/jobs', async (request) => {
			const body = request.body;
			if (Array.isArray(body)) {
				body.forEach((entry) => parseArrangement(entry));
				return body.map((entry) => jobs.arrange(entry));
			}
			return jobs.arrange(body);
		});
		admin.delete('/jobs', async () => ({ removed: jobs.clearArrangements() }));
		admin.get('/jobs', async (request) => {
			const { kind, target, projectId } = request.query;
			return {
				jobs: jobs.list({ kind, target, projectId }).map((job) => jobs.describe(job)),
				arrangements: jobs.arrangements(),
			};
		});
	}, { prefix });
}

module.exports = { createJobs, registerAdmin, parseArrangement, JobRequestError, DEFAULT_JOB_DURATION_MS, PENDING_SHARE };
