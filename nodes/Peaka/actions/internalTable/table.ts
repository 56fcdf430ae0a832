import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { FailureDescriber } from '../../transport/errors';
import { searchableLocator } from '../common.descriptions';
import { getLocatorValue, getProjectId } from '../parameters';
import { COLUMN_TYPES } from './column-types';

/** `table` contains Peaka Tables (row store), `bitable` Peaka BI Tables (column store). */
export type TableKind = 'table' | 'bitable';

export const TABLE_KIND_LABELS: Record<TableKind, string> = { table: 'Peaka Table', bitable: 'Peaka BI Table' };

/** Columns Peaka adds to every internal table; BI Tables add `_operation` too. */
export const SYSTEM_COLUMNS = new Set([
	'_id',
	'_version',
	'_created_time',
	'_created_by',
	'_last_modified_time',
	'_last_modified_by',
	'_session',
	'_operation',
]);

export const tableKindProperty: INodeProperties = {
	displayName: 'Table Kind',
	name: 'tableKind',
	type: 'options',
	options: [
		{
			name: 'Peaka Table',
			value: 'table',
			description: 'Row store for smaller, edit-heavy data; rows can be loaded through the API',
		},
		{
			name: 'Peaka BI Table',
			value: 'bitable',
			description: 'Column store for large event data; Peaka offers no API route that writes its rows',
		},
	],
	default: 'table',
};

export const internalTableLocator = searchableLocator({
	displayName: 'Table',
	name: 'internalTable',
	description: 'A table of the kind above. SQL reads a Peaka Table named orders as "peaka"."table"."orders", a BI Table as "peaka"."bitable"."orders".',
	searchListMethod: 'searchInternalTables',
	manual: { displayName: 'Name', placeholder: 'e.g. orders', hint: 'Enter the table name as SQL writes it' },
});

export const columnTypeProperty: INodeProperties = {
	displayName: 'Data Type',
	name: 'dataType',
	type: 'options',
	options: COLUMN_TYPES.map((type) => ({ name: type, value: type })),
	default: 'VARCHAR',
	description: 'The column type. Peaka rejects JSON columns through its API.',
};

/** The column fields Add Column and Update Column send, apart from the name and type. */
export const columnExtraProperties: INodeProperties[] = [
	{
		displayName: 'Display Name',
		name: 'displayName',
		type: 'string',
		default: '',
		description: 'The label Peaka Studio shows. Empty means the column name. BI Tables always show the name.',
	},
	{
		displayName: 'Default Value',
		name: 'defaultValue',
		type: 'string',
		default: '',
		description: 'Text stored in rows whose import leaves the column out. Empty means no default.',
	},
];

export interface InternalTableTarget {
	projectId: string;
	kind: TableKind;
	tableName: string;
}

export function internalTablesPath(projectId: string, kind: TableKind, tableName?: string): string {
	const base = `/data/projects/${encodeURIComponent(projectId)}/${kind}`;
	return tableName === undefined ? base : `${base}/${encodeURIComponent(tableName)}`;
}

export function columnsPath(target: InternalTableTarget, columnName?: string): string {
	const base = `${internalTablesPath(target.projectId, target.kind, target.tableName)}/columns`;
	return columnName === undefined ? base : `${base}/${encodeURIComponent(columnName)}`;
}

export function getTableKind(context: IExecuteFunctions, itemIndex: number): TableKind {
	return context.getNodeParameter('tableKind', itemIndex, 'table') as TableKind;
}

export function getInternalTableTarget(context: IExecuteFunctions, itemIndex: number, kind = getTableKind(context, itemIndex)): InternalTableTarget {
	return {
		projectId: getProjectId(context, itemIndex),
		kind,
		tableName: getLocatorValue(context, 'internalTable', 'Table', itemIndex),
	};
}

/**
 * Rewords a missing table or column as "not found". The spec documents only 200 for these routes;
 * the emulator and, for SQL, live Peaka return 400 "Table '…' does not exist", and a column
 * route may return 404.
 */
export function describeMissingTable(target: InternalTableTarget, columnName?: string): FailureDescriber {
	return (failure) => {
		const text = failure.peakaMessage;
		const kindLabel = TABLE_KIND_LABELS[target.kind];
		if (columnName !== undefined && /column\b.*(does not exist|not found|cannot be resolved)/i.test(text)) {
			return {
				message: `Column '${columnName}' was not found in ${kindLabel} '${target.tableName}'`,
				description: `List the table's columns with Get Columns and check the spelling. Peaka's message: ${text}`,
			};
		}
		if (failure.status === 404 || /table\b.*(does not exist|not found)/i.test(text)) {
			return {
				message: `${kindLabel} '${target.tableName}' was not found in project '${target.projectId}'`,
				description: `Pick the table from the list, or check the Table Kind: Peaka Tables and BI Tables are separate. Peaka's message: ${text || `HTTP ${failure.status}`}`,
			};
		}
		return undefined;
	};
}

/** Returns a column list without Peaka's system columns unless asked to keep them. */
export function withoutSystemColumns(columns: IDataObject[], keepSystemColumns: boolean): IDataObject[] {
	if (keepSystemColumns) return columns;
	return columns.filter((column) => !SYSTEM_COLUMNS.has(String(column.name ?? '')) && column.name !== 'text');
}
