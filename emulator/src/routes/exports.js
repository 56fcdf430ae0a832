'use strict';

const crypto = require('node:crypto');
const zlib = require('node:zlib');

const { PeakaError, peakaBody } = require('../errors');
const sql = require('../engine/sql');

/**
 * Export routes: submit an export of a saved query or of a table, list and read export jobs, and
 * cancel one. The rows are read from DuckDB when the export is submitted, because an export is a
 * point-in-time snapshot. They are written as CSV or JSONL and gzipped on request. Once the job
 * has SUCCEEDED, its file is served at presigned-looking URLs on the emulator (`/__files/<token>`).
 * Like Peaka's presigned URLs they need no API key; the request log records whether an
 * Authorization header came anyway, so tests can check that a client kept its key to itself.
 */

/** Peaka clamps an export's row limit to this range. */
const MIN_EXPORT_ROWS = 1;
const MAX_EXPORT_ROWS = 1_000_000;
/** Page size of the export list when the request sends none, and its clamp range. */
const DEFAULT_LIST_LIMIT = 50;
const MAX_LIST_LIMIT = 200;
/** Duration of an export job at jobSpeed 1. */
const DEFAULT_EXPORT_DURATION_MS = 2000;
/** How long a download URL stays valid after a read of the job. */
const FILE_URL_LIFETIME_MS = 60 * 60 * 1000;
const FILES_PREFIX = '/__files';

const FORMATS = ['CSV', 'JSONL'];
const COMPRESSIONS = ['NONE', 'GZIP'];
const LIST_STATUSES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
/** Peaka's system columns, dropped when `includeSystemColumns` is false. */
const SYSTEM_COLUMNS = new Set([
	'_id', '_version', '_created_time', '_created_by', '_last_modified_time', '_last_modified_by', '_session', '_operation',
]);
/** Cache plumbing and request-parameter columns, which Peaka always drops from exports. */
const ALWAYS_DROPPED_PREFIXES = ['_q_', '_cache_'];

const CONTENT_TYPES = { CSV: 'text/csv; charset=utf-8', JSONL: 'application/x-ndjson; charset=utf-8' };
const EXTENSIONS = { CSV: 'csv', JSONL: 'jsonl' };

function badRequest(message) {
	return PeakaError.badRequest(message);
}

/** Reads one CSV option that must be a single character. */
function readCharacter(options, name, fallback) {
	const value = options[name];
	if (value === undefined || value === null) return fallback;
	if (typeof value !== 'string' || value.length !== 1) {
		throw badRequest(`Invalid csvOptions.${name} ${JSON.stringify(value)}: send one character, e.g. "${fallback}".`);
	}
	return value;
}

/**
 * Checks an ExportRequest and returns it with defaults applied.
 * @returns {{ format: string, compression: string, limit: number|null, includeSystemColumns: boolean,
 *   columns: string[]|null, csv: { delimiter: string, quoteChar: string, recordSeparator: string,
 *   includeHeader: boolean, nullValue: string } }}
 */
