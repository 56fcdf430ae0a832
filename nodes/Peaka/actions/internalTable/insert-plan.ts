import { type IDataObject, type INode, type INodeExecutionData, NodeOperationError } from 'n8n-workflow';

import { type ColumnType, columnTypeOf, encodeValue, inferColumnType } from './column-types';
import { SYSTEM_COLUMNS } from './table';

/** One table column that Insert Rows fills, from one item field. */
export interface PlannedColumn {
	column: string;
	field: string;
	type: ColumnType;
	/** Whether the column does not exist yet and Insert Rows adds it. */
	isNew: boolean;
}

export interface ColumnMapping {
	column: string;
	field: string;
}

/** A value check that failed, with what the error message names. */
export interface InvalidValue {
	itemIndex: number;
	field: string;
	column: string;
	type: ColumnType;
	value: unknown;
	reason: string;
}

export interface EncodedRows {
	/** CSV field texts per item that passed, in input order. */
	rows: Array<{ itemIndex: number; fields: Array<string | null>; emptyTextFields: string[] }>;
	invalid: InvalidValue[];
}

/** Lists the fields of the items in the order they first appear. */
export function itemFields(items: INodeExecutionData[]): string[] {
	const seen = new Set<string>();
	for (const item of items) for (const key of Object.keys(item.json)) seen.add(key);
	return [...seen];
}

function valuesOf(items: INodeExecutionData[], field: string): unknown[] {
	return items.map((item) => item.json[field]);
}

/**
 * Matches item fields to table columns. Peaka fills a mapped column with NULL when it cannot match
 * the mapping, so every mapping is checked here: its column must exist (or be created)
 * and its field must occur in at least one item.
 * @param columns the table's columns by name with Peaka's type names; empty for a table still to be created
 */
export function planColumns(
	node: INode,
	items: INodeExecutionData[],
	columns: Map<string, string>,
	mode: 'autoMapInputData' | 'defineBelow',
	mappings: ColumnMapping[],
	createMissing: boolean,
	tableName: string,
): { planned: PlannedColumn[]; ignoredFields: string[] } {
	const fields = itemFields(items);
	const typed = (column: string, field: string): PlannedColumn => {
		const known = columns.get(column);
		if (known === undefined) return { column, field, type: inferColumnType(valuesOf(items, field)), isNew: true };
		const type = columnTypeOf(known);
		if (type === undefined) {
			throw new NodeOperationError(node, `Column '${column}' has type '${known}', which Insert Rows cannot write`, {
				description: `Peaka's import takes ${['VARCHAR', 'BIGINT', 'BOOLEAN', 'DECIMAL', 'TIMESTAMP', 'TIME', 'DATE', 'UUID'].join(', ')} columns. Leave this column out of the mapping.`,
			});
		}
		return { column, field, type, isNew: false };
	};

	if (mode === 'autoMapInputData') {
		const ignoredFields = fields.filter((field) => SYSTEM_COLUMNS.has(field));
		const mapped = fields.filter((field) => !SYSTEM_COLUMNS.has(field));
		const missing = mapped.filter((field) => !columns.has(field));
		if (missing.length > 0 && !createMissing) {
			throw new NodeOperationError(
				node,
				`Map Automatically: input fields without a column in Peaka Table '${tableName}': ${missing.join(', ')}`,
				{
					description:
						"Map Automatically needs a column for every field. Turn on the 'Create Table and Missing Columns' option, or choose 'Map Each Column Below' and list the columns to fill.",
				},
			);
		}
		if (mapped.length === 0) {
			throw new NodeOperationError(node, 'The input items have no fields to insert', {
				description: 'Insert Rows writes one row per item from its fields. Check the node before this one.',
			});
		}
		return { planned: mapped.map((field) => typed(field, field)), ignoredFields };
	}

	if (mappings.length === 0) {
		throw new NodeOperationError(node, "The 'Column Mappings' parameter lists no mapping", {
			description: 'Add a mapping for each table column to fill, or choose Map Automatically.',
		});
	}
	const fieldSet = new Set(fields);
	const seenColumns = new Set<string>();
	const planned = mappings.map((mapping, position) => {
		const label = `Column Mappings: mapping ${position + 1}`;
		if (mapping.column === '' || mapping.field === '') {
			throw new NodeOperationError(node, `${label} has an empty ${mapping.column === '' ? 'column' : 'field'}`, {
				description: 'Enter both the table column and the item field that fills it.',
			});
		}
		if (seenColumns.has(mapping.column)) {
			throw new NodeOperationError(node, `${label} maps column '${mapping.column}' a second time`, {
				description: 'Map each column once.',
			});
		}
		seenColumns.add(mapping.column);
		if (!fieldSet.has(mapping.field)) {
			throw new NodeOperationError(node, `${label} names field '${mapping.field}', which no input item has`, {
				description: `Fields of the input items: ${fields.join(', ') || 'none'}. Check the spelling: Peaka would store NULL in '${mapping.column}' for every row.`,
			});
		}
		if (!columns.has(mapping.column) && !createMissing) {
			const known = [...columns.keys()].filter((name) => !SYSTEM_COLUMNS.has(name));
			throw new NodeOperationError(node, `${label} names column '${mapping.column}', which Peaka Table '${tableName}' does not have`, {
				description: `Columns of the table: ${known.join(', ')}. Check the spelling, or turn on 'Create Table and Missing Columns'.`,
			});
		}
		if (SYSTEM_COLUMNS.has(mapping.column)) {
			throw new NodeOperationError(node, `${label} names system column '${mapping.column}'`, {
				description: 'Peaka fills its system columns itself; map the field to another column.',
			});
		}
		return typed(mapping.column, mapping.field);
	});
	return { planned, ignoredFields: [] };
}

/** Encodes every item's values for the planned columns, collecting the values that do not fit. */
export function encodeRows(items: INodeExecutionData[], planned: PlannedColumn[]): EncodedRows {
	const result: EncodedRows = { rows: [], invalid: [] };
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const json: IDataObject = items[itemIndex].json;
		const fields: Array<string | null> = [];
		const emptyTextFields: string[] = [];
		let failed: InvalidValue | undefined;
		for (const column of planned) {
			const value = json[column.field];
			const encoded = encodeValue(value, column.type);
			if (!encoded.ok) {
				failed = { itemIndex, field: column.field, column: column.column, type: column.type, value, reason: encoded.reason };
				break;
			}
			if (encoded.emptyText) emptyTextFields.push(column.field);
			fields.push(encoded.text);
		}
		if (failed) result.invalid.push(failed);
		else result.rows.push({ itemIndex, fields, emptyTextFields });
	}
	return result;
}

export function describeInvalid(invalid: InvalidValue): string {
	const shown = typeof invalid.value === 'string' ? `'${invalid.value}'` : JSON.stringify(invalid.value);
	return `Item ${invalid.itemIndex}: field '${invalid.field}' holds ${shown}, which ${invalid.reason}, so it does not fit column '${invalid.column}' (${invalid.type})`;
}
