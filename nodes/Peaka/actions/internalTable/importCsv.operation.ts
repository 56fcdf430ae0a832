import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
	updateDisplayOptions,
} from 'n8n-workflow';

import { readCsvHeader } from '../../helpers/csv';
import { projectLocator } from '../common.descriptions';
import { type ImportMapping, importCsv } from './import-request';
import { describeMissingTable, getInternalTableTarget, internalTableLocator } from './table';
import { readTableColumns } from './table-columns';

const properties: INodeProperties[] = [
	projectLocator,
	{ ...internalTableLocator, description: 'A Peaka Table. Peaka offers no import for BI Tables.' },
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field that holds the CSV file',
	},
	{
		displayName: 'File Has Header Row',
		name: 'containsHeader',
		type: 'boolean',
		default: true,
		description: 'Whether the first line of the file names the columns. Without one, map columns by index.',
	},
	{
		displayName: 'Mapping',
		name: 'mappingMode',
		type: 'options',
		options: [
			{ name: 'By Header Name', value: 'name', description: 'Match each table column to a CSV column by its header' },
			{ name: 'By Position', value: 'index', description: 'Match each table column to a CSV column by its 0-based position' },
		],
		default: 'name',
	},
	{
		displayName: 'Column Mappings',
		name: 'mappings',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Mapping',
		default: {},
		description: 'Which CSV column fills which table column. CSV columns without a mapping are ignored.',
		options: [
			{
				displayName: 'Mapping',
				name: 'mapping',
				values: [
					{ displayName: 'Table Column', name: 'column', type: 'string', default: '', placeholder: 'e.g. amount' },
					{
						displayName: 'CSV Column',
						name: 'csvColumn',
						type: 'string',
						default: '',
						placeholder: 'e.g. amount, or 2 by position',
						description: 'The header name, or the 0-based position when mapping by position',
					},
				],
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['internalTable'], operation: ['importCsv'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getInternalTableTarget(this, itemIndex, 'table');
	const binaryPropertyName = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim();
	const containsHeader = this.getNodeParameter('containsHeader', itemIndex, true) as boolean;
	const mappingMode = this.getNodeParameter('mappingMode', itemIndex, 'name') as 'name' | 'index';
	const entries = this.getNodeParameter('mappings.mapping', itemIndex, []) as IDataObject[];
	const fail = (message: string, description: string) => new NodeOperationError(this.getNode(), message, { description, itemIndex });

	if (entries.length === 0) throw fail("The 'Column Mappings' parameter lists no mapping", 'Add a mapping for each table column the file fills.');
	if (mappingMode === 'name' && !containsHeader) {
		throw fail(
			"Mapping 'By Header Name' needs a header row",
			"Turn on 'File Has Header Row', or map by position: Peaka cannot match names in a file without a header.",
		);
	}

	const binary = this.helpers.assertBinaryData(itemIndex, binaryPropertyName);
	const csv = await this.helpers.getBinaryDataBuffer(itemIndex, binaryPropertyName);
	const header = containsHeader ? readCsvHeader(csv.toString('utf8')) : undefined;

	// Peaka writes NULL for a header name the file lacks and returns a raw SQL error for a
	// table column that does not exist, so both are checked here first.
	const columns = await readTableColumns(this, target, itemIndex);
	const mappings: ImportMapping[] = entries.map((entry, position) => {
		const column = String(entry.column ?? '').trim();
		const csvColumn = String(entry.csvColumn ?? '').trim();
		if (!columns.has(column)) {
			throw fail(
				`Mapping ${position + 1}: table column '${column}' does not exist in Peaka Table '${target.tableName}'`,
				`Columns of the table: ${[...columns.keys()].join(', ')}. Check the spelling, or add the column first.`,
			);
		}
		if (mappingMode === 'index') {
			const index = Number(csvColumn);
			const width = header?.length;
			if (csvColumn === '' || !Number.isInteger(index) || index < 0 || (width !== undefined && index >= width)) {
				throw fail(
					`Mapping ${position + 1}: CSV column '${csvColumn}' is not a valid position`,
					`Enter a 0-based position${width === undefined ? '' : ` from 0 to ${width - 1}`}.`,
				);
			}
			return { name: column, csvColumnIndex: index };
		}
		if (!header?.includes(csvColumn)) {
			throw fail(
				`Mapping ${position + 1}: CSV column '${csvColumn}' is not in the file's header`,
				`The header names: ${(header ?? []).join(', ')}. Peaka would fill the column with NULL.`,
			);
		}
		return { name: column, csvColumnName: csvColumn };
	});

	const job = await importCsv(this, target, {
		csv,
		fileName: binary.fileName ?? 'import.csv',
		mappings,
		containsHeader,
		itemIndex,
		describeFailure: describeMissingTable(target),
	});
	return [
		{
			json: {
				...job,
				tableName: target.tableName,
				note: 'Import appends rows; empty fields were stored as NULL. "processed" counts the rows of this file, not the table.',
			},
			pairedItem: { item: itemIndex },
		},
	];
}
