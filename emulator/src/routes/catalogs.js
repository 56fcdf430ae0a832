'use strict';

const { PeakaError, peakaBody, frameworkBody } = require('../errors');
const sql = require('../engine/sql');
const { projectConnections } = require('./connections');

/**
 * Catalog routes: list, read, create from a connection, delete, share, browse schemas, tables and
 * columns (with cache state and statistics), and the project-wide search.
 *
 * A catalog can be created on one of the connections in EMULATED_CONNECTIONS or on a connection
 * the project made through POST /connections. It is empty (its schemas list no tables) because no
 * data source is behind it. Shared copies are empty in the same way.
 */

/** Ids of the built-in catalogs, which cannot be deleted or shared. */
const BUILT_IN_CATALOG_IDS = new Set(['1', '2']);

/**
 * The connections a catalog can be created on, by id: the type of the new catalog and the
 * schemas it lists. The first two are the connections behind the seeded `datasets` and `stripe`
 * catalogs, and the third is a Google Ads connection.
 */
const EMULATED_CONNECTIONS = {
	'3f6b2c1d-8e4a-4b7c-9d2e-1a5f6c7b8d90': { catalogType: 'postgresql', schemas: ['public'] },
	'7c2d4e6f-1a3b-4c5d-8e9f-0a1b2c3d4e5f': { catalogType: 'stripe', schemas: ['payment'] },
	'5e8a1b2c-3d4f-4a6b-8c7d-9e0f1a2b3c4d': { catalogType: 'google_ads', schemas: ['ads'] },
};

/**
 * Catalog types of connections made through POST /connections, by connector type. A catalog on
 * such a connection lists one empty schema, because no data source is behind it.
 */
const CATALOG_TYPE_BY_CONNECTION_TYPE = { POSTGRES: 'postgresql' };
const CREATED_CONNECTION_SCHEMAS = ['public'];

/** Finds the connection a catalog is created on: a seeded one, or one the project created. */
function findConnection(state, projectId, connectionId) {
	if (EMULATED_CONNECTIONS[connectionId]) return EMULATED_CONNECTIONS[connectionId];
	const created = typeof connectionId === 'string' ? projectConnections(state, projectId).get(connectionId) : undefined;
	if (!created) return undefined;
	const catalogType = CATALOG_TYPE_BY_CONNECTION_TYPE[created.type] ?? created.type.toLowerCase();
	return { catalogType, schemas: CREATED_CONNECTION_SCHEMAS };
}

/** Extra parameters live Peaka asked for when a catalog was created on a Google Ads connection. */
const GOOGLE_ADS_EXTRA_PARAMETERS = ['customerUnderscoreSecret', 'secret', 'token'];

/** Catalog types whose statistics live Peaka rejected with 400 (observed behaviour only). */
const STATISTICS_UNSUPPORTED_TYPES = new Set(['stripe', 'hubspot', 'peaka_mongodb', 'mongodb', 'google_ads']);

/** Search page size when the request sends no limit, as the spec documents. */
const DEFAULT_SEARCH_LIMIT = 100;

/** Digits kept in a distinct fraction. */
const FRACTION_DIGITS = 4;

/** Cache types of a cacheable Stripe table. Live Peaka ran both full and incremental syncs on Stripe tables. */
const STRIPE_CACHE_TYPES = ['FULL_REFRESH', 'INCREMENTAL'];

/**
 * Returns the cache capabilities of a table of a catalog type. Live Peaka reported no cacheable
 * table on Postgres, MongoDB or its own tables, and cacheable tables on Stripe.
 */
function cacheCapabilities(catalogType) {
	if (String(catalogType).toLowerCase() === 'stripe') {
		return { isCacheable: true, supportedCacheTypes: STRIPE_CACHE_TYPES.slice() };
	}
	return { isCacheable: false, supportedCacheTypes: [] };
}

function toCatalog(entry) {
	return {
		id: String(entry.id),
		name: entry.name,
		displayName: entry.displayName,
		catalogType: entry.catalogType ?? entry.type,
		connectionId: entry.connectionId ?? null,
	};
}

/**
 * @param {import('fastify').FastifyInstance} app
 * @param {{ engine: object, behaviour: 'spec'|'observed' }} ctx
 */
