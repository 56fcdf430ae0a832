import type { IDataObject } from 'n8n-workflow';

import type { ExecuteResponse, TypedCell } from '../Peaka/helpers/rows';

/**
 * SQL and cursor handling for the New Rows event. A poll reads only rows after the cursor:
 * `(w > :w) OR (w = :w AND t > :t) ORDER BY w, t LIMIT n`, where w is the watermark column
 * and t a unique tie-breaker, so rows sharing one watermark value are neither lost nor
 * repeated, whatever the table's size. Cursor values stay the text Peaka sent and travel back
 * as `?` bindings cast to the column's own type, so no value goes through a JavaScript number.
 */

export const CURSOR_VERSION = 1;

/** One cursor position: the text Peaka sent for the column and the column's Trino type. */
export interface CursorValue {
	value: string;
	type: string;
}

/** The last emitted row's watermark and tie-breaker. */
export interface CursorPosition {
	watermark: CursorValue;
	tieBreaker: CursorValue;
}

export interface NewRowsCursor {
	version: number;
	/** Identity of the watched rows and columns. A cursor with another identity starts over. */
	source: string;
	/** Absent when the next poll reads from the first row (an empty table, or Include Existing Rows). */
	position?: CursorPosition;
}

export interface NewRowsColumns {
	watermark: string;
	tieBreaker: string;
}

export interface Statement {
	statement: string;
	bindings: string[];
}

// Trino types a watermark can be ordered and cast by: a name, optional (p) or (p, s),
// optional time zone clause. Anything else (array, map, row, a crafted string) is refused,
// because the type is written into the SQL.
const ORDERABLE_TYPE =
	/^(tinyint|smallint|integer|int|bigint|real|double|decimal|numeric|varchar|char|date|time|timestamp|uuid)(\s*\(\s*\d{1,3}\s*(,\s*\d{1,3}\s*)?\))?(\s+with(out)?\s+time\s+zone)?$/i;

export class CursorColumnError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
	}
}

/** Quotes a SQL identifier, doubling any quote inside it. */
export function quoteIdentifier(name: string): string {
	return `"${name.replace(/"/g, '""')}"`;
}

/** `"catalog"."schema"."table"`, each part quoted. */
export function qualifiedTable(catalogName: string, schemaName: string, tableName: string): string {
	return [catalogName, schemaName, tableName].map(quoteIdentifier).join('.');
}

/** Checks that a column's Trino type can order a cursor and be written into a CAST. */
export function castableType(column: string, dataType: string | undefined): string {
	const type = (dataType ?? '').trim();
	if (!ORDERABLE_TYPE.test(type)) {
		throw new CursorColumnError(
			`Column '${column}' has type '${type || 'unknown'}', which cannot order new rows`,
			'Pick a watermark and a tie-breaker column of a number, text, date, time or timestamp type.',
		);
	}
	return type.toLowerCase().replace(/\s+/g, ' ');
}

/**
 * Builds the query for the newest rows by (watermark, tie-breaker). With `allColumns` false it reads only the two
 * cursor columns of the newest row: where a cursor starts when it starts from now.
 */
export function latestRowsQuery(from: string, columns: NewRowsColumns, limit = 1, allColumns = false): Statement {
	const w = quoteIdentifier(columns.watermark);
	const t = quoteIdentifier(columns.tieBreaker);
	const selected = allColumns ? '*' : `${w}, ${t}`;
	return {
		statement: `SELECT ${selected} FROM ${from} WHERE ${w} IS NOT NULL AND ${t} IS NOT NULL ORDER BY ${w} DESC, ${t} DESC LIMIT ${Math.trunc(limit)}`,
		bindings: [],
	};
}

/** Builds the query for the rows after the cursor (all rows when there is none), oldest first, at most `limit`. */
export function newRowsQuery(
	from: string,
	columns: NewRowsColumns,
	position: CursorPosition | undefined,
	limit: number,
): Statement {
	const w = quoteIdentifier(columns.watermark);
	const t = quoteIdentifier(columns.tieBreaker);
	const order = `ORDER BY ${w}, ${t} LIMIT ${Math.trunc(limit)}`;
	if (position === undefined) {
		return {
			statement: `SELECT * FROM ${from} WHERE ${w} IS NOT NULL AND ${t} IS NOT NULL ${order}`,
			bindings: [],
		};
	}
	const wCast = `CAST(? AS ${position.watermark.type})`;
	const tCast = `CAST(? AS ${position.tieBreaker.type})`;
	return {
		statement: `SELECT * FROM ${from} WHERE (${w} > ${wCast}) OR (${w} = ${wCast} AND ${t} > ${tCast}) ${order}`,
		bindings: [position.watermark.value, position.watermark.value, position.tieBreaker.value],
	};
}

/** Whether stored static data is a cursor this version wrote, for the given source. */
export function isCursorFor(value: unknown, source: string): value is NewRowsCursor {
	if (value === null || typeof value !== 'object') return false;
	const cursor = value as Partial<NewRowsCursor>;
	const isPosition = (position: unknown) =>
		position !== null &&
		typeof position === 'object' &&
		typeof (position as CursorValue).value === 'string' &&
		typeof (position as CursorValue).type === 'string' &&
		ORDERABLE_TYPE.test((position as CursorValue).type);
	if (cursor.version !== CURSOR_VERSION || cursor.source !== source) return false;
	if (cursor.position === undefined) return true;
	const position = cursor.position as Partial<CursorPosition> | null;
	return position !== null && typeof position === 'object' && isPosition(position.watermark) && isPosition(position.tieBreaker);
}

/**
 * Reads the watermark and tie-breaker of each row as Peaka's text, with their types, from a
 * CELL_TYPED response. Fails when a column is missing from the result.
 */
export function cursorPositions(response: ExecuteResponse, columns: NewRowsColumns): CursorPosition[] {
	const rows = Array.isArray(response.data) ? response.data : [];
	if (rows.length === 0) return [];
	const first = rows[0];
	const find = (name: string, role: string) => {
		const index = Array.isArray(first) ? first.findIndex((cell) => (cell as TypedCell)?.name === name) : -1;
		if (index === -1) {
			throw new CursorColumnError(
				`The ${role} column '${name}' is not in the result`,
				`Check the column name: it must be a column of the table or saved query, spelled as the result names it (names are case-sensitive once quoted).`,
			);
		}
		const type = castableType(name, (first as TypedCell[])[index].dataType);
		return { index, type };
	};
	const w = find(columns.watermark, 'watermark');
	const t = find(columns.tieBreaker, 'tie-breaker');
	return rows.map((row) => {
		const cells = row as TypedCell[];
		return {
			watermark: { value: cellText(cells[w.index]), type: w.type },
			tieBreaker: { value: cellText(cells[t.index]), type: t.type },
		};
	});
}

function cellText(cell: TypedCell | undefined): string {
	const value = cell?.value;
	if (value === null || value === undefined) return '';
	// The transport keeps numbers a double would change as text, so String() adds no error.
	return typeof value === 'string' ? value : String(value);
}

/** A plain JSON copy for static data, which n8n stores as JSON. */
export function cursorToStaticData(source: string, position: CursorPosition | undefined): IDataObject {
	const cursor: IDataObject = { version: CURSOR_VERSION, source };
	if (position !== undefined) {
		cursor.position = {
			watermark: { ...position.watermark },
			tieBreaker: { ...position.tieBreaker },
		};
	}
	return cursor;
}
