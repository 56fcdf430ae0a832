import type { IDataObject } from 'n8n-workflow';

import { type ColumnKind, columnKind, convertValue, UnsafeNumber, type ValueOptions } from './values';

/** A cell of Peaka's CELL_TYPED format. */
export interface TypedCell {
	name?: string;
	displayName?: string;
	dataType?: string;
	order?: number;
	value: unknown;
}

/** The body of POST /data/projects/{projectId}/queries/execute. */
export interface ExecuteResponse {
	columns?: Array<{ columnName?: string; catalogName?: string; schemaName?: string; tableName?: string }>;
	data?: unknown[];
}

export interface ConvertOptions extends ValueOptions {
	excludeSystemColumns: boolean;
	maxRows?: number;
}

export interface ConvertedResult {
	rows: IDataObject[];
	totalRows: number;
	renamedColumns: Array<{ from: string; to: string }>;
	excludedColumns: string[];
	/** The first value that Large Numbers As: Number could not convert; rows are then incomplete. */
	unsafeValue?: { column: string; value: string; dataType: string };
}

// Peaka's own bookkeeping columns: row identity and versions on Peaka tables, query
// parameter columns of API-backed tables, and cache plumbing.
const SYSTEM_COLUMN = /^_(id|version|created_time|created_by|last_modified_time|last_modified_by|session|operation|q_.*|cache_.*)$/;

export function isSystemColumn(name: string): boolean {
	return SYSTEM_COLUMN.test(name);
}

export interface ColumnPlan {
	sourceIndex: number;
	key: string;
	kind: ColumnKind;
	dataType: string;
}

export interface ColumnPlanning {
	plan: ColumnPlan[];
	renamedColumns: Array<{ from: string; to: string }>;
	excludedColumns: string[];
}

/**
 * Decides the item key of each result column, for every engine: a repeated name gets a
 * numbered suffix instead of overwriting the earlier column, and system columns are left out
 * when asked.
 */
export function planColumns(names: string[], dataTypes: string[], excludeSystemColumns: boolean): ColumnPlanning {
	const usedKeys = new Set<string>();
	const planning: ColumnPlanning = { plan: [], renamedColumns: [], excludedColumns: [] };
	names.forEach((name, sourceIndex) => {
		if (excludeSystemColumns && isSystemColumn(name)) {
			planning.excludedColumns.push(name);
			return;
		}
		const key = uniqueKey(name, usedKeys);
		if (key !== name) planning.renamedColumns.push({ from: name, to: key });
		const dataType = dataTypes[sourceIndex] ?? '';
		planning.plan.push({ sourceIndex, key, kind: columnKind(dataType), dataType });
	});
	return planning;
}

/**
 * Turns an execute response into one object per row, keyed by column name in the
 * result's column order. Every column reaches the object: a repeated name gets a
 * numbered suffix instead of overwriting the earlier column.
 */
export function convertExecuteResponse(response: ExecuteResponse, options: ConvertOptions): ConvertedResult {
	const data = Array.isArray(response.data) ? response.data : [];
	const totalRows = data.length;
	const rowCount = options.maxRows === undefined ? totalRows : Math.min(options.maxRows, totalRows);
	const firstRow = data[0];
	const names = columnNames(response, firstRow);
	const dataTypes = Array.isArray(firstRow)
		? firstRow.map((cell) => (isTypedCell(cell) ? (cell.dataType ?? '') : ''))
		: names.map(() => '');

	const { plan, renamedColumns, excludedColumns } = planColumns(names, dataTypes, options.excludeSystemColumns);
	if (rowCount === 0) {
		return { rows: [], totalRows, renamedColumns, excludedColumns };
	}

	const rows: IDataObject[] = new Array(rowCount);
	for (let rowIndex = 0; rowIndex < rowCount; rowIndex++) {
		const row = data[rowIndex];
		const item: IDataObject = {};
		for (const column of plan) {
			const value = convertValue(cellValue(row, column.sourceIndex, names[column.sourceIndex]), column.kind, column.dataType, options);
			if (value instanceof UnsafeNumber) {
				const unsafeValue = { column: column.key, value: value.value, dataType: value.dataType };
				return { rows: rows.slice(0, rowIndex), totalRows, renamedColumns, excludedColumns, unsafeValue };
			}
			item[column.key] = value as IDataObject[string];
		}
		rows[rowIndex] = item;
	}
	return { rows, totalRows, renamedColumns, excludedColumns };
}

// CELL_TYPED rows are arrays of cells, COMPACT rows arrays of plain values, and SIMPLE
// rows objects keyed by column name.
function cellValue(row: unknown, index: number, name: string): unknown {
	if (Array.isArray(row)) {
		const cell = row[index];
		return isTypedCell(cell) ? cell.value : cell;
	}
	if (row && typeof row === 'object') {
		return (row as Record<string, unknown>)[name];
	}
	return undefined;
}

function columnNames(response: ExecuteResponse, firstRow: unknown): string[] {
	if (Array.isArray(firstRow) && firstRow.every(isTypedCell)) {
		return firstRow.map((cell, index) => cell.name ?? response.columns?.[index]?.columnName ?? `column_${index + 1}`);
	}
	if (Array.isArray(response.columns) && response.columns.length > 0) {
		return response.columns.map((column, index) => column.columnName ?? `column_${index + 1}`);
	}
	if (Array.isArray(firstRow)) {
		return firstRow.map((_, index) => `column_${index + 1}`);
	}
	return firstRow && typeof firstRow === 'object' ? Object.keys(firstRow) : [];
}

function isTypedCell(cell: unknown): cell is TypedCell {
	return cell !== null && typeof cell === 'object' && !Array.isArray(cell) && 'value' in cell;
}

function uniqueKey(name: string, usedKeys: Set<string>): string {
	let key = name;
	for (let suffix = 2; usedKeys.has(key); suffix++) {
		key = `${name}_${suffix}`;
	}
	usedKeys.add(key);
	return key;
}
