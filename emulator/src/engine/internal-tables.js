'use strict';

/**
 * Peaka's internal tables for the emulator: Peaka Tables in `peaka."table"` and BI Tables in
 * `peaka.bitable` of each project's DuckDB, with the column settings Peaka keeps beside them
 * (display name, default value) and the CSV import that appends typed rows.
 *
 * Both behaviours follow what live Peaka was measured to do. Every table gets eight system columns,
 * and BI Tables a ninth, `_operation`. Unique and Not Null are stored as false. BI Table and column
 * names lose their underscores. An import is checked whole before any row is stored, names the line
 * of a bad value, and appends.
 */

const crypto = require('node:crypto');

const { PeakaError } = require('../errors');
const { LIST, VARCHAR, listValue } = require('@duckdb/node-api');

const { quoteIdentifier, quoteString } = require('./sql');

const CATALOG = 'peaka';
/** The column types Add Column accepts, with the DuckDB type each is stored as. */
const COLUMN_TYPES = {
	VARCHAR: 'VARCHAR',
	BIGINT: 'BIGINT',
	BOOLEAN: 'BOOLEAN',
	// Live Peaka read 12.50 back as 12.5000000000.
	DECIMAL: 'DECIMAL(38,10)',
	TIMESTAMP: 'TIMESTAMP',
	TIME: 'TIME',
	DATE: 'DATE',
	UUID: 'UUID',
};
const DECIMAL_INTEGER_DIGITS = 28;
const DECIMAL_SCALE = 10;
const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 63n - 1n;

const SYSTEM_COLUMNS = [
	['_id', 'BIGINT'],
	['_version', 'BIGINT'],
	['_created_time', 'TIMESTAMP'],
	['_created_by', 'VARCHAR'],
	['_last_modified_time', 'TIMESTAMP'],
	['_last_modified_by', 'VARCHAR'],
	['_session', 'VARCHAR'],
	['text', 'VARCHAR'],
];
const BI_OPERATION_COLUMN = ['_operation', 'VARCHAR'];
/** System columns an import fills itself; `text` is mappable like a declared column. */
const FILLED_BY_IMPORT = new Set(['_id', '_version', '_created_time', '_created_by', '_last_modified_time', '_last_modified_by', '_session', '_operation']);
/** The user id the emulator writes into `_created_by` (the account's owner). */
const IMPORT_USER_ID = '0b7e4c2a-6f1d-4e8b-9a3c-5d2f1e0a9b8c';
/** Rows in the sample CSV, as live Peaka sent. */
const SAMPLE_ROWS = 5;
/** First `_id`; ids grow project-wide and are never reused, as live Peaka's did. */
const FIRST_ROW_ID = 1000n;

/** Column settings and the id sequence, per project object. */
const projectMeta = new WeakMap();

function metaOf(engine, projectId) {
	const project = engine.project(projectId);
	let meta = projectMeta.get(project);
	if (!meta) {
		meta = { columns: new Map(), nextRowId: FIRST_ROW_ID };
		projectMeta.set(project, meta);
	}
	return meta;
}

/** Returns the stored name, because BI Tables drop every underscore from table and column names. */
function storedName(schema, name) {
	return schema === 'bitable' ? String(name).replace(/_/g, '') : String(name);
}

function qualified(schema, tableName) {
	return [CATALOG, schema, tableName].map(quoteIdentifier).join('.');
}

function tableMissing(schema, tableName) {
	return PeakaError.badRequest(`Table '${CATALOG}.${schema}.${tableName}' does not exist`);
}

async function tableExists(engine, projectId, schema, tableName) {
	return engine.tableExists(projectId, CATALOG, schema, tableName);
}

async function requireTable(engine, projectId, schema, tableName) {
	if (!(await tableExists(engine, projectId, schema, tableName))) throw tableMissing(schema, tableName);
}

function settingsOf(meta, schema, tableName) {
	const key = `${schema}.${tableName}`;
	let settings = meta.columns.get(key);
	if (!settings) {
		settings = new Map();
		meta.columns.set(key, settings);
	}
	return settings;
}

