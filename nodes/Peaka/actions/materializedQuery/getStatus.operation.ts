import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator } from '../common.descriptions';
import { getLocatorValue, getProjectId } from '../parameters';
import { describeMissingMaterialized, materializedPath, materializedQueryLocator } from './materialized';

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'Status Of',
		name: 'scope',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'One Materialized Query', value: 'one' },
			{ name: 'All Materialized Queries of the Project', value: 'all' },
		],
		default: 'one',
	},
	{ ...materializedQueryLocator, displayOptions: { show: { scope: ['one'] } } },
];

export const description = updateDisplayOptions(
	{ show: { resource: ['materializedQuery'], operation: ['getStatus'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const scope = this.getNodeParameter('scope', itemIndex, 'one') as 'one' | 'all';
	const pair = (json: IDataObject) => ({ json, pairedItem: { item: itemIndex } });

	if (scope === 'all') {
		const statuses = await peakaApiRequest.call(this, { method: 'GET', path: materializedPath(projectId), itemIndex });
		return (Array.isArray(statuses) ? (statuses as IDataObject[]) : []).map(pair);
	}
	const queryId = getLocatorValue(this, 'materializedQuery', 'Materialized Query', itemIndex);
	const status = (await peakaApiRequest.call(this, {
		method: 'GET',
		path: `${materializedPath(projectId, queryId)}/status`,
		describeFailure: describeMissingMaterialized(projectId, queryId),
		itemIndex,
	})) as IDataObject;
	return [pair(status)];
}
