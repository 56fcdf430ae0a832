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
import { connectionsPath } from './connection';

const properties: INodeProperties[] = [projectLocator, returnAllProperty, limitProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['connection'], operation: ['getMany'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	checkReturnLimit(this, itemIndex);
	const projectId = getProjectId(this, itemIndex);
	// Peaka lists every connection of the project in one response, without credentials.
	const body = await peakaApiRequest.call(this, { method: 'GET', path: connectionsPath(projectId), itemIndex });
	const connections = unwrapList(body) as IDataObject[];
	return applyReturnLimit(this, itemIndex, connections).map((connection) => ({
		json: connection,
		pairedItem: { item: itemIndex },
	}));
}
