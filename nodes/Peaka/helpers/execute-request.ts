import type { IDataObject } from 'n8n-workflow';

import { parseJsonLossless } from './lossless-json';
import { countPlaceholders } from './sql';

/**
 * Builds and checks the body of Peaka's execute endpoint before anything is sent, so a
 * mistake in the node's parameters fails with the parameter's name and no request.
 */

/** A parameter value that cannot be sent; `parameter` is the display name to show. */
export class InvalidParameterError extends Error {
	constructor(
		readonly parameter: string,
		message: string,
		readonly description: string,
	) {
		super(message);
	}
}

/**
 * Converts query parameter values to the strings Peaka's `bindings` take: a number as
 * its digits, a boolean as true or false, an object or array as JSON text. There is no
 * way to send NULL in `bindings`, so a missing value is rejected.
 */
export function toBindings(values: unknown[]): string[] {
	return values.map((value, index) => {
		const position = index + 1;
		if (value === null || value === undefined) {
			throw new InvalidParameterError(
				'Query Parameters',
				`Query parameter ${position} has no value`,
				`Peaka's bindings are text and cannot carry NULL. Write NULL in the SQL instead of a ? placeholder, or give parameter ${position} a value.`,
			);
		}
		if (typeof value === 'string') return value;
		if (typeof value === 'number') {
			if (!Number.isFinite(value)) {
				throw new InvalidParameterError(
					'Query Parameters',
					`Query parameter ${position} is ${value}, which SQL cannot compare`,
					'Give the parameter a finite number, or send it as text.',
				);
			}
			return String(value);
		}
		if (typeof value === 'bigint') return value.toString();
		if (typeof value === 'boolean') return value ? 'true' : 'false';
		return JSON.stringify(value);
	});
}

export function checkPlaceholderCount(sql: string, bindings: string[]): void {
	const placeholders = countPlaceholders(sql);
	if (placeholders !== bindings.length) {
		throw new InvalidParameterError(
			'Query Parameters',
			`The SQL has ${placeholders} ? placeholder${placeholders === 1 ? '' : 's'} but ${bindings.length} query parameter${bindings.length === 1 ? ' was' : 's were'} given`,
			'Give exactly one query parameter per ? in the SQL, in order. A ? inside quotes or a comment does not count.',
		);
	}
}

const QUALIFIED_NAME_PART = '(?:"(?:[^"]|"")+"|[^."\\s]+)';
const QUALIFIED_NAME = new RegExp(`^${QUALIFIED_NAME_PART}\\.${QUALIFIED_NAME_PART}\\.${QUALIFIED_NAME_PART}$`);

export function checkQualifiedName(name: string): string {
	const trimmed = name.trim();
	if (!QUALIFIED_NAME.test(trimmed)) {
		throw new InvalidParameterError(
			'Qualified Name',
			`Qualified Name '${name}' is not of the form catalog.schema.table`,
			'Enter three dot-separated names, e.g. peaka.query.samplequery or stripe.payment.charges.',
		);
	}
	return trimmed;
}

const BUILDER_EXAMPLE = '{"from": [{"catalogName": "peaka", "schemaName": "query", "tableName": "samplequery"}], "limit": 10}';

/** Parses and checks query-builder JSON against the shape of Peaka's QueryExecuteRequest. */
export function parseBuilder(input: unknown): IDataObject {
	let builder: unknown = input;
	if (typeof input === 'string') {
		if (input.trim() === '') {
			throw builderError('Query Builder JSON is empty');
		}
		try {
			builder = parseJsonLossless(input);
		} catch (error) {
			throw builderError(`Query Builder JSON is not valid JSON: ${(error as Error).message}`);
		}
	}
	if (!builder || typeof builder !== 'object' || Array.isArray(builder)) {
		throw builderError('Query Builder JSON must be a JSON object');
	}
	const fields = builder as IDataObject;

	const from = fields.from;
	if (!Array.isArray(from) || from.length === 0) {
		throw builderError("Query Builder JSON needs a non-empty 'from' array");
	}
	from.forEach((table, index) => {
		const entry = table as IDataObject;
		for (const key of ['catalogName', 'schemaName', 'tableName']) {
			if (!entry || typeof entry[key] !== 'string' || (entry[key] as string).trim() === '') {
				throw builderError(`Query Builder JSON: from[${index}].${key} must be a non-empty string`);
			}
		}
	});
	for (const key of ['columns', 'orderBy']) {
		const list = fields[key];
		if (list !== undefined && list !== null && (!Array.isArray(list) || list.some((entry) => typeof entry !== 'string'))) {
			throw builderError(`Query Builder JSON: '${key}' must be an array of strings`);
		}
	}
	for (const key of ['limit', 'offset']) {
		const value = fields[key];
		if (value !== undefined && value !== null && !(Number.isInteger(value) && (value as number) >= 0)) {
			throw builderError(`Query Builder JSON: '${key}' must be a whole number of 0 or more, not ${JSON.stringify(value)}`);
		}
	}
	const filters = fields.filters;
	if (filters !== undefined && filters !== null && (typeof filters !== 'object' || Array.isArray(filters))) {
		throw builderError("Query Builder JSON: 'filters' must be an object such as {\"and\": [...]} or null");
	}
	const known = new Set(['columns', 'from', 'limit', 'offset', 'orderBy', 'filters', 'timeout']);
	const unknown = Object.keys(fields).filter((key) => !known.has(key));
	if (unknown.length > 0) {
		throw builderError(`Query Builder JSON has unknown field${unknown.length === 1 ? '' : 's'} ${unknown.map((key) => `'${key}'`).join(', ')}`);
	}
	return fields;
}

function builderError(message: string): InvalidParameterError {
	return new InvalidParameterError(
		'Query Builder JSON',
		message,
		`Peaka's builder takes from (required), columns, orderBy, limit, offset and filters, e.g. ${BUILDER_EXAMPLE}`,
	);
}

export interface StreamingSource {
	source: 'statement' | 'savedQuery' | 'qualifiedName' | 'builder';
	sql: string;
	qualifiedName: string;
	parameterValues: unknown[];
}

/**
 * Builds the statement the Streaming engine sends to Peaka's Trino endpoint.
 *
 * Query parameters are rejected rather than sent with Trino's PREPARE and EXECUTE USING:
 * EXECUTE takes typed SQL literals, while the REST engine's bindings are text that Peaka casts
 * to the type each placeholder needs, so the same values would compare differently on the two
 * engines. Saved queries and builder JSON have no SQL text to send.
 */
export function streamingStatement(request: StreamingSource): string {
	if (request.source === 'qualifiedName') {
		return `SELECT * FROM ${checkQualifiedName(request.qualifiedName)}`;
	}
	if (request.source !== 'statement') {
		throw new InvalidParameterError(
			'Source',
			`The Streaming engine cannot run a ${request.source === 'savedQuery' ? 'saved query' : 'query-builder JSON'} source`,
			'Set Source to SQL Statement (a saved query runs as SELECT * FROM "peaka"."query"."<name>") or Qualified Name, or set Engine to REST.',
		);
	}
	if (request.sql.trim() === '') {
		throw new InvalidParameterError('SQL', "The 'SQL' parameter is empty", 'Enter a query, e.g. SELECT 1.');
	}
	if (request.parameterValues.length > 0 || countPlaceholders(request.sql) > 0) {
		throw new InvalidParameterError(
			'Query Parameters',
			'The Streaming engine does not take query parameters or ? placeholders',
			"Write the values into the SQL (quote text as 'O''Brien'), or set Engine to REST, which sends them as bindings.",
		);
	}
	return request.sql;
}
