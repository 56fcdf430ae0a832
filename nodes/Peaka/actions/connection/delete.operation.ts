import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator } from '../common.descriptions';
import { getProjectId } from '../parameters';
import { connectionsPath, describeMissingConnection, getConnectionId } from './connection';
import { connectionLocator } from './connection.descriptions';

const properties: INodeProperties[] = [
	projectLocator,
	{
		...connectionLocator,
		description: 'The connection to delete. Catalogs built on it stay but can no longer read their data source.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['connection'], operation: ['delete'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const connectionId = getConnectionId(this, itemIndex);
	await peakaApiRequest.call(this, {
		method: 'DELETE',
		path: connectionsPath(projectId, connectionId),
		describeFailure: describeMissingConnection(projectId, connectionId),
		itemIndex,
	});
	return [{ json: { id: connectionId, deleted: true }, pairedItem: { item: itemIndex } }];
}
