import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator } from '../common.descriptions';
import { unwrapList } from '../parameters';
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
		displayName: 'Columns',
		name: 'columns',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Column',
		default: {},
		required: true,
		description: 'The columns to add. Existing rows read NULL in a new column.',
		options: [
			{
				displayName: 'Column',
				name: 'column',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. amount',
						description: 'The column name, as SQL writes it. BI Tables remove every underscore from it.',
					},
					columnTypeProperty,
					...columnExtraProperties,
					{
						displayName: 'Not Null',
						name: 'isNotNull',
						type: 'boolean',
						default: false,
						description: 'Whether to ask Peaka to reject NULL. Live Peaka stored this as false and did not enforce it.',
					},
					{
						displayName: 'Unique',
						name: 'isUnique',
						type: 'boolean',
						default: false,
						description: 'Whether to ask Peaka to reject duplicates. Live Peaka stored this as false and did not enforce it.',
					},
				],
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['internalTable'], operation: ['addColumns'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getInternalTableTarget(this, itemIndex);
	const entries = (this.getNodeParameter('columns.column', itemIndex, []) as IDataObject[]).map(columnRequest);
	if (entries.length === 0) {
		throw new NodeOperationError(this.getNode(), "The 'Columns' parameter lists no column", {
			description: 'Add at least one column with a name and a data type.',
			itemIndex,
		});
	}
	const unnamed = entries.findIndex((entry) => entry.name === '');
	if (unnamed !== -1) {
		throw new NodeOperationError(this.getNode(), `Column ${unnamed + 1} of the 'Columns' parameter has no name`, {
			description: 'Give every column a name, e.g. amount.',
			itemIndex,
		});
	}

	const body = await peakaApiRequest.call(this, {
		method: 'POST',
		path: columnsPath(target),
		body: entries,
		describeFailure: describeMissingTable(target),
		itemIndex,
	});
	addFlagsHint(this, entries);
	const added = Array.isArray(body) ? (unwrapList(body) as IDataObject[]) : [body as IDataObject];
	return added.map((column) => ({ json: column, pairedItem: { item: itemIndex } }));
}
