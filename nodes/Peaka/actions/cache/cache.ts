import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import { InvalidParameterError } from '../../helpers/execute-request';
import { checkDuration } from '../../helpers/schedule';
import { normalizeStatus, waitTimeoutMs, waitUntilSettled } from '../../helpers/wait';
import { peakaApiRequest } from '../../transport';
import type { FailureDescriber } from '../../transport/errors';
import { searchableLocator, UUID_REGEX } from '../common.descriptions';
import { getLocatorValue, getProjectId } from '../parameters';

/** Default of "Wait Timeout (Seconds)": live first syncs of 500-row tables took about 40 s. */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 300;

/** Final cache statuses; DELETED counts as final so a wait on a deleted cache ends. */
const FINAL_STATUSES = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'CANCELED', 'DELETED']);
/** Final statuses that mean the sync did not do its work. */
const UNSUCCESSFUL_STATUSES = new Set(['FAILED', 'CANCELLED', 'CANCELED', 'DELETED']);

export type SyncKind = 'full' | 'incremental';

export const SYNC_LABELS: Record<SyncKind, string> = { full: 'full refresh', incremental: 'incremental sync' };
const EXECUTION_SLOTS: Record<SyncKind, string> = {
	full: 'lastFullRefreshCacheExecution',
	incremental: 'lastIncrementalCacheExecution',
};

export const cacheLocator = searchableLocator({
	displayName: 'Cache',
	name: 'cache',
	description: 'A cache of the project, listed by its table',
	searchListMethod: 'searchCaches',
	manual: {
		placeholder: 'e.g. 960bd651-7b3c-4511-9a88-18e14ac7742a',
		regex: UUID_REGEX,
		errorMessage: 'A cache ID is a UUID, e.g. 960bd651-7b3c-4511-9a88-18e14ac7742a',
	},
});

export const waitProperties: INodeProperties[] = [
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description: 'Whether to wait until the sync finishes and output its final status, failing if it fails or is cancelled',
	},
	{
		displayName: 'Wait Timeout (Seconds)',
		name: 'waitTimeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: DEFAULT_WAIT_TIMEOUT_SECONDS,
		description: 'How long to wait for the sync before failing. The sync keeps running in Peaka after a timeout.',
		displayOptions: { show: { waitForCompletion: [true] } },
	},
];

export function cachePath(projectId: string, cacheId?: string): string {
	const base = `/data/projects/${encodeURIComponent(projectId)}/cache`;
	return cacheId === undefined ? base : `${base}/${encodeURIComponent(cacheId)}`;
}

export interface CacheTarget {
	projectId: string;
	cacheId: string;
}

export function getCacheTarget(context: IExecuteFunctions, itemIndex: number): CacheTarget {
	return {
		projectId: getProjectId(context, itemIndex),
		cacheId: getLocatorValue(context, 'cache', 'Cache', itemIndex),
	};
}

/**
 * Rewords a missing cache as "not found". The spec documents 404; live Peaka returned 400
 * WrongRequestException "Cache settings not found" when a sync of an unknown cache was started.
 */
export function describeMissingCache(target: CacheTarget): FailureDescriber {
	return (failure) => {
		const missing =
			failure.status === 404 || (failure.status === 400 && /cache (settings )?not found/i.test(failure.peakaMessage));
		if (!missing) return undefined;
		return {
			message: `Cache '${target.cacheId}' was not found in project '${target.projectId}'`,
			description: `Pick the cache from the list, or check that it was not deleted. Peaka's message: ${failure.peakaMessage || `HTTP ${failure.status}`}`,
		};
	};
}

export function httpStatusOf(error: unknown): number | undefined {
	return error instanceof NodeApiError && error.httpCode ? Number(error.httpCode) : undefined;
}

/** Builds a cache schedule from an interval: empty means no schedule, NONE in Peaka's terms. */
export function scheduleFrom(interval: unknown, parameter: string): IDataObject | undefined {
	const text = String(interval ?? '').trim();
	if (text === '') return undefined;
	return { type: 'BASIC', expression: checkDuration(text, parameter) };
}

/** Turns an InvalidParameterError from a schedule check into the node's error for the item. */
export function rethrowParameterError(context: IExecuteFunctions, error: unknown, itemIndex: number): never {
	if (error instanceof InvalidParameterError) {
		throw new NodeOperationError(context.getNode(), error.message, { description: error.description, itemIndex });
	}
	throw error;
}

