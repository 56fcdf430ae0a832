import path from 'node:path';

import { DuckDBInstance } from '@duckdb/node-api';
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { PeakaApi } from '../../credentials/PeakaApi.credentials';
import { Peaka } from '../../nodes/Peaka/Peaka.node';
import { PeakaTrigger } from '../../nodes/PeakaTrigger/PeakaTrigger.node';
import { createPoller, type Poller, type PollerOptions, runNode, type RunNodeOptions, type RunNodeResult } from '../harness/n8n-runner';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startEmulator } = require('../../emulator/src/index.js');

export type Behaviour = 'spec' | 'observed';
export const BEHAVIOURS: Behaviour[] = ['spec', 'observed'];

export interface RequestRecord {
	method: string;
	path: string;
	query?: Record<string, string>;
	body?: unknown;
	status?: number;
}

export interface Emulator {
	baseUrl: string;
	adminUrl: string;
	behaviour: Behaviour;
	partnerKey: string;
	projectKey: string;
	projectId: string;
	otherProjectId: string;
	engine: unknown;
	faults: {
		add(fault: Record<string, unknown>): unknown;
		reset(): number;
		requests(): RequestRecord[];
		clearRequests(): void;
	};
	close(): Promise<void>;
}

export async function startPeaka(behaviour: Behaviour, options: Record<string, unknown> = {}): Promise<Emulator> {
	return (await startEmulator({ behaviour, eventsRows: 1000, ...options })) as Emulator;
}

export function credentialsFor(emulator: Emulator, apiKey = emulator.partnerKey): ICredentialDataDecryptedObject {
	return { apiKey, zone: 'custom', baseUrl: emulator.baseUrl };
}

export function projectParameter(projectId: string): INodeParameters {
	return { __rl: true, mode: 'id', value: projectId };
}

/** Node parameters for Query → Execute of a SQL statement. */
export function executeSql(
	emulator: Emulator,
	sql: string,
	parameterValues: unknown[] = [],
	extra: INodeParameters = {},
): INodeParameters {
	return {
		resource: 'query',
		operation: 'execute',
		project: projectParameter(emulator.projectId),
		source: 'statement',
		sql,
		queryParameters: { parameters: parameterValues.map((value) => ({ value })) } as INodeParameters,
		...extra,
	};
}

export async function runPeaka(
	emulator: Emulator,
	parameters: INodeParameters,
	options: Omit<RunNodeOptions, 'nodeType' | 'parameters'> & { apiKey?: string } = {},
): Promise<RunNodeResult> {
	const { apiKey, ...rest } = options;
	return await runNode({
		nodeType: Peaka,
		credentialTypes: [PeakaApi],
		credentials: { peakaApi: credentialsFor(emulator, apiKey) },
		parameters,
		...rest,
	});
}

export function jsonOf(items: INodeExecutionData[] | undefined): IDataObject[] {
	return (items ?? []).map((item) => item.json);
}

export function pairedItemsOf(items: INodeExecutionData[] | undefined): unknown[] {
	return (items ?? []).map((item) => item.pairedItem);
}

/** API requests the emulator received, without admin calls. */
export function executeRequests(emulator: Emulator): RequestRecord[] {
	return emulator.faults.requests().filter((request) => request.path.endsWith('/queries/execute'));
}

let referenceDb: Promise<DuckDBInstance> | undefined;

/**
 * Runs SQL on a DuckDB of this test's own over the vega-datasets files, to get expected values
 * without going through the emulator.
 */
export async function referenceRows(sql: string): Promise<Array<Record<string, unknown>>> {
	referenceDb ??= DuckDBInstance.create(':memory:');
	const connection = await (await referenceDb).connect();
	try {
		const reader = await connection.runAndReadAll(sql);
		return reader.getRowObjectsJS() as Array<Record<string, unknown>>;
	} finally {
		connection.closeSync();
	}
}

export function datasetFile(name: string): string {
	// vega-datasets exports only its JS entry point; the data folder sits beside its build folder.
	return path.join(path.dirname(require.resolve('vega-datasets')), '..', 'data', name);
}

const DATASETS_CATALOG_ID = '846085284821991568';

/** Peaka Trigger parameters for New Rows on the emulator's events table, by created_at and id. */
export function eventsTriggerParameters(emulator: Emulator, extra: INodeParameters = {}): INodeParameters {
	const locator = (value: string): INodeParameters => ({ __rl: true, mode: 'id', value });
	return {
		event: 'newRows',
		project: projectParameter(emulator.projectId),
		source: 'table',
		catalog: locator(DATASETS_CATALOG_ID),
		schema: locator('public'),
		table: locator('events'),
		watermarkColumn: 'created_at',
		tieBreakerColumn: 'id',
		...extra,
	};
}

/** A poller of the Peaka Trigger with the emulator's partner key. */
export function triggerPoller(emulator: Emulator, parameters: INodeParameters, extra: Partial<PollerOptions> = {}): Poller {
	return createPoller({
		nodeType: PeakaTrigger,
		credentialTypes: [PeakaApi],
		credentials: { peakaApi: credentialsFor(emulator) },
		parameters,
		...extra,
	});
}
