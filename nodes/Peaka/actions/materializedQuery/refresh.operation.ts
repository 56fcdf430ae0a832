import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
	updateDisplayOptions,
} from 'n8n-workflow';

import { normalizeStatus, waitTimeoutMs, waitUntilSettled } from '../../helpers/wait';
import { peakaApiRequest } from '../../transport';
import { projectLocator } from '../common.descriptions';
import { getLocatorValue, getProjectId } from '../parameters';
import { describeMissingMaterialized, materializedPath, materializedQueryLocator } from './materialized';

const DEFAULT_WAIT_TIMEOUT_SECONDS = 300;
/** Statuses that end a refresh. Peaka spells the cancelled one CANCELED here, CANCELLED for caches. */
const FINAL_STATUSES = new Set(['COMPLETED', 'SUCCEEDED', 'SUCCESS', 'FAILED', 'CANCELED', 'CANCELLED']);
const UNSUCCESSFUL_STATUSES = new Set(['FAILED', 'CANCELED', 'CANCELLED']);

const properties: INodeProperties[] = [
	projectLocator,
	materializedQueryLocator,
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description: 'Whether to wait until the refresh finishes and output its final status, failing if it fails or is cancelled',
	},
	{
		displayName: 'Wait Timeout (Seconds)',
		name: 'waitTimeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: DEFAULT_WAIT_TIMEOUT_SECONDS,
		description: 'How long to wait for the refresh before failing. The refresh keeps running in Peaka after a timeout.',
		displayOptions: { show: { waitForCompletion: [true] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['materializedQuery'], operation: ['refresh'] } },
	properties,
);

function startTimeMs(status: IDataObject): number | undefined {
	if (typeof status.lastExecutionStartTime !== 'string') return undefined;
	const time = Date.parse(status.lastExecutionStartTime);
	return Number.isNaN(time) ? undefined : time;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const queryId = getLocatorValue(this, 'materializedQuery', 'Materialized Query', itemIndex);
	const wait = this.getNodeParameter('waitForCompletion', itemIndex, false) as boolean;
	const describeFailure = describeMissingMaterialized(projectId, queryId);
	const readStatus = async () =>
		(await peakaApiRequest.call(this, {
			method: 'GET',
			path: `${materializedPath(projectId, queryId)}/status`,
			describeFailure,
			itemIndex,
		})) as IDataObject;

	// Live Peaka kept showing the previous run's final status until the new run started, so the
	// start time read before the trigger is what tells the new run apart.
	const before = wait ? await readStatus() : undefined;
	const previousStart = before ? startTimeMs(before) : undefined;

	await peakaApiRequest.call(this, {
		method: 'POST',
		path: `${materializedPath(projectId, queryId)}/refresh`,
		describeFailure,
		itemIndex,
	});
	if (!wait) return [{ json: { queryId, refreshStarted: true }, pairedItem: { item: itemIndex } }];

	const name = typeof before?.queryName === 'string' ? `'${before.queryName}'` : `'${queryId}'`;
	const timeoutSeconds = this.getNodeParameter('waitTimeout', itemIndex, DEFAULT_WAIT_TIMEOUT_SECONDS) as number;
	const final = await waitUntilSettled(this, {
		read: readStatus,
		isSettled: (status) => {
			const started = startTimeMs(status);
			const isNewRun = started !== undefined && (previousStart === undefined || started > previousStart);
			return isNewRun && FINAL_STATUSES.has(normalizeStatus(status.status));
		},
		deadlineMs: waitTimeoutMs(timeoutSeconds),
		describe: `the refresh of materialized query ${name}`,
		summarize: (status) =>
			startTimeMs(status) === previousStart ? 'not started yet' : normalizeStatus(status.status) || 'unknown',
		itemIndex,
	});

	const outcome = normalizeStatus(final.status);
	if (UNSUCCESSFUL_STATUSES.has(outcome)) {
		throw new NodeOperationError(this.getNode(), `The refresh of materialized query ${name} ended ${outcome}`, {
			description:
				outcome === 'FAILED'
					? 'Run the query with Query → Execute to see the SQL error, then refresh again.'
					: 'The refresh was stopped before it finished. Refresh again when ready.',
			itemIndex,
		});
	}
	return [{ json: final, pairedItem: { item: itemIndex } }];
}

export function jobKey(this: IExecuteFunctions, itemIndex: number): string {
	return `materialized:${getProjectId(this, itemIndex)}:${getLocatorValue(this, 'materializedQuery', 'Materialized Query', itemIndex)}`;
}
