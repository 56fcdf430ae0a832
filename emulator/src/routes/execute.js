'use strict';

const { Readable } = require('node:stream');

const { PeakaError, frameworkBody } = require('../errors');
const sql = require('../engine/sql');

/**
 * POST /data/projects/:projectId/queries/execute: runs SQL, a saved query, a table by its
 * qualified name, or a query-builder object, and streams the result in one of Peaka's three
 * formats. Every non-NULL cell is a JSON string in every format, as live Peaka sent them.
 */

const FORMATS = ['CELL_TYPED', 'SIMPLE', 'COMPACT'];
const DEFAULT_FORMAT = 'CELL_TYPED';
/** Largest `timeout`, in seconds, that fits the spec's int32. */
const MAX_TIMEOUT_SECONDS = 2_147_483_647;
/** The four request forms; a body carries exactly one of these fields. */
const FORM_FIELDS = ['statement', 'id', 'qualifiedName', 'from'];
/** Comparison operators of builder filters, with the number of values each takes (null: one or more). */
const FILTER_OPERATORS = {
	'=': 1, '!=': 1, '<>': 1, '>': 1, '>=': 1, '<': 1, '<=': 1,
	LIKE: 1, 'NOT LIKE': 1, IN: null, 'NOT IN': null, BETWEEN: 2, 'IS NULL': 0, 'IS NOT NULL': 0,
};

function badRequest(message) {
	return PeakaError.badRequest(message);
}

function isPresent(value) {
	return value !== undefined && value !== null;
}

// ---------------------------------------------------------------------------------------------
// Request validation

function readFormat(request) {
	const format = request.query.format;
	// Spring Boot applies a parameter's default to an empty value too.
	if (format === undefined || format === '') return DEFAULT_FORMAT;
	if (!FORMATS.includes(format)) {
		// Spring Boot rejects an unknown enum value in a query parameter with its own error body.
		throw new PeakaError(400, frameworkBody(400, request.url.split('?')[0],
			`Invalid format '${format}': use one of ${FORMATS.join(', ')}.`));
	}
	return format;
}

function readTimeout(body) {
	if (!isPresent(body.timeout)) return undefined;
	const timeout = body.timeout;
	if (!Number.isInteger(timeout) || timeout < 1 || timeout > MAX_TIMEOUT_SECONDS) {
		throw badRequest(`Invalid timeout ${JSON.stringify(timeout)}: send a whole number of seconds, 1 or more.`);
	}
	return timeout;
}

function readBindings(body) {
	if (!isPresent(body.bindings)) return [];
	if (!Array.isArray(body.bindings)) {
		throw badRequest(`Invalid bindings ${JSON.stringify(body.bindings)}: send an array of strings, one per ? in the statement.`);
	}
	body.bindings.forEach((binding, index) => {
		if (typeof binding !== 'string') {
			throw badRequest(`Invalid bindings[${index}] ${JSON.stringify(binding)}: every binding is a string, e.g. "42".`);
		}
	});
	return body.bindings;
}

/** Returns which of the four request forms the body uses. */
function readForm(body) {
	const present = FORM_FIELDS.filter((field) => isPresent(body[field]));
	if (present.length === 0) {
		throw badRequest(`The request body needs one of ${FORM_FIELDS.map((field) => `'${field}'`).join(', ')}.`);
	}
	if (present.length > 1) {
		throw badRequest(`The request body has ${present.map((field) => `'${field}'`).join(' and ')}; send exactly one of them.`);
	}
	return present[0];
}

// ---------------------------------------------------------------------------------------------
// Request forms to SQL

function qualifiedTable(catalogName, schemaName, tableName) {
	return [catalogName, schemaName, tableName].map(sql.quoteIdentifier).join('.');
}

function statementForm(body) {
	if (typeof body.statement !== 'string' || body.statement.trim() === '') {
		throw badRequest(`Invalid statement ${JSON.stringify(body.statement)}: send the SQL as a non-empty string.`);
	}
	return { sql: body.statement, bindings: readBindings(body) };
}

