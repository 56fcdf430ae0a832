import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator, savedQueryLocator } from '../common.descriptions';
import { getLocatorValue, getProjectId } from '../parameters';
import { describeMissingQuery, savedQueryPath } from './saved-query';

const properties: INodeProperties[] = [
	projectLocator,
	{
		...savedQueryLocator,
		description: 'The saved query to delete. Tables and folders it used stay in place.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['query'], operation: ['delete'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const queryId = getLocatorValue(this, 'savedQuery', 'Saved Query', itemIndex);

	await peakaApiRequest.call(this, {
		method: 'DELETE',
		path: savedQueryPath(projectId, queryId),
		describeFailure: describeMissingQuery(projectId, queryId),
		itemIndex,
	});

	return [{ json: { id: queryId, deleted: true }, pairedItem: { item: itemIndex } }];
}