/** Maps a DuckDB column type to the lower-case name Peaka's column listings use. */
function peakaTypeName(duckDbType) {
	const type = String(duckDbType).toUpperCase();
	if (type.startsWith('DECIMAL')) return 'decimal';
	if (type.startsWith('TIMESTAMP')) return 'timestamp';
	return type.toLowerCase();
}

function tableBody(schema, tableName) {
	return {
		catalogId: '1',
		catalogName: CATALOG,
		schemaName: schema,
		tableName,
		isCacheable: false,
		isDynamicTable: false,
		isCached: false,
		supportedCacheTypes: [],
	};
}

async function listTables(engine, projectId, schema) {
	const rows = await engine.query(projectId,
		'SELECT table_name FROM duckdb_tables() WHERE database_name = $1 AND schema_name = $2 ORDER BY table_name',
		[CATALOG, schema]);
	return rows.map((row) => tableBody(schema, row.table_name));
}

/**
 * Creates a table. A BI Table name that strips to an existing one returns that table, as live
 * Peaka did. A Peaka Table of an existing name is rejected.
 */
async function createTable(engine, projectId, schema, requestedName) {
	const tableName = storedName(schema, requestedName);
	if (tableName === '' || tableName.includes('"')) throw PeakaError.badRequest(`Invalid table name: '${requestedName}'`);
	if (await tableExists(engine, projectId, schema, tableName)) {
		if (schema === 'bitable') return tableBody(schema, tableName);
		throw PeakaError.badRequest(`Table '${tableName}' already exists`);
	}
	const columns = schema === 'bitable' ? [...SYSTEM_COLUMNS, BI_OPERATION_COLUMN] : SYSTEM_COLUMNS;
	const definition = columns.map(([name, type]) => `${quoteIdentifier(name)} ${type}`).join(', ');
	await engine.query(projectId, `CREATE TABLE ${qualified(schema, tableName)} (${definition})`);
	metaOf(engine, projectId).columns.delete(`${schema}.${tableName}`);
	return tableBody(schema, tableName);
}

async function dropTable(engine, projectId, schema, tableName) {
	await requireTable(engine, projectId, schema, tableName);
	await engine.query(projectId, `DROP TABLE ${qualified(schema, tableName)}`);
	metaOf(engine, projectId).columns.delete(`${schema}.${tableName}`);
}

/** Returns the table's columns in order, as ColumnDetail objects. */
async function listColumns(engine, projectId, schema, tableName) {
	await requireTable(engine, projectId, schema, tableName);
	const rows = await engine.query(projectId,
		`SELECT column_name, data_type FROM information_schema.columns
		 WHERE table_catalog = $1 AND table_schema = $2 AND table_name = $3 ORDER BY ordinal_position`,
		[CATALOG, schema, tableName]);
	const settings = settingsOf(metaOf(engine, projectId), schema, tableName);
	return rows.map((row) => columnDetail(settings, schema, row.column_name, row.data_type));
}

function columnDetail(settings, schema, name, duckDbType) {
	let entry = settings.get(name);
	if (!entry) {
		entry = { id: crypto.randomUUID(), displayName: name, defaultValue: null };
		settings.set(name, entry);
	}
	return {
		id: entry.id,
		name,
		dataType: peakaTypeName(duckDbType),
		// Live Peaka always showed a BI column's stored name as its display name.
		displayName: schema === 'bitable' ? name : entry.displayName,
		defaultValue: entry.defaultValue,
		// Live Peaka stored both flags as false whatever the request sent, and desc as null.
		isNotNull: false,
		isUnique: false,
		desc: null,
	};
}

