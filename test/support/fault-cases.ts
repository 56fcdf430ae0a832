/**
 * The fault matrix shared by the fault-matrix and secrets tests: the kinds of operation the
 * node has (reads, writes), the faults the emulator injects, and what the node must do for
 * each pair. A read recovers from a passing fault by repeating itself. A write that Peaka may
 * have applied is never repeated, and its error says why.
 */
import path from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { type Emulator, projectParameter, type RequestRecord } from '../integration/support';

/** What the node does with a fault on one kind of operation. */
export type Outcome =
	/** The node repeats the request and emits the same items as without the fault. */
	| 'recover'
	/** The node fails the item with an error naming the status or cause. */
	| 'fail'
	/** The fault does not stop the node: one request, the usual items. */
	| 'pass';

export interface FaultCase {
	id: string;
	/** The emulator fault, without method and path (the kind adds them). */
	fault: Record<string, unknown>;
	read: Outcome;
	write: Outcome;
	/** The start of the error message, or a pattern for it. */
	message?: RegExp;
	/** Text from Peaka's body that the error must keep (in its message or description). */
	peakaText?: string;
	/** The HTTP status the error must carry. */
	httpCode?: string;
	/** Whether the write reached Peaka's route, so that Peaka applied it. */
	writeApplied?: boolean;
	/** Caps the request timeout in n8n's HTTP layer for this case, in milliseconds. */
	timeoutCapMs?: number;
	/** Minimum time the run must take, for cases that must wait (Retry-After). */
	minDurationMs?: number;
}

const NOT_REPEATED = /not repeated because Peaka may (already have applied|still apply) it/;

/** Faults of every kind the emulator can inject, with the expected result per kind. */
export const FAULT_CASES: FaultCase[] = [
	{
		id: 'status-400',
		fault: { status: 400, body: { errorCode: 100, message: "Column 'x' cannot be resolved" } },
		read: 'fail',
		write: 'fail',
		peakaText: "Column 'x' cannot be resolved",
		httpCode: '400',
	},
	{
		id: 'status-401',
		fault: { status: 401, body: { message: 'API key expired' } },
		read: 'fail',
		write: 'fail',
		message: /^Peaka rejected the API key \(401\) at 127\.0\.0\.1:\d+: API key expired$/,
		peakaText: 'API key expired',
		httpCode: '401',
	},
	{
		id: 'status-403',
		fault: { status: 403, body: { errorCode: 100, message: 'Project is not shared with this key' } },
		read: 'fail',
		write: 'fail',
		peakaText: 'Project is not shared with this key',
		httpCode: '403',
	},
	{
		id: 'status-404',
		fault: { status: 404, body: { errorCode: 100, message: 'Project mtKDhe1U was not found' } },
		read: 'fail',
		write: 'fail',
		peakaText: 'Project mtKDhe1U was not found',
		httpCode: '404',
	},
	{
		id: 'status-407',
		fault: { status: 407, headers: { 'Proxy-Authenticate': 'Basic realm="proxy"' }, body: 'Proxy Authentication Required', contentType: 'text/plain' },
		read: 'fail',
		write: 'fail',
		message: /^The proxy between n8n and Peaka requires authentication \(407\)/,
		httpCode: '407',
	},
	{
		id: 'status-409',
		fault: { status: 409, body: { errorCode: 'CONFLICT', message: 'A query with this name already exists' } },
		read: 'fail',
		write: 'fail',
		peakaText: 'A query with this name already exists',
		httpCode: '409',
	},
	{
		id: 'status-429',
		fault: { status: 429, headers: { 'Retry-After': '1' }, body: { message: 'slow down' } },
		// A 429 means Peaka did not take the request, so a write may be sent again too.
		read: 'recover',
		write: 'recover',
		minDurationMs: 1000,
	},
	{
		id: 'status-500',
		fault: { status: 500, body: { errorCode: 100, message: 'NullPointerException' } },
		read: 'recover',
		write: 'fail',
		peakaText: 'NullPointerException',
		httpCode: '500',
	},
	{
		id: 'status-502-html',
		fault: { status: 502, html: true },
		read: 'recover',
		write: 'fail',
		message: /^Peaka failed to process the request \(502\): 502 Bad Gateway/,
		httpCode: '502',
	},
	{
		id: 'status-503',
		fault: { status: 503, body: { message: 'Service temporarily unavailable' } },
		read: 'recover',
		write: 'fail',
		peakaText: 'Service temporarily unavailable',
		httpCode: '503',
	},
	{
		id: 'status-504',
		fault: { status: 504, body: 'upstream request timeout', contentType: 'text/plain' },
		read: 'recover',
		write: 'fail',
		peakaText: 'upstream request timeout',
		httpCode: '504',
	},
	{
		id: 'drop-before',
		fault: { drop: 'before' },
		read: 'recover',
		write: 'fail',
		message: /^The request to Peaka failed before an answer arrived$/,
		writeApplied: false,
	},
	{
		id: 'drop-after',
		fault: { drop: 'after' },
		read: 'recover',
		write: 'fail',
		message: /^The request to Peaka failed before an answer arrived$/,
		writeApplied: true,
	},
	{
		id: 'slow-3s-timeout-2s',
		fault: { delayMs: 3000 },
		// A timed-out query would most likely time out again, so not even a read repeats.
		read: 'fail',
		write: 'fail',
		message: /^The request to Peaka timed out after \d+ seconds$/,
		timeoutCapMs: 2000,
	},
	{
		id: 'truncated-json',
		// One byte, so that even the {} body of a job trigger arrives cut.
		fault: { truncate: 1 },
		read: 'recover',
		write: 'fail',
		message: /^Peaka's response was cut off before it was complete$/,
		writeApplied: true,
	},
	{
		id: 'empty-body',
		fault: { empty: true },
		read: 'recover',
		write: 'fail',
		message: /^Peaka's response \(200\) has an empty body where data was expected$/,
		httpCode: '200',
		writeApplied: true,
	},
	{
		id: 'wrong-content-type',
		// Peaka declares many responses as */*, so JSON is read whatever the content type.
		fault: { contentType: 'text/plain; charset=utf-8' },
		read: 'pass',
		write: 'pass',
	},
];