function register(app, ctx) {
	const { engine, behaviour, state } = ctx;

	/** Finds a catalog of the project or throws Peaka's not-found error for it. */
	async function findCatalog(projectId, catalogId) {
		const catalogs = await engine.listCatalogs(projectId);
		const entry = catalogs.find((catalog) => String(catalog.id) === catalogId);
		if (!entry) {
			// The spec documents no error here. Live Peaka returned 400 for other deleted resources
			// (saved queries, connections), so observed behaviour does the same for catalogs.
			const status = behaviour === 'observed' ? 400 : 404;
			throw new PeakaError(status, peakaBody(`Catalog not found: ${catalogId}`));
		}
		return entry;
	}

	app.get('/data/projects/:projectId/catalogs', async (request) => {
		const catalogs = await engine.listCatalogs(request.params.projectId);
		return catalogs.map(toCatalog);
	});

	app.get('/data/projects/:projectId/catalogs/:catalogId', async (request) => {
		const { projectId, catalogId } = request.params;
		return toCatalog(await findCatalog(projectId, catalogId));
	});

	app.get('/data/projects/:projectId/catalogs/:catalogId/schemas', async (request) => {
		const { projectId, catalogId } = request.params;
		const catalog = await findCatalog(projectId, catalogId);
		const schemas = await engine.listSchemas(projectId, catalogId);
		return schemas.map((schema) => ({
			catalogId: String(catalog.id),
			catalogName: catalog.name,
			schemaName: schema.name,
		}));
	});

	app.get('/data/projects/:projectId/catalogs/:catalogId/schemas/:schemaName/tables', async (request) => {
		const { projectId, catalogId, schemaName } = request.params;
		const catalog = await findCatalog(projectId, catalogId);
		const tables = await engine.listTables(projectId, catalogId, schemaName);
		const capabilities = cacheCapabilities(catalog.catalogType ?? catalog.type);
		return tables.map((table) => ({
			catalogId: String(catalog.id),
			catalogName: catalog.name,
			schemaName,
			tableName: table.name,
			isCacheable: table.isCacheable ?? capabilities.isCacheable,
			isDynamicTable: table.isDynamicTable ?? false,
			isCached: table.isCached ?? false,
			supportedCacheTypes: table.supportedCacheTypes ?? capabilities.supportedCacheTypes.slice(),
		}));
	});

	app.get('/data/projects/:projectId/catalogs/:catalogId/schemas/:schemaName/tables/:tableName/columns', async (request) => {
		const { projectId, catalogId, schemaName, tableName } = request.params;
		await findCatalog(projectId, catalogId);
		const columns = await engine.listColumns(projectId, catalogId, schemaName, tableName);
		return columns
			.slice()
			.sort((left, right) => (left.order ?? 0) - (right.order ?? 0))
			.map((column) => ({
				name: column.name,
				dataType: column.dataType,
				displayName: column.displayName ?? column.name,
				defaultValue: column.defaultValue ?? null,
				isNotNull: column.nullable === false,
				isUnique: column.isUnique ?? false,
				desc: column.desc ?? null,
			}));
	});

	/** Finds a table of a catalog's schema, with its cache traits, or throws a 400 naming it. */
	async function findTable(projectId, catalogId, schemaName, tableName) {
		const catalog = await findCatalog(projectId, catalogId);
		const tables = await engine.listTables(projectId, catalogId, schemaName);
		const table = tables.find((entry) => entry.name === tableName);
		if (!table) {
			throw PeakaError.badRequest(`Table '${catalog.name}.${schemaName}.${tableName}' does not exist`);
		}
		return { catalog, table };
	}

	app.post('/data/projects/:projectId/catalogs', async (request) => {
		const { projectId } = request.params;
		const body = request.body && typeof request.body === 'object' ? request.body : {};
		const displayName = typeof body.name === 'string' ? body.name.trim() : '';
		const name = catalogSqlName(displayName);
		if (name === '') {
			throw PeakaError.badRequest('Catalog name is missing: send {"name": "sales", "connectionId": "<connection id>"}.');
		}
		const connection = findConnection(state, projectId, body.connectionId);
		if (!connection) {
			throw new PeakaError(400, { error: 'INVALID_CONNECTION_ID', message: 'invalid connection id', errorCode: 'cn004' });
		}
		const extraParameters = body.extraParameters && typeof body.extraParameters === 'object' ? body.extraParameters : {};
		if (behaviour === 'observed' && connection.catalogType === 'google_ads') {
			const missing = GOOGLE_ADS_EXTRA_PARAMETERS.filter((key) => typeof extraParameters[key] !== 'string' || extraParameters[key] === '');
			if (missing.length > 0) {
				throw PeakaError.badRequest(`Required parameters are missing: ${missing.join(', ')}`);
			}
		}
		const project = engine.project(projectId);
		rejectDuplicateName(project, name);
		const entry = {
			id: engine.newQueryId(),
			name,
			displayName,
			type: connection.catalogType,
			connectionId: body.connectionId,
			schemas: connection.schemas.slice(),
		};
		project.catalogs.push(entry);
		return toCatalog(entry);
	});

	app.delete('/data/projects/:projectId/catalogs/:catalogId', async (request, reply) => {
		const { projectId, catalogId } = request.params;
		await findCatalog(projectId, catalogId);
		if (BUILT_IN_CATALOG_IDS.has(catalogId)) {
			throw PeakaError.badRequest(`Catalog ${catalogId} is built in and cannot be deleted.`);
		}
		const project = engine.project(projectId);
		const index = project.catalogs.findIndex((catalog) => String(catalog.id) === catalogId);
		const [removed] = project.catalogs.splice(index, 1);
		if (!removed.schemas) {
			// A seeded catalog is a DuckDB database. Detaching it makes SQL on it fail, as after a delete in Peaka.
			await engine.withConnection(projectId, (connection) => connection.run(`DETACH ${sql.quoteIdentifier(removed.name)}`));
		}
		return reply.code(200).send();
	});

	app.get('/data/projects/:projectId/catalogs/:catalogId/schemas/:schemaName/tables/:tableName/isCached', async (request) => {
		const { projectId, catalogId, schemaName, tableName } = request.params;
		const { catalog, table } = await findTable(projectId, catalogId, schemaName, tableName);
		const capabilities = cacheCapabilities(catalog.catalogType ?? catalog.type);
		return {
			isCached: table.isCached ?? false,
			isCacheable: table.isCacheable ?? capabilities.isCacheable,
			supportedCacheTypes: table.supportedCacheTypes ?? capabilities.supportedCacheTypes.slice(),
		};
	});

	app.get('/data/projects/:projectId/catalogs/:catalogId/schemas/:schemaName/tables/:tableName/statistics', async (request) => {
		const { projectId, catalogId, schemaName, tableName } = request.params;
		const { catalog } = await findTable(projectId, catalogId, schemaName, tableName);
		const catalogType = String(catalog.catalogType ?? catalog.type);
		if (behaviour === 'observed' && STATISTICS_UNSUPPORTED_TYPES.has(catalogType.toLowerCase())) {
			throw PeakaError.badRequest(`Catalog type: ${catalogType} is not being supported yet`);
		}
		const columns = await engine.listColumns(projectId, catalogId, schemaName, tableName);
		const qualified = [catalog.name, schemaName, tableName].map(sql.quoteIdentifier).join('.');
		const counts = columns.map((column, index) => `count(DISTINCT ${sql.quoteIdentifier(column.name)}) AS d${index}`);
		const [row] = await engine.query(projectId, `SELECT count(*) AS total${counts.map((count) => `, ${count}`).join('')} FROM ${qualified}`);
		const total = Number(row.total);
		return {
			catalogId: String(catalog.id),
			schemaName,
			tableName,
			columnStatistics: columns.map((column, index) => ({
				columnName: column.name,
				distinctFraction: distinctFraction(Number(row[`d${index}`]), total),
			})),
		};
	});

	app.post('/data/projects/:projectId/catalogs/:catalogId/share', async (request) => {
		const { projectId, catalogId } = request.params;
		const source = await findCatalog(projectId, catalogId);
		const body = request.body && typeof request.body === 'object' ? request.body : {};
		const targetProjectId = body.targetProjectId;
		if (typeof targetProjectId !== 'string' || targetProjectId === '') {
			throw PeakaError.badRequest('targetProjectId is missing: send {"targetProjectId": "<project id>"}.');
		}
		if (BUILT_IN_CATALOG_IDS.has(catalogId)) {
			throw PeakaError.badRequest(`Catalog ${catalogId} is built in and cannot be shared, because every project has its own.`);
		}
		if (targetProjectId === projectId) {
			throw PeakaError.badRequest(`Catalog ${catalogId} is already in project ${projectId}. Choose another target project.`);
		}
		const identity = request.peaka ?? {};
		if (identity.keyKind === 'project' && identity.projectId !== targetProjectId) {
			const message = `The project API key belongs to project '${identity.projectId}' and cannot access project '${targetProjectId}'.`;
			throw new PeakaError(403, frameworkBody(403, request.url.split('?')[0], message));
		}
		const target = engine.project(targetProjectId);
		rejectDuplicateName(target, source.name);
		const schemas = await engine.listSchemas(projectId, catalogId);
		const shared = {
			id: engine.newQueryId(),
			name: source.name,
			displayName: source.displayName,
			type: source.catalogType ?? source.type,
			connectionId: source.connectionId ?? null,
			schemas: schemas.map((schema) => schema.name),
		};
		target.catalogs.push(shared);
		return { sharedCatalogId: shared.id };
	});

	app.post('/data/projects/:projectId/search', async (request) => {
		const { projectId } = request.params;
		const body = request.body && typeof request.body === 'object' ? request.body : {};
		const limit = body.limit ?? DEFAULT_SEARCH_LIMIT;
		const offset = body.offset ?? 0;
		if (!Number.isInteger(limit) || limit < 1) {
			throw PeakaError.badRequest(`Invalid limit ${JSON.stringify(limit)}: send a whole number of 1 or more.`);
		}
		if (!Number.isInteger(offset) || offset < 0) {
			throw PeakaError.badRequest(`Invalid offset ${JSON.stringify(offset)}: send a whole number of 0 or more.`);
		}
		const text = typeof body.query === 'string' ? body.query : '';
		const hits = await searchHits(projectId, {
			needle: text.toLowerCase(),
			catalog: typeof body.catalog === 'string' && body.catalog !== '' ? body.catalog : undefined,
			schema: typeof body.schema === 'string' && body.schema !== '' ? body.schema : undefined,
		});
		const page = hits.slice(offset, offset + limit);
		const group = (kind) => {
			const entries = page.filter((hit) => hit.kind === kind).map((hit) => hit.entry);
			// Live Peaka sent null for a group without matches.
			return entries.length === 0 && behaviour === 'observed' ? null : entries;
		};
		return {
			matchedCatalogs: group('catalog'),
			matchedSchemas: group('schema'),
			matchedTables: group('table'),
			meta: {
				page: { limit, offset, nextOffset: offset + limit < hits.length ? offset + limit : null },
				query: { text },
			},
		};
	});

	/**
	 * Collects every match of a search: catalogs, then schemas, then tables, each in listing order.
	 * The two built-in catalogs share the SQL name `peaka`, which is reported once.
	 */
	async function searchHits(projectId, { needle, catalog: catalogFilter, schema: schemaFilter }) {
		const hits = [];
		const seen = new Set();
		const add = (kind, entry) => {
			const key = JSON.stringify([kind, entry]);
			if (seen.has(key)) return;
			seen.add(key);
			hits.push({ kind, entry });
		};
		const catalogs = (await engine.listCatalogs(projectId)).filter((catalog) => !catalogFilter || catalog.name === catalogFilter);
		const schemasByCatalog = [];
		for (const catalog of catalogs) {
			if (!schemaFilter && catalog.name.toLowerCase().includes(needle)) add('catalog', { catalog: catalog.name });
			const schemas = (await engine.listSchemas(projectId, String(catalog.id))).filter((schema) => !schemaFilter || schema.name === schemaFilter);
			schemasByCatalog.push([catalog, schemas]);
		}
		for (const [catalog, schemas] of schemasByCatalog) {
			for (const schema of schemas) {
				if (schema.name.toLowerCase().includes(needle)) add('schema', { catalog: catalog.name, schema: schema.name });
			}
		}
		for (const [catalog, schemas] of schemasByCatalog) {
			for (const schema of schemas) {
				for (const table of await engine.listTables(projectId, String(catalog.id), schema.name)) {
					if (table.name.toLowerCase().includes(needle)) {
						add('table', { catalog: catalog.name, schema: schema.name, table: table.name });
					}
				}
			}
		}
		return hits;
	}
}

/** Derives a catalog's SQL name from its display name: lower case, letters, digits and _ only (inferred). */
function catalogSqlName(displayName) {
	return displayName.toLowerCase().replace(/[^a-z0-9_]/g, '');
}

/** Throws the spec's duplicate-name error when the project already has a catalog of that SQL name. */
function rejectDuplicateName(project, name) {
	if (project.catalogs.some((catalog) => catalog.name === name)) {
		// The spec's one error example, word for word.
		throw PeakaError.badRequest('There are already a catalog with same name!!');
	}
}

/**
 * Returns the distinct values as a negative fraction of the rows, as Postgres reports n_distinct
 * for columns whose distinct count grows with the table. NULLs are not counted, and an empty
 * table gives 0.
 * NOTE: the sign convention is inferred from the spec's negative examples (e.g. -0.64). Postgres
 * also reports small distinct counts as positive absolute numbers, which this never does.
 */
function distinctFraction(distinct, total) {
	if (total === 0) return 0;
	const fraction = -Number((distinct / total).toFixed(FRACTION_DIGITS));
	return fraction === 0 ? 0 : fraction;
}

module.exports = { register, cacheCapabilities, EMULATED_CONNECTIONS };
