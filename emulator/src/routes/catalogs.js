'use strict';

const { PeakaError, peakaBody } = require('../errors');

/**
 * Catalog browsing: catalogs (list, read), schemas, tables and columns, read from the engine.
 * Creating, deleting and sharing catalogs is not emulated, so those operations return 501.
 */

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
	const { engine, behaviour } = ctx;

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
}

module.exports = { register, cacheCapabilities };
