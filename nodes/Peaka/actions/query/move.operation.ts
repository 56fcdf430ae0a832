import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator, savedQueryLocator } from '../common.descriptions';
import { getLocatorValue, getProjectId } from '../parameters';
import { asQueryItem, describeMissingQuery, savedQueryPath } from './saved-query';

const properties: INodeProperties[] = [
	projectLocator,
	savedQueryLocator,
	{
		displayName: 'Folder Path',
		name: 'path',
		type: 'string',
		default: '/',
		required: true,
		placeholder: 'e.g. /analytics/dashboards',
		description:
			'Where to put the saved query. Peaka creates missing folders on the way; / moves it back to the root. Folders stay when their last query leaves.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['query'], operation: ['move'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const queryId = getLocatorValue(this, 'savedQuery', 'Saved Query', itemIndex);
	const path = String(this.getNodeParameter('path', itemIndex) ?? '').trim();
	if (!path.startsWith('/') || /\/\/|\s$/.test(path)) {
		throw new NodeOperationError(this.getNode(), `Folder Path '${path}' is not an absolute folder path`, {
			description: 'Start the path with / and separate folders with single slashes, e.g. /analytics/dashboards, or use / for the root.',
			itemIndex,
		});
	}

	const moved = await peakaApiRequest.call(this, {
		method: 'PATCH',
		path: `${savedQueryPath(projectId, queryId)}/path`,
		body: { path },
		// Setting the same path twice leaves the query where the first call put it.
		idempotent: true,
		describeFailure: describeMissingQuery(projectId, queryId),
		itemIndex,
	});

	return [{ json: { id: queryId, path, ...asQueryItem(moved) }, pairedItem: { item: itemIndex } }];
}
