'use strict';

/**
 * DuckDB values and types as Peaka's Trino engine shows them: every non-NULL cell as text, and
 * each column's type as a Trino type name.
 *
 * Live Peaka sent numbers, booleans and aggregates as JSON strings, doubles in Java's
 * `Double.toString` form ("1.254740786E7") and decimals with their full scale ("12.5000000000").
 * The text rules below follow Trino running on a current JDK.
 */

const { DuckDBTypeId } = require('@duckdb/node-api');

// Hot paths below call these through module bindings rather than the globals: under jest's vm
// sandbox each global lookup (Math, String, Number) costs several times more, and a 3-million-row
// result makes tens of millions of calls.
const { floor, abs } = Math;
const toNumber = Number;
const { isSafeInteger } = Number;

/** '00' to '99', so that two-digit fields need no padding call. */
const TWO_DIGITS = Array.from({ length: 100 }, (_, number) => (number < 10 ? `0${number}` : `${number}`));

const MICROS_PER_SECOND = 1_000_000;
const MICROS_PER_DAY = 86_400_000_000;
const MICROS_PER_DAY_BIG = 86_400_000_000n;

/** Java prints a double or float in plain notation only inside [10^-3, 10^7). */
const JAVA_PLAIN_MIN = 1e-3;
const JAVA_PLAIN_MAX = 1e7;
/** A float needs at most 9 significant digits to be read back exactly. */
const FLOAT_MAX_DIGITS = 9;

/** Trino's largest decimal precision; wider DuckDB integers are named decimal(38,0). */
const TRINO_MAX_DECIMAL_PRECISION = 38;

// ---------------------------------------------------------------------------------------------
// Numbers

/** Renders a double like Java's Double.toString: 669.74, 1.0, 1.254740786E7, 1.0E-4, NaN. */
function formatDouble(value) {
	if (Number.isNaN(value)) return 'NaN';
	if (value === Infinity) return 'Infinity';
	if (value === -Infinity) return '-Infinity';
	if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';

	const magnitude = abs(value);
	if (magnitude >= JAVA_PLAIN_MIN && magnitude < JAVA_PLAIN_MAX) {
		// JavaScript prints this range in plain notation with the same shortest digits as Java.
		const text = `${value}`;
		return text.includes('.') ? text : `${text}.0`;
	}

	// toExponential() without an argument keeps as many digits as needed to read the value back.
	const [mantissa, exponent] = value.toExponential().split('e');
	const javaMantissa = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
	const javaExponent = exponent.startsWith('+') ? exponent.slice(1) : exponent;
	return `${javaMantissa}E${javaExponent}`;
}

/** Renders a 32-bit float like Java's Float.toString: the shortest digits that read back as the same float. */
function formatReal(value) {
	if (!Number.isFinite(value) || value === 0) return formatDouble(value);
	for (let digits = 1; digits <= FLOAT_MAX_DIGITS; digits++) {
		const candidate = Number(value.toPrecision(digits));
		if (Math.fround(candidate) === value) return formatDouble(candidate);
	}
	return formatDouble(value);
}

/**
 * Renders a decimal from its unscaled integer, keeping exactly `scale` fractional digits.
 * @param {bigint} unscaled
 * @param {number} scale
 */
function formatDecimal(unscaled, scale) {
	const negative = unscaled < 0n;
	let digits = (negative ? -unscaled : unscaled).toString();
	if (scale === 0) return negative ? `-${digits}` : digits;
	digits = digits.padStart(scale + 1, '0');
	const text = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
	return negative ? `-${text}` : text;
}

// ---------------------------------------------------------------------------------------------
// Dates and times (always UTC: the emulator's session time zone)

function pad2(number) {
	return number < 100 ? TWO_DIGITS[number] : `${number}`;
}