function readExportRequest(body) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		throw badRequest('The export request must be a JSON object such as {"format": "CSV"}.');
	}
	const format = body.format ?? 'CSV';
	if (!FORMATS.includes(format)) throw badRequest(`Invalid format ${JSON.stringify(format)}: use one of ${FORMATS.join(', ')}.`);
	const compression = body.compression ?? 'NONE';
	if (!COMPRESSIONS.includes(compression)) {
		throw badRequest(`Invalid compression ${JSON.stringify(compression)}: use one of ${COMPRESSIONS.join(', ')}.`);
	}
	let limit = null;
	if (body.limit !== undefined && body.limit !== null) {
		if (!Number.isInteger(body.limit)) throw badRequest(`Invalid limit ${JSON.stringify(body.limit)}: send a whole number of rows.`);
		limit = Math.min(MAX_EXPORT_ROWS, Math.max(MIN_EXPORT_ROWS, body.limit));
	}
	const includeSystemColumns = body.includeSystemColumns ?? true;
	if (typeof includeSystemColumns !== 'boolean') {
		throw badRequest(`Invalid includeSystemColumns ${JSON.stringify(includeSystemColumns)}: send true or false.`);
	}
	let columns = null;
	if (body.columns !== undefined && body.columns !== null) {
		if (!Array.isArray(body.columns) || body.columns.some((name) => typeof name !== 'string' || name === '')) {
			throw badRequest(`Invalid columns ${JSON.stringify(body.columns)}: send an array of column names.`);
		}
		columns = body.columns.length === 0 ? null : body.columns;
	}
	const options = body.csvOptions ?? {};
	if (typeof options !== 'object' || Array.isArray(options)) throw badRequest('csvOptions must be an object.');
	const recordSeparator = options.recordSeparator ?? '\n';
	if (typeof recordSeparator !== 'string' || recordSeparator === '') {
		throw badRequest(`Invalid csvOptions.recordSeparator ${JSON.stringify(recordSeparator)}: send "\\n" or "\\r\\n".`);
	}
	const includeHeader = options.includeHeader ?? true;
	if (typeof includeHeader !== 'boolean') throw badRequest('csvOptions.includeHeader must be true or false.');
	const nullValue = options.nullValue ?? '';
	if (typeof nullValue !== 'string') throw badRequest('csvOptions.nullValue must be a string.');
	return {
		format,
		compression,
		limit,
		includeSystemColumns,
		columns,
		csv: {
			delimiter: readCharacter(options, 'delimiter', ','),
			quoteChar: readCharacter(options, 'quoteChar', '"'),
			recordSeparator,
			includeHeader,
			nullValue,
		},
	};
}

/**
 * Writes one CSV field. A field is quoted when it contains the delimiter, the quote character, a
 * line break or the record separator, and also when it equals the null marker, so that NULL and a
 * value spelled like the marker (an empty string, by default) stay apart.
 */
function csvField(value, csv) {
	if (value === null) return csv.nullValue;
	const text = String(value);
	const needsQuotes = text === csv.nullValue
		|| text.includes(csv.delimiter)
		|| text.includes(csv.quoteChar)
		|| text.includes('\n')
		|| text.includes('\r')
		|| text.includes(csv.recordSeparator);
	if (!needsQuotes) return text;
	return `${csv.quoteChar}${text.split(csv.quoteChar).join(csv.quoteChar + csv.quoteChar)}${csv.quoteChar}`;
}

/**
 * Renders the rows as the file's text. Values are Peaka's text rendering (the same strings a
 * REST query returns), NULL is JSON null in JSONL.
 * NOTE: whether Peaka's JSONL carries typed JSON values is not known; text follows what its REST
 * results were observed to send.
 */
function renderFile(names, rows, request) {
	if (request.format === 'JSONL') {
		return rows.map((row) => {
			const object = {};
			names.forEach((name, index) => { object[name] = row[index]; });
			return `${JSON.stringify(object)}\n`;
		}).join('');
	}
	const { csv } = request;
	const lines = [];
	if (csv.includeHeader) lines.push(names.map((name) => csvField(name, csv)).join(csv.delimiter));
	for (const row of rows) lines.push(row.map((value) => csvField(value, csv)).join(csv.delimiter));
	return lines.map((line) => line + csv.recordSeparator).join('');
}

/**
 * Reads the export's rows through the engine. Returns the column names and the rows (text cells),
 * or `{ failure }` with Peaka's message when the query fails or passes the row limit.
 */
