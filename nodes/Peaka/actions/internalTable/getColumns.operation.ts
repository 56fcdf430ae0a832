import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator } from '../common.descriptions';
import { unwrapList } from '../parameters';
import {
	columnsPath,
	describeMissingTable,
	getInternalTableTarget,
	internalTableLocator,
	tableKindProperty,
	withoutSystemColumns,
} from './table';

const properties: INodeProperties[] = [
	projectLocator,
	tableKindProperty,
	internalTableLocator,
	{
		displayName: 'Include System Columns',
		name: 'includeSystemColumns',
		type: 'boolean',
		default: false,
		description: 'Whether to keep the columns Peaka adds to every table: _id, _version, _created_time and the like, and text',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['internalTable'], operation: ['getColumns'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getInternalTableTarget(this, itemIndex);
	const includeSystemColumns = this.getNodeParameter('includeSystemColumns', itemIndex, false) as boolean;
	const body = await peakaApiRequest.call(this, {
		method: 'GET',
		path: columnsPath(target),
		describeFailure: describeMissingTable(target),
		itemIndex,
	});
	const columns = withoutSystemColumns(unwrapList(body) as IDataObject[], includeSystemColumns);
	return columns.map((column) => ({ json: column, pairedItem: { item: itemIndex } }));
}
