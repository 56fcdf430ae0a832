'use strict';

const crypto = require('node:crypto');

const { PeakaError, peakaBody } = require('../errors');
const sql = require('../engine/sql');

/**
 * Metadata routes: the project's table metadata (descriptions, columns, AI usage), relations,
 * categorical values, generated semantics, metadata refreshes with their status and callback,
 * golden SQLs, semantic table search and sample questions.
 *
 * The spec types every response here as a free-form object. Shapes follow Peaka's own clients
 * (its MCP server and metadata editor). AI features (semantics, questions, semantic search) are
 * emulated deterministically: word overlap replaces vector search, and descriptions are
 * built from names and types.
 */

/** Duration of a metadata refresh job at jobSpeed 1. */
const DEFAULT_REFRESH_DURATION_MS = 2000;
const RELATION_TYPES = ['MANY_TO_ONE', 'ONE_TO_MANY', 'ONE_TO_ONE'];
const CATEGORICAL_FREQUENCIES = ['NONE', 'DAILY', 'WEEKLY', 'MONTHLY'];
/** Hits of a semantic search when the request sends no topK. */
const DEFAULT_TOP_K = 5;
const MAX_GOLDEN_SQL_HITS = 10;
const SAMPLE_QUESTIONS = 5;

/** Refresh statuses by job state: the spec's enum, and the lower-kebab spelling live Peaka sent. */
const REFRESH_STATUS = { PENDING: 'WAITING', RUNNING: 'ACTIVE', SUCCESS: 'COMPLETED', FAILED: 'FAILED', CANCELLED: 'FAILED' };
const IDLE_REFRESH_STATUS = 'NOT_ACTIVE';

function spell(status, behaviour) {
	return behaviour === 'observed' ? status.toLowerCase().replace(/_/g, '-') : status;
}

function words(text) {
	return new Set(String(text ?? '').toLowerCase().split(/[^a-z0-9]+/).filter((word) => word.length > 1));
}

/** Counts the words of `needle` found in `text`, half for a prefix match, in place of Peaka's vector similarity. */
function overlap(needle, text) {
	const haystack = words(text);
	let score = 0;
	for (const word of words(needle)) {
		if (haystack.has(word)) score += 1;
		else if ([...haystack].some((candidate) => candidate.startsWith(word) || word.startsWith(candidate))) score += 0.5;
	}
	return score;
}

function stableId(...parts) {
	const hex = crypto.createHash('sha1').update(parts.join('\u0000')).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function requireObject(body) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		throw PeakaError.badRequest('The request body must be a JSON object.');
	}
	return body;
}

function requireText(body, name, example) {
	const value = body[name];
	if (typeof value !== 'string' || value.trim() === '') {
		throw PeakaError.badRequest(`${name} is missing: send {"${name}": ${JSON.stringify(example)}}.`);
	}
	return value;
}

/**
 * @param {import('fastify').FastifyInstance} app
 * @param {{ engine: object, state: object, behaviour: 'spec'|'observed', options: object, jobs: object }} ctx
 */
