import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
	updateDisplayOptions,
} from 'n8n-workflow';

import { waitTimeoutMs, waitUntilSettled } from '../../helpers/wait';
import { peakaApiRequest } from '../../transport';
import { catalogLocator } from '../catalog.descriptions';
import { catalogsPath, describeMissing } from '../catalog/catalog';
import { projectLocator } from '../common.descriptions';
import { getLocatorValue, getProjectId, unwrapList } from '../parameters';
import { metadataPath } from './metadata';
import { CONFIRM_WINDOW_MS, createTracker, observe, type RefreshTracker } from './refresh-wait';

const DEFAULT_WAIT_TIMEOUT_SECONDS = 600;
const UNCONFIRMED_NOTE =
	'Every check since the request showed a final status and none an active one, so this run cannot be told apart from an earlier one: the refresh may have finished before the first check, or not have started. Check the catalog in Peaka, or register a refresh callback.';

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'Catalogs',
		name: 'scope',
		type: 'options',
		options: [
			{ name: 'One Catalog', value: 'catalog' },
			{ name: 'Every Catalog of the Project', value: 'all', description: 'One refresh per catalog, all started before waiting' },
		],
		default: 'catalog',
	},
	{ ...catalogLocator, displayOptions: { show: { scope: ['catalog'] } } },
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: true,
		description: `Whether to wait until each refresh ends and output its outcome. Peaka's status names no run, so a final status counts only after an active one was seen since the request. A refresh that settles before the first check shows only final statuses: after ${CONFIRM_WINDOW_MS / 1000} s of those its outcome is "unconfirmed", never "completed".`,
	},
	{
		displayName: 'Wait Timeout (Seconds)',
		name: 'waitTimeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: DEFAULT_WAIT_TIMEOUT_SECONDS,
		description: 'How long to wait for all refreshes before failing. The refreshes keep running in Peaka after a timeout.',
		displayOptions: { show: { waitForCompletion: [true] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Callback Token',
				name: 'callbackToken',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description: 'A secret Peaka sends with the callback, so the receiver can check it',
			},
			{
				displayName: 'Callback URL',
				name: 'callbackURL',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://n8n.example.com/webhook/peaka-refresh',
				description: 'A URL Peaka calls when this refresh ends, for example an n8n Webhook node',
			},
			{
				displayName: 'Stop on Failed Refresh',
				name: 'stopOnFailure',
				type: 'boolean',
				default: true,
				description:
					'Whether to stop with an error when a refresh ends FAILED or STUCK. Turn off to output the outcome as an item and branch on it, e.g. with an If node.',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['metadata'], operation: ['refresh'] } }, properties);

interface RefreshOptions {
	callbackURL?: string;
	callbackToken?: string;
	stopOnFailure?: boolean;
}

async function catalogsToRefresh(context: IExecuteFunctions, projectId: string, itemIndex: number): Promise<Array<{ id: string; name?: string }>> {
	const scope = context.getNodeParameter('scope', itemIndex, 'catalog') as 'catalog' | 'all';
	if (scope === 'catalog') return [{ id: getLocatorValue(context, 'catalog', 'Catalog', itemIndex) }];
	const catalogs = unwrapList(await peakaApiRequest.call(context, { method: 'GET', path: catalogsPath(projectId), itemIndex })) as IDataObject[];
	return catalogs.map((catalog) => ({ id: String(catalog.id), name: catalog.name === undefined ? undefined : String(catalog.name) }));
}

function label(tracker: RefreshTracker): string {
	return tracker.catalogName ? `'${tracker.catalogName}' (${tracker.catalogId})` : `'${tracker.catalogId}'`;
}