/** Words of advice, one of which every failure's description must contain. */
export const WHAT_TO_DO = /\b(check|use|pick|run|raise|give|paste|enter|narrow|set|add)\b/i;
export { NOT_REPEATED };

export interface OperationKind {
	name: string;
	write: boolean;
	method: string;
	/** Glob over the path after /api/v1, as the emulator's faults take it. */
	path: string;
	/** Node parameters; input items carry `name`, unique per case and item. */
	parameters(emulator: Emulator): INodeParameters;
	/** How many of this case's writes Peaka stored, for writes. */
	countApplied?(emulator: Emulator, caseId: string): Promise<number>;
	/** The items one input item gives without faults, to compare recovered runs against. */
	expectedItems?(emulator: Emulator, name: string): Promise<IDataObject[]> | IDataObject[];
	/** Whether expectedItems lists fields each item must have rather than the whole item. */
	partialItems?: boolean;
	/** Outcomes that differ from the write or read column for this kind, by case id. */
	outcomes?: Partial<Record<string, Outcome>>;
	/**
	 * Whether a cell runs only the faulty item. Items that name the same job start it once per
	 * run, so a clean item before the faulty one would leave the fault nothing to hit.
	 */
	singleItem?: boolean;
}

async function adminGet(emulator: Emulator, apiPath: string): Promise<unknown> {
	const response = await fetch(`${emulator.baseUrl}${apiPath}`, {
		headers: { Authorization: `Bearer ${emulator.partnerKey}` },
	});
	return await response.json();
}

let catalogBaseline: IDataObject[] | undefined;

