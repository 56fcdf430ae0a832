/**
 * The column types of Peaka's internal tables and how an item value is written as CSV text for
 * each. Peaka's import checks values itself, but all-or-nothing per file and without naming the
 * item, so Insert Rows checks them first with the same rules.
 */

/** The types Add Column accepts. Peaka's prose mentions JSON, but live Peaka rejected it with 400. */
export const COLUMN_TYPES = ['VARCHAR', 'BIGINT', 'BOOLEAN', 'DECIMAL', 'TIMESTAMP', 'TIME', 'DATE', 'UUID'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** Peaka Tables store DECIMAL with 10 fractional digits (12.50 reads back as 12.5000000000). */
export const DECIMAL_SCALE = 10;
/** Digits before the point that DECIMAL(38,10) holds. */
export const DECIMAL_INTEGER_DIGITS = 28;

// BigInt() rather than literals: the package is compiled for ES2019.
const BIGINT_MIN = BigInt('-9223372036854775808');
const BIGINT_MAX = BigInt('9223372036854775807');
const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(\.\d{1,9})?)?$/;
const TIMESTAMP_PATTERN = /^(\d{4}-\d{2}-\d{2})[ T]([0-9:.]+)$/;
const ZONE_SUFFIX = /(Z|[+-]\d{2}:?\d{2})$/i;

/** Maps the lower-case type names Peaka's column listings return (`bigint`, `decimal(38,10)`) to a ColumnType. */
export function columnTypeOf(dataType: unknown): ColumnType | undefined {
	const name = String(dataType ?? '').trim().toUpperCase();
	const base = name.replace(/\(.*$/, '').trim();
	if (base === 'CHARACTER VARYING' || base === 'TEXT' || base === 'STRING') return 'VARCHAR';
	if (base.startsWith('TIMESTAMP')) return 'TIMESTAMP';
	if (base.startsWith('TIME')) return 'TIME';
	return (COLUMN_TYPES as readonly string[]).includes(base) ? (base as ColumnType) : undefined;
}

export type EncodedValue = { ok: true; text: string | null; emptyText: boolean } | { ok: false; reason: string };

function isValidDate(text: string): boolean {
	const match = DATE_PATTERN.exec(text);
	if (!match) return false;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const date = new Date(Date.UTC(year, month - 1, day));
	return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Writes a JS number as plain decimal digits, never in E notation. */
export function plainDecimal(value: number): string {
	const text = String(value);
	if (!/e/i.test(text)) return text;
	const [mantissa, exponentText] = text.toLowerCase().split('e');
	const exponent = Number(exponentText);
	const negative = mantissa.startsWith('-');
	const [whole, fraction = ''] = mantissa.replace('-', '').split('.');
	const digits = whole + fraction;
	const pointAt = whole.length + exponent;
	let result: string;
	if (pointAt <= 0) result = `0.${'0'.repeat(-pointAt)}${digits}`;
	else if (pointAt >= digits.length) result = digits + '0'.repeat(pointAt - digits.length);
	else result = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
	return (negative ? '-' : '') + result;
}

function checkDecimal(text: string): string | undefined {
	const match = /^[+-]?(\d*)(?:\.(\d*))?$/.exec(text);
	if (!match || (match[1] === '' && (match[2] ?? '') === '')) return 'is not a decimal number';
	const integerDigits = match[1].replace(/^0+(?=\d)/, '');
	if (integerDigits.length > DECIMAL_INTEGER_DIGITS) return `has more than ${DECIMAL_INTEGER_DIGITS} digits before the point`;
	if ((match[2] ?? '').length > DECIMAL_SCALE) return `has more than ${DECIMAL_SCALE} digits after the point, which Peaka would not keep`;
	return undefined;
}

function checkTimestamp(text: string): string | undefined {
	if (ZONE_SUFFIX.test(text) && text.length > 10) {
		return 'has a time zone offset, but a TIMESTAMP column stores none: convert it first, e.g. to UTC without the offset';
	}
	const match = TIMESTAMP_PATTERN.exec(text);
	if (!match || !isValidDate(match[1]) || !TIME_PATTERN.test(match[2])) {
		return "is not a timestamp of the form 'YYYY-MM-DD HH:MM:SS'";
	}
	return undefined;
}

function textOf(value: unknown): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return plainDecimal(value);
	if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	return JSON.stringify(value);
}

/**
 * Encodes one item value for a column of `type` as CSV field text. null and undefined become an
 * empty field, which Peaka stores as NULL; so does '' because Peaka's import cannot tell it from
 * NULL, which `emptyText` reports.
 */
export function encodeValue(value: unknown, type: ColumnType): EncodedValue {
	if (value === null || value === undefined) return { ok: true, text: null, emptyText: false };
	if (value === '') return { ok: true, text: null, emptyText: true };

	if (type === 'VARCHAR') return { ok: true, text: textOf(value), emptyText: false };
	if (typeof value === 'object') return { ok: false, reason: `is ${Array.isArray(value) ? 'an array' : 'an object'}, not a single ${type} value` };

	const text = textOf(value).trim();
	let reason: string | undefined;
	switch (type) {
		case 'BIGINT': {
			if (typeof value === 'number' && !Number.isSafeInteger(value)) {
				reason = Number.isInteger(value) ? 'is past 2^53 as a JS number, so its digits are not exact: pass it as text' : 'is not a whole number';
			} else if (!/^[+-]?\d+$/.test(text)) reason = 'is not a whole number';
			else if (BigInt(text) < BIGINT_MIN || BigInt(text) > BIGINT_MAX) reason = 'is outside the BIGINT range';
			break;
		}
		case 'BOOLEAN':
			if (!/^(true|false)$/i.test(text)) reason = 'is not true or false';
			break;
		case 'DECIMAL':
			reason = typeof value === 'number' && !Number.isFinite(value) ? 'is not a finite number' : checkDecimal(text);
			break;
		case 'DATE':
			if (!isValidDate(text)) reason = "is not a date of the form 'YYYY-MM-DD'";
			break;
		case 'TIME':
			if (!TIME_PATTERN.test(text)) reason = "is not a time of the form 'HH:MM:SS'";
			break;
		case 'TIMESTAMP':
			reason = checkTimestamp(text);
			break;
		case 'UUID':
			if (!UUID_PATTERN.test(text)) reason = 'is not a UUID';
			break;
	}
	if (reason !== undefined) return { ok: false, reason };
	if (type === 'BOOLEAN') return { ok: true, text: text.toLowerCase(), emptyText: false };
	if (type === 'TIMESTAMP') return { ok: true, text: text.replace('T', ' '), emptyText: false };
	return { ok: true, text, emptyText: false };
}

/**
 * Picks a column type for a new column from the items' values for it: BIGINT for whole numbers,
 * DECIMAL for other numbers, BOOLEAN for booleans, and VARCHAR otherwise. Text is not guessed to
 * be a date or UUID, because one odd value would then fail the whole load.
 */
export function inferColumnType(values: unknown[]): ColumnType {
	const present = values.filter((value) => value !== null && value !== undefined && value !== '');
	if (present.length === 0) return 'VARCHAR';
	if (present.every((value) => typeof value === 'boolean')) return 'BOOLEAN';
	if (present.every((value) => typeof value === 'number' && Number.isSafeInteger(value))) return 'BIGINT';
	if (present.every((value) => typeof value === 'number' && Number.isFinite(value))) return 'DECIMAL';
	return 'VARCHAR';
}
