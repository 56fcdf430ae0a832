import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { asItem } from '../catalog/catalog';
import { projectLocator } from '../common.descriptions';
import { getProjectId } from '../parameters';
import { connectionsPath, describeMissingConnection, getConnectionId } from './connection';
import { connectionLocator } from './connection.descriptions';

const properties: INodeProperties[] = [projectLocator, connectionLocator];

export const description = updateDisplayOptions(
	{ show: { resource: ['connection'], operation: ['get'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const connectionId = getConnectionId(this, itemIndex);
	const connection = await peakaApiRequest.call(this, {
		method: 'GET',
		path: connectionsPath(projectId, connectionId),
		describeFailure: describeMissingConnection(projectId, connectionId),
		itemIndex,
	});
	return [{ json: asItem(connection), pairedItem: { item: itemIndex } }];
}