function savedQueryForm(engine, projectId, body) {
	// The spec types the id as a string, and live Peaka rejected a numeric id with 400; an
	// 18-digit id would not survive as a JSON number anyway.
	if (typeof body.id !== 'string' || body.id.trim() === '') {
		throw badRequest(`Invalid id ${JSON.stringify(body.id)}: send the saved query's id as a string, e.g. "709922802836177297".`);
	}
	const record = engine.savedQueries.get(projectId, body.id);
	if (!record) throw badRequest(`There is no query with id: ${body.id}`);
	const source = engine.savedQueries.relationFor(projectId, body.id);
	if (!source) return { sql: record.inputQuery, bindings: [] };
	return {
		sql: `SELECT * FROM ${qualifiedTable(source.catalogName, source.schemaName, source.tableName)}`,
		bindings: [],
		source,
	};
}

function qualifiedNameForm(body) {
	const text = body.qualifiedName;
	const names = typeof text === 'string' ? sql.writtenNames(sql.tokenize(text)) : [];
	const tokens = typeof text === 'string' ? sql.tokenize(text) : [];
	const isOneName = names.length === 1 && names[0].parts.length === 3 && tokens.length === 5;
	if (!isOneName) {
		throw badRequest(`Invalid qualifiedName ${JSON.stringify(text)}: use catalog.schema.table, e.g. peaka.query.samplequery.`);
	}
	const [catalogName, schemaName, tableName] = names[0].parts;
	return {
		sql: `SELECT * FROM ${qualifiedTable(catalogName, schemaName, tableName)}`,
		bindings: [],
		source: { catalogName, schemaName, tableName },
	};
}

function readColumnName(column, where) {
	if (typeof column === 'string' && column.trim() !== '') return column.trim();
	// Pipedream's older builder sent { column: { columnName, ... } } objects.
	if (column && typeof column === 'object' && column.column && typeof column.column.columnName === 'string') {
		return column.column.columnName;
	}
	throw badRequest(`Invalid ${where} ${JSON.stringify(column)}: name a column, e.g. "amount".`);
}

function sqlLiteral(value, where) {
	if (value === null) return 'NULL';
	if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'string') return sql.quoteString(value);
	throw badRequest(`Invalid filter value ${JSON.stringify(value)} in ${where}: use a string, number, boolean or null.`);
}

/**
 * Builds a WHERE condition from the spec's filter shape:
 * `{ and: [[{ column: { columnName, ... } }, ">", [150]], ...] }`, `or` likewise, groups nested.
 * Live Peaka rejected every other filter shape tried with 400, and so does the emulator.
 */
function filterCondition(filter, where = 'filters') {
	if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) {
		throw badRequest(`Invalid ${where} ${JSON.stringify(filter)}: use {"and": [[{"column": {"columnName": "amount"}}, ">", [150]]]}.`);
	}
	const keys = Object.keys(filter);
	if (keys.length !== 1 || !['and', 'or'].includes(keys[0]) || !Array.isArray(filter[keys[0]]) || filter[keys[0]].length === 0) {
		throw badRequest(`Invalid ${where} ${JSON.stringify(filter)}: a filter group is {"and": [...]} or {"or": [...]} with at least one condition.`);
	}
	const joiner = keys[0] === 'and' ? ' AND ' : ' OR ';
	const parts = filter[keys[0]].map((condition, index) => {
		const conditionWhere = `${where}.${keys[0]}[${index}]`;
		if (!Array.isArray(condition)) return `(${filterCondition(condition, conditionWhere)})`;
		return comparison(condition, conditionWhere);
	});
	return parts.join(joiner);
}

function comparison(condition, where) {
	const [left, operator, operands] = condition;
	const valid = condition.length === 3
		&& left && typeof left === 'object' && left.column && typeof left.column.columnName === 'string'
		&& typeof operator === 'string' && Array.isArray(operands);
	if (!valid) {
		throw badRequest(`Invalid condition ${JSON.stringify(condition)} in ${where}: use [{"column": {"columnName": "amount"}}, ">", [150]].`);
	}
	const normalized = operator.trim().toUpperCase().replace(/\s+/g, ' ');
	if (!(normalized in FILTER_OPERATORS)) {
		throw badRequest(`Invalid operator '${operator}' in ${where}: use one of ${Object.keys(FILTER_OPERATORS).join(', ')}.`);
	}
	const arity = FILTER_OPERATORS[normalized];
	if ((arity === null && operands.length === 0) || (arity !== null && operands.length !== arity)) {
		throw badRequest(`Operator '${operator}' in ${where} takes ${arity === null ? 'one or more values' : `${arity} value(s)`}; got ${operands.length}.`);
	}
	const column = sql.quoteIdentifier(left.column.columnName);
	const literals = operands.map((value) => sqlLiteral(value, where));
	if (arity === 0) return `${column} ${normalized}`;
	if (arity === null) return `${column} ${normalized} (${literals.join(', ')})`;
	if (normalized === 'BETWEEN') return `${column} BETWEEN ${literals[0]} AND ${literals[1]}`;
	return `${column} ${normalized} ${literals[0]}`;
}