async function readRows(engine, projectId, source, request) {
	let result;
	try {
		result = await engine.execute(projectId, { sql: source.sql, bindings: [], source: source.relation });
	} catch (error) {
		if (error && error.isPeakaError) return { failure: error.body.message ?? String(error.message) };
		throw error;
	}
	const allNames = result.columns.map((column) => column.name);
	let keep = allNames.map((name, index) => index)
		.filter((index) => !ALWAYS_DROPPED_PREFIXES.some((prefix) => allNames[index].startsWith(prefix)));
	if (!request.includeSystemColumns) keep = keep.filter((index) => !SYSTEM_COLUMNS.has(allNames[index]));
	if (request.columns) {
		const missing = request.columns.filter((name) => !allNames.includes(name));
		if (missing.length > 0) {
			result.close();
			throw badRequest(`Unknown column${missing.length > 1 ? 's' : ''} ${missing.map((name) => `'${name}'`).join(', ')}: the source has ${allNames.join(', ')}.`);
		}
		keep = request.columns.map((name) => allNames.indexOf(name));
	}
	const maxRows = request.limit ?? MAX_EXPORT_ROWS;
	const rows = [];
	let exceeded = false;
	try {
		for await (const batch of result.batches()) {
			for (let row = 0; row < batch.rowCount; row++) {
				if (rows.length === maxRows) {
					exceeded = request.limit === null;
					break;
				}
				rows.push(keep.map((index) => batch.cells[index][row]));
			}
			if (rows.length === maxRows) break;
		}
	} catch (error) {
		if (error && error.isPeakaError) return { failure: error.body.message ?? String(error.message) };
		throw error;
	} finally {
		result.close();
	}
	if (exceeded) return { failure: 'Query exceeded the 1,000,000 row export limit' };
	return { names: keep.map((index) => allNames[index]), rows };
}

function mapJobState(jobState, record) {
	if (jobState === 'SUCCESS') return record.failure ? 'FAILED' : 'SUCCEEDED';
	return jobState;
}

/**
 * @param {import('fastify').FastifyInstance} app
 * @param {{ engine: object, state: object, behaviour: 'spec'|'observed', options: object, jobs: object }} ctx
 */
