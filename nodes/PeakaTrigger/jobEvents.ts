import {
	type IDataObject,
	type INodeExecutionData,
	type INodeProperties,
	type IPollFunctions,
} from 'n8n-workflow';

import { catalogLocator } from '../Peaka/actions/catalog.descriptions';
import { unwrapList } from '../Peaka/actions/parameters';
import { normalizeStatus } from '../Peaka/helpers/wait';
import { peakaApiRequest } from '../Peaka/transport';
import { getPollLocatorValue, getPollProjectId } from './parameters';

/**
 * Job events: a cache sync, a metadata refresh, a materialized query refresh or an export that
 * finished. Peaka pushes nothing, so each poll reads the jobs' statuses and compares them with
 * what the last poll saw, kept in the node's static data. Each event is emitted once as far as
 * the statuses allow; what each one can tell apart is said in the notice shown with it.
 */

export type JobEvent = 'cacheSyncFinished' | 'metadataRefreshFinished' | 'materializedQueryRefreshed' | 'exportFinished';

export const JOB_EVENTS: JobEvent[] = ['cacheSyncFinished', 'metadataRefreshFinished', 'materializedQueryRefreshed', 'exportFinished'];

const STATE_KEY = 'jobEventsState';
const STATE_VERSION = 1;
/** Exports listed per poll, the most Peaka's list returns at once; newest first. */
const EXPORTS_PER_POLL = 200;

// Final statuses per job kind. Peaka spells a cancelled materialized run CANCELED and a
// cancelled cache sync CANCELLED; both are normalised to CANCELLED here.
const CACHE_FINAL = ['COMPLETED', 'FAILED', 'CANCELLED'];
const METADATA_FINAL = ['COMPLETED', 'FAILED', 'STUCK', 'NOT_ACTIVE'];
const METADATA_RUNNING = ['ACTIVE', 'WAITING', 'DELAYED', 'PAUSED'];
const MATERIALIZED_FINAL = ['COMPLETED', 'FAILED', 'CANCELLED'];
const EXPORT_FINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED'];

interface JobState {
	version: number;
	source: string;
	/** Statuses the last poll saw: an id or status per watched job, by job key. */
	seen: Record<string, string>;
}

const statusOf = (value: unknown) => {
	const status = normalizeStatus(value);
	return status === 'CANCELED' ? 'CANCELLED' : status;
};

const isObject = (value: unknown): value is IDataObject => value !== null && typeof value === 'object' && !Array.isArray(value);

function statusesProperty(event: JobEvent, name: string, options: Array<[string, string]>, defaults: string[]): INodeProperties {
	return {
		displayName: 'Emit For',
		name,
		type: 'multiOptions',
		options: options.map(([label, value]) => ({ name: label, value })),
		default: [...defaults],
		description: 'Which final statuses start the workflow',
		displayOptions: { show: { event: [event] } },
	};
}

export const jobEventProperties: INodeProperties[] = [
	{
		displayName:
			'Emits one item per sync that ended, at most one per cache and sync kind (full refresh or incremental) per poll: when two syncs of one kind end between two polls, Peaka shows only the later one.',
		name: 'cacheNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { event: ['cacheSyncFinished'] } },
	},
	{
		displayName: 'Cache ID',
		name: 'cacheId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
		description: 'Watch only this cache. Empty: every cache of the project.',
		displayOptions: { show: { event: ['cacheSyncFinished'] } },
	},
	statusesProperty('cacheSyncFinished', 'cacheStatuses', [['Cancelled', 'CANCELLED'], ['Completed', 'COMPLETED'], ['Failed', 'FAILED']], ['COMPLETED', 'FAILED']),
	{
		displayName:
			'Peaka reports only the current refresh status of a catalog, with no run ID or time. The trigger emits when a poll sees a refresh running and a later poll sees it ended; a refresh that starts and ends between two polls is not seen.',
		name: 'metadataNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { event: ['metadataRefreshFinished'] } },
	},
	{ ...catalogLocator, displayOptions: { show: { event: ['metadataRefreshFinished'] } } },
	statusesProperty('metadataRefreshFinished', 'metadataStatuses', [['Completed', 'COMPLETED'], ['Failed', 'FAILED'], ['Stuck', 'STUCK']], ['COMPLETED', 'FAILED', 'STUCK']),
	{
		displayName:
			"Emits when a materialized query's last run start time changes and its status is final. Several runs of one query between two polls give one item, for the latest run.",
		name: 'materializedNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { event: ['materializedQueryRefreshed'] } },
	},
	{
		displayName: 'Materialized Query ID',
		name: 'materializedQueryId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 709922802836177297',
		description: 'Watch only this materialized query. Empty: every materialized query of the project.',
		displayOptions: { show: { event: ['materializedQueryRefreshed'] } },
	},
	statusesProperty('materializedQueryRefreshed', 'materializedStatuses', [['Cancelled', 'CANCELLED'], ['Completed', 'COMPLETED'], ['Failed', 'FAILED']], ['COMPLETED', 'FAILED']),
	{
		displayName: `Emits one item per export that ended, each once. Only the newest ${EXPORTS_PER_POLL} exports of the project are watched.`,
		name: 'exportNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { event: ['exportFinished'] } },
	},
	statusesProperty('exportFinished', 'exportStatuses', [['Cancelled', 'CANCELLED'], ['Failed', 'FAILED'], ['Succeeded', 'SUCCEEDED']], ['SUCCEEDED', 'FAILED']),
];

