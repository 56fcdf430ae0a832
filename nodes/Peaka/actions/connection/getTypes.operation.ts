import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { limitProperty, returnAllProperty } from '../common.descriptions';
import { applyReturnLimit, checkReturnLimit, unwrapList } from '../parameters';
import { CONNECTION_CONFIG_PATH } from './connection';

const properties: INodeProperties[] = [returnAllProperty, limitProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['connection'], operation: ['getTypes'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	checkReturnLimit(this, itemIndex);
	// The connector catalogue belongs to no project.
	const body = await peakaApiRequest.call(this, { method: 'GET', path: CONNECTION_CONFIG_PATH, itemIndex });
	const types = unwrapList(body) as IDataObject[];
	return applyReturnLimit(this, itemIndex, types).map((type) => ({ json: type, pairedItem: { item: itemIndex } }));
}
