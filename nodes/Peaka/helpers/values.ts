import { numberFromToken, parseJsonLossless } from './lossless-json';

/**
 * One rule per Trino type for turning a Peaka cell into an item value.
 *
 * Peaka's REST formats send cell values as strings (the spec types CELL_TYPED `value` as
 * a string, and live Peaka sent strings in SIMPLE too), so the column's Trino type decides
 * what the item holds. The same rules apply whatever shape a value arrives in, so a
 * server that sends booleans or numbers unquoted gives the same items.
 */

export type LargeNumbersAs = 'text' | 'number';

export interface ValueOptions {
	largeNumbersAs: LargeNumbersAs;
}

export type ColumnKind =
	| 'boolean'
	| 'integer'
	| 'bigint'
	| 'float'
	| 'decimal'
	| 'text'
	| 'temporal'
	| 'json'
	| 'structure'
	| 'binary';

/**
 * Marks a value that Large Numbers As: Number cannot convert without losing digits. It is
 * returned rather than thrown so the row loop can name the column without a try/catch
 * per cell.
 */
export class UnsafeNumber {
	constructor(
		readonly value: string,
		readonly dataType: string,
	) {}
}

const KIND_BY_BASE_TYPE: Record<string, ColumnKind> = {
	boolean: 'boolean',
	tinyint: 'integer',
	smallint: 'integer',
	integer: 'integer',
	int: 'integer',
	bigint: 'bigint',
	real: 'float',
	double: 'float',
	float: 'float',
	decimal: 'decimal',
	numeric: 'decimal',
	varchar: 'text',
	char: 'text',
	uuid: 'text',
	ipaddress: 'text',
	date: 'temporal',
	time: 'temporal',
	timestamp: 'temporal',
	interval: 'temporal',
	json: 'json',
	array: 'structure',
	map: 'structure',
	row: 'structure',
	varbinary: 'binary',
};

/** Classifies a Trino type name such as `decimal(38,10)` or `timestamp(6) with time zone`. */
export function columnKind(dataType: string | undefined | null): ColumnKind {
	if (!dataType) return 'text';
	const base = /^[a-z]+/.exec(dataType.trim().toLowerCase());
	return (base && KIND_BY_BASE_TYPE[base[0]]) || 'text';
}

/** Converts one cell to its item value by the column's kind. */
export function convertValue(
	raw: unknown,
	kind: ColumnKind,
	dataType: string,
	options: ValueOptions,
): unknown {
	if (raw === null || raw === undefined) return null;

	switch (kind) {
		case 'boolean':
			return toBoolean(raw);
		case 'integer':
			return typeof raw === 'number' ? raw : Number(raw);
		case 'bigint':
			return options.largeNumbersAs === 'number'
				? exactNumber(String(raw), dataType)
				: String(raw);
		case 'float':
			return toFloat(raw);
		case 'decimal':
			return options.largeNumbersAs === 'number'
				? exactNumber(String(raw), dataType)
				: String(raw);
		case 'json':
			return typeof raw === 'string' ? parseJsonLossless(raw) : raw;
		case 'structure':
			return typeof raw === 'string' ? parseStructure(raw) : raw;
		default:
			return typeof raw === 'string' ? raw : JSON.stringify(raw);
	}
}

function toBoolean(raw: unknown): boolean | unknown {
	if (typeof raw === 'boolean') return raw;
	const text = String(raw).toLowerCase();
	if (text === 'true') return true;
	if (text === 'false') return false;
	return raw;
}

function toFloat(raw: unknown): number | string {
	if (typeof raw === 'number') return raw;
	const text = String(raw);
	// JSON has no NaN or Infinity, so they stay as text to survive serialisation.
	if (/^[+-]?(NaN|Infinity)$/i.test(text)) return text;
	const value = Number(text);
	return Number.isNaN(value) ? text : value;
}

function exactNumber(text: string, dataType: string): number | UnsafeNumber {
	const trimmed = text.trim();
	if (!/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(trimmed)) {
		return new UnsafeNumber(text, dataType);
	}
	const normalized = trimmed.includes('.') ? trimmed.replace(/0+$/, '').replace(/\.$/, '') : trimmed;
	const converted = numberFromToken(normalized);
	return typeof converted === 'string' ? new UnsafeNumber(text, dataType) : converted;
}

// Peaka renders arrays, maps and rows as text. When that text is JSON, the item gets the
// structure; otherwise (Trino's own `{a=1}` rendering, say) the text is kept unchanged.
function parseStructure(text: string): unknown {
	const first = text.trimStart()[0];
	if (first !== '[' && first !== '{') return text;
	try {
		return parseJsonLossless(text);
	} catch {
		return text;
	}
}