/** Converts days since 1970-01-01 to the proleptic Gregorian calendar (Howard Hinnant's civil_from_days). */
function civilFromDays(days) {
	const shifted = days + 719468;
	const era = floor(shifted / 146097);
	const dayOfEra = shifted - era * 146097;
	const yearOfEra = floor(
		(dayOfEra - floor(dayOfEra / 1460) + floor(dayOfEra / 36524) - floor(dayOfEra / 146096)) / 365,
	);
	const dayOfYear = dayOfEra - (365 * yearOfEra + floor(yearOfEra / 4) - floor(yearOfEra / 100));
	const monthIndex = floor((5 * dayOfYear + 2) / 153);
	const day = dayOfYear - floor((153 * monthIndex + 2) / 5) + 1;
	const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
	const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
	return { year, month, day };
}

function formatYear(year) {
	if (year >= 1000 && year <= 9999) return `${year}`;
	if (year < 0) return `-${`${-year}`.padStart(4, '0')}`;
	return `${year}`.padStart(4, '0');
}

/** Renders days since the epoch as YYYY-MM-DD. */
function formatDate(days) {
	const { year, month, day } = civilFromDays(days);
	return `${formatYear(year)}-${pad2(month)}-${pad2(day)}`;
}

/**
 * Renders a time of day given in microseconds as HH:MM:SS with `precision` fractional digits
 * (0, 3, 6 or 9; 9 pads the microseconds with zeros).
 */
function formatTimeOfDay(microsOfDay, precision) {
	const seconds = floor(microsOfDay / MICROS_PER_SECOND);
	const micros = microsOfDay - seconds * MICROS_PER_SECOND;
	const hours = floor(seconds / 3600);
	const minutes = floor((seconds % 3600) / 60);
	const text = `${pad2(hours)}:${pad2(minutes)}:${pad2(seconds % 60)}`;
	if (precision === 0) return text;
	const fraction = `${MICROS_PER_SECOND + micros}`.slice(1);
	if (precision === 3) return `${text}.${fraction.slice(0, 3)}`;
	if (precision === 9) return `${text}.${fraction}000`;
	return `${text}.${fraction}`;
}

/**
 * Renders a timestamp given in microseconds since the epoch as "YYYY-MM-DD HH:MM:SS.ffffff".
 * @param {bigint} micros
 * @param {number} precision fractional digits: 0, 3, 6 or 9
 */
function formatTimestampMicros(micros, precision) {
	const { days, microsOfDay } = splitMicros(micros);
	return `${formatDate(days)} ${formatTimeOfDay(microsOfDay, precision)}`;
}

/** Splits microseconds since the epoch into whole days and the microseconds into the day. */
function splitMicros(micros) {
	const asNumber = toNumber(micros);
	if (isSafeInteger(asNumber)) {
		const days = floor(asNumber / MICROS_PER_DAY);
		return { days, microsOfDay: asNumber - days * MICROS_PER_DAY };
	}
	let bigDays = micros / MICROS_PER_DAY_BIG;
	let rest = micros - bigDays * MICROS_PER_DAY_BIG;
	if (rest < 0n) {
		bigDays -= 1n;
		rest += MICROS_PER_DAY_BIG;
	}
	return { days: toNumber(bigDays), microsOfDay: toNumber(rest) };
}

/**
 * Builds a timestamp renderer that keeps the last date's text, because real data repeats dates
 * (3 million flights fall on 365 days).
 */
function createTimestampRenderer(precision, suffix) {
	let lastDays = NaN;
	let lastDate = '';
	return (micros) => {
		const { days, microsOfDay } = splitMicros(micros);
		if (days !== lastDays) {
			lastDays = days;
			lastDate = formatDate(days);
		}
		return `${lastDate} ${formatTimeOfDay(microsOfDay, precision)}${suffix}`;
	};
}

/** Renders a nanosecond timestamp with all nine fractional digits. */
function formatTimestampNanos(nanos) {
	let micros = nanos / 1000n;
	let nanosPart = nanos - micros * 1000n;
	if (nanosPart < 0n) {
		micros -= 1n;
		nanosPart += 1000n;
	}
	return `${formatTimestampMicros(micros, 6)}${String(nanosPart).padStart(3, '0')}`;
}

/** Renders a UTC offset in seconds as +HH:MM. */
function formatOffset(offsetSeconds) {
	const sign = offsetSeconds < 0 ? '-' : '+';
	const magnitude = abs(offsetSeconds);
	return `${sign}${pad2(floor(magnitude / 3600))}:${pad2(floor((magnitude % 3600) / 60))}`;
}

