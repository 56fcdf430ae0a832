import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator } from '../common.descriptions';
import { describeMissingTable, getInternalTableTarget, internalTableLocator, internalTablesPath, tableKindProperty } from './table';

const properties: INodeProperties[] = [
	projectLocator,
	tableKindProperty,
	{ ...internalTableLocator, description: 'The table to delete, with all its rows. Peaka cannot undo this.' },
];

export const description = updateDisplayOptions(
	{ show: { resource: ['internalTable'], operation: ['delete'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getInternalTableTarget(this, itemIndex);
	await peakaApiRequest.call(this, {
		method: 'DELETE',
		path: internalTablesPath(target.projectId, target.kind, target.tableName),
		describeFailure: describeMissingTable(target),
		itemIndex,
	});
	return [{ json: { tableName: target.tableName, deleted: true }, pairedItem: { item: itemIndex } }];
}
