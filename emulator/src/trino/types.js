'use strict';

/**
 * Trino's column types and values as its client protocol sends them, built from the Trino type
 * names and the Peaka text that the engine renders (emulator/src/engine/values.js).
 *
 * On the wire Trino writes BOOLEAN as a JSON boolean and TINYINT to BIGINT as bare JSON numbers,
 * BIGINT past 2^53 included. REAL and DOUBLE are JSON numbers, except NaN and the infinities,
 * which are strings. DECIMAL is a string, and JSON a string containing the JSON text. ARRAY and
 * MAP are JSON arrays and objects, and ROW a JSON array of its field values in order. Every other
 * type (varchar, char, date, time, timestamp, uuid, interval, varbinary as base64) is a string.
 */

/** Trino's VARCHAR without a length reports this length in its type signature. */
const UNBOUNDED_VARCHAR_LENGTH = 2147483647;

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'integer', 'bigint']);
const FLOAT_TYPES = new Set(['real', 'double']);

/**
 * Parses a Trino type name such as `decimal(38,10)`, `array(row(x integer, "a b" varchar))` or
 * `timestamp(6) with time zone` into `{ rawType, numbers, types, fields }`.
 */
function parseTypeName(text) {
	const parser = { text, position: 0 };
	const type = readType(parser);
	skipSpaces(parser);
	if (parser.position !== text.length) throw new TypeError(`Cannot read the Trino type '${text}' past position ${parser.position}.`);
	return type;
}

function skipSpaces(parser) {
	while (parser.text[parser.position] === ' ') parser.position++;
}

function readWord(parser) {
	skipSpaces(parser);
	const match = /^[a-z_][a-z0-9_]*/i.exec(parser.text.slice(parser.position));
	if (!match) return '';
	parser.position += match[0].length;
	return match[0];
}

function readFieldName(parser) {
	skipSpaces(parser);
	if (parser.text[parser.position] !== '"') return readWord(parser);
	let name = '';
	parser.position++;
	for (;;) {
		const char = parser.text[parser.position++];
		if (char === undefined) throw new TypeError(`Unterminated field name in the Trino type '${parser.text}'.`);
		if (char === '"') {
			if (parser.text[parser.position] !== '"') return name;
			parser.position++;
		}
		name += char;
	}
}

function readType(parser) {
	let rawType = readWord(parser).toLowerCase();
	const type = { rawType, numbers: [], types: [], fields: [] };
	skipSpaces(parser);
	if (parser.text[parser.position] === '(') {
		parser.position++;
		for (;;) {
			skipSpaces(parser);
			const rest = parser.text.slice(parser.position);
			const number = /^\d+/.exec(rest);
			if (number) {
				type.numbers.push(Number(number[0]));
				parser.position += number[0].length;
			} else if (rawType === 'row') {
				const name = readFieldName(parser);
				type.fields.push({ name, type: readType(parser) });
			} else {
				type.types.push(readType(parser));
			}
			skipSpaces(parser);
			const separator = parser.text[parser.position++];
			if (separator === ')') break;
			if (separator !== ',') throw new TypeError(`Unexpected '${separator}' in the Trino type '${parser.text}'.`);
		}
	}
	// Suffixes that belong to the type's name: "with time zone", "day to second".
	for (;;) {
		const saved = parser.position;
		const word = readWord(parser).toLowerCase();
		if (['with', 'without', 'time', 'zone', 'day', 'to', 'second', 'year', 'month'].includes(word)) {
			rawType += ` ${word}`;
			continue;
		}
		parser.position = saved;
		break;
	}
	type.rawType = rawType;
	return type;
}

/** Builds Trino's `typeSignature` for a parsed type. */
function typeSignature(type) {
	let parameters;
	if (type.rawType === 'row') {
		parameters = type.fields.map((field) => ({
			kind: 'NAMED_TYPE',
			value: { fieldName: { name: field.name }, typeSignature: typeSignature(field.type) },
		}));
	} else if (type.types.length > 0) {
		parameters = type.types.map((inner) => ({ kind: 'TYPE', value: typeSignature(inner) }));
	} else if (type.rawType === 'varchar' && type.numbers.length === 0) {
		parameters = [{ kind: 'LONG', value: UNBOUNDED_VARCHAR_LENGTH }];
	} else {
		parameters = type.numbers.map((value) => ({ kind: 'LONG', value }));
	}
	return { rawType: type.rawType, arguments: parameters };
}

function containsRow(type) {
	return type.rawType === 'row' || type.types.some(containsRow);
}

const toJsonText = JSON.stringify;

/**
 * Builds the function that writes one column's Peaka text (or null) as the JSON fragment Trino
 * sends for it. Built once per column, so the per-cell work is one call.
 * @param {string} typeName the column's Trino type name
 * @returns {(text: string|null) => string}
 */
function createValueWriter(typeName) {
	const type = parseTypeName(typeName);
	const write = createNonNullWriter(type);
	return (text) => (text === null || text === undefined ? 'null' : write(text));
}

function createNonNullWriter(type) {
	const { rawType } = type;
	if (rawType === 'boolean' || INTEGER_TYPES.has(rawType)) return (text) => text;
	if (FLOAT_TYPES.has(rawType)) {
		// Java's Double.toString text is valid JSON number text, except NaN and the infinities.
		return (text) => (text === 'NaN' || text.endsWith('Infinity') ? toJsonText(text) : text);
	}
	if (rawType === 'unknown') return () => 'null';
	if (rawType === 'array' || rawType === 'map' || rawType === 'row') {
		if (!containsRow(type)) return (text) => text;
		// The engine renders a row as a JSON object keyed by field name; Trino sends its values in order.
		return (text) => writeStructure(parseRaw(text), type);
	}
	return (text) => toJsonText(text);
}

/** A JSON number kept as its text, so that no digit is lost on the way through. */
class RawNumber {
	constructor(text) {
		this.text = text;
	}
}

function writeStructure(value, type) {
	if (value === null) return 'null';
	if (type.rawType === 'row') {
		return `[${type.fields.map((field) => writeStructure(value[field.name] ?? null, field.type)).join(',')}]`;
	}
	if (type.rawType === 'array') {
		return `[${value.map((item) => writeStructure(item, type.types[0])).join(',')}]`;
	}
	if (type.rawType === 'map') {
		return `{${Object.keys(value).map((key) => `${toJsonText(key)}:${writeStructure(value[key], type.types[1])}`).join(',')}}`;
	}
	return value instanceof RawNumber ? value.text : toJsonText(value);
}

/** Parses JSON text, keeping every number as a RawNumber. */
function parseRaw(text) {
	const numbers = [];
	// Numbers are swapped for placeholders outside strings, then the placeholders for RawNumbers.
	const marked = text.replace(/"(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*/g, (token) => {
		if (token[0] === '"') return token;
		numbers.push(new RawNumber(token));
		return `{"\\u0000n":${numbers.length - 1}}`;
	});
	return JSON.parse(marked, (key, value) => {
		if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 && '\u0000n' in value) {
			return numbers[value['\u0000n']];
		}
		return value;
	});
}

module.exports = { parseTypeName, typeSignature, createValueWriter, UNBOUNDED_VARCHAR_LENGTH };