/**
 * Renders an interval the way Trino renders its two interval types: "Y-M" for a pure
 * year-to-month interval, otherwise "D HH:MM:SS.mmm" (day to second).
 */
function formatInterval(interval) {
	const { months, days, micros } = interval;
	if (months !== 0 && days === 0 && micros === 0n) {
		const sign = months < 0 ? '-' : '';
		const magnitude = abs(months);
		return `${sign}${floor(magnitude / 12)}-${magnitude % 12}`;
	}
	// NOTE: DuckDB intervals can mix months with days; Trino has no such type, so months are
	// counted as 30 days here.
	const totalMicros = BigInt(months) * 30n * MICROS_PER_DAY_BIG + BigInt(days) * MICROS_PER_DAY_BIG + micros;
	const negative = totalMicros < 0n;
	const magnitude = negative ? -totalMicros : totalMicros;
	const wholeDays = magnitude / MICROS_PER_DAY_BIG;
	const rest = Number(magnitude - wholeDays * MICROS_PER_DAY_BIG);
	const millis = floor((rest % MICROS_PER_SECOND) / 1000);
	const seconds = floor(rest / MICROS_PER_SECOND);
	const clock = `${pad2(floor(seconds / 3600))}:${pad2(floor((seconds % 3600) / 60))}:${pad2(seconds % 60)}`;
	return `${negative ? '-' : ''}${wholeDays} ${clock}.${String(millis).padStart(3, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Types

function quoteRowFieldName(name) {
	return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/**
 * Names a DuckDB column type as Trino would name the column's type.
 * @param {import('@duckdb/node-api').DuckDBType} type
 * @returns {string}
 */
function trinoTypeName(type) {
	switch (type.typeId) {
		case DuckDBTypeId.BOOLEAN: return 'boolean';
		case DuckDBTypeId.TINYINT: return 'tinyint';
		case DuckDBTypeId.SMALLINT: return 'smallint';
		case DuckDBTypeId.UTINYINT: return 'smallint';
		case DuckDBTypeId.INTEGER: return 'integer';
		case DuckDBTypeId.USMALLINT: return 'integer';
		case DuckDBTypeId.BIGINT: return 'bigint';
		case DuckDBTypeId.UINTEGER: return 'bigint';
		// DuckDB widens sum(bigint) to HUGEINT where Trino keeps bigint.
		case DuckDBTypeId.HUGEINT: return 'bigint';
		case DuckDBTypeId.UBIGINT: return 'decimal(20,0)';
		case DuckDBTypeId.UHUGEINT: return `decimal(${TRINO_MAX_DECIMAL_PRECISION},0)`;
		case DuckDBTypeId.BIGNUM: return `decimal(${TRINO_MAX_DECIMAL_PRECISION},0)`;
		case DuckDBTypeId.FLOAT: return 'real';
		case DuckDBTypeId.DOUBLE: return 'double';
		case DuckDBTypeId.DECIMAL: return `decimal(${type.width},${type.scale})`;
		case DuckDBTypeId.VARCHAR: return type.alias === 'JSON' ? 'json' : 'varchar';
		case DuckDBTypeId.ENUM: return 'varchar';
		case DuckDBTypeId.BLOB: return 'varbinary';
		case DuckDBTypeId.UUID: return 'uuid';
		case DuckDBTypeId.DATE: return 'date';
		case DuckDBTypeId.TIME: return 'time(6)';
		case DuckDBTypeId.TIME_NS: return 'time(9)';
		case DuckDBTypeId.TIME_TZ: return 'time(6) with time zone';
		case DuckDBTypeId.TIMESTAMP: return 'timestamp(6)';
		case DuckDBTypeId.TIMESTAMP_S: return 'timestamp(0)';
		case DuckDBTypeId.TIMESTAMP_MS: return 'timestamp(3)';
		case DuckDBTypeId.TIMESTAMP_NS: return 'timestamp(9)';
		case DuckDBTypeId.TIMESTAMP_TZ: return 'timestamp(6) with time zone';
		case DuckDBTypeId.INTERVAL: return 'interval day to second';
		case DuckDBTypeId.LIST:
		case DuckDBTypeId.ARRAY:
			return `array(${trinoTypeName(type.valueType)})`;
		case DuckDBTypeId.MAP:
			return `map(${trinoTypeName(type.keyType)}, ${trinoTypeName(type.valueType)})`;
		case DuckDBTypeId.STRUCT:
			return `row(${type.entryNames
				.map((name, index) => `${quoteRowFieldName(name)} ${trinoTypeName(type.entryTypes[index])}`)
				.join(', ')})`;
		// Trino types a bare NULL literal as `unknown`.
		case DuckDBTypeId.SQLNULL: return 'unknown';
		default: return 'varchar';
	}
}

// ---------------------------------------------------------------------------------------------
// Values

/**
 * Builds the function that renders one column's values as Peaka text (NULL stays null).
 * Built once per column so that the per-cell work is one call.
 * @param {import('@duckdb/node-api').DuckDBType} type
 * @returns {(value: unknown) => string|null}
 */
function createTextRenderer(type) {
	const render = createNonNullTextRenderer(type);
	return (value) => (value === null || value === undefined ? null : render(value));
}

function createNonNullTextRenderer(type) {
	switch (type.typeId) {
		case DuckDBTypeId.BOOLEAN:
			return (value) => (value ? 'true' : 'false');
		case DuckDBTypeId.TINYINT:
		case DuckDBTypeId.SMALLINT:
		case DuckDBTypeId.INTEGER:
		case DuckDBTypeId.BIGINT:
		case DuckDBTypeId.HUGEINT:
		case DuckDBTypeId.UTINYINT:
		case DuckDBTypeId.USMALLINT:
		case DuckDBTypeId.UINTEGER:
		case DuckDBTypeId.UBIGINT:
		case DuckDBTypeId.UHUGEINT:
		case DuckDBTypeId.BIGNUM:
			// BIGINT and wider arrive as bigint, so the digits are exact.
			return (value) => `${value}`;
		case DuckDBTypeId.FLOAT:
			return formatReal;
		case DuckDBTypeId.DOUBLE:
			return formatDouble;
		case DuckDBTypeId.DECIMAL:
			return (value) => formatDecimal(value.value, value.scale);
		case DuckDBTypeId.VARCHAR:
		case DuckDBTypeId.ENUM:
			return (value) => value;
		case DuckDBTypeId.BLOB:
			return (value) => Buffer.from(value.bytes).toString('base64');
		case DuckDBTypeId.UUID:
			return (value) => value.toString();
		case DuckDBTypeId.DATE:
			return createDateRenderer();
		case DuckDBTypeId.TIME:
			return (value) => formatTimeOfDay(toNumber(value.micros), 6);
		case DuckDBTypeId.TIME_NS:
			return (value) => {
				const micros = Number(value.nanos / 1000n);
				return `${formatTimeOfDay(micros, 6)}${String(Number(value.nanos % 1000n)).padStart(3, '0')}`;
			};
		case DuckDBTypeId.TIME_TZ:
			return (value) => `${formatTimeOfDay(Number(value.micros), 6)}${formatOffset(value.offset)}`;
		case DuckDBTypeId.TIMESTAMP: {
			const render = createTimestampRenderer(6, '');
			return (value) => render(value.micros);
		}
		case DuckDBTypeId.TIMESTAMP_S: {
			const render = createTimestampRenderer(0, '');
			return (value) => render(value.seconds * 1_000_000n);
		}
		case DuckDBTypeId.TIMESTAMP_MS: {
			const render = createTimestampRenderer(3, '');
			return (value) => render(value.millis * 1000n);
		}
		case DuckDBTypeId.TIMESTAMP_NS:
			return (value) => formatTimestampNanos(value.nanos);
		case DuckDBTypeId.TIMESTAMP_TZ: {
			// The session zone is UTC, so the instant is printed in UTC and named so.
			const render = createTimestampRenderer(6, ' UTC');
			return (value) => render(value.micros);
		}
		case DuckDBTypeId.INTERVAL:
			return formatInterval;
		case DuckDBTypeId.LIST:
		case DuckDBTypeId.ARRAY:
		case DuckDBTypeId.MAP:
		case DuckDBTypeId.STRUCT:
			return createJsonRenderer(type);
		case DuckDBTypeId.UNION:
			return (value) => (value.value === null ? '' : String(value.value));
		default:
			return (value) => String(value);
	}
}

/** Dates repeat a lot in real data (3 million flights over one year), so the last one is kept. */
function createDateRenderer() {
	let lastDays = NaN;
	let lastText = '';
	return (value) => {
		if (value.days !== lastDays) {
			lastDays = value.days;
			lastText = formatDate(value.days);
		}
		return lastText;
	};
}

/**
 * Builds the renderer for a value nested in an array, map or row, as a JSON fragment. Integers
 * stay JSON numbers with all their digits (so a reader must not parse them as doubles when they
 * pass 2^53), decimals and non-finite doubles become JSON strings, as in Trino's client protocol.
 */
function createJsonFragmentRenderer(type) {
	const nonNull = createNonNullJsonFragmentRenderer(type);
	return (value) => (value === null || value === undefined ? 'null' : nonNull(value));
}

function createNonNullJsonFragmentRenderer(type) {
	switch (type.typeId) {
		case DuckDBTypeId.BOOLEAN:
			return (value) => (value ? 'true' : 'false');
		case DuckDBTypeId.TINYINT:
		case DuckDBTypeId.SMALLINT:
		case DuckDBTypeId.INTEGER:
		case DuckDBTypeId.BIGINT:
		case DuckDBTypeId.HUGEINT:
		case DuckDBTypeId.UTINYINT:
		case DuckDBTypeId.USMALLINT:
		case DuckDBTypeId.UINTEGER:
		case DuckDBTypeId.UBIGINT:
		case DuckDBTypeId.UHUGEINT:
			return (value) => String(value);
		case DuckDBTypeId.FLOAT:
		case DuckDBTypeId.DOUBLE: {
			const format = type.typeId === DuckDBTypeId.FLOAT ? formatReal : formatDouble;
			return (value) => (Number.isFinite(value) ? format(value) : JSON.stringify(format(value)));
		}
		case DuckDBTypeId.LIST:
		case DuckDBTypeId.ARRAY:
		case DuckDBTypeId.MAP:
		case DuckDBTypeId.STRUCT:
			return createJsonRenderer(type);
		default: {
			const text = createNonNullTextRenderer(type);
			return (value) => JSON.stringify(text(value));
		}
	}
}

/** Renders an array as a JSON array, a map as a JSON object and a row as a JSON object keyed by field name. */
function createJsonRenderer(type) {
	switch (type.typeId) {
		case DuckDBTypeId.LIST:
		case DuckDBTypeId.ARRAY: {
			const item = createJsonFragmentRenderer(type.valueType);
			return (value) => `[${value.items.map(item).join(',')}]`;
		}
		case DuckDBTypeId.MAP: {
			const key = createTextRenderer(type.keyType);
			const item = createJsonFragmentRenderer(type.valueType);
			return (value) => `{${value.entries
				.map((entry) => `${JSON.stringify(String(key(entry.key)))}:${item(entry.value)}`)
				.join(',')}}`;
		}
		case DuckDBTypeId.STRUCT: {
			const fields = type.entryNames.map((name, index) => ({
				key: JSON.stringify(name),
				name,
				render: createJsonFragmentRenderer(type.entryTypes[index]),
			}));
			return (value) => `{${fields
				.map((field) => `${field.key}:${field.render(value.entries[field.name])}`)
				.join(',')}}`;
		}
		default:
			throw new TypeError(`Type ${type.toString()} is not an array, map or row.`);
	}
}

module.exports = {
	formatDouble,
	formatReal,
	formatDecimal,
	formatDate,
	formatTimeOfDay,
	formatTimestampMicros,
	formatInterval,
	trinoTypeName,
	createTextRenderer,
};
