import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator } from '../common.descriptions';
import { getProjectId } from '../parameters';
import { cachePath, rethrowParameterError, scheduleFrom } from './cache';
import { FULL_REFRESH_INTERVAL_PROPERTY, INCREMENTAL_INTERVAL_PROPERTY } from './create.operation';

interface TableEntry {
	catalogId?: string;
	schemaName?: string;
	tableName?: string;
	incrementalInterval?: string;
	fullRefreshInterval?: string;
}

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'Tables',
		name: 'tables',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Table',
		default: {},
		required: true,
		description: 'The tables to cache. Peaka creates each cache on its own: one failure does not stop the others.',
		options: [
			{
				displayName: 'Table',
				name: 'table',
				values: [
					{
						displayName: 'Catalog ID',
						name: 'catalogId',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'e.g. 846085284821991569',
					},
					{
						displayName: 'Schema Name',
						name: 'schemaName',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'e.g. payment',
					},
					{
						displayName: 'Table Name',
						name: 'tableName',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'e.g. charges',
					},
					INCREMENTAL_INTERVAL_PROPERTY,
					FULL_REFRESH_INTERVAL_PROPERTY,
				],
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['cache'], operation: ['createMany'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const entries = ((this.getNodeParameter('tables', itemIndex, {}) as IDataObject).table ?? []) as TableEntry[];
	if (entries.length === 0) {
		throw new NodeOperationError(this.getNode(), "The 'Tables' parameter is empty", {
			description: 'Add at least one table with its catalog ID, schema name and table name.',
			itemIndex,
		});
	}

	const body: IDataObject[] = [];
	try {
		entries.forEach((entry, index) => {
			const position = `table ${index + 1}`;
			const request: IDataObject = {};
			for (const [field, label] of [
				['catalogId', 'Catalog ID'],
				['schemaName', 'Schema Name'],
				['tableName', 'Table Name'],
			] as const) {
				const value = String(entry[field] ?? '').trim();
				if (value === '') {
					throw new NodeOperationError(this.getNode(), `The '${label}' of ${position} in 'Tables' is empty`, {
						description: 'Give every table its catalog ID, schema name and table name.',
						itemIndex,
					});
				}
				request[field] = value;
			}
			const incremental = scheduleFrom(entry.incrementalInterval, `Incremental Sync Interval (${position})`);
			const full = scheduleFrom(entry.fullRefreshInterval, `Full Refresh Interval (${position})`);
			if (incremental) request.incrementalCacheSchedule = incremental;
			if (full) request.fullRefreshCacheSchedule = full;
			body.push(request);
		});
	} catch (error) {
		rethrowParameterError(this, error, itemIndex);
	}

	const results = (await peakaApiRequest.call(this, {
		method: 'POST',
		path: `${cachePath(projectId)}/batch`,
		body,
		expectBody: true,
		itemIndex,
	})) as IDataObject[];

	// One item per table, in request order, with the table named even when Peaka sends no cache back.
	return (Array.isArray(results) ? results : []).map((result, index) => ({
		json: {
			catalogId: body[index]?.catalogId,
			schemaName: body[index]?.schemaName,
			tableName: body[index]?.tableName,
			...result,
		},
		pairedItem: { item: itemIndex },
	}));
}