function toItem(tracker: RefreshTracker, itemIndex: number): INodeExecutionData {
	const json: IDataObject = {
		catalogId: tracker.catalogId,
		...(tracker.catalogName !== undefined && { catalogName: tracker.catalogName }),
		status: tracker.status,
		outcome: tracker.outcome,
		confirmed: tracker.outcome === 'completed' || tracker.outcome === 'failed',
	};
	if (tracker.outcome === 'unconfirmed') json.note = UNCONFIRMED_NOTE;
	return { json, pairedItem: { item: itemIndex } };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as RefreshOptions;
	const catalogs = await catalogsToRefresh(this, projectId, itemIndex);

	const waitForCompletion = this.getNodeParameter('waitForCompletion', itemIndex, true) as boolean;
	const readStatus = async (tracker: RefreshTracker) => {
		const status = (await peakaApiRequest.call(this, {
			method: 'GET',
			path: metadataPath(projectId, 'refresh', tracker.catalogId),
			describeFailure: describeMissing({ projectId, catalogId: tracker.catalogId }),
			itemIndex,
		})) as IDataObject | undefined;
		observe(tracker, status?.status, Date.now());
	};

	const trackers: RefreshTracker[] = [];
	for (const catalog of catalogs) {
		const body: IDataObject = { catalogId: catalog.id };
		if (options.callbackURL?.trim()) body.callbackURL = options.callbackURL.trim();
		if (options.callbackToken) body.callbackToken = options.callbackToken;
		const requestedAt = Date.now();
		await peakaApiRequest.call(this, {
			method: 'POST',
			path: metadataPath(projectId, 'refresh'),
			body,
			describeFailure: describeMissing({ projectId, catalogId: catalog.id }),
			itemIndex,
		});
		const tracker = createTracker(catalog.id, requestedAt, catalog.name);
		trackers.push(tracker);
		// The first check follows each request at once, while an active status is still likely to
		// show: a small catalog's refresh can settle in about a second.
		if (waitForCompletion) await readStatus(tracker);
	}

	if (!waitForCompletion) {
		return trackers.map((tracker) => ({
			json: { catalogId: tracker.catalogId, ...(tracker.catalogName !== undefined && { catalogName: tracker.catalogName }), outcome: 'started' },
			pairedItem: { item: itemIndex },
		}));
	}

	const timeoutSeconds = this.getNodeParameter('waitTimeout', itemIndex, DEFAULT_WAIT_TIMEOUT_SECONDS) as number;
	// The catalogs are polled together, so waiting for one does not delay the checks of the others.
	await waitUntilSettled(this, {
		read: async () => {
			for (const tracker of trackers.filter((entry) => entry.outcome === 'pending')) await readStatus(tracker);
			return trackers;
		},
		isSettled: (entries) => entries.every((tracker) => tracker.outcome !== 'pending'),
		deadlineMs: waitTimeoutMs(timeoutSeconds),
		describe: `the metadata refresh of ${trackers.length === 1 ? `catalog ${label(trackers[0])}` : `${trackers.length} catalogs`}`,
		summarize: (entries) =>
			entries
				.filter((tracker) => tracker.outcome === 'pending')
				.map((tracker) => `${label(tracker)} ${tracker.status || 'unknown'}`)
				.join(', '),
		itemIndex,
	});

	const failed = trackers.filter((tracker) => tracker.outcome === 'failed');
	if (failed.length > 0 && options.stopOnFailure !== false) {
		const list = failed.map((tracker) => `catalog ${label(tracker)} ended ${tracker.status}`).join('; ');
		throw new NodeOperationError(this.getNode(), `The metadata refresh failed: ${list}`, {
			description:
				"Check the catalog's connection in Peaka and run the refresh again. Turn off 'Stop on Failed Refresh' to output the outcome as an item instead.",
			itemIndex,
		});
	}
	return trackers.map((tracker) => toItem(tracker, itemIndex));
}

export function jobKey(this: IExecuteFunctions, itemIndex: number): string {
	const scope = this.getNodeParameter('scope', itemIndex, 'catalog') as 'catalog' | 'all';
	const target = scope === 'all' ? '*' : getLocatorValue(this, 'catalog', 'Catalog', itemIndex);
	return `metadata:${getProjectId(this, itemIndex)}:${target}`;
}