/** Names a cache's table as catalog id, schema and table, e.g. "payment.charges (catalog 8460…)". */
export function tableLabel(status: IDataObject, fallback: string): string {
	if (typeof status.tableName !== 'string') return fallback;
	const schema = typeof status.schemaName === 'string' ? `${status.schemaName}.` : '';
	const catalog = status.catalogId === undefined ? '' : ` (catalog ${String(status.catalogId)})`;
	return `${schema}${status.tableName}${catalog}`;
}

export async function readCacheStatus(context: IExecuteFunctions, target: CacheTarget, itemIndex: number): Promise<IDataObject> {
	return (await peakaApiRequest.call(context, {
		method: 'GET',
		path: `${cachePath(target.projectId, target.cacheId)}/status`,
		qs: { excludeLogs: true },
		describeFailure: describeMissingCache(target),
		itemIndex,
	})) as IDataObject;
}

function executionOf(status: IDataObject, kind: SyncKind): IDataObject | undefined {
	const execution = status[EXECUTION_SLOTS[kind]];
	return execution && typeof execution === 'object' ? (execution as IDataObject) : undefined;
}

/**
 * Starts a full refresh or an incremental sync, optionally waiting until it ends.
 *
 * The sync started is recognised by its execution record: one whose id differs from the record
 * before the trigger. Live Peaka created that record about 300 ms after the trigger returned,
 * while the old record of the same kind still showed its old final status, so waiting for "any
 * final status" would end at once. The wait also requires a final top-level status.
 */
export async function startSync(
	context: IExecuteFunctions,
	itemIndex: number,
	kind: SyncKind,
): Promise<IDataObject> {
	const target = getCacheTarget(context, itemIndex);
	const wait = context.getNodeParameter('waitForCompletion', itemIndex, false) as boolean;
	const path = `${cachePath(target.projectId, target.cacheId)}/${kind === 'full' ? 'fullRefreshUpdate' : 'incrementalUpdate'}`;
	const mode = kind === 'full' ? 'FULL_REFRESH' : 'INCREMENTAL';

	const before = wait ? await readCacheStatus(context, target, itemIndex) : undefined;
	const previousId = before ? executionOf(before, kind)?.id : undefined;

	const response = await peakaApiRequest.call(context, {
		method: 'POST',
		path,
		describeFailure: describeMissingCache(target),
		itemIndex,
	});
	if (!wait || !before) {
		const extra = response && typeof response === 'object' && !Array.isArray(response) ? (response as IDataObject) : {};
		return { cacheId: target.cacheId, executionMode: mode, started: true, ...extra };
	}

	const table = tableLabel(before, `of cache ${target.cacheId}`);
	const timeoutSeconds = context.getNodeParameter('waitTimeout', itemIndex, DEFAULT_WAIT_TIMEOUT_SECONDS) as number;
	const final = await waitUntilSettled(context, {
		read: async () => await readCacheStatus(context, target, itemIndex),
		isSettled: (status) => {
			const execution = executionOf(status, kind);
			if (!execution || execution.id === previousId) return false;
			return FINAL_STATUSES.has(normalizeStatus(execution.status)) && FINAL_STATUSES.has(normalizeStatus(status.status));
		},
		deadlineMs: waitTimeoutMs(timeoutSeconds),
		describe: `the ${SYNC_LABELS[kind]} of table ${table}`,
		summarize: (status) => normalizeStatus(status.status) || 'unknown',
		itemIndex,
	});

	const execution = executionOf(final, kind) as IDataObject;
	const outcome = normalizeStatus(execution.status);
	if (UNSUCCESSFUL_STATUSES.has(outcome)) {
		const error = execution.error && typeof execution.error === 'object' ? (execution.error as IDataObject).message : undefined;
		throw new NodeOperationError(
			context.getNode(),
			`The ${SYNC_LABELS[kind]} of table ${table} ended ${outcome}${error ? `: ${String(error)}` : ''}`,
			{
				description:
					outcome === 'FAILED'
						? "Check the cache's execution history (Get Execution History) for details, then start the sync again."
						: 'The sync was stopped before it finished. Start it again when ready.',
				itemIndex,
			},
		);
	}
	return final;
}