function readRowCount(value, field) {
	if (!isPresent(value)) return undefined;
	if (!Number.isSafeInteger(value) || value < 0) {
		throw badRequest(`Invalid ${field} ${JSON.stringify(value)}: send a whole number of rows, 0 or more.`);
	}
	return value;
}

async function builderForm(engine, projectId, body) {
	const from = body.from;
	if (!Array.isArray(from) || from.length === 0) {
		throw badRequest(`Invalid from ${JSON.stringify(from)}: send one table, e.g. [{"catalogName": "peaka", "schemaName": "query", "tableName": "samplequery"}].`);
	}
	// NOTE: how Peaka combines several tables in `from` is not documented, so only one is taken.
	if (from.length > 1) throw badRequest(`The query builder takes one table in 'from'; got ${from.length}. Join tables with a SQL statement.`);
	const table = from[0] ?? {};
	let catalogName = table.catalogName;
	if (!isPresent(catalogName) && isPresent(table.catalogId)) {
		catalogName = engine.findCatalog(projectId, String(table.catalogId)).name;
	}
	for (const [field, value] of [['catalogName or catalogId', catalogName], ['schemaName', table.schemaName], ['tableName', table.tableName]]) {
		if (typeof value !== 'string' || value === '') {
			throw badRequest(`The table in 'from' is missing ${field}: ${JSON.stringify(table)}.`);
		}
	}

	const columns = isPresent(body.columns) ? body.columns : [];
	if (!Array.isArray(columns)) throw badRequest(`Invalid columns ${JSON.stringify(columns)}: send an array of column names.`);
	const selectList = columns.length === 0
		? '*'
		: columns.map((column, index) => sql.quoteIdentifier(readColumnName(column, `columns[${index}]`))).join(', ');

	let text = `SELECT ${selectList} FROM ${qualifiedTable(catalogName, table.schemaName, table.tableName)}`;
	if (isPresent(body.filters)) text += ` WHERE ${filterCondition(body.filters)}`;
	if (isPresent(body.orderBy)) {
		if (!Array.isArray(body.orderBy)) throw badRequest(`Invalid orderBy ${JSON.stringify(body.orderBy)}: send an array such as ["amount DESC"].`);
		const terms = body.orderBy.map((term, index) => {
			const match = typeof term === 'string' ? /^\s*(.+?)(?:\s+(ASC|DESC))?\s*$/i.exec(term) : null;
			if (!match) throw badRequest(`Invalid orderBy[${index}] ${JSON.stringify(term)}: use a column name, optionally followed by ASC or DESC.`);
			return `${sql.quoteIdentifier(match[1])}${match[2] ? ` ${match[2].toUpperCase()}` : ''}`;
		});
		if (terms.length > 0) text += ` ORDER BY ${terms.join(', ')}`;
	}
	// Trino's order: OFFSET before LIMIT.
	const offset = readRowCount(body.offset, 'offset');
	const limit = readRowCount(body.limit, 'limit');
	if (offset !== undefined) text += ` OFFSET ${offset}`;
	if (limit !== undefined) text += ` LIMIT ${limit}`;

	return { sql: text, bindings: [], source: { catalogName, schemaName: table.schemaName, tableName: table.tableName } };
}

// ---------------------------------------------------------------------------------------------
// Response

// Bound once: under jest's vm sandbox a lookup of the JSON global costs several times more,
// and a large result serializes millions of cells.
const toJsonText = JSON.stringify;

function cellJson(value) {
	return value === null ? 'null' : toJsonText(value);
}

/**
 * Builds the function that writes one batch of rows (cells column by column) as JSON text in a
 * format. Everything that depends only on the columns is prepared once.
 */