function register(app, ctx) {
	const { engine, state, behaviour } = ctx;
	const store = state.exports;
	const durationMs = ctx.options?.exportDurationMs ?? DEFAULT_EXPORT_DURATION_MS;
	let lastCreatedAt = 0;

	function projectExports(projectId) {
		if (!store.byProject.has(projectId)) store.byProject.set(projectId, new Map());
		return store.byProject.get(projectId);
	}

	function notFound(message) {
		// Live Peaka returned 400 for deleted resources elsewhere; the spec documents 404 on reads.
		return new PeakaError(behaviour === 'observed' ? 400 : 404, peakaBody(message));
	}

	/** Returns a creation time later than every earlier one, so keyset paging never skips a job. */
	function nextCreatedAt() {
		lastCreatedAt = Math.max(Date.now(), lastCreatedAt + 1);
		return new Date(lastCreatedAt).toISOString();
	}

	async function submit(request, reply, projectId, source, origin) {
		const exportRequest = readExportRequest(request.body ?? {});
		const outcome = await readRows(engine, projectId, source, exportRequest);
		const id = crypto.randomUUID();
		const record = {
			id,
			projectId,
			format: exportRequest.format,
			compression: exportRequest.compression,
			createdAt: nextCreatedAt(),
			...origin,
			source: source.display,
			userId: state.user.userId,
			userName: state.user.email,
			apiKeyPrefix: apiKeyPrefix(request),
			clientSource: clientSource(request),
			failure: outcome.failure ?? null,
			file: null,
			rowCount: 0,
		};
		if (!outcome.failure) {
			record.rowCount = outcome.rows.length;
			if (outcome.rows.length === 0 && behaviour === 'observed') {
				// Live Peaka ended an export of an empty table FAILED, with no files.
				record.failure = `Trino-native export produced no files at s3a://export/${projectId}/${id}/`;
			} else {
				const text = renderFile(outcome.names, outcome.rows, exportRequest);
				const raw = Buffer.from(text, 'utf8');
				const gzip = exportRequest.compression === 'GZIP';
				const stem = origin.queryId ? `query_${origin.queryId}_${source.name}` : `table_${origin.catalogId}_${origin.schemaName}_${origin.tableName}`;
				record.file = {
					name: `${stem}.${EXTENSIONS[exportRequest.format]}${gzip ? '.gz' : ''}`,
					content: gzip ? zlib.gzipSync(raw) : raw,
					contentType: gzip ? 'application/gzip' : CONTENT_TYPES[exportRequest.format],
				};
			}
		}
		record.job = ctx.jobs.start({ kind: 'export', target: id, projectId, durationMs });
		projectExports(projectId).set(id, record);
		return reply.code(202).send({ id, status: 'PENDING' });
	}

	/** Returns the job as ExportJobResponse; `withFiles` mints fresh download URLs for a SUCCEEDED job. */
	function describe(record, request, withFiles) {
		const status = mapJobState(ctx.jobs.state(record.job), record);
		const finished = !['PENDING', 'RUNNING'].includes(status);
		const response = {
			id: record.id,
			status,
			format: record.format,
			compression: record.compression,
		};
		if (status === 'SUCCEEDED') {
			response.rowCount = record.rowCount;
			response.bytes = record.file ? record.file.content.length : 0;
		}
		if (finished) response.durationMs = Math.round((record.job.finishedAt ?? Date.now()) - record.job.requestedAt);
		if (status === 'SUCCEEDED' && withFiles) {
			const expiresAt = Date.now() + FILE_URL_LIFETIME_MS;
			response.files = record.file ? [presign(record, request, expiresAt)] : [];
			response.expiresAt = new Date(expiresAt).toISOString();
		}
		response.downloadable = status === 'SUCCEEDED';
		if (status === 'FAILED') response.error = record.failure ?? record.job.message ?? 'The export failed.';
		response.createdAt = record.createdAt;
		for (const key of ['queryId', 'catalogId', 'schemaName', 'tableName']) {
			if (record[key] !== undefined) response[key] = record[key];
		}
		Object.assign(response, {
			source: record.source,
			userId: record.userId,
			userName: record.userName,
			apiKeyPrefix: record.apiKeyPrefix,
			clientSource: record.clientSource,
		});
		return response;
	}

	function presign(record, request, expiresAt) {
		const token = crypto.randomBytes(24).toString('hex');
		store.files.set(token, { projectId: record.projectId, exportId: record.id, expiresAt });
		const signature = crypto.createHash('sha256').update(token).digest('hex');
		const host = request.headers.host;
		const url = `http://${host}${FILES_PREFIX}/${token}/${encodeURIComponent(record.file.name)}`
			+ `?X-Amz-Expires=${FILE_URL_LIFETIME_MS / 1000}&X-Amz-Signature=${signature}`;
		return { name: record.file.name, url, bytes: record.file.content.length };
	}

	function findExport(projectId, exportId) {
		const record = projectExports(projectId).get(exportId);
		if (!record) throw notFound(`Export job not found: ${exportId}`);
		return record;
	}

	app.post('/data/projects/:projectId/queries/:queryId/exports', async (request, reply) => {
		const { projectId, queryId } = request.params;
		const query = engine.savedQueries.get(projectId, queryId);
		if (!query) throw notFound(`There is no query with id: ${queryId}`);
		const relation = engine.savedQueries.relationFor(projectId, queryId);
		const source = {
			name: query.name,
			display: `peaka.query.${sql.quoteIdentifier(query.name)}`,
			sql: relation ? `SELECT * FROM ${qualified(relation)}` : query.inputQuery,
			relation: relation ?? undefined,
		};
		return submit(request, reply, projectId, source, { queryId: String(queryId) });
	});

	app.post('/data/projects/:projectId/catalogs/:catalogId/schemas/:schemaName/tables/:tableName/exports', async (request, reply) => {
		const { projectId, catalogId, schemaName, tableName } = request.params;
		const catalog = (await engine.listCatalogs(projectId)).find((entry) => String(entry.id) === catalogId);
		if (!catalog) throw notFound(`Catalog not found: ${catalogId}`);
		// Throws Peaka's 400 naming a missing schema or table.
		await engine.listColumns(projectId, catalogId, schemaName, tableName);
		const relation = { catalogName: catalog.name, schemaName, tableName };
		const source = {
			name: tableName,
			display: `${catalog.name}.${schemaName}.${sql.quoteIdentifier(tableName)}`,
			sql: `SELECT * FROM ${qualified(relation)}`,
			relation,
		};
		return submit(request, reply, projectId, source, { catalogId, schemaName, tableName });
	});

	app.get('/data/projects/:projectId/exports', async (request) => {
		const { projectId } = request.params;
		const query = request.query;
		let statuses = null;
		if (query.status !== undefined && query.status !== '') {
			statuses = String(query.status).split(',').map((entry) => entry.trim().toUpperCase()).filter(Boolean);
			const unknown = statuses.filter((entry) => !LIST_STATUSES.includes(entry));
			if (unknown.length > 0) throw badRequest(`Invalid status ${unknown.join(', ')}: use ${LIST_STATUSES.join(', ')}, comma-separated.`);
		}
		let limit = DEFAULT_LIST_LIMIT;
		if (query.limit !== undefined) {
			limit = Number(query.limit);
			if (!Number.isInteger(limit)) throw badRequest(`Invalid limit ${JSON.stringify(query.limit)}: send a whole number from 1 to ${MAX_LIST_LIMIT}.`);
			limit = Math.min(MAX_LIST_LIMIT, Math.max(1, limit));
		}
		let before = null;
		if (query.createdBefore !== undefined && query.createdBefore !== '') {
			before = Date.parse(String(query.createdBefore));
			if (Number.isNaN(before)) throw badRequest(`Invalid createdBefore ${JSON.stringify(query.createdBefore)}: send an ISO-8601 time, e.g. 2026-06-10T15:23:26.893985Z.`);
		}
		return [...projectExports(projectId).values()]
			.reverse()
			.filter((record) => before === null || Date.parse(record.createdAt) < before)
			.map((record) => describe(record, request, false))
			.filter((entry) => statuses === null || statuses.includes(entry.status))
			.slice(0, limit);
	});

	app.get('/data/projects/:projectId/exports/:exportId', async (request) => {
		const { projectId, exportId } = request.params;
		return describe(findExport(projectId, exportId), request, true);
	});

	app.delete('/data/projects/:projectId/exports/:exportId', async (request, reply) => {
		const { projectId, exportId } = request.params;
		const record = findExport(projectId, exportId);
		// A no-op on a finished job, as the spec documents.
		ctx.jobs.cancel(record.job);
		return reply.code(204).send();
	});
}

