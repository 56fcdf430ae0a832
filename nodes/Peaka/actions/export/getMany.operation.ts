import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { limitProperty, projectLocator, returnAllProperty } from '../common.descriptions';
import { getProjectId, unwrapList } from '../parameters';
import { exportsPath } from './export';

// Peaka clamps the page size of the export list to 1..200 and pages by `createdBefore`.
const MAX_PAGE_SIZE = 200;

const properties: INodeProperties[] = [
	projectLocator,
	returnAllProperty,
	{ ...limitProperty, typeOptions: { minValue: 1 } },
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				options: [
					{ name: 'Cancelled', value: 'CANCELLED' },
					{ name: 'Failed', value: 'FAILED' },
					{ name: 'Pending', value: 'PENDING' },
					{ name: 'Running', value: 'RUNNING' },
					{ name: 'Succeeded', value: 'SUCCEEDED' },
				],
				default: [],
				description: 'Return only exports in these statuses',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['export'], operation: ['getMany'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, true) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as { status?: string[] };

	const jobs: IDataObject[] = [];
	let createdBefore: string | undefined;
	while (jobs.length < limit) {
		const pageSize = Math.min(MAX_PAGE_SIZE, limit - jobs.length);
		const qs: IDataObject = { limit: pageSize };
		if (filters.status && filters.status.length > 0) qs.status = filters.status.join(',');
		if (createdBefore !== undefined) qs.createdBefore = createdBefore;
		const page = unwrapList(await peakaApiRequest.call(this, { method: 'GET', path: exportsPath(projectId), qs, itemIndex })) as IDataObject[];
		for (const job of page) jobs.push(job);
		const last = page[page.length - 1];
		// The cursor is the last job's creation time: a short page, or one without it, is the end.
		if (page.length < pageSize || !last || typeof last.createdAt !== 'string') break;
		createdBefore = last.createdAt;
	}
	return jobs.slice(0, limit).map((job) => ({ json: job, pairedItem: { item: itemIndex } }));
}
