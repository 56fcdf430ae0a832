import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator } from '../common.descriptions';
import { getRequiredText, unwrapList } from '../parameters';
import { addFlagsHint, columnRequest } from './column-request';
import {
	columnExtraProperties,
	columnsPath,
	columnTypeProperty,
	describeMissingTable,
	getInternalTableTarget,
	internalTableLocator,
	tableKindProperty,
} from './table';

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
		description: 'The column to change',
	},
	{
		displayName: 'New Name',
		name: 'newName',
		type: 'string',
		default: '',
		placeholder: 'e.g. total_amount',
		description: 'A new name for the column. Empty keeps the name.',
	},
	{ ...columnTypeProperty, description: 'The column type. Peaka needs it on every update, also when it stays the same.' },
	...columnExtraProperties,
	{
		displayName: 'Not Null',
		name: 'isNotNull',
		type: 'boolean',
		default: false,
		description: 'Whether to ask Peaka to reject NULL. Live Peaka stored this as false.',
	},
	{
		displayName: 'Unique',
		name: 'isUnique',
		type: 'boolean',
		default: false,
		description: 'Whether to ask Peaka to reject duplicates. Live Peaka stored this as false.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['internalTable'], operation: ['updateColumn'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getInternalTableTarget(this, itemIndex);
	const columnName = getRequiredText(this, 'columnName', 'Column Name', 'Enter the name of the column to change.', itemIndex);
	const newName = String(this.getNodeParameter('newName', itemIndex, '') ?? '').trim();
	const request = columnRequest({
		name: newName === '' ? columnName : newName,
		dataType: this.getNodeParameter('dataType', itemIndex),
		displayName: this.getNodeParameter('displayName', itemIndex, ''),
		defaultValue: this.getNodeParameter('defaultValue', itemIndex, ''),
		isNotNull: this.getNodeParameter('isNotNull', itemIndex, false),
		isUnique: this.getNodeParameter('isUnique', itemIndex, false),
	});

	await peakaApiRequest.call(this, {
		method: 'PUT',
		path: columnsPath(target, columnName),
		body: request,
		describeFailure: describeMissingTable(target, columnName),
		itemIndex,
	});
	addFlagsHint(this, [request]);

	// Live Peaka echoed a BI column update with id "-1" while a later read showed the old
	// display name, so the result comes from a fresh read of the columns.
	const columns = unwrapList(
		await peakaApiRequest.call(this, { method: 'GET', path: columnsPath(target), describeFailure: describeMissingTable(target), itemIndex }),
	) as IDataObject[];
	// BI Tables store names without underscores.
	const storedName = target.kind === 'bitable' ? String(request.name).replace(/_/g, '') : request.name;
	const stored = columns.find((column) => column.name === storedName) ?? { name: storedName, found: false };
	return [{ json: stored, pairedItem: { item: itemIndex } }];
}