function checkColumnRequest(request, label) {
	if (!request || typeof request !== 'object' || Array.isArray(request)) {
		throw PeakaError.badRequest(`${label}: a column must be a JSON object with name and dataType.`);
	}
	if (request.dataType === undefined || request.dataType === null) {
		// Live Peaka returned this Jackson message for a PUT without dataType.
		throw PeakaError.badRequest("Could not resolve subtype of [simple type, class com.peaka.gateway.model.SerColumnType]: missing type id property 'dataType'");
	}
	if (!Object.prototype.hasOwnProperty.call(COLUMN_TYPES, request.dataType)) {
		throw PeakaError.badRequest(`No enum constant com.peaka.gateway.model.ColumnRequest.ColumnType.${request.dataType}`);
	}
	if (typeof request.name !== 'string' || request.name.trim() === '') {
		throw PeakaError.badRequest(`${label}: the column name is missing.`);
	}
}

async function addColumns(engine, projectId, schema, tableName, requests) {
	await requireTable(engine, projectId, schema, tableName);
	const list = Array.isArray(requests) ? requests : [requests];
	list.forEach((request, index) => checkColumnRequest(request, `Column ${index + 1}`));
	const existing = new Set((await listColumns(engine, projectId, schema, tableName)).map((column) => column.name));
	const names = list.map((request) => storedName(schema, request.name));
	for (const name of names) {
		if (existing.has(name)) {
			// Live Peaka passed a raw PostgreSQL message through for a duplicate column.
			throw PeakaError.badRequest(`org.postgresql.util.PSQLException: ERROR: column "${name}" of relation "t_${tableName}" already exists`);
		}
		existing.add(name);
	}
	const settings = settingsOf(metaOf(engine, projectId), schema, tableName);
	await engine.withConnection(projectId, async (connection) => {
		for (let index = 0; index < list.length; index++) {
			await connection.run(`ALTER TABLE ${qualified(schema, tableName)} ADD COLUMN ${quoteIdentifier(names[index])} ${COLUMN_TYPES[list[index].dataType]}`);
			settings.set(names[index], {
				id: crypto.randomUUID(),
				displayName: list[index].displayName || names[index],
				defaultValue: list[index].defaultValue ?? null,
			});
		}
	});
	const columns = await listColumns(engine, projectId, schema, tableName);
	return names.map((name) => columns.find((column) => column.name === name));
}

/** Changes a column's name, type and settings; the request carries the whole definition. */
async function updateColumn(engine, projectId, schema, tableName, columnName, request) {
	await requireTable(engine, projectId, schema, tableName);
	checkColumnRequest(request, 'Column');
	const columns = await listColumns(engine, projectId, schema, tableName);
	const current = columns.find((column) => column.name === columnName);
	if (!current) throw PeakaError.badRequest(`Column '${columnName}' does not exist in table '${tableName}'`);
	if (FILLED_BY_IMPORT.has(columnName) || columnName === 'text') throw PeakaError.badRequest(`System column '${columnName}' cannot be changed`);
	const newName = storedName(schema, request.name);
	if (newName !== columnName && columns.some((column) => column.name === newName)) {
		throw PeakaError.badRequest(`Column '${newName}' already exists in table '${tableName}'`);
	}
	const target = qualified(schema, tableName);
	await engine.withConnection(projectId, async (connection) => {
		if (peakaTypeName(COLUMN_TYPES[request.dataType]) !== current.dataType) {
			try {
				await connection.run(`ALTER TABLE ${target} ALTER COLUMN ${quoteIdentifier(columnName)} TYPE ${COLUMN_TYPES[request.dataType]}`);
			} catch (error) {
				throw PeakaError.badRequest(`Column '${columnName}' cannot be changed to ${request.dataType}: ${error.message}`);
			}
		}
		if (newName !== columnName) {
			await connection.run(`ALTER TABLE ${target} RENAME COLUMN ${quoteIdentifier(columnName)} TO ${quoteIdentifier(newName)}`);
		}
	});
	const settings = settingsOf(metaOf(engine, projectId), schema, tableName);
	const entry = settings.get(columnName);
	settings.delete(columnName);
	settings.set(newName, {
		id: entry.id,
		displayName: request.displayName || newName,
		defaultValue: request.defaultValue ?? null,
	});
	return listColumns(engine, projectId, schema, tableName);
}

