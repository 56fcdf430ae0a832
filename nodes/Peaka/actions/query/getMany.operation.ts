import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { limitProperty, projectLocator, returnAllProperty } from '../common.descriptions';
import { applyReturnLimit, checkReturnLimit, getProjectId, unwrapList } from '../parameters';
import { savedQueryPath } from './saved-query';

const properties: INodeProperties[] = [
	projectLocator,
	returnAllProperty,
	limitProperty,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Name Contains',
				name: 'nameContains',
				type: 'string',
				default: '',
				description: 'Keep only saved queries whose display name or SQL name contains this text (case-insensitive)',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['query'], operation: ['getMany'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	checkReturnLimit(this, itemIndex);
	const projectId = getProjectId(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as { nameContains?: string };

	// Peaka returns every saved query of the project in one response, without paging.
	const body = await peakaApiRequest.call(this, { method: 'GET', path: savedQueryPath(projectId), itemIndex });
	let queries = unwrapList(body) as IDataObject[];

	const needle = filters.nameContains?.trim().toLowerCase();
	if (needle) {
		queries = queries.filter((query) =>
			[query.displayName, query.name].some((name) => typeof name === 'string' && name.toLowerCase().includes(needle)),
		);
	}

	return applyReturnLimit(this, itemIndex, queries).map((query) => ({
		json: query,
		pairedItem: { item: itemIndex },
	}));
}