/**
 * Registers the download route outside the API's authentication, as presigned URLs need no key.
 * @param {import('fastify').FastifyInstance} app the root instance
 */
function registerPublic(app, ctx) {
	const store = ctx.state.exports;
	app.get(`${FILES_PREFIX}/:token/:name`, async (request, reply) => {
		const entry = request.emulatorLogEntry;
		if (entry) entry.authorizationHeader = request.headers.authorization !== undefined;
		const grant = store.files.get(request.params.token);
		const record = grant ? store.byProject.get(grant.projectId)?.get(grant.exportId) : undefined;
		if (!grant || !record || !record.file || Date.now() > grant.expiresAt) {
			// Object stores reject an unknown or expired presigned URL with 403 and an XML body.
			return reply.code(403).type('application/xml')
				.send('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired or the signature is invalid</Message></Error>');
		}
		return reply
			.type(record.file.contentType)
			.header('content-disposition', `attachment; filename="${record.file.name}"`)
			.send(record.file.content);
	});
}

function qualified(relation) {
	return [relation.catalogName, relation.schemaName, relation.tableName].map(sql.quoteIdentifier).join('.');
}

function apiKeyPrefix(request) {
	const match = /^Bearer\s+([^.\s]+)/i.exec(request.headers.authorization ?? '');
	return match ? match[1].slice(0, 8) : null;
}

function clientSource(request) {
	return request.headers['x-trino-source'] ?? request.headers['user-agent'] ?? 'peaka-api';
}

module.exports = { register, registerPublic, readExportRequest, renderFile, csvField, FILES_PREFIX, SYSTEM_COLUMNS };