async function deleteColumn(engine, projectId, schema, tableName, columnName) {
	await requireTable(engine, projectId, schema, tableName);
	const columns = await listColumns(engine, projectId, schema, tableName);
	if (!columns.some((column) => column.name === columnName)) {
		throw PeakaError.badRequest(`Column '${columnName}' does not exist in table '${tableName}'`);
	}
	if (FILLED_BY_IMPORT.has(columnName) || columnName === 'text') throw PeakaError.badRequest(`System column '${columnName}' cannot be deleted`);
	await engine.query(projectId, `ALTER TABLE ${qualified(schema, tableName)} DROP COLUMN ${quoteIdentifier(columnName)}`);
	settingsOf(metaOf(engine, projectId), schema, tableName).delete(columnName);
}

// ---------------------------------------------------------------------------------------------
// Sample CSV

function sampleValue(type, random) {
	switch (type) {
		case 'bigint': return String(1000 + Math.floor(random() * 9000));
		case 'decimal': return (random() * 100).toFixed(DECIMAL_SCALE);
		case 'boolean': return random() < 0.5 ? 'true' : 'false';
		case 'date': return '2024-01-15';
		case 'time': return '12:30:00';
		case 'timestamp': return '2024-01-15 12:30:00';
		case 'uuid': return crypto.randomUUID();
		default: return '"sample text"';
	}
}

/**
 * Returns Peaka's import template: `text` and the declared columns, then five rows of mock values,
 * without a final line break. A missing table gives only line breaks, as live Peaka sent.
 */