interface Observation {
	/** Job key to what identifies its current state (an execution id, a start time, a status). */
	seen: Record<string, string>;
	/** Items for jobs whose state changed to final since `previous`, before the status filter. */
	events: (previous: Record<string, string>) => IDataObject[];
	/** The newest finished job, for a manual run's sample. */
	sample?: IDataObject;
}

async function observeCaches(context: IPollFunctions, projectId: string, cacheId: string): Promise<Observation> {
	const path = cacheId
		? `/data/projects/${encodeURIComponent(projectId)}/cache/${encodeURIComponent(cacheId)}/status`
		: `/data/projects/${encodeURIComponent(projectId)}/cache/status`;
	// Only the one-cache status takes excludeLogs; the project listing has no logs to leave out.
	const body = await peakaApiRequest.call(context, { method: 'GET', path, qs: cacheId ? { excludeLogs: true } : undefined });
	const caches = (cacheId ? [body] : unwrapList(body)).filter(isObject);

	const seen: Record<string, string> = {};
	const finished: Array<{ key: string; item: IDataObject }> = [];
	for (const cache of caches) {
		for (const [slot, field] of [['full', 'lastFullRefreshCacheExecution'], ['incremental', 'lastIncrementalCacheExecution']]) {
			const execution = cache[field];
			if (!isObject(execution)) continue;
			const status = statusOf(execution.status);
			if (!CACHE_FINAL.includes(status)) continue;
			const key = `${String(cache.id)}/${slot}`;
			// An execution id names one sync; its finish time stands in where Peaka leaves it out.
			seen[key] = String(execution.id ?? execution.finishedAt ?? execution.updatedAt ?? '');
			finished.push({
				key,
				item: {
					event: 'cacheSyncFinished',
					status,
					cacheId: cache.id,
					catalogId: cache.catalogId,
					schemaName: cache.schemaName,
					tableName: cache.tableName,
					executionMode: execution.executionMode ?? (slot === 'full' ? 'FULL_REFRESH' : 'INCREMENTAL'),
					executionId: execution.id,
					finishedAt: execution.finishedAt ?? execution.updatedAt ?? null,
					execution,
				},
			});
		}
	}
	const newest = finished.slice().sort((left, right) => String(right.item.finishedAt).localeCompare(String(left.item.finishedAt)))[0];
	return {
		seen,
		events: (previous) => finished.filter(({ key }) => previous[key] !== seen[key]).map(({ item }) => item),
		sample: newest?.item,
	};
}

async function observeMetadataRefresh(context: IPollFunctions, projectId: string, catalogId: string): Promise<Observation> {
	const body = (await peakaApiRequest.call(context, {
		method: 'GET',
		path: `/metadata/${encodeURIComponent(projectId)}/refresh/${encodeURIComponent(catalogId)}`,
	})) as IDataObject;
	const status = statusOf(isObject(body) ? body.status : body);
	const item = { event: 'metadataRefreshFinished', catalogId, status, response: body };
	return {
		seen: { [catalogId]: status },
		events: (previous) => {
			const before = previous[catalogId];
			return METADATA_RUNNING.includes(before) && METADATA_FINAL.includes(status) ? [{ ...item, previousStatus: before }] : [];
		},
		sample: METADATA_FINAL.includes(status) ? item : undefined,
	};
}

