import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { getLocatorValue } from '../parameters';
import { fetchConnectionConfiguration } from './connection';
import { connectionTypeLocator } from './connection.descriptions';

const properties: INodeProperties[] = [
	{
		...connectionTypeLocator,
		description: 'The connector whose credential fields to list, with their types and whether each is required',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['connection'], operation: ['getTypeConfiguration'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const connectionType = getLocatorValue(this, 'connectionType', 'Connection Type', itemIndex);
	const configuration = await fetchConnectionConfiguration(this, connectionType, itemIndex);
	return [{ json: configuration as unknown as IDataObject, pairedItem: { item: itemIndex } }];
}