async function sampleCsv(engine, projectId, tableName, random = Math.random) {
	if (!(await tableExists(engine, projectId, 'table', tableName))) return '\n'.repeat(SAMPLE_ROWS);
	const columns = (await listColumns(engine, projectId, 'table', tableName))
		.filter((column) => !FILLED_BY_IMPORT.has(column.name));
	const lines = [columns.map((column) => column.name).join(',')];
	for (let row = 0; row < SAMPLE_ROWS; row++) lines.push(columns.map((column) => sampleValue(column.dataType, random)).join(','));
	return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// CSV import

/**
 * Parses CSV text as RFC 4180 describes it (quotes, doubled quotes, line breaks inside quotes,
 * CRLF or LF), returning each record with the line it starts on. A quoted empty field is '' and an
 * unquoted one null, though the import stores both as NULL.
 */
function parseCsv(text) {
	const records = [];
	let index = text.charCodeAt(0) === 0xfeff ? 1 : 0;
	let line = 1;
	let record = [];
	let recordLine = 1;
	let field = '';
	let quoted = false;
	let wasQuoted = false;
	const endField = () => {
		record.push(field === '' && !wasQuoted ? null : field);
		field = '';
		wasQuoted = false;
	};
	const endRecord = () => {
		endField();
		if (!(record.length === 1 && record[0] === null)) records.push({ line: recordLine, fields: record });
		record = [];
	};
	for (; index < text.length; index++) {
		const char = text[index];
		if (quoted) {
			if (char === '"' && text[index + 1] === '"') {
				field += '"';
				index++;
			} else if (char === '"') {
				quoted = false;
			} else {
				if (char === '\n') line++;
				field += char;
			}
			continue;
		}
		if (char === '"' && field === '') {
			quoted = true;
			wasQuoted = true;
		} else if (char === ',') {
			endField();
		} else if (char === '\r' || char === '\n') {
			if (char === '\r' && text[index + 1] === '\n') index++;
			endRecord();
			line++;
			recordLine = line;
		} else {
			field += char;
		}
	}
	if (quoted) throw PeakaError.badRequest(`CSV parse error: a quoted field starting at line ${recordLine} is never closed`);
	if (field !== '' || wasQuoted || record.length > 0) endRecord();
	return records;
}

function isValidDate(text) {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
	if (!match) return false;
	const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
	return date.getUTCFullYear() === Number(match[1]) && date.getUTCMonth() === Number(match[2]) - 1 && date.getUTCDate() === Number(match[3]);
}

const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?$/;

/** Returns the reason a CSV value does not fit a Peaka column type, or undefined. */
function invalidReason(type, value) {
	switch (type) {
		case 'bigint':
			if (!/^[+-]?\d+$/.test(value)) return 'is not a valid BIGINT';
			if (BigInt(value) < BIGINT_MIN || BigInt(value) > BIGINT_MAX) return 'is out of range for BIGINT';
			return undefined;
		case 'boolean':
			return /^(true|false)$/i.test(value) ? undefined : 'is not a valid BOOLEAN';
		case 'decimal': {
			const match = /^[+-]?(\d*)(?:\.(\d*))?$/.exec(value);
			if (!match || (match[1] === '' && !match[2])) return 'is not a valid DECIMAL';
			if (match[1].replace(/^0+(?=\d)/, '').length > DECIMAL_INTEGER_DIGITS) return 'is out of range for DECIMAL(38,10)';
			if ((match[2] || '').length > DECIMAL_SCALE) return `has more than ${DECIMAL_SCALE} fractional digits`;
			return undefined;
		}
		case 'date':
			return isValidDate(value) ? undefined : 'is not a valid DATE';
		case 'time':
			return TIME_PATTERN.test(value) ? undefined : 'is not a valid TIME';
		case 'timestamp': {
			const match = /^(\d{4}-\d{2}-\d{2})[ T](.+)$/.exec(value);
			return match && isValidDate(match[1]) && TIME_PATTERN.test(match[2]) ? undefined : 'is not a valid TIMESTAMP';
		}
		case 'uuid':
			return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ? undefined : 'is not a valid UUID';
		default:
			return undefined;
	}
}

/** Parses the import's `request` part. */
function parseImportRequest(requestText) {
	let request;
	try {
		request = typeof requestText === 'string' ? JSON.parse(requestText) : requestText;
	} catch (error) {
		throw PeakaError.badRequest(`Invalid import request JSON: ${error.message}`);
	}
	if (!request || typeof request !== 'object' || !Array.isArray(request.mappings)) {
		throw PeakaError.badRequest('Invalid import request: "mappings" must be an array.');
	}
	return { containsHeader: request.containsHeader === true, mappings: request.mappings };
}

/** Checks the mappings against the table's columns and returns each with its CSV position. */
function resolveMappings(request, columns, header) {
	const { containsHeader } = request;
	const byName = new Map(columns.map((column) => [column.name, column]));
	return request.mappings.map((mapping) => {
		const column = byName.get(mapping && mapping.name);
		if (!column || FILLED_BY_IMPORT.has(column.name)) {
			// Live Peaka returned a raw SQL syntax error for an unknown target column.
			throw PeakaError.badRequest(`ERROR: syntax error at or near "${mapping && mapping.name}"`);
		}
		if (mapping.csvColumnIndex !== undefined && mapping.csvColumnIndex !== null) {
			if (!Number.isInteger(mapping.csvColumnIndex) || mapping.csvColumnIndex < 0) {
				throw PeakaError.badRequest(`Invalid csvColumnIndex ${JSON.stringify(mapping.csvColumnIndex)} for column '${column.name}'`);
			}
			return { column, position: mapping.csvColumnIndex };
		}
		if (typeof mapping.csvColumnName !== 'string') {
			throw PeakaError.badRequest(`Mapping for column '${column.name}' needs csvColumnName or csvColumnIndex`);
		}
		if (!containsHeader) {
			// Live Peaka returned an unrelated storage error for csvColumnName without a header.
			throw PeakaError.badRequest('Storage error: could not read column names from the file');
		}
		// A header name the file lacks fills the column with NULL, as live Peaka did.
		const position = header.indexOf(mapping.csvColumnName);
		return { column, position: position === -1 ? null : position };
	});
}

function literal(type, value) {
	if (value === null || value === '') return 'NULL';
	const text = quoteString(value);
	if (type === 'varchar') return text;
	const duckDbType = COLUMN_TYPES[type.toUpperCase()];
	return `CAST(${text} AS ${duckDbType})`;
}

/**
 * Appends the rows of a CSV file. Every value is checked before any row is stored, so a bad value
 * stores nothing; its error names the value, column and line.
 * @returns {Promise<object>} the ImportJob
 */
async function importCsv(engine, projectId, tableName, csvText, requestText, now = () => new Date()) {
	const startTime = now().getTime();
	await requireTable(engine, projectId, 'table', tableName);
	const columns = await listColumns(engine, projectId, 'table', tableName);
	const request = parseImportRequest(requestText);
	const records = parseCsv(csvText);
	const header = request.containsHeader && records[0] ? records[0].fields.map((name) => name ?? '') : [];
	const rows = request.containsHeader ? records.slice(1) : records;
	const resolved = resolveMappings(request, columns, header);

	for (const row of rows) {
		for (const { column, position } of resolved) {
			if (position === null) continue;
			if (position >= row.fields.length) {
				throw PeakaError.badRequest(`Line ${row.line}: the row has ${row.fields.length} columns, so CSV column index ${position} for '${column.name}' does not exist`);
			}
			const value = row.fields[position];
			if (value === null || value === '') continue;
			const reason = invalidReason(column.dataType, value);
			if (reason) throw PeakaError.badRequest(`Value '${value}' for column '${column.name}' ${reason} (line ${row.line})`);
		}
	}

	const mappedNames = new Set(resolved.map((mapping) => mapping.column.name));
	const defaults = columns.filter((column) => !mappedNames.has(column.name) && !FILLED_BY_IMPORT.has(column.name) && column.defaultValue !== null);
	const meta = metaOf(engine, projectId);
	const created = quoteString(now().toISOString().replace('T', ' ').replace('Z', ''));
	const user = quoteString(IMPORT_USER_ID);
	const names = ['_id', '_version', '_created_time', '_created_by', '_last_modified_time', '_last_modified_by',
		...resolved.map((mapping) => mapping.column.name), ...defaults.map((column) => column.name)];

	// Each column's values go in as one list parameter and are unnested side by side, which is
	// much faster than a VALUES list of literals for thousands of rows.
	const ids = rows.map((_, index) => String(meta.nextRowId + BigInt(index)));
	const lists = [ids, ...resolved.map(({ position }) => rows.map((row) => {
		const value = position === null ? null : row.fields[position];
		return value === '' ? null : value;
	}))];
	const castList = (index, type) => `CAST(unnest($${index + 1}) AS ${COLUMN_TYPES[type.toUpperCase()]})`;
	const selectList = [
		castList(0, 'bigint'), '1', created, user, created, user,
		...resolved.map(({ column }, index) => castList(index + 1, column.dataType)),
		...defaults.map((column) => literal(column.dataType, column.defaultValue)),
	];
	if (rows.length > 0) {
		await engine.withConnection(projectId, async (connection) => {
			try {
				await connection.run(
					`INSERT INTO ${qualified('table', tableName)} (${names.map(quoteIdentifier).join(', ')}) SELECT ${selectList.join(', ')}`,
					lists.map((list) => listValue(list)),
					lists.map(() => LIST(VARCHAR)),
				);
			} catch (error) {
				throw PeakaError.badRequest(`Import failed: ${error.message}`);
			}
		});
		meta.nextRowId += BigInt(rows.length);
	}
	return {
		id: crypto.randomUUID(),
		status: 'COMPLETED',
		startTime,
		endTime: now().getTime(),
		progress: 100,
		result: { processed: rows.length },
	};
}

module.exports = {
	COLUMN_TYPES,
	SYSTEM_COLUMNS,
	listTables,
	createTable,
	dropTable,
	listColumns,
	addColumns,
	updateColumn,
	deleteColumn,
	sampleCsv,
	parseCsv,
	importCsv,
	storedName,
};
