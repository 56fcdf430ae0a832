import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator } from '../common.descriptions';
import { getRequiredText } from '../parameters';
import { columnsPath, describeMissingTable, getInternalTableTarget, internalTableLocator, tableKindProperty } from './table';

const properties: INodeProperties[] = [
	projectLocator,
	tableKindProperty,
	internalTableLocator,
	{
		displayName: 'Column Name',
		name: 'columnName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. amount',
		description: 'The column to delete with its values. Saved queries that select it start failing.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['internalTable'], operation: ['deleteColumn'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getInternalTableTarget(this, itemIndex);
	const columnName = getRequiredText(this, 'columnName', 'Column Name', 'Enter the name of the column to delete.', itemIndex);
	await peakaApiRequest.call(this, {
		method: 'DELETE',
		path: columnsPath(target, columnName),
		describeFailure: describeMissingTable(target, columnName),
		itemIndex,
	});
	return [{ json: { tableName: target.tableName, columnName, deleted: true }, pairedItem: { item: itemIndex } }];
}
