'use strict';

const { PeakaError, frameworkBody } = require('../errors');
const sql = require('../engine/sql');

/**
 * Parametric table routes: list, create and delete the parametric tables of a catalog.
 *
 * In Peaka a parametric table fixes the query-parameter columns (`_q_…`) of a REST-backed table.
 * The emulator has no REST-backed tables, so it binds any column of the source table. The new
 * table is a view of the source rows whose bound columns equal the values, so SQL can read it as
 * the spec describes. Relative-date macros become SQL date expressions that
 * DuckDB evaluates on every read, as Peaka re-evaluates them per query. Records live in
 * `state.parametricTables`.
 */

/** Relative-date macro anchors and the DuckDB expression each stands for. Weeks start on Monday. */
const MACRO_ANCHORS = {
	today: 'current_date',
	yesterday: "(current_date - INTERVAL '1 day')",
	now: 'current_timestamp',
	sow: "date_trunc('week', current_date)",
	eow: "(date_trunc('week', current_date) + INTERVAL '6 days')",
	som: "date_trunc('month', current_date)",
	eom: 'last_day(current_date)',
	soq: "date_trunc('quarter', current_date)",
	eoq: "(date_trunc('quarter', current_date) + INTERVAL '3 months' - INTERVAL '1 day')",
	soy: "date_trunc('year', current_date)",
	eoy: "(date_trunc('year', current_date) + INTERVAL '1 year' - INTERVAL '1 day')",
};

/** Offset units of the macro grammar: lower-case m is minutes, upper-case M months. */
const MACRO_UNITS = { d: 'day', w: 'week', M: 'month', q: 'quarter', y: 'year', h: 'hour', m: 'minute' };

const MACRO_PATTERN = new RegExp(`^@(${Object.keys(MACRO_ANCHORS).join('|')})((?:[+-]\\d+[${Object.keys(MACRO_UNITS).join('')}])*)$`);
const OFFSET_PATTERN = /([+-])(\d+)([a-zA-Z])/g;

/**
 * Returns the DuckDB expression of a relative-date macro such as `@som-1M`, or null when the
 * text is not a valid macro.
 */
function macroExpression(text) {
	const match = MACRO_PATTERN.exec(text);
	if (!match) return null;
	const anchor = match[1];
	let expression = anchor === 'now' ? MACRO_ANCHORS.now : `CAST(${MACRO_ANCHORS[anchor]} AS DATE)`;
	for (const [, sign, amount, unit] of match[2].matchAll(OFFSET_PATTERN)) {
		const count = unit === 'q' ? Number(amount) * 3 : Number(amount);
		const interval = unit === 'q' ? 'month' : MACRO_UNITS[unit];
		expression = `(${expression} ${sign} INTERVAL '${count} ${interval}')`;
	}
	return expression;
}

