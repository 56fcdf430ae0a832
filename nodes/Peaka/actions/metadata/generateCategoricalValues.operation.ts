import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { catalogLocator, schemaLocator, tableLocator } from '../catalog.descriptions';
import { describeMissing, getTableTarget } from '../catalog/catalog';
import { projectLocator } from '../common.descriptions';
import { columnNameProperty, getColumnName, metadataPath, singleItem } from './metadata';

// Default number of values in Peaka's metadata editor.
const DEFAULT_VALUES = 10;

const properties: INodeProperties[] = [
	projectLocator,
	catalogLocator,
	schemaLocator,
	tableLocator,
	columnNameProperty,
	{
		displayName: 'Max Values',
		name: 'valueLimit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: DEFAULT_VALUES,
		description: 'Max number of distinct values to keep for the column',
	},
	{
		displayName: 'Recompute',
		name: 'frequency',
		type: 'options',
		options: [
			{ name: 'Daily', value: 'DAILY' },
			{ name: 'Monthly', value: 'MONTHLY' },
			{ name: 'Never', value: 'NONE', description: 'Compute the values once, now' },
			{ name: 'Weekly', value: 'WEEKLY' },
		],
		default: 'NONE',
		description: 'How often Peaka recomputes the values on its own',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['metadata'], operation: ['generateCategoricalValues'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getTableTarget(this, itemIndex, 'table');
	const columnName = getColumnName(this, itemIndex);
	return await singleItem(this, itemIndex, {
		method: 'PUT',
		path: metadataPath(target.projectId, 'categorical', target.catalogId, target.schemaName as string, target.tableName as string, columnName),
		body: {
			limit: this.getNodeParameter('valueLimit', itemIndex, DEFAULT_VALUES) as number,
			frequency: this.getNodeParameter('frequency', itemIndex, 'NONE') as string,
		},
		idempotent: true,
		describeFailure: describeMissing(target),
	});
}
