import type { INodeProperties } from 'n8n-workflow';

import * as addColumns from './addColumns.operation';
import * as create from './create.operation';
import * as deleteTable from './delete.operation';
import * as deleteColumn from './deleteColumn.operation';
import * as getColumns from './getColumns.operation';
import * as getMany from './getMany.operation';
import * as getSampleCsv from './getSampleCsv.operation';
import * as importCsv from './importCsv.operation';
import * as insertRows from './insertRows.operation';
import * as updateColumn from './updateColumn.operation';

export const operations = {
	addColumns,
	create,
	delete: deleteTable,
	deleteColumn,
	getColumns,
	getMany,
	getSampleCsv,
	importCsv,
	insertRows,
	updateColumn,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['internalTable'] } },
		options: [
			{
				name: 'Add Columns',
				value: 'addColumns',
				description: 'Add one or more columns to a table',
				action: 'Add columns to an internal table',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create an empty Peaka Table or BI Table',
				action: 'Create an internal table',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a table with all its rows',
				action: 'Delete an internal table',
			},
			{
				name: 'Delete Column',
				value: 'deleteColumn',
				description: 'Delete a column with its values',
				action: 'Delete a column of an internal table',
			},
			{
				name: 'Get Columns',
				value: 'getColumns',
				description: 'List the columns of a table, with their types and settings',
				action: 'Get the columns of an internal table',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the Peaka Tables or BI Tables of a project',
				action: 'Get many internal tables',
			},
			{
				name: 'Get Sample CSV',
				value: 'getSampleCsv',
				description: "Download Peaka's CSV template for importing into a Peaka Table",
				action: 'Get the import template of a table',
			},
			{
				name: 'Import CSV',
				value: 'importCsv',
				description: 'Append the rows of a CSV file to a Peaka Table',
				action: 'Import a file into a table',
			},
			{
				name: 'Insert Rows',
				value: 'insertRows',
				description: 'Append the input items to a Peaka Table as rows, in batches',
				action: 'Insert rows into a table',
			},
			{
				name: 'Update Column',
				value: 'updateColumn',
				description: 'Rename a column or change its type or settings',
				action: 'Update a column of an internal table',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
	...create.description,
	...deleteTable.description,
	...getColumns.description,
	...addColumns.description,
	...updateColumn.description,
	...deleteColumn.description,
	...getSampleCsv.description,
	...importCsv.description,
	...insertRows.description,
];