function isScalar(value) {
	return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/** The WHERE condition that binds one column to a value or a macro. */
function bindingCondition(column, value) {
	const quoted = sql.quoteIdentifier(column);
	if (typeof value === 'string' && value.startsWith('@')) return `${quoted} = ${macroExpression(value)}`;
	// Compared as text, so a number bound to a text column (or the reverse) still matches.
	return `CAST(${quoted} AS VARCHAR) = ${sql.quoteString(String(value))}`;
}

/**
 * @param {import('fastify').FastifyInstance} app
 * @param {{ engine: object, state: object, behaviour: 'spec'|'observed' }} ctx
 */
function register(app, ctx) {
	const { engine, state, behaviour } = ctx;

	function recordsOf(projectId, catalogId) {
		const key = `${projectId}/${catalogId}`;
		let records = state.parametricTables.get(key);
		if (!records) {
			records = [];
			state.parametricTables.set(key, records);
		}
		return records;
	}

	function findCatalog(projectId, catalogId) {
		const catalog = engine.project(projectId).catalogs.find((entry) => String(entry.id) === catalogId);
		if (!catalog) {
			// As for other catalogs: 404 by the spec's pattern, 400 as live Peaka returned for deleted resources.
			const status = behaviour === 'observed' ? 400 : 404;
			throw new PeakaError(status, { errorCode: 100, message: `Catalog not found: ${catalogId}` });
		}
		return catalog;
	}

	function toParametricTable(record) {
		return {
			fromSchema: record.fromSchema,
			fromTable: record.fromTable,
			toSchema: record.toSchema,
			toTable: record.toTable,
			paramValues: record.paramValues.map(({ key, value }) => ({ key, value })),
		};
	}

	/** Checks a ParametricTable body and returns it trimmed, or throws a 400 naming the field. */
	function checkBody(body) {
		for (const field of ['fromSchema', 'fromTable', 'toSchema', 'toTable']) {
			if (typeof body[field] !== 'string' || body[field].trim() === '') {
				throw PeakaError.badRequest(`${field} is missing: send fromSchema, fromTable, toSchema, toTable and paramValues.`);
			}
		}
		if (!Array.isArray(body.paramValues) || body.paramValues.length === 0) {
			throw PeakaError.badRequest('paramValues is missing: send at least one {"key": "<column>", "value": "<value>"}.');
		}
		const seen = new Set();
		const paramValues = body.paramValues.map((entry, index) => {
			const key = entry && typeof entry.key === 'string' ? entry.key.trim() : '';
			if (key === '') throw PeakaError.badRequest(`paramValues[${index}].key is missing: send the column name.`);
			if (seen.has(key)) throw PeakaError.badRequest(`Column ${key} is bound twice in paramValues.`);
			seen.add(key);
			if (!isScalar(entry.value)) {
				throw PeakaError.badRequest(`paramValues[${index}].value must be a string, number or boolean, not ${JSON.stringify(entry.value)}.`);
			}
			if (typeof entry.value === 'string' && entry.value.startsWith('@') && macroExpression(entry.value) === null) {
				throw PeakaError.badRequest(`Invalid relative date macro '${entry.value}' for ${key}: use @<anchor>[(+|-)<n><unit>], e.g. @today-7d.`);
			}
			return { key, value: entry.value };
		});
		return {
			fromSchema: body.fromSchema.trim(),
			fromTable: body.fromTable.trim(),
			toSchema: body.toSchema.trim(),
			toTable: body.toTable.trim(),
			paramValues,
		};
	}

	app.get('/data/projects/:projectId/catalogs/:catalogId/parametricTables', async (request) => {
		const { projectId, catalogId } = request.params;
		findCatalog(projectId, catalogId);
		return recordsOf(projectId, catalogId).map(toParametricTable);
	});

	app.post('/data/projects/:projectId/catalogs/:catalogId/parametricTables', async (request) => {
		const { projectId, catalogId } = request.params;
		const catalog = findCatalog(projectId, catalogId);
		const body = checkBody(request.body && typeof request.body === 'object' ? request.body : {});

		const sourceTables = await engine.listTables(projectId, catalogId, body.fromSchema);
		if (!sourceTables.some((table) => table.name === body.fromTable)) {
			throw PeakaError.badRequest(`Table '${catalog.name}.${body.fromSchema}.${body.fromTable}' does not exist`);
		}
		const columns = (await engine.listColumns(projectId, catalogId, body.fromSchema, body.fromTable)).map((column) => column.name);
		const unknown = body.paramValues.find(({ key }) => !columns.includes(key));
		if (unknown) {
			throw PeakaError.badRequest(`Column '${unknown.key}' does not exist in table '${catalog.name}.${body.fromSchema}.${body.fromTable}'. Its columns: ${columns.join(', ')}.`);
		}

		const records = recordsOf(projectId, catalogId);
		const targetExists = records.some((record) => record.toSchema === body.toSchema && record.toTable === body.toTable)
			|| await engine.tableExists(projectId, catalog.name, body.toSchema, body.toTable);
		if (targetExists) {
			throw PeakaError.badRequest(`Target table already exists: ${catalog.name}.${body.toSchema}.${body.toTable}`);
		}

		const quotedCatalog = sql.quoteIdentifier(catalog.name);
		const source = [catalog.name, body.fromSchema, body.fromTable].map(sql.quoteIdentifier).join('.');
		const target = [catalog.name, body.toSchema, body.toTable].map(sql.quoteIdentifier).join('.');
		const where = body.paramValues.map(({ key, value }) => bindingCondition(key, value)).join(' AND ');
		await engine.withConnection(projectId, async (connection) => {
			await connection.run(`CREATE SCHEMA IF NOT EXISTS ${quotedCatalog}.${sql.quoteIdentifier(body.toSchema)}`);
			await connection.run(`CREATE VIEW ${target} AS SELECT * FROM ${source} WHERE ${where}`);
		});
		records.push(body);
		return toParametricTable(body);
	});

	app.delete('/data/projects/:projectId/catalogs/:catalogId/parametricTables', async (request, reply) => {
		const { projectId, catalogId } = request.params;
		const catalog = findCatalog(projectId, catalogId);
		const query = request.query || {};
		for (const name of ['toSchema', 'toTable']) {
			if (typeof query[name] !== 'string' || query[name] === '') {
				throw new PeakaError(400, frameworkBody(400, request.url.split('?')[0], `Required request parameter '${name}' for method parameter type String is not present`));
			}
		}
		const records = recordsOf(projectId, catalogId);
		const index = records.findIndex((record) => record.toSchema === query.toSchema && record.toTable === query.toTable);
		if (index === -1) {
			throw PeakaError.notFound(`Parametric table not found: ${catalog.name}.${query.toSchema}.${query.toTable}`);
		}
		const [removed] = records.splice(index, 1);
		const target = [catalog.name, removed.toSchema, removed.toTable].map(sql.quoteIdentifier).join('.');
		await engine.withConnection(projectId, (connection) => connection.run(`DROP VIEW IF EXISTS ${target}`));
		// The source table is untouched.
		return reply.code(204).send();
	});
}

module.exports = { register, macroExpression };
