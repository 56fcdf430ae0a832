'use strict';

const { PeakaError, frameworkBody } = require('../errors');
const sql = require('../engine/sql');

/**
 * Semantic catalog routes: create a semantic catalog, add a table backed by a saved query, delete
 * a table, and share the catalog with another project.
 *
 * The spec says a semantic table "maps a saved query to a table, making it queryable via SQL like
 * any other table", so each semantic catalog is a DuckDB database attached under its name, and
 * each semantic table is a view over the saved query's view `peaka.query.<name>`. Nothing is
 * stored: a run reads the saved query as it is at that moment, and a deleted saved query makes
 * its semantic tables fail. The tables' records live in `state.semanticTables`.
 */

const SEMANTIC_TYPE = 'SEMANTIC';

/** A name usable as a DuckDB database name and as an unquoted Trino identifier. */
const CATALOG_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Names SQL already gives a meaning: Peaka's built-in catalogs and DuckDB's own databases. */
const RESERVED_CATALOG_NAMES = new Set(['peaka', 'memory', 'system', 'temp', 'main']);

/**
 * @param {import('fastify').FastifyInstance} app
 * @param {{ engine: object, state: object, behaviour: 'spec'|'observed' }} ctx
 */
function register(app, ctx) {
	const { engine, state, behaviour } = ctx;

	function tablesOf(projectId) {
		let tables = state.semanticTables.get(projectId);
		if (!tables) {
			tables = new Map();
			state.semanticTables.set(projectId, tables);
		}
		return tables;
	}

	/** Finds a semantic catalog of the project; an unknown id or a catalog of another type fails. */
	function findSemanticCatalog(projectId, catalogId) {
		const catalog = engine.project(projectId).catalogs.find((entry) => String(entry.id) === catalogId);
		if (!catalog) {
			// As for other catalogs: 404 by the spec's pattern, 400 as live Peaka returned for deleted resources.
			const status = behaviour === 'observed' ? 400 : 404;
			throw new PeakaError(status, { errorCode: 100, message: `Catalog not found: ${catalogId}` });
		}
		if (catalog.type !== SEMANTIC_TYPE) {
			throw PeakaError.badRequest(`Catalog ${catalogId} (${catalog.name}) is not a semantic catalog: its type is ${catalog.type}.`);
		}
		return catalog;
	}

	app.post('/data/projects/:projectId/semantic-catalogs', async (request) => {
		const { projectId } = request.params;
		const body = request.body && typeof request.body === 'object' ? request.body : {};
		const name = typeof body.name === 'string' ? body.name.trim() : '';
		if (!CATALOG_NAME_PATTERN.test(name)) {
			throw PeakaError.badRequest(`Invalid semantic catalog name ${JSON.stringify(body.name)}: use letters, digits and _, starting with a letter, e.g. "sales_semantic".`);
		}
		const project = engine.project(projectId);
		const lowerName = name.toLowerCase();
		if (RESERVED_CATALOG_NAMES.has(lowerName) || project.catalogs.some((catalog) => catalog.name.toLowerCase() === lowerName)) {
			// The spec's duplicate-name message for catalogs, word for word.
			throw PeakaError.badRequest('There are already a catalog with same name!!');
		}
		await engine.withConnection(projectId, (connection) => connection.run(`ATTACH ':memory:' AS ${sql.quoteIdentifier(name)}`));
		const entry = { id: engine.newQueryId(), name, displayName: name, type: SEMANTIC_TYPE, connectionId: null };
		project.catalogs.push(entry);
		// NOTE: the spec's example puts the type under `type`, but its Catalog schema names the
		// field `catalogType`. The emulator follows the schema, as List Catalogs does.
		return { id: entry.id, name: entry.name, displayName: entry.displayName, catalogType: SEMANTIC_TYPE };
	});

	app.post('/data/projects/:projectId/semantic-catalogs/:catalogId', async (request) => {
		const { projectId, catalogId } = request.params;
		const catalog = findSemanticCatalog(projectId, catalogId);
		if (catalog.sharedFrom) {
			throw PeakaError.badRequest(`Semantic catalog ${catalogId} was shared from project ${catalog.sharedFrom.projectId}: add tables there.`);
		}
		const body = request.body && typeof request.body === 'object' ? request.body : {};
		for (const field of ['schemaName', 'tableName', 'queryId']) {
			if (typeof body[field] !== 'string' || body[field].trim() === '') {
				throw PeakaError.badRequest(`${field} is missing: send {"schemaName": "sales", "tableName": "revenue", "queryId": "<saved query id>"}.`);
			}
		}
		const schemaName = body.schemaName.trim();
		const tableName = body.tableName.trim();
		const query = engine.savedQueries.get(projectId, body.queryId);
		if (!query) {
			const status = behaviour === 'observed' ? 400 : 404;
			throw new PeakaError(status, { errorCode: 100, message: `Query not found: ${body.queryId}` });
		}
		const relation = engine.savedQueries.relationFor(projectId, body.queryId);
		if (!relation) {
			throw PeakaError.badRequest(`Query ${body.queryId} (${query.name}) cannot be read as a table: its SQL did not compile when it was saved.`);
		}
		const tables = tablesOf(projectId);
		const taken = [...tables.values()].some((table) => table.catalogId === catalogId && table.schemaName === schemaName && table.tableName === tableName);
		if (taken) {
			throw PeakaError.badRequest(`Table '${catalog.name}.${schemaName}.${tableName}' already exists.`);
		}
		const target = [catalog.name, schemaName, tableName].map(sql.quoteIdentifier).join('.');
		await engine.withConnection(projectId, async (connection) => {
			await connection.run(`CREATE SCHEMA IF NOT EXISTS ${sql.quoteIdentifier(catalog.name)}.${sql.quoteIdentifier(schemaName)}`);
			// The logical saved query, never its materialized copy: a semantic table stores no data.
			await connection.run(`CREATE VIEW ${target} AS SELECT * FROM peaka.query.${sql.quoteIdentifier(query.name)}`);
		});
		const record = { tableId: engine.newQueryId(), catalogId, catalogName: catalog.name, schemaName, tableName, queryId: String(body.queryId) };
		tables.set(record.tableId, record);
		return { tableId: record.tableId, catalogId, catalogName: catalog.name, schemaName, tableName };
	});

	app.delete('/data/projects/:projectId/semantic-catalogs/:catalogId/table/:tableId', async (request, reply) => {
		const { projectId, catalogId, tableId } = request.params;
		const catalog = findSemanticCatalog(projectId, catalogId);
		const tables = tablesOf(projectId);
		const record = tables.get(tableId);
		if (!record || record.catalogId !== catalogId) {
			const status = behaviour === 'observed' ? 400 : 404;
			throw new PeakaError(status, { errorCode: 100, message: `Semantic table not found: ${tableId} in catalog ${catalogId}` });
		}
		const target = [catalog.name, record.schemaName, record.tableName].map(sql.quoteIdentifier).join('.');
		await engine.withConnection(projectId, (connection) => connection.run(`DROP VIEW IF EXISTS ${target}`));
		tables.delete(tableId);
		// The saved query behind the table stays.
		return reply.code(200).send();
	});

	app.post('/data/projects/:projectId/semantic-catalogs/:catalogId/share', async (request, reply) => {
		const { projectId, catalogId } = request.params;
		const source = findSemanticCatalog(projectId, catalogId);
		const body = request.body && typeof request.body === 'object' ? request.body : {};
		const targetProjectId = body.target;
		if (typeof targetProjectId !== 'string' || targetProjectId === '') {
			throw PeakaError.badRequest('target is missing: send {"target": "<project id>"}.');
		}
		if (targetProjectId === projectId) {
			throw PeakaError.badRequest(`Semantic catalog ${catalogId} is already in project ${projectId}. Choose another target project.`);
		}
		const identity = request.peaka ?? {};
		if (identity.keyKind === 'project' && identity.projectId !== targetProjectId) {
			const message = `The project API key belongs to project '${identity.projectId}' and cannot access project '${targetProjectId}'.`;
			throw new PeakaError(403, frameworkBody(403, request.url.split('?')[0], message));
		}
		const target = engine.project(targetProjectId);
		if (target.catalogs.some((catalog) => catalog.name.toLowerCase() === source.name.toLowerCase())) {
			throw PeakaError.badRequest('There are already a catalog with same name!!');
		}
		const schemas = [...new Set([...tablesOf(projectId).values()].filter((table) => table.catalogId === catalogId).map((table) => table.schemaName))];
		// NOTE: the shared copy lists the schemas but no tables: its saved queries live in the
		// source project's engine, which the target project's SQL cannot reach in the emulator.
		target.catalogs.push({
			id: engine.newQueryId(),
			name: source.name,
			displayName: source.displayName,
			type: SEMANTIC_TYPE,
			connectionId: null,
			schemas: schemas.sort(),
			sharedFrom: { projectId, catalogId },
		});
		return reply.code(200).send();
	});
}

module.exports = { register, SEMANTIC_TYPE };
