import { normalizeStatus } from '../../helpers/wait';

/**
 * Tells when a metadata refresh has finished. Peaka's refresh status carries no run id and no
 * time, and the status before a refresh starts is often final already (COMPLETED from an earlier
 * run, or NOT_ACTIVE). So a final status counts as this run's result only after an active status
 * was seen since the request. If only final statuses are seen for CONFIRM_WINDOW_MS, the outcome is
 * "unconfirmed": the refresh may have finished before the first check (a small catalog settles in
 * about a second on live Peaka), or it may not have started.
 */

/** How long final statuses alone are read before the outcome is "unconfirmed". */
export const CONFIRM_WINDOW_MS = 5_000;

/** Statuses of a refresh that is queued or running (Peaka's enum plus spellings of other job APIs). */
export const ACTIVE_STATUSES = new Set(['WAITING', 'ACTIVE', 'DELAYED', 'PAUSED', 'PENDING', 'RUNNING', 'IN_PROGRESS', 'QUEUED']);
/** Final statuses that mean the refresh did not succeed. */
export const FAILED_STATUSES = new Set(['FAILED', 'STUCK', 'CANCELLED', 'CANCELED', 'TIMED_OUT']);
/** Final statuses that mean the refresh ended without an error (NOT_ACTIVE: the job is gone). */
export const SUCCEEDED_STATUSES = new Set(['COMPLETED', 'NOT_ACTIVE', 'DONE', 'PARTIALLY_COMPLETED']);

export type RefreshOutcome = 'pending' | 'completed' | 'failed' | 'unconfirmed';

export interface RefreshTracker {
	catalogId: string;
	catalogName?: string;
	/** Epoch milliseconds when the refresh request was sent. */
	requestedAt: number;
	sawActive: boolean;
	/** The last status read, normalized (upper snake case). */
	status: string;
	/** Peaka's last status as sent. */
	rawStatus?: string;
	outcome: RefreshOutcome;
	checks: number;
}

export function createTracker(catalogId: string, requestedAt: number, catalogName?: string): RefreshTracker {
	return { catalogId, catalogName, requestedAt, sawActive: false, status: '', outcome: 'pending', checks: 0 };
}

/** Records one status read at time `now` and settles the tracker when the rules above allow. */
export function observe(tracker: RefreshTracker, rawStatus: unknown, now: number): RefreshTracker {
	if (tracker.outcome !== 'pending') return tracker;
	const status = normalizeStatus(rawStatus);
	tracker.checks += 1;
	tracker.status = status;
	tracker.rawStatus = rawStatus === undefined || rawStatus === null ? undefined : String(rawStatus);
	if (ACTIVE_STATUSES.has(status)) {
		tracker.sawActive = true;
		return tracker;
	}
	const final = FAILED_STATUSES.has(status) || SUCCEEDED_STATUSES.has(status);
	if (!final) return tracker;
	if (tracker.sawActive) {
		tracker.outcome = FAILED_STATUSES.has(status) ? 'failed' : 'completed';
	} else if (now - tracker.requestedAt >= CONFIRM_WINDOW_MS) {
		tracker.outcome = 'unconfirmed';
	}
	return tracker;
}
