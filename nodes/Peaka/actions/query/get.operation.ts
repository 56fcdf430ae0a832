import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator, savedQueryLocator } from '../common.descriptions';
import { getLocatorValue, getProjectId } from '../parameters';
import { asQueryItem, describeMissingQuery, savedQueryPath } from './saved-query';

const properties: INodeProperties[] = [projectLocator, savedQueryLocator];

export const description = updateDisplayOptions(
	{ show: { resource: ['query'], operation: ['get'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const queryId = getLocatorValue(this, 'savedQuery', 'Saved Query', itemIndex);

	const query = await peakaApiRequest.call(this, {
		method: 'GET',
		path: savedQueryPath(projectId, queryId),
		describeFailure: describeMissingQuery(projectId, queryId),
		itemIndex,
	});

	return [{ json: asQueryItem(query), pairedItem: { item: itemIndex } }];
}