function createBatchWriter(format, columns) {
	const count = columns.length;
	if (format === 'COMPACT') {
		return ({ rowCount, cells }) => {
			const rows = new Array(rowCount);
			for (let row = 0; row < rowCount; row++) {
				let text = '[';
				for (let column = 0; column < count; column++) text += (column ? ',' : '') + cellJson(cells[column][row]);
				rows[row] = `${text}]`;
			}
			return rows.join(',');
		};
	}
	if (format === 'SIMPLE') {
		// Rows are JSON objects keyed by column name, so of two columns with one name only the
		// later survives, at the place of the first, as when a JSON object is built key by key.
		const keys = [];
		columns.forEach((column, index) => {
			const existing = keys.find((key) => key.name === column.name);
			if (existing) existing.index = index;
			else keys.push({ name: column.name, prefix: JSON.stringify(column.name), index });
		});
		return ({ rowCount, cells }) => {
			const rows = new Array(rowCount);
			for (let row = 0; row < rowCount; row++) {
				let text = '{';
				keys.forEach((key, position) => {
					text += `${position ? ',' : ''}${key.prefix}:${cellJson(cells[key.index][row])}`;
				});
				rows[row] = `${text}}`;
			}
			return rows.join(',');
		};
	}
	const prefixes = columns.map((column, order) => {
		const name = JSON.stringify(column.name);
		return `{"name":${name},"displayName":${name},"dataType":${JSON.stringify(column.dataType)},"order":${order},"value":`;
	});
	return ({ rowCount, cells }) => {
		const rows = new Array(rowCount);
		for (let row = 0; row < rowCount; row++) {
			let text = '[';
			for (let column = 0; column < count; column++) text += `${column ? ',' : ''}${prefixes[column]}${cellJson(cells[column][row])}}`;
			rows[row] = `${text}]`;
		}
		return rows.join(',');
	};
}

/** Yields the response body in pieces, one per batch, so no result is held whole in memory. */
async function* responseBody(result, format) {
	const columns = result.columns.map((column) => ({
		catalogName: column.catalogName,
		schemaName: column.schemaName,
		tableName: column.tableName,
		columnName: column.name,
	}));
	const writeBatch = createBatchWriter(format, result.columns);
	yield `{"columns":${JSON.stringify(columns)},"data":[`;
	let first = true;
	for await (const batch of result.batches()) {
		if (batch.rowCount === 0) continue;
		yield `${first ? '' : ','}${writeBatch(batch)}`;
		first = false;
	}
	yield ']}';
}

// ---------------------------------------------------------------------------------------------
// Route

/**
 * @param {import('fastify').FastifyInstance} app
 * @param {{ engine: object, log: Function }} ctx
 */
function register(app, ctx) {
	const { engine } = ctx;

	app.post('/data/projects/:projectId/queries/execute', async (request, reply) => {
		const { projectId } = request.params;
		const format = readFormat(request);
		const body = request.body;
		if (body === null || typeof body !== 'object' || Array.isArray(body)) {
			throw badRequest('The request body must be a JSON object such as {"statement": "SELECT 1"}.');
		}
		const timeoutSeconds = readTimeout(body);
		const form = readForm(body);

		let query;
		if (form === 'statement') query = statementForm(body);
		else if (form === 'id') query = savedQueryForm(engine, projectId, body);
		else if (form === 'qualifiedName') query = qualifiedNameForm(body);
		else query = await builderForm(engine, projectId, body);

		// A client that hangs up stops the query, also while DuckDB is still computing.
		const abort = new AbortController();
		reply.raw.on('close', () => {
			if (!reply.raw.writableFinished) abort.abort();
		});

		const result = await engine.execute(projectId, {
			sql: query.sql,
			bindings: query.bindings,
			timeoutSeconds,
			signal: abort.signal,
			source: query.source,
		});
		const stream = Readable.from(responseBody(result, format), { objectMode: false });
		stream.on('close', () => result.close());
		// The status is sent by now, so a failure cuts the response short and the log records why.
		// A client that hung up is not a failure worth a warning.
		stream.on('error', (error) => {
			if (abort.signal.aborted) return;
			ctx.log.warn(`POST ${request.url.split('?')[0]} failed after the first rows: ${error.message}`);
		});
		return reply.code(200).type('application/json').send(stream);
	});
}

module.exports = { register, createBatchWriter, filterCondition, FORMATS };
