import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { catalogLocator, schemaLocator, tableLocator } from '../catalog.descriptions';
import { describeMissing, getTableTarget } from '../catalog/catalog';
import { projectLocator } from '../common.descriptions';
import { asObject, metadataPath } from './metadata';

const properties: INodeProperties[] = [
	projectLocator,
	catalogLocator,
	schemaLocator,
	tableLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Column Descriptions',
				name: 'columns',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Column',
				default: {},
				options: [
					{
						displayName: 'Column',
						name: 'column',
						values: [
							{
								displayName: 'Column Name',
								name: 'columnName',
								type: 'string',
								default: '',
								placeholder: 'e.g. origin',
							},
							{
								displayName: 'Description',
								name: 'columnDescription',
								type: 'string',
								default: '',
								placeholder: 'e.g. IATA code of the departure airport',
								description: "What the column holds, for people and for Peaka's AI",
							},
						],
					},
				],
			},
			{
				displayName: 'Table Description',
				name: 'tableDescription',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				placeholder: 'e.g. One row per flight, with its delay in minutes',
				description: "What the table holds, for people and for Peaka's AI",
			},
			{
				displayName: 'Use with AI',
				name: 'useWithAI',
				type: 'boolean',
				default: true,
				description: "Whether Peaka's AI may read this table",
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['metadata'], operation: ['updateTable'] } }, properties);

interface UpdateFields {
	tableDescription?: string;
	useWithAI?: boolean;
	columns?: { column?: Array<{ columnName?: string; columnDescription?: string }> };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getTableTarget(this, itemIndex, 'table');
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as UpdateFields;
	const body: IDataObject = {};
	if (fields.tableDescription !== undefined) body.tableDescription = fields.tableDescription;
	if (fields.useWithAI !== undefined) body.useWithAI = fields.useWithAI;
	const columns = fields.columns?.column ?? [];
	if (columns.length > 0) {
		body.columns = columns.map((column, index) => {
			const columnName = String(column.columnName ?? '').trim();
			if (columnName === '') {
				throw new NodeOperationError(this.getNode(), `Column description ${index + 1} has no column name`, {
					description: 'Enter the name of the column to describe, or remove the entry.',
					itemIndex,
				});
			}
			return { columnName, columnDescription: column.columnDescription ?? '' };
		});
	}
	if (Object.keys(body).length === 0) {
		throw new NodeOperationError(this.getNode(), 'No field to update was given', {
			description: "Add a field under 'Update Fields': a table description, column descriptions or Use with AI.",
			itemIndex,
		});
	}
	const result = await peakaApiRequest.call(this, {
		method: 'PUT',
		path: metadataPath(target.projectId, target.catalogId, target.schemaName as string, target.tableName as string),
		body,
		idempotent: true,
		describeFailure: describeMissing(target),
		itemIndex,
	});
	return [{ json: asObject(result), pairedItem: { item: itemIndex } }];
}
