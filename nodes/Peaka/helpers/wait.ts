import { NodeOperationError, sleep } from 'n8n-workflow';
import type { IExecuteFunctions, IPollFunctions } from 'n8n-workflow';

/**
 * Waits for Peaka's asynchronous jobs (cache syncs, materialized refreshes, exports, metadata
 * refreshes) by polling their status with capped exponential back-off until a deadline.
 */

export const DEFAULT_INITIAL_DELAY_MS = 500;
export const DEFAULT_MAX_DELAY_MS = 10_000;
const BACKOFF_FACTOR = 2;
const MS_PER_SECOND = 1000;

export interface WaitOptions<T> {
	/** Reads the job's current status from Peaka. */
	read: () => Promise<T>;
	/** Whether the status read is final. */
	isSettled: (value: T) => boolean;
	/** How long to wait in all, from the first read. */
	deadlineMs: number;
	/** Name of the job in messages, e.g. "the cache sync of table stripe.payment.charges". */
	describe: string;
	initialDelayMs?: number;
	maxDelayMs?: number;
	/** Summarises the last status read, for the deadline message, e.g. "RUNNING". */
	summarize?: (value: T) => string;
	itemIndex?: number;
}

type CancellableContext = { getExecutionCancelSignal?: () => AbortSignal | undefined };

function formatSeconds(ms: number): string {
	const seconds = ms / MS_PER_SECOND;
	return Number.isInteger(seconds) ? `${seconds} s` : `${seconds.toFixed(1)} s`;
}

/** Sleeps for `ms`, ending early when `signal` aborts. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
	if (!signal) {
		await sleep(ms);
		return;
	}
	let onAbort: (() => void) | undefined;
	const aborted = new Promise<void>((resolve) => {
		onAbort = () => resolve();
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		// n8n-workflow 2.x clears its timer when the signal aborts; older versions ignore the
		// signal, so the race ends the pause there too.
		await Promise.race([sleep(ms, signal).catch(() => undefined), aborted]);
	} finally {
		if (onAbort) signal.removeEventListener('abort', onAbort);
	}
}

/**
 * Polls `read` until `isSettled` returns true and returns the settled value. The first read is
 * immediate, and later ones follow delays that double from `initialDelayMs` up to `maxDelayMs`.
 * The last delay is shortened so that one read happens at the deadline. Throws a
 * NodeOperationError at the deadline, and when n8n cancels the execution (where n8n-core exposes
 * the cancel signal).
 */
export async function waitUntilSettled<T>(
	ctx: IExecuteFunctions | IPollFunctions,
	options: WaitOptions<T>,
): Promise<T> {
	const initialDelayMs = options.initialDelayMs ?? DEFAULT_INITIAL_DELAY_MS;
	const maxDelayMs = Math.max(initialDelayMs, options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS);
	const signal = (ctx as CancellableContext).getExecutionCancelSignal?.();
	const errorOptions = options.itemIndex === undefined ? {} : { itemIndex: options.itemIndex };
	const startedAt = Date.now();
	let delayMs = initialDelayMs;

	for (;;) {
		const value = await options.read();
		if (options.isSettled(value)) return value;

		const elapsedMs = Date.now() - startedAt;
		if (elapsedMs >= options.deadlineMs) {
			const last = options.summarize ? ` (last status: ${options.summarize(value)})` : '';
			throw new NodeOperationError(
				ctx.getNode(),
				`Timed out waiting for ${options.describe}: it did not finish within ${formatSeconds(options.deadlineMs)}${last}`,
				{
					...errorOptions,
					description:
						'The job keeps running in Peaka. Raise "Wait Timeout (Seconds)", or turn off "Wait for Completion" and check the job\'s status later.',
				},
			);
		}

		await pause(Math.min(delayMs, options.deadlineMs - elapsedMs), signal);
		if (signal?.aborted) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Stopped waiting for ${options.describe} because the execution was cancelled`,
				{ ...errorOptions, description: 'The job itself was not cancelled in Peaka and may still be running.' },
			);
		}
		delayMs = Math.min(delayMs * BACKOFF_FACTOR, maxDelayMs);
	}
}

/**
 * Converts a status to upper snake case, so Peaka's spellings compare equal:
 * 'not-active' and 'notActive' become 'NOT_ACTIVE', 'Success' becomes 'SUCCESS'.
 */
export function normalizeStatus(value: unknown): string {
	if (value === null || value === undefined) return '';
	return String(value)
		.trim()
		.replace(/([a-z0-9])([A-Z])/g, '$1_$2')
		.replace(/[\s-]+/g, '_')
		.toUpperCase();
}

/** Seconds from the "Wait Timeout (Seconds)" parameter as milliseconds. */
export function waitTimeoutMs(seconds: number): number {
	return Math.max(0, seconds) * MS_PER_SECOND;
}
