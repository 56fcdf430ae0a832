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

const properties: INodeProperties[] = [
	projectLocator,
	{
		...connectionLocator,
		description: 'The connection to describe. Peaka returns its type and the settings that are not secret, never passwords or tokens.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['connection'], operation: ['getDetail'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const connectionId = getConnectionId(this, itemIndex);
	const detail = await peakaApiRequest.call(this, {
		method: 'GET',
		path: `${connectionsPath(projectId, connectionId)}/detail`,
		describeFailure: describeMissingConnection(projectId, connectionId),
		itemIndex,
	});
	return [{ json: { id: connectionId, ...asItem(detail) }, pairedItem: { item: itemIndex } }];
}