async function observeMaterialized(context: IPollFunctions, projectId: string, queryId: string): Promise<Observation> {
	const base = `/data/projects/${encodeURIComponent(projectId)}/materialized-queries`;
	const body = await peakaApiRequest.call(context, {
		method: 'GET',
		path: queryId ? `${base}/${encodeURIComponent(queryId)}/status` : `${base}/status`,
	});
	const views = (queryId ? [body] : unwrapList(body)).filter(isObject);

	const seen: Record<string, string> = {};
	const finished: Array<{ key: string; item: IDataObject }> = [];
	for (const view of views) {
		const status = statusOf(view.status);
		// After a refresh is triggered, Peaka keeps showing the previous run until the new one
		// starts; a new start time is the only sign of a new run.
		const started = view.lastExecutionStartTime;
		if (!MATERIALIZED_FINAL.includes(status) || typeof started !== 'string' || started === '') continue;
		const key = String(view.queryId);
		seen[key] = started;
		finished.push({ key, item: { event: 'materializedQueryRefreshed', ...view, status } });
	}
	const newest = finished.slice().sort((left, right) => String(right.item.lastUpdateTime).localeCompare(String(left.item.lastUpdateTime)))[0];
	return {
		seen,
		events: (previous) => finished.filter(({ key }) => previous[key] !== seen[key]).map(({ item }) => item),
		sample: newest?.item,
	};
}

async function observeExports(context: IPollFunctions, projectId: string): Promise<Observation> {
	const body = await peakaApiRequest.call(context, {
		method: 'GET',
		path: `/data/projects/${encodeURIComponent(projectId)}/exports`,
		qs: { limit: EXPORTS_PER_POLL },
	});
	const exports = unwrapList(body).filter(isObject);
	const seen: Record<string, string> = {};
	const finished: Array<{ key: string; item: IDataObject }> = [];
	for (const job of exports) {
		const status = statusOf(job.status);
		if (!EXPORT_FINAL.includes(status)) continue;
		const key = String(job.id);
		// An export ends once; a later EXPIRED is the same export, not a new event.
		seen[key] = 'FINAL';
		finished.push({ key, item: { event: 'exportFinished', ...job, status } });
	}
	return {
		seen,
		events: (previous) => finished.filter(({ key }) => previous[key] === undefined).map(({ item }) => item),
		sample: finished[0]?.item,
	};
}

function readSelection(context: IPollFunctions, event: JobEvent): { projectId: string; target: string; statuses: string[] } {
	const projectId = getPollProjectId(context);
	const statusParameter = {
		cacheSyncFinished: 'cacheStatuses',
		metadataRefreshFinished: 'metadataStatuses',
		materializedQueryRefreshed: 'materializedStatuses',
		exportFinished: 'exportStatuses',
	}[event];
	const statuses = (context.getNodeParameter(statusParameter, []) as string[]).map(statusOf);
	let target = '';
	if (event === 'cacheSyncFinished') target = String(context.getNodeParameter('cacheId', '') ?? '').trim();
	if (event === 'materializedQueryRefreshed') target = String(context.getNodeParameter('materializedQueryId', '') ?? '').trim();
	if (event === 'metadataRefreshFinished') target = getPollLocatorValue(context, 'catalog', 'Catalog');
	return { projectId, target, statuses };
}

function isJobState(value: unknown, source: string): value is JobState {
	if (!isObject(value) || value.version !== STATE_VERSION || value.source !== source || !isObject(value.seen)) return false;
	return Object.values(value.seen).every((entry) => typeof entry === 'string');
}

/**
 * One poll of a job event. The first poll notes every job's current state and emits nothing;
 * later polls emit the jobs that finished since, then note the new states. The notes change
 * only with a successful poll, so a failed poll repeats nothing and loses nothing.
 */
export async function pollJobEvent(this: IPollFunctions, event: JobEvent): Promise<INodeExecutionData[][] | null> {
	const { projectId, target, statuses } = readSelection(this, event);
	let observation: Observation;
	if (event === 'cacheSyncFinished') observation = await observeCaches(this, projectId, target);
	else if (event === 'metadataRefreshFinished') observation = await observeMetadataRefresh(this, projectId, target);
	else if (event === 'materializedQueryRefreshed') observation = await observeMaterialized(this, projectId, target);
	else observation = await observeExports(this, projectId);

	if (this.getMode() === 'manual') {
		return observation.sample ? [[{ json: observation.sample }]] : null;
	}

	const staticData = this.getWorkflowStaticData('node');
	const source = JSON.stringify([event, projectId, target]);
	const stored = staticData[STATE_KEY];
	const next: JobState = { version: STATE_VERSION, source, seen: observation.seen };
	if (!isJobState(stored, source)) {
		staticData[STATE_KEY] = { ...next, seen: { ...next.seen } };
		return null;
	}

	const items = observation
		.events(stored.seen)
		// A metadata refresh that ends may read NOT_ACTIVE rather than COMPLETED.
		.filter((item) => statuses.includes(item.status === 'NOT_ACTIVE' ? 'COMPLETED' : String(item.status)))
		.map((json) => ({ json }));
	staticData[STATE_KEY] = { ...next, seen: { ...next.seen } };
	return items.length > 0 ? [items] : null;
}