/** The kinds of operation that exist in the node now. */
export const OPERATION_KINDS: OperationKind[] = [
	{
		name: 'read: Query Execute (SELECT)',
		write: false,
		method: 'POST',
		path: '/data/projects/*/queries/execute',
		parameters: (emulator) => ({
			resource: 'query',
			operation: 'execute',
			project: projectParameter(emulator.projectId),
			source: 'statement',
			sql: 'SELECT ? AS tag',
			queryParameters: { parameters: [{ value: '={{ $json.name }}' }] },
		}),
		expectedItems: (_emulator, name) => [{ tag: name }],
	},
	{
		name: 'read: Catalog Get Many',
		write: false,
		method: 'GET',
		path: '/data/projects/*/catalogs',
		parameters: (emulator) => ({
			resource: 'catalog',
			operation: 'getMany',
			project: projectParameter(emulator.projectId),
			returnAll: true,
		}),
		expectedItems: async (emulator) => {
			catalogBaseline ??= (await adminGet(emulator, `/data/projects/${emulator.projectId}/catalogs`)) as IDataObject[];
			return catalogBaseline;
		},
	},
	{
		name: 'write: Query Create',
		write: true,
		method: 'POST',
		path: '/data/projects/*/queries',
		parameters: (emulator) => ({
			resource: 'query',
			operation: 'create',
			project: projectParameter(emulator.projectId),
			displayName: '={{ $json.name }}',
			inputQuery: 'SELECT 1',
		}),
		countApplied: async (emulator, caseId) => {
			const queries = (await adminGet(emulator, `/data/projects/${emulator.projectId}/queries`)) as IDataObject[];
			return queries.filter((query) => String(query.displayName).startsWith(`${caseId} `)).length;
		},
	},
	{
		name: 'write: Project API Key Create',
		write: true,
		method: 'POST',
		path: '/projects/*/apiKeys',
		parameters: (emulator) => ({
			resource: 'projectApiKey',
			operation: 'create',
			project: projectParameter(emulator.projectId),
			name: '={{ $json.name }}',
		}),
		countApplied: async (emulator, caseId) => {
			const keys = (await adminGet(emulator, `/projects/${emulator.projectId}/apiKeys`)) as IDataObject[];
			return keys.filter((key) => String(key.name).startsWith(`${caseId} `)).length;
		},
	},
];

/** Requests of one kind that the emulator received. */
export function kindRequests(emulator: Emulator, kind: OperationKind): RequestRecord[] {
	const pattern = new RegExp(`^${kind.path.replace(/\*/g, '[^/]+')}$`);
	return emulator.faults.requests().filter((request) => request.method === kind.method && pattern.test(request.path));
}

/** Input item names for one matrix cell: the first item runs clean, the second meets the fault. */
export function cellInputs(kind: OperationKind, faultCase: FaultCase): IDataObject[] {
	const prefix = `${faultCase.id} ${kind.write ? kind.name.replace(/\W+/g, '-') : 'read'}`;
	if (kind.singleItem) return [{ name: `${prefix} 1` }];
	return [{ name: `${prefix} 0` }, { name: `${prefix} 1` }];
}

let capInstalled = false;
let timeoutCapMs: number | undefined;

/**
 * Caps the timeout of every request n8n's HTTP layer sends, so a delay of seconds can exceed
 * it. The node's own timeouts are a minute or more, which a quick test cannot wait for. The
 * interceptor goes on the axios copy that n8n's request helpers load.
 */
export function capRequestTimeout(ms: number | undefined): void {
	timeoutCapMs = ms;
	if (capInstalled) return;
	capInstalled = true;
	const networkDir = path.dirname(require.resolve('@n8n/backend-network'));
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const axios = require(require.resolve('axios', { paths: [networkDir] })) as {
		interceptors: { request: { use(handler: (config: { timeout?: number }) => unknown): void } };
	};
	axios.interceptors.request.use((config) => {
		if (timeoutCapMs !== undefined) config.timeout = Math.min(config.timeout || Number.MAX_SAFE_INTEGER, timeoutCapMs);
		return config;
	});
}