function register(app, ctx) {
	const { engine, state, behaviour } = ctx;
	const refreshDurationMs = ctx.options?.metadataRefreshMs ?? DEFAULT_REFRESH_DURATION_MS;
	// Time after a refresh request during which its status still shows the previous run, as live
	// materialized-query statuses did; 0 by default. Tests raise it to catch naive waiting.
	const statusLagMs = ctx.options?.metadataStatusLagMs ?? 0;

	/** Returns the project's metadata edits, creating them on first use. */
	function store(projectId) {
		if (!state.metadata.has(projectId)) {
			state.metadata.set(projectId, {
				tables: new Map(),
				aiUsage: new Map(),
				relations: [],
				callback: null,
				refreshRequests: [],
			});
		}
		return state.metadata.get(projectId);
	}

	function notFound(message) {
		// The spec documents no error here; live Peaka returned 400 for missing resources elsewhere.
		return new PeakaError(behaviour === 'observed' ? 400 : 404, peakaBody(message));
	}

	async function findCatalog(projectId, catalogId) {
		const catalog = (await engine.listCatalogs(projectId)).find((entry) => String(entry.id) === String(catalogId));
		if (!catalog) throw notFound(`Catalog not found: ${catalogId}`);
		return catalog;
	}

	function tableKey(catalogId, schemaName, tableName) {
		return `${catalogId}/${schemaName}/${tableName}`;
	}

	/** Effective AI usage: the table's own setting, else its schema's, else its catalog's, else on. */
	function useWithAI(projectId, catalogId, schemaName, tableName) {
		const metadata = store(projectId);
		const table = metadata.tables.get(tableKey(catalogId, schemaName, tableName));
		if (table && table.useWithAI !== undefined) return table.useWithAI;
		const schemaSetting = metadata.aiUsage.get(`${catalogId}/${schemaName}`);
		if (schemaSetting !== undefined) return schemaSetting;
		return metadata.aiUsage.get(String(catalogId)) ?? true;
	}

	/** Builds the TableMetadata of one table from the engine's columns and the stored edits. */
	async function tableMetadata(projectId, catalog, schemaName, tableName) {
		const catalogId = String(catalog.id);
		const columns = await engine.listColumns(projectId, catalogId, schemaName, tableName);
		const edits = store(projectId).tables.get(tableKey(catalogId, schemaName, tableName)) ?? { columns: new Map() };
		const tables = await engine.listTables(projectId, catalogId, schemaName);
		const table = tables.find((entry) => entry.name === tableName) ?? {};
		return {
			projectId,
			catalogId,
			catalogType: catalog.catalogType ?? catalog.type,
			catalogSubType: null,
			catalogQueryName: catalog.name,
			catalogDisplayName: catalog.displayName,
			schemaName,
			tableName,
			tableDescription: edits.tableDescription ?? null,
			isCacheable: table.isCacheable ?? false,
			isDynamicTable: table.isDynamicTable ?? false,
			useWithAI: useWithAI(projectId, catalogId, schemaName, tableName),
			columns: columns.map((column, order) => {
				const edit = edits.columns.get(column.name) ?? {};
				return {
					columnName: column.name,
					columnDescription: edit.columnDescription ?? null,
					dataType: column.dataType,
					order,
					isNotNull: column.nullable === false,
					isSystem: column.name.startsWith('_'),
					isUnique: false,
					isPrimary: false,
					isCategorical: edit.isCategorical ?? false,
					categoricalValues: edit.categoricalValues ?? [],
					lineage: [],
				};
			}),
			relations: store(projectId).relations.filter((relation) => relation.sourceCatalogId === catalogId
				&& relation.sourceSchemaName === schemaName && relation.sourceTableName === tableName),
		};
	}

	/** Text of a table's metadata, as Peaka indexes it for search. */
	function contentOf(metadata) {
		const columns = metadata.columns.map((column) => `${column.columnName} ${column.dataType}${column.columnDescription ? ` ${column.columnDescription}` : ''}`);
		return `${metadata.catalogQueryName}.${metadata.schemaName}.${metadata.tableName}: ${metadata.tableDescription ?? ''} Columns: ${columns.join(', ')}`;
	}

	/** Lists every table's metadata, optionally for one catalog and schema. */
	async function allTables(projectId, filter = {}) {
		const result = [];
		for (const catalog of await engine.listCatalogs(projectId)) {
			if (filter.catalogId && String(catalog.id) !== String(filter.catalogId)) continue;
			for (const schema of await engine.listSchemas(projectId, String(catalog.id))) {
				if (filter.schemaName && schema.name !== filter.schemaName) continue;
				for (const table of await engine.listTables(projectId, String(catalog.id), schema.name)) {
					result.push(await tableMetadata(projectId, catalog, schema.name, table.name));
				}
			}
		}
		return result;
	}

	async function requireTable(projectId, catalogId, schemaName, tableName) {
		const catalog = await findCatalog(projectId, catalogId);
		// Throws Peaka's 400 naming a missing schema or table.
		await engine.listColumns(projectId, String(catalog.id), schemaName, tableName);
		return catalog;
	}

	function tableEdits(projectId, catalogId, schemaName, tableName) {
		const tables = store(projectId).tables;
		const key = tableKey(catalogId, schemaName, tableName);
		if (!tables.has(key)) tables.set(key, { columns: new Map() });
		return tables.get(key);
	}

	// -- Metadata and AI usage ------------------------------------------------------------------

	app.get('/metadata/:projectId', async (request) => {
		const { projectId } = request.params;
		const { catalogId, schemaName } = request.query;
		if (catalogId) await findCatalog(projectId, catalogId);
		const tables = await allTables(projectId, { catalogId, schemaName });
		return {
			metadata: tables.map((metadata) => ({
				id: stableId(projectId, metadata.catalogId, metadata.schemaName, metadata.tableName),
				content: contentOf(metadata),
				metadata,
			})),
		};
	});

	function readUseWithAI(body) {
		requireObject(body);
		if (typeof body.useWithAI !== 'boolean') {
			throw PeakaError.badRequest(`Invalid useWithAI ${JSON.stringify(body.useWithAI)}: send {"useWithAI": true} or false.`);
		}
		return body.useWithAI;
	}

	app.put('/metadata/:projectId/:catalogId', async (request) => {
		const { projectId, catalogId } = request.params;
		const value = readUseWithAI(request.body);
		await findCatalog(projectId, catalogId);
		const metadata = store(projectId);
		// A catalog-level setting applies to everything below it, so narrower settings are dropped.
		for (const key of [...metadata.aiUsage.keys()]) if (key.startsWith(`${catalogId}/`)) metadata.aiUsage.delete(key);
		for (const [key, edits] of metadata.tables) if (key.startsWith(`${catalogId}/`)) delete edits.useWithAI;
		metadata.aiUsage.set(String(catalogId), value);
		return { catalogId, useWithAI: value };
	});

	app.put('/metadata/:projectId/:catalogId/:schemaName', async (request) => {
		const { projectId, catalogId, schemaName } = request.params;
		const value = readUseWithAI(request.body);
		await findCatalog(projectId, catalogId);
		const schemas = await engine.listSchemas(projectId, catalogId);
		if (!schemas.some((schema) => schema.name === schemaName)) {
			throw PeakaError.badRequest(`Schema '${schemaName}' does not exist in catalog '${catalogId}'`);
		}
		const metadata = store(projectId);
		for (const [key, edits] of metadata.tables) if (key.startsWith(`${catalogId}/${schemaName}/`)) delete edits.useWithAI;
		metadata.aiUsage.set(`${catalogId}/${schemaName}`, value);
		return { catalogId, schemaName, useWithAI: value };
	});

	app.put('/metadata/:projectId/:catalogId/:schemaName/:tableName', async (request) => {
		const { projectId, catalogId, schemaName, tableName } = request.params;
		const body = requireObject(request.body);
		const catalog = await requireTable(projectId, catalogId, schemaName, tableName);
		const known = (await engine.listColumns(projectId, catalogId, schemaName, tableName)).map((column) => column.name);
		if (body.tableDescription !== undefined && body.tableDescription !== null && typeof body.tableDescription !== 'string') {
			throw PeakaError.badRequest('tableDescription must be text.');
		}
		if (body.useWithAI !== undefined && body.useWithAI !== null && typeof body.useWithAI !== 'boolean') {
			throw PeakaError.badRequest('useWithAI must be true or false.');
		}
		const columns = body.columns ?? [];
		if (!Array.isArray(columns)) throw PeakaError.badRequest('columns must be an array of MetadataColumn objects.');
		for (const column of columns) {
			if (!column || typeof column.columnName !== 'string') {
				throw PeakaError.badRequest(`Every column needs a columnName; got ${JSON.stringify(column)}.`);
			}
			if (!known.includes(column.columnName)) {
				throw PeakaError.badRequest(`Column '${column.columnName}' does not exist in table '${catalog.name}.${schemaName}.${tableName}'`);
			}
		}
		const edits = tableEdits(projectId, catalogId, schemaName, tableName);
		if (body.tableDescription !== undefined) edits.tableDescription = body.tableDescription;
		if (typeof body.useWithAI === 'boolean') edits.useWithAI = body.useWithAI;
		for (const column of columns) {
			const edit = edits.columns.get(column.columnName) ?? {};
			if (column.columnDescription !== undefined) edit.columnDescription = column.columnDescription;
			if (typeof column.isCategorical === 'boolean') edit.isCategorical = column.isCategorical;
			if (Array.isArray(column.categoricalValues)) edit.categoricalValues = column.categoricalValues.map(String);
			edits.columns.set(column.columnName, edit);
		}
		return tableMetadata(projectId, catalog, schemaName, tableName);
	});

	// -- Relations ------------------------------------------------------------------------------

	function readRelationType(body) {
		const type = body.type;
		if (!RELATION_TYPES.includes(type)) {
			throw PeakaError.badRequest(`Invalid relation type ${JSON.stringify(type)}: use one of ${RELATION_TYPES.join(', ')}.`);
		}
		return type;
	}

	function findRelation(projectId, catalogId, schemaName, tableName, relationId) {
		const relation = store(projectId).relations.find((entry) => entry.id === relationId
			&& entry.sourceCatalogId === catalogId && entry.sourceSchemaName === schemaName && entry.sourceTableName === tableName);
		if (!relation) throw notFound(`Relation not found: ${relationId} on ${catalogId}.${schemaName}.${tableName}`);
		return relation;
	}

	async function requireColumn(projectId, catalogId, schemaName, tableName, columnName) {
		const catalog = await requireTable(projectId, catalogId, schemaName, tableName);
		const columns = await engine.listColumns(projectId, catalogId, schemaName, tableName);
		if (!columns.some((column) => column.name === columnName)) {
			throw PeakaError.badRequest(`Column '${columnName}' does not exist in table '${catalog.name}.${schemaName}.${tableName}'`);
		}
		return catalog;
	}

	app.get('/metadata/:projectId/relations/:catalogId', async (request) => {
		const { projectId, catalogId } = request.params;
		await findCatalog(projectId, catalogId);
		return { relations: store(projectId).relations.filter((relation) => relation.sourceCatalogId === catalogId) };
	});

	app.post('/metadata/:projectId/relations/:catalogId/:schemaName/:tableName/:columnName', async (request) => {
		const { projectId, catalogId, schemaName, tableName, columnName } = request.params;
		const body = requireObject(request.body);
		const type = readRelationType(body);
		const target = {
			catalogId: requireText(body, 'targetCatalogId', '846085284821991568'),
			schemaName: requireText(body, 'targetSchemaName', 'public'),
			tableName: requireText(body, 'targetTableName', 'airports'),
			columnName: requireText(body, 'targetColumnName', 'iata'),
		};
		const source = await requireColumn(projectId, catalogId, schemaName, tableName, columnName);
		const targetCatalog = await requireColumn(projectId, target.catalogId, target.schemaName, target.tableName, target.columnName);
		const relation = {
			id: crypto.randomUUID(),
			projectId,
			sourceCatalogId: catalogId,
			sourceCatalogName: source.name,
			sourceSchemaName: schemaName,
			sourceTableName: tableName,
			sourceColumnName: columnName,
			targetCatalogId: String(target.catalogId),
			targetCatalogName: targetCatalog.name,
			targetSchemaName: target.schemaName,
			targetTableName: target.tableName,
			targetColumnName: target.columnName,
			type,
		};
		store(projectId).relations.push(relation);
		return relation;
	});

	app.put('/metadata/:projectId/relations/:catalogId/:schemaName/:tableName/:relationId', async (request) => {
		const { projectId, catalogId, schemaName, tableName, relationId } = request.params;
		const type = readRelationType(requireObject(request.body));
		const relation = findRelation(projectId, catalogId, schemaName, tableName, relationId);
		relation.type = type;
		return relation;
	});

	app.delete('/metadata/:projectId/relations/:catalogId/:schemaName/:tableName/:relationId', async (request) => {
		const { projectId, catalogId, schemaName, tableName, relationId } = request.params;
		const relation = findRelation(projectId, catalogId, schemaName, tableName, relationId);
		const metadata = store(projectId);
		metadata.relations = metadata.relations.filter((entry) => entry !== relation);
		return relation;
	});

	// -- Categorical values and semantics ---------------------------------------------------------

	app.put('/metadata/:projectId/categorical/:catalogId/:schemaName/:tableName/:columnName', async (request) => {
		const { projectId, catalogId, schemaName, tableName, columnName } = request.params;
		const body = requireObject(request.body);
		if (!Number.isInteger(body.limit) || body.limit < 1) {
			throw PeakaError.badRequest(`Invalid limit ${JSON.stringify(body.limit)}: send the number of values to keep, e.g. 10.`);
		}
		if (!CATEGORICAL_FREQUENCIES.includes(body.frequency)) {
			throw PeakaError.badRequest(`Invalid frequency ${JSON.stringify(body.frequency)}: use one of ${CATEGORICAL_FREQUENCIES.join(', ')}.`);
		}
		const catalog = await requireColumn(projectId, catalogId, schemaName, tableName, columnName);
		const relation = [catalog.name, schemaName, tableName].map(sql.quoteIdentifier).join('.');
		const column = sql.quoteIdentifier(columnName);
		// The most frequent values first, ties by value, so the result is stable.
		const rows = await engine.query(projectId,
			`SELECT CAST(${column} AS VARCHAR) AS value, count(*) AS hits FROM ${relation} WHERE ${column} IS NOT NULL
			 GROUP BY 1 ORDER BY hits DESC, value LIMIT ${body.limit}`);
		const edits = tableEdits(projectId, catalogId, schemaName, tableName);
		const edit = edits.columns.get(columnName) ?? {};
		edit.isCategorical = true;
		edit.categoricalValues = rows.map((row) => row.value);
		edit.categoricalSchedule = { limit: body.limit, frequency: body.frequency };
		edits.columns.set(columnName, edit);
		return { catalogId, schemaName, tableName, columnName, isCategorical: true, categoricalValues: edit.categoricalValues, limit: body.limit, frequency: body.frequency };
	});

	app.delete('/metadata/:projectId/categorical/:catalogId/:schemaName/:tableName/:columnName', async (request) => {
		const { projectId, catalogId, schemaName, tableName, columnName } = request.params;
		await requireColumn(projectId, catalogId, schemaName, tableName, columnName);
		const edits = tableEdits(projectId, catalogId, schemaName, tableName);
		const edit = edits.columns.get(columnName) ?? {};
		edit.isCategorical = false;
		edit.categoricalValues = [];
		delete edit.categoricalSchedule;
		edits.columns.set(columnName, edit);
		return { catalogId, schemaName, tableName, columnName, isCategorical: false, categoricalValues: [] };
	});

	app.post('/metadata/:projectId/semantics/:catalogId/:schemaName/:tableName', async (request) => {
		const { projectId, catalogId, schemaName, tableName } = request.params;
		const body = requireObject(request.body);
		if (body.limit !== undefined && (!Number.isInteger(body.limit) || body.limit < 1)) {
			throw PeakaError.badRequest(`Invalid limit ${JSON.stringify(body.limit)}: send the number of sample rows, e.g. 10.`);
		}
		const catalog = await requireTable(projectId, catalogId, schemaName, tableName);
		const metadata = await tableMetadata(projectId, catalog, schemaName, tableName);
		const prompt = typeof body.initialPrompt === 'string' && body.initialPrompt.trim() !== '' ? ` ${body.initialPrompt.trim()}` : '';
		// NOTE: Peaka uses a language model here. These suggestions come from names and types, and
		// the emulator does not store them; whether Peaka stores its suggestions is not known.
		metadata.tableDescription = `Rows of ${catalog.name}.${schemaName}.${tableName}, with ${metadata.columns.length} columns.${prompt}`;
		for (const column of metadata.columns) {
			column.columnDescription = `${column.columnName.replace(/_/g, ' ')} (${column.dataType})`;
		}
		return { metadata, threadId: typeof body.threadId === 'string' && body.threadId !== '' ? body.threadId : crypto.randomUUID() };
	});

	// -- Refresh ------------------------------------------------------------------------------

	function refreshStatus(projectId, catalogId) {
		const at = Date.now();
		const visible = ctx.jobs.list({ kind: 'metadata', target: String(catalogId), projectId })
			.find((job) => job.requestedAt + statusLagMs <= at);
		if (!visible) return IDLE_REFRESH_STATUS;
		return REFRESH_STATUS[ctx.jobs.state(visible)];
	}

	app.post('/metadata/:projectId/refresh', async (request) => {
		const { projectId } = request.params;
		const body = request.body && typeof request.body === 'object' ? request.body : {};
		const catalogs = body.catalogId === undefined || body.catalogId === null || body.catalogId === ''
			? await engine.listCatalogs(projectId)
			: [await findCatalog(projectId, String(body.catalogId))];
		const callback = typeof body.callbackURL === 'string' && body.callbackURL !== ''
			? { callbackURL: body.callbackURL, callbackToken: body.callbackToken ?? null }
			: null;
		for (const catalog of catalogs) {
			const job = ctx.jobs.start({ kind: 'metadata', target: String(catalog.id), projectId, durationMs: refreshDurationMs });
			// NOTE: callbacks are recorded, not delivered: Peaka does not document their request format.
			store(projectId).refreshRequests.push({ jobId: job.id, catalogId: String(catalog.id), callback });
		}
		return {};
	});

	app.get('/metadata/:projectId/refresh/callback', async (request) => {
		const callback = store(request.params.projectId).callback;
		return callback ? { ...callback } : {};
	});

	app.post('/metadata/:projectId/refresh/callback', async (request) => {
		const body = requireObject(request.body);
		const callbackURL = requireText(body, 'callbackURL', 'https://example.com/peaka-refresh');
		let parsed;
		try {
			parsed = new URL(callbackURL);
		} catch {
			parsed = null;
		}
		if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
			throw PeakaError.badRequest(`Invalid callbackURL ${JSON.stringify(callbackURL)}: send an http or https URL.`);
		}
		const callback = { callbackURL, callbackToken: typeof body.callbackToken === 'string' ? body.callbackToken : null };
		store(request.params.projectId).callback = callback;
		return { ...callback };
	});

	app.delete('/metadata/:projectId/refresh/callback', async (request) => {
		store(request.params.projectId).callback = null;
		return {};
	});

	app.get('/metadata/:projectId/refresh/:catalogId', async (request) => {
		const { projectId, catalogId } = request.params;
		await findCatalog(projectId, catalogId);
		return { status: spell(refreshStatus(projectId, catalogId), behaviour) };
	});

	// -- Golden SQLs ------------------------------------------------------------------------------

	function goldenSqls(projectId) {
		if (!state.goldenSqls.has(projectId)) state.goldenSqls.set(projectId, []);
		return state.goldenSqls.get(projectId);
	}

	function goldenSqlItem(entry) {
		return { id: entry.id, content: entry.question, metadata: { sql: entry.sql, prompt: entry.question, projectId: entry.projectId } };
	}

	app.get('/metadata/:projectId/golden-sqls', async (request) => ({
		result: goldenSqls(request.params.projectId).map(goldenSqlItem),
	}));

	app.post('/metadata/:projectId/golden-sqls', async (request) => {
		const { projectId } = request.params;
		const body = requireObject(request.body);
		const question = requireText(body, 'prompt', 'How many flights left from SEA?');
		const text = requireText(body, 'sql', 'SELECT count(*) FROM datasets.public.flights WHERE origin = \'SEA\'');
		const entry = { id: crypto.randomUUID(), question, sql: text, projectId, createdAt: new Date().toISOString() };
		goldenSqls(projectId).push(entry);
		return goldenSqlItem(entry);
	});

	app.delete('/metadata/:projectId/golden-sqls/:id', async (request) => {
		const { projectId, id } = request.params;
		const entries = goldenSqls(projectId);
		const index = entries.findIndex((entry) => entry.id === id);
		if (index === -1) throw notFound(`Golden SQL not found: ${id}`);
		const [removed] = entries.splice(index, 1);
		return goldenSqlItem(removed);
	});

	app.get('/metadata/:projectId/golden-sql/query', async (request) => {
		const question = request.query.q;
		if (typeof question !== 'string' || question.trim() === '') {
			throw PeakaError.badRequest('Query parameter q is missing: send the question, e.g. ?q=flights from Seattle.');
		}
		const ranked = goldenSqls(request.params.projectId)
			.map((entry) => ({ entry, score: overlap(question, `${entry.question} ${entry.sql}`) }))
			.filter((hit) => hit.score > 0)
			.sort((left, right) => right.score - left.score)
			.slice(0, MAX_GOLDEN_SQL_HITS);
		return { result: ranked.map(({ entry }) => ({ question: entry.question, sql: entry.sql })) };
	});

	// -- Search and questions -----------------------------------------------------------------

	function readTopK(value) {
		if (value === undefined || value === '') return DEFAULT_TOP_K;
		const topK = Number(value);
		if (!Number.isInteger(topK) || topK < 1) throw PeakaError.badRequest(`Invalid topK ${JSON.stringify(value)}: send a whole number of 1 or more.`);
		return topK;
	}

	app.get('/metadata/:projectId/query', async (request) => {
		const text = request.query.table;
		if (typeof text !== 'string' || text.trim() === '') {
			throw PeakaError.badRequest('Query parameter table is missing: send what to look for, e.g. ?table=flight delays.');
		}
		const topK = readTopK(request.query.topK);
		const tables = (await allTables(request.params.projectId)).filter((metadata) => metadata.useWithAI);
		const ranked = tables
			.map((metadata) => ({ metadata, score: overlap(text, `${metadata.tableName} ${contentOf(metadata)}`) + overlap(text, metadata.tableName) }))
			.filter((hit) => hit.score > 0)
			.sort((left, right) => right.score - left.score)
			.slice(0, topK);
		return { result: ranked.map((hit) => hit.metadata) };
	});

	app.get('/metadata/:projectId/questions/generate', async (request) => {
		const question = request.query.question;
		if (typeof question !== 'string' || question.trim() === '') {
			throw PeakaError.badRequest('Query parameter question is missing: send a topic or question, e.g. ?question=flight delays.');
		}
		const tables = (await allTables(request.params.projectId)).filter((metadata) => metadata.useWithAI);
		const best = tables
			.map((metadata) => ({ metadata, score: overlap(question, contentOf(metadata)) }))
			.sort((left, right) => right.score - left.score)[0];
		const questions = [];
		if (best) {
			const { tableName, columns } = best.metadata;
			const named = columns.filter((column) => !column.isSystem);
			questions.push({ question: `How many rows does ${tableName} have?`, category: 'aggregation' });
			for (const column of named.slice(0, SAMPLE_QUESTIONS - 1)) {
				questions.push({ question: `What are the most common values of ${column.columnName} in ${tableName}?`, category: 'distribution' });
			}
		}
		return { questions, threadId: crypto.randomUUID() };
	});
}

module.exports = { register, RELATION_TYPES, CATEGORICAL_FREQUENCIES, REFRESH_STATUS };
