'use strict';

/**
 * The emulator's SQL engine: one DuckDB instance per project, so that each project has its own
 * `peaka` catalog as in Peaka. Peaka's SQL catalogs are DuckDB databases attached under the same
 * names, so `"catalog"."schema"."table"` names resolve as they do in Peaka's Trino.
 *
 * The first project also gets `datasets` (public datasets from the vega-datasets package, read
 * in place from its files, plus the writable `events` table and the `edge_types` table) and
 * `stripe` (a small Stripe-like catalog).
 */

const path = require('node:path');
const crypto = require('node:crypto');
const { DuckDBInstance } = require('@duckdb/node-api');

const { PeakaError } = require('../errors');
const sql = require('./sql');
const values = require('./values');

/** Built-in catalogs every project has. Both are named `peaka` in SQL, as in Peaka. */
const PEAKA_CATALOG = { id: '1', name: 'peaka', displayName: 'Peaka', type: 'internal', connectionId: null, schemas: ['table', 'bitable'] };
const PEAKA_QUERY_CATALOG = { id: '2', name: 'peaka', displayName: 'Peaka Query', type: 'query', connectionId: null, schemas: ['query', 'mtquery'] };
const DATASETS_CATALOG = {
	id: '846085284821991568',
	name: 'datasets',
	displayName: 'Datasets',
	type: 'postgresql',
	connectionId: '3f6b2c1d-8e4a-4b7c-9d2e-1a5f6c7b8d90',
};
const STRIPE_CATALOG = {
	id: '846085284821991569',
	name: 'stripe',
	displayName: 'Stripe',
	type: 'stripe',
	connectionId: '7c2d4e6f-1a3b-4c5d-8e9f-0a1b2c3d4e5f',
};

/** Rows in the Stripe-like `charges` table (the live table measured had 652). */
const STRIPE_CHARGES_ROWS = 652;
/** Rows an uncached live Stripe read returned at most, newest first (observed behaviour only). */
const STRIPE_LIVE_ROW_CAP = 100;
const DEFAULT_EVENTS_ROWS = 10_000;
/** Start of the generated events; one event per second from here. */
const EVENTS_START = '2024-01-01 00:00:00';

/** Schema holding data that catalogs show through views; not a Peaka catalog. */
const STORE_SCHEMA = 'memory.emulator_store';
/** DuckDB's own schemas, which Peaka's catalogs do not show. */
const HIDDEN_SCHEMAS = new Set(['main', 'information_schema', 'pg_catalog']);
/** DuckDB's own catalogs (the store included), which SQL cannot name as it could no Peaka catalog. */
const HIDDEN_CATALOGS = new Set(['memory', 'system', 'temp']);

/**
 * Trino types DuckDB cannot produce, declared per column. DuckDB stores CHAR(n) as VARCHAR,
 * so the edge-case table's char column is declared here and reported as char(5).
 */
const DECLARED_COLUMN_TYPES = {
	'datasets.public.edge_types': { c_char: 'char(5)' },
};

/** The `timeoutSeconds` that means no timeout. */
const NO_TIMEOUT = 0;

function vegaDataDirectory() {
	// The package exports only its JS entry point, so the data folder is found next to it.
	const entry = require.resolve('vega-datasets');
	return path.join(path.dirname(entry), '..', 'data');
}

/** Formats a duration the way Trino prints one in "Query exceeded maximum time limit of 2.00s". */
function formatTrinoDuration(seconds) {
	if (seconds < 60) return `${seconds.toFixed(2)}s`;
	if (seconds < 3600) return `${(seconds / 60).toFixed(2)}m`;
	if (seconds < 86400) return `${(seconds / 3600).toFixed(2)}h`;
	return `${(seconds / 86400).toFixed(2)}d`;
}

// ---------------------------------------------------------------------------------------------
// Setup SQL

function datasetViewsSql(dataDirectory) {
	const file = (name) => sql.quoteString(path.join(dataDirectory, name));
	// Trino reports column names in lower case, so the views rename the files' columns.
	return [
		`CREATE VIEW datasets.public.flights AS
			SELECT "date", delay, distance, origin, destination FROM read_parquet(${file('flights-3m.parquet')})`,
		`CREATE VIEW datasets.public.airports AS
			SELECT * FROM read_csv(${file('airports.csv')}, header = true, columns = {
				'iata': 'VARCHAR', 'name': 'VARCHAR', 'city': 'VARCHAR', 'state': 'VARCHAR',
				'country': 'VARCHAR', 'latitude': 'DOUBLE', 'longitude': 'DOUBLE'})`,
		`CREATE VIEW datasets.public.movies AS
			SELECT "Title" AS title, "US Gross" AS "us gross", "Worldwide Gross" AS "worldwide gross",
				"US DVD Sales" AS "us dvd sales", "Production Budget" AS "production budget",
				"Release Date" AS "release date", "MPAA Rating" AS "mpaa rating",
				"Running Time min" AS "running time min", "Distributor" AS distributor, "Source" AS source,
				"Major Genre" AS "major genre", "Creative Type" AS "creative type", "Director" AS director,
				"Rotten Tomatoes Rating" AS "rotten tomatoes rating", "IMDB Rating" AS "imdb rating",
				"IMDB Votes" AS "imdb votes"
			FROM read_json(${file('movies.json')}, format = 'array', columns = {
				'Title': 'VARCHAR', 'US Gross': 'BIGINT', 'Worldwide Gross': 'BIGINT',
				'US DVD Sales': 'BIGINT', 'Production Budget': 'BIGINT', 'Release Date': 'VARCHAR',
				'MPAA Rating': 'VARCHAR', 'Running Time min': 'BIGINT', 'Distributor': 'VARCHAR',
				'Source': 'VARCHAR', 'Major Genre': 'VARCHAR', 'Creative Type': 'VARCHAR',
				'Director': 'VARCHAR', 'Rotten Tomatoes Rating': 'BIGINT', 'IMDB Rating': 'DOUBLE',
				'IMDB Votes': 'BIGINT'})`,
		`CREATE VIEW datasets.public.penguins AS
			SELECT "Species" AS species, "Island" AS island, "Beak Length (mm)" AS "beak length (mm)",
				"Beak Depth (mm)" AS "beak depth (mm)", "Flipper Length (mm)" AS "flipper length (mm)",
				"Body Mass (g)" AS "body mass (g)", "Sex" AS sex
			FROM read_json(${file('penguins.json')}, format = 'array', columns = {
				'Species': 'VARCHAR', 'Island': 'VARCHAR', 'Beak Length (mm)': 'DOUBLE',
				'Beak Depth (mm)': 'DOUBLE', 'Flipper Length (mm)': 'BIGINT', 'Body Mass (g)': 'BIGINT',
				'Sex': 'VARCHAR'})`,
		`CREATE VIEW datasets.public.seattle_weather AS
			SELECT * FROM read_csv(${file('seattle-weather.csv')}, header = true, columns = {
				'date': 'DATE', 'precipitation': 'DOUBLE', 'temp_max': 'DOUBLE', 'temp_min': 'DOUBLE',
				'wind': 'DOUBLE', 'weather': 'VARCHAR'})`,
		// The file writes dates as "Jan 1 2000"; the table offers a real date.
		`CREATE VIEW datasets.public.stocks AS
			SELECT symbol, CAST(strptime("date", '%b %d %Y') AS DATE) AS "date", price
			FROM read_csv(${file('stocks.csv')}, header = true, columns = {
				'symbol': 'VARCHAR', 'date': 'VARCHAR', 'price': 'DOUBLE'})`,
	];
}

/** Rows of `edge_types`: one column per type of the value table, and one row of NULLs (id 4). */
const EDGE_TYPES_SQL = [
	`CREATE TABLE datasets.public.edge_types (
		id INTEGER, c_boolean BOOLEAN, c_tinyint TINYINT, c_smallint SMALLINT, c_integer INTEGER,
		c_bigint BIGINT, c_real REAL, c_double DOUBLE, c_decimal DECIMAL(38,10), c_char VARCHAR,
		c_varchar VARCHAR, c_uuid UUID, c_date DATE, c_time TIME, c_timestamp TIMESTAMP,
		c_timestamptz TIMESTAMPTZ, c_json JSON, c_array INTEGER[], c_map MAP(VARCHAR, INTEGER),
		c_row STRUCT(x INTEGER, y VARCHAR), c_varbinary BLOB, "unit price" DECIMAL(10,2), "a.b" VARCHAR)`,
	`INSERT INTO datasets.public.edge_types VALUES
		(1, true, 127, 32767, 2147483647, 9007199254740993, 1.1, 12547407.86,
			12345678901234567890.0123456789, 'ab   ', '\u{1F600} cafe\u0301 \u05E9\u05DC\u05D5\u05DD',
			'123e4567-e89b-12d3-a456-426614174000', DATE '2024-01-15', TIME '12:34:56.123456',
			TIMESTAMP '2024-01-15 10:30:00.123456', TIMESTAMPTZ '2024-01-15 10:30:00.123456+02:00',
			'{"a":1,"big":9007199254740993}', [1, 2, NULL], MAP {'a': 1, 'b': NULL}, {'x': 1, 'y': 'q'},
			'\\xDE\\xAD\\xBE\\xEF'::BLOB, 12.50, 'dot'),
		(2, false, -128, -32768, -2147483648, -9223372036854775808, 3.4028235e38, 'NaN'::DOUBLE,
			-0.0000000001, 'x    ', '', '00000000-0000-0000-0000-000000000000', DATE '1970-01-01',
			TIME '00:00:00', TIMESTAMP '1970-01-01 00:00:00', TIMESTAMPTZ '1970-01-01 00:00:00+00:00',
			'[]', [], MAP {}, {'x': NULL, 'y': NULL}, ''::BLOB, 0, ''),
		(3, true, 0, 0, 0, 0, 1.0e-5, 'Infinity'::DOUBLE, 12.5, 'abcde', 'plain',
			'ffffffff-ffff-ffff-ffff-ffffffffffff', DATE '2000-02-29', TIME '23:59:59.999999',
			TIMESTAMP '2000-02-29 23:59:59.999999', TIMESTAMPTZ '2000-02-29 23:59:59.999999+00:00',
			'{"nested":{"list":[1,2.5,"x",null,true]}}', [7], MAP {'k': 7}, {'x': -1, 'y': ''},
			'\\x00'::BLOB, 0.99, 'a.b'),
		(4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
			NULL, NULL, NULL, NULL, NULL, NULL, NULL),
		(5, false, 1, 1, 1, 25001, 0.1, 669.74, 12.5, 'z    ', 'line\nbreak "quoted" \\ back',
			'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', DATE '2024-12-31', TIME '08:00:00',
			TIMESTAMP '2024-12-31 23:00:00', TIMESTAMPTZ '2024-12-31 23:00:00+00:00', '1',
			[1, NULL, 3], MAP {'a b': 2}, {'x': 2, 'y': 'r'}, 'AB'::BLOB, 1000000.00, 'x')`,
];

function eventsSql(rowCount) {
	return [
		'CREATE TABLE datasets.public.events (id BIGINT NOT NULL, created_at TIMESTAMP NOT NULL, payload VARCHAR)',
		`INSERT INTO datasets.public.events
			SELECT n + 1, TIMESTAMP '${EVENTS_START}' + to_seconds(n),
				'{"seq":' || (n + 1) || ',"kind":"' || (['signup', 'click', 'purchase'])[n % 3 + 1] || '"}'
			FROM range(${rowCount}) AS t(n)`,
	];
}

/** Returns the SQL that builds the Stripe-like catalog: 652 charges stored newest first, as Stripe lists them. */
function stripeSql(behaviour) {
	const capped = behaviour === 'observed';
	return [
		`CREATE TABLE ${STORE_SCHEMA}.stripe_charges AS
			SELECT 'ch_' || substr(md5('charge-' || n), 1, 24) AS id,
				CAST(100 + (n * 7919) % 49900 AS BIGINT) AS amount,
				CASE WHEN n % 10 = 0 THEN 'eur' ELSE 'usd' END AS currency,
				(n % 23 < 3) AS refunded,
				TIMESTAMP '2024-06-30 12:00:00' - to_hours(13 * n) AS created
			FROM range(${STRIPE_CHARGES_ROWS}) AS t(n) ORDER BY n`,
		// Live, uncached Stripe reads stopped at the newest 100 rows before any WHERE or aggregate
		// ran, so the cap sits in the table itself and every query over it inherits it.
		capped
			? `CREATE VIEW stripe.payment.charges AS
				SELECT * FROM ${STORE_SCHEMA}.stripe_charges ORDER BY created DESC LIMIT ${STRIPE_LIVE_ROW_CAP}`
			: `CREATE VIEW stripe.payment.charges AS SELECT * FROM ${STORE_SCHEMA}.stripe_charges`,
	];
}

// ---------------------------------------------------------------------------------------------
// Projects

/**
 * @typedef {object} Project
 * @property {string} id
 * @property {import('@duckdb/node-api').DuckDBInstance} instance
 * @property {import('@duckdb/node-api').DuckDBConnection} connection shared by metadata reads and catalog changes
 * @property {object[]} catalogs the Peaka catalogs the project has
 * @property {Set<string>} cachedTables "catalog.schema.table" names marked cached
 * @property {Promise<unknown>} queue the last piece of work on the shared connection
 * @property {Map<string, object>} savedQueries saved queries by id
 * @property {Map<string, object>} folders query folders by id
 */

/**
 * Opens one project's DuckDB instance and loads its catalogs.
 * @returns {Promise<Project>}
 */
async function openProject(projectId, { withDatasets, eventsRows, behaviour, dataDirectory }) {
	// Extensions are never downloaded: the emulator must not reach the network.
	const instance = await DuckDBInstance.create(':memory:', {
		autoinstall_known_extensions: 'false',
		autoload_known_extensions: 'false',
	});
	const connection = await instance.connect();
	const statements = [
		// ICU is loaded only once the instance runs, so the zone cannot be set in the options above.
		"SET GLOBAL TimeZone = 'UTC'",
		"ATTACH ':memory:' AS peaka",
		'CREATE SCHEMA peaka."table"',
		'CREATE SCHEMA peaka.bitable',
		'CREATE SCHEMA peaka.query',
		'CREATE SCHEMA peaka.mtquery',
		`CREATE SCHEMA ${STORE_SCHEMA}`,
	];
	if (withDatasets) {
		statements.push(
			"ATTACH ':memory:' AS datasets",
			'CREATE SCHEMA datasets.public',
			...datasetViewsSql(dataDirectory),
			...EDGE_TYPES_SQL,
			...eventsSql(eventsRows),
			"ATTACH ':memory:' AS stripe",
			'CREATE SCHEMA stripe.payment',
			...stripeSql(behaviour),
		);
	}
	// Queries may read the datasets' files and nothing else on disk, and cannot change settings.
	statements.push(
		`SET allowed_directories = [${sql.quoteString(dataDirectory + path.sep)}]`,
		'SET enable_external_access = false',
		'SET lock_configuration = true',
	);
	for (const statement of statements) await connection.run(statement);

	const catalogs = [PEAKA_CATALOG, PEAKA_QUERY_CATALOG];
	if (withDatasets) catalogs.push(DATASETS_CATALOG, STRIPE_CATALOG);

	return {
		id: projectId,
		instance,
		connection,
		catalogs,
		cachedTables: new Set(),
		queue: Promise.resolve(),
		savedQueries: new Map(),
		folders: new Map(),
	};
}

/**
 * Runs `work` with the project's shared connection, one at a time: DuckDB connections run one
 * statement at a time, and catalog changes must not interleave.
 */
function withConnection(project, work) {
	const run = project.queue.then(() => work(project.connection));
	project.queue = run.catch(() => undefined);
	return run;
}

// ---------------------------------------------------------------------------------------------
// Engine

/**
 * Creates the engine with one DuckDB instance per project. Only the first project gets the
 * `datasets` and `stripe` catalogs.
 * @param {{ projects: string[], eventsRows?: number, behaviour?: 'spec'|'observed' }} options
 */
async function createEngine(options) {
	const projectIds = options.projects;
	if (!Array.isArray(projectIds) || projectIds.length === 0) {
		throw new TypeError('createEngine needs at least one project id in options.projects, e.g. { projects: [\'mtKDhe1U\'] }.');
	}
	const behaviour = options.behaviour ?? 'spec';
	if (behaviour !== 'spec' && behaviour !== 'observed') {
		throw new TypeError(`Invalid behaviour '${behaviour}': use 'spec' or 'observed'.`);
	}
	const eventsRows = options.eventsRows ?? DEFAULT_EVENTS_ROWS;
	if (!Number.isSafeInteger(eventsRows) || eventsRows < 0) {
		throw new TypeError(`Invalid eventsRows ${eventsRows}: use a whole number of rows, 0 or more.`);
	}
	const dataDirectory = vegaDataDirectory();

	const projects = new Map();
	const opened = await Promise.all(projectIds.map((projectId, index) => openProject(projectId, {
		withDatasets: index === 0,
		eventsRows,
		behaviour,
		dataDirectory,
	})));
	for (const project of opened) projects.set(project.id, project);

	let nextQueryId = 846085284821991700n;
	const engine = {
		behaviour,
		projectIds: [...projectIds],

		/** Returns a project's state; throws 404 for a project the engine does not hold. */
		project(projectId) {
			const project = projects.get(projectId);
			if (!project) throw PeakaError.notFound(`Project not found: ${projectId}`);
			return project;
		},

		/** Returns a new 18-digit query id, as a string (it does not fit a JS number exactly). */
		newQueryId() {
			nextQueryId += 1n;
			return nextQueryId.toString();
		},

		listCatalogs: (projectId) => listCatalogs(engine, projectId),
		findCatalog: (projectId, catalogId) => findCatalog(engine, projectId, catalogId),
		listSchemas: (projectId, catalogId) => listSchemas(engine, projectId, catalogId),
		listTables: (projectId, catalogId, schemaName) => listTables(engine, projectId, catalogId, schemaName),
		listColumns: (projectId, catalogId, schemaName, tableName) => listColumns(engine, projectId, catalogId, schemaName, tableName),
		setTableCached: (projectId, catalogId, schemaName, tableName, cached) => setTableCached(engine, projectId, catalogId, schemaName, tableName, cached),
		execute: (projectId, request) => execute(engine, projectId, request),
		insertEvents: (projectId, rows) => insertEvents(engine, projectId, rows),

		/** Runs SQL on the project's shared connection and returns the rows as DuckDB values (for tests and setup). */
		query: (projectId, text, params) => withConnection(engine.project(projectId), async (connection) => {
			const reader = await connection.runAndReadAll(text, params);
			return reader.getRowObjects();
		}),

		/** Returns whether a table or view exists, e.g. tableExists(id, 'peaka', 'query', 'revenue'). */
		tableExists: async (projectId, catalogName, schemaName, tableName) => {
			const rows = await engine.query(projectId,
				`SELECT 1 FROM duckdb_tables() WHERE database_name = $1 AND schema_name = $2 AND table_name = $3
				 UNION ALL
				 SELECT 1 FROM duckdb_views() WHERE database_name = $1 AND schema_name = $2 AND view_name = $3`,
				[catalogName, schemaName, tableName]);
			return rows.length > 0;
		},

		withConnection: (projectId, work) => withConnection(engine.project(projectId), work),

		/**
		 * Opens a DuckDB instance for a project created at run time. It has only the two built-in
		 * `peaka` catalogs, as a new Peaka project has no connection yet.
		 */
		async addProject(projectId) {
			if (projects.has(projectId)) throw new TypeError(`Project ${projectId} already has an engine instance.`);
			const project = await openProject(projectId, { withDatasets: false, eventsRows: 0, behaviour, dataDirectory });
			projects.set(projectId, project);
			engine.projectIds.push(projectId);
		},

		/** Closes a deleted project's DuckDB instance; its tables, saved queries and folders go with it. */
		async removeProject(projectId) {
			const project = projects.get(projectId);
			if (!project) return false;
			projects.delete(projectId);
			engine.projectIds.splice(engine.projectIds.indexOf(projectId), 1);
			// Work already queued on the shared connection finishes first. NOTE: a query running
			// on its own connection at this moment is not waited for.
			await project.queue;
			project.connection.closeSync();
			project.instance.closeSync();
			return true;
		},

		close() {
			for (const project of projects.values()) {
				project.connection.closeSync();
				project.instance.closeSync();
			}
			projects.clear();
		},
	};
	engine.savedQueries = createSavedQueryStore(engine);
	return engine;
}

// ---------------------------------------------------------------------------------------------
// Catalog metadata

function publicCatalog(catalog, project) {
	const result = {
		id: catalog.id,
		name: catalog.name,
		displayName: catalog.displayName,
		type: catalog.type,
		catalogType: catalog.type,
		connectionId: catalog.connectionId,
	};
	if (catalog === STRIPE_CATALOG) result.isCached = project.cachedTables.size > 0;
	return result;
}

async function listCatalogs(engine, projectId) {
	const project = engine.project(projectId);
	return project.catalogs.map((catalog) => publicCatalog(catalog, project));
}

/** Returns the catalog with that id, or throws 400 naming it. */
function findCatalog(engine, projectId, catalogId) {
	const project = engine.project(projectId);
	const catalog = project.catalogs.find((candidate) => candidate.id === String(catalogId));
	if (!catalog) {
		throw PeakaError.badRequest(`Catalog not found: ${catalogId}. List the project's catalogs to see their ids.`);
	}
	return catalog;
}

async function duckDbSchemas(engine, projectId, databaseName) {
	const rows = await engine.query(projectId,
		'SELECT schema_name FROM duckdb_schemas() WHERE database_name = $1 ORDER BY schema_name', [databaseName]);
	return rows.map((row) => row.schema_name).filter((name) => !HIDDEN_SCHEMAS.has(name));
}

async function listSchemas(engine, projectId, catalogId) {
	const catalog = findCatalog(engine, projectId, catalogId);
	const names = catalog.schemas ?? await duckDbSchemas(engine, projectId, catalog.name);
	return names.map((name) => ({ name, schemaName: name, catalogId: catalog.id, catalogName: catalog.name }));
}

async function requireSchema(engine, projectId, catalog, schemaName) {
	const names = catalog.schemas ?? await duckDbSchemas(engine, projectId, catalog.name);
	if (!names.includes(schemaName)) {
		throw PeakaError.badRequest(`Schema '${schemaName}' does not exist in catalog '${catalog.name}' (id ${catalog.id}).`);
	}
}

function cacheTraits(catalog, project, schemaName, tableName) {
	// Of the emulator's catalogs only the Stripe-like one can be cached, as in live Peaka where
	// Postgres and internal tables reported isCacheable false.
	const cacheable = catalog === STRIPE_CATALOG;
	return {
		isCacheable: cacheable,
		isCached: project.cachedTables.has(`${catalog.name}.${schemaName}.${tableName}`),
		supportedCacheTypes: cacheable ? ['FULL_REFRESH', 'INCREMENTAL'] : [],
		isDynamicTable: false,
	};
}

async function listTables(engine, projectId, catalogId, schemaName) {
	const project = engine.project(projectId);
	const catalog = findCatalog(engine, projectId, catalogId);
	await requireSchema(engine, projectId, catalog, schemaName);
	const rows = await engine.query(projectId,
		`SELECT table_name AS name, 'TABLE' AS kind FROM duckdb_tables() WHERE database_name = $1 AND schema_name = $2
		 UNION ALL
		 SELECT view_name, 'VIEW' FROM duckdb_views() WHERE database_name = $1 AND schema_name = $2 AND NOT internal
		 ORDER BY 1`,
		[catalog.name, schemaName]);
	return rows.map((row) => ({
		name: row.name,
		tableName: row.name,
		// The datasets and Stripe tables are DuckDB views over files or stored rows, but to Peaka
		// they are connector tables. Only saved queries are views.
		type: schemaName === 'query' && catalog === PEAKA_QUERY_CATALOG ? 'VIEW' : 'TABLE',
		catalogId: catalog.id,
		catalogName: catalog.name,
		schemaName,
		...cacheTraits(catalog, project, schemaName, row.name),
	}));
}

async function requireTable(engine, projectId, catalog, schemaName, tableName) {
	await requireSchema(engine, projectId, catalog, schemaName);
	if (!(await engine.tableExists(projectId, catalog.name, schemaName, tableName))) {
		throw PeakaError.badRequest(`Table '${catalog.name}.${schemaName}.${tableName}' does not exist`);
	}
}

async function listColumns(engine, projectId, catalogId, schemaName, tableName) {
	const catalog = findCatalog(engine, projectId, catalogId);
	await requireTable(engine, projectId, catalog, schemaName, tableName);
	const qualified = [catalog.name, schemaName, tableName].map(sql.quoteIdentifier).join('.');
	const declared = DECLARED_COLUMN_TYPES[`${catalog.name}.${schemaName}.${tableName}`] ?? {};
	return withConnection(engine.project(projectId), async (connection) => {
		const prepared = await connection.prepare(`SELECT * FROM ${qualified}`);
		try {
			const nullability = await connection.runAndReadAll(
				`SELECT column_name, is_nullable = 'YES' FROM information_schema.columns
				 WHERE table_catalog = $1 AND table_schema = $2 AND table_name = $3`,
				[catalog.name, schemaName, tableName]);
			const nullable = new Map(nullability.getRows().map(([name, isNullable]) => [name, isNullable]));
			const columns = [];
			for (let index = 0; index < prepared.columnCount; index++) {
				const name = prepared.columnName(index);
				columns.push({
					name,
					displayName: name,
					dataType: declared[name] ?? values.trinoTypeName(prepared.columnType(index)),
					order: index,
					nullable: nullable.get(name) ?? true,
				});
			}
			return columns;
		} finally {
			prepared.destroySync();
		}
	});
}

/**
 * Marks a table as cached or not. A cached Stripe-like table is read in full, as live Peaka
 * read a cached Stripe table without the 100-row cap.
 */
async function setTableCached(engine, projectId, catalogId, schemaName, tableName, cached) {
	const project = engine.project(projectId);
	const catalog = findCatalog(engine, projectId, catalogId);
	await requireTable(engine, projectId, catalog, schemaName, tableName);
	const key = `${catalog.name}.${schemaName}.${tableName}`;
	if (cached) project.cachedTables.add(key);
	else project.cachedTables.delete(key);

	if (catalog === STRIPE_CATALOG && tableName === 'charges' && engine.behaviour === 'observed') {
		const capped = !cached;
		await withConnection(project, (connection) => connection.run(capped
			? `CREATE OR REPLACE VIEW stripe.payment.charges AS
				SELECT * FROM ${STORE_SCHEMA}.stripe_charges ORDER BY created DESC LIMIT ${STRIPE_LIVE_ROW_CAP}`
			: `CREATE OR REPLACE VIEW stripe.payment.charges AS SELECT * FROM ${STORE_SCHEMA}.stripe_charges`));
	}
}

// ---------------------------------------------------------------------------------------------
// Execution

/**
 * Finds the one table a statement reads, with its column names, so that result columns named
 * like a column of it can be attributed to it in the result's `columns` list. Trino reports no
 * column sources, so columns of anything else stay unattributed.
 * @returns {Promise<{ source: { catalogName: string, schemaName: string, tableName: string }, columnNames: Set<string> }|null>}
 */
async function singleTableColumns(connection, tokens) {
	const tables = sql.referencedTables(tokens);
	if (!tables || tables.length !== 1) return null;
	const [catalogName, schemaName, tableName] = tables[0].split('.');
	// information_schema covers views too (the datasets are views over files); duckdb_columns() does not.
	const reader = await connection.runAndReadAll(
		`SELECT column_name FROM information_schema.columns WHERE table_catalog = $1 AND table_schema = $2 AND table_name = $3`,
		[catalogName, schemaName, tableName]);
	return {
		source: { catalogName, schemaName, tableName },
		columnNames: new Set(reader.getRows().map(([name]) => name)),
	};
}

/** Throws Trino's not-found error when SQL names one of DuckDB's own catalogs. */
function rejectHiddenCatalogs(tokens) {
	const hidden = sql.writtenNames(tokens).find((name) => name.parts.length >= 3 && HIDDEN_CATALOGS.has(name.parts[0]));
	if (hidden) {
		throw PeakaError.badRequest(`line ${hidden.token.line}:${hidden.token.column}: Catalog '${hidden.parts[0]}' not found`);
	}
}

function timeoutError(timeoutSeconds) {
	return PeakaError.badRequest(`Query exceeded maximum time limit of ${formatTrinoDuration(timeoutSeconds)}`);
}

/**
 * Runs one query and returns its columns and a stream of rendered rows. The first chunk is
 * fetched before this resolves, so that most errors (unknown names, bad casts, a timeout before
 * the first rows) are thrown here, before a route has sent its status. The timeout covers the
 * whole run, streaming included, so a slow reader of a large result can still hit it.
 *
 * @param {object} engine
 * @param {string} projectId
 * @param {{ sql: string, bindings?: string[], timeoutSeconds?: number, signal?: AbortSignal,
 *   source?: { catalogName: string, schemaName: string, tableName: string } }} request
 *   `source` names the table every column comes from, when the request form names one (a
 *   builder query, a qualified name or a saved query)
 * @returns {Promise<QueryResult>}
 *
 * @typedef {object} QueryResult
 * @property {{ name: string, dataType: string, catalogName: string, schemaName: string, tableName: string }[]} columns
 * @property {() => AsyncGenerator<{ rowCount: number, cells: (string|null)[][] }>} batches
 *   rendered cells, column by column; a failure after the first batch is thrown from here
 * @property {() => void} close stops the query; safe to call more than once
 */
async function execute(engine, projectId, request) {
	const project = engine.project(projectId);
	const text = request.sql;
	const bindings = request.bindings ?? [];
	let rules;
	try {
		rules = sql.checkStatement(text, { bindings });
	} catch (error) {
		if (error instanceof sql.SqlRuleError) throw PeakaError.badRequest(error.message);
		throw error;
	}

	rejectHiddenCatalogs(rules.tokens);

	const timeoutSeconds = request.timeoutSeconds ?? NO_TIMEOUT;
	const connection = await project.instance.connect();
	let prepared = null;
	let timedOut = false;
	let closed = false;
	let timer = null;
	const interrupt = () => connection.interrupt();
	if (timeoutSeconds > 0) {
		timer = setTimeout(() => {
			timedOut = true;
			interrupt();
		}, timeoutSeconds * 1000);
	}
	if (request.signal) request.signal.addEventListener('abort', interrupt, { once: true });

	const close = () => {
		if (closed) return;
		closed = true;
		if (timer) clearTimeout(timer);
		if (request.signal) request.signal.removeEventListener('abort', interrupt);
		connection.interrupt();
		if (prepared) prepared.destroySync();
		connection.closeSync();
	};
	const translate = (error) => {
		if (timedOut) return timeoutError(timeoutSeconds);
		if (error && error.isPeakaError) return error;
		const message = error instanceof Error ? error.message : String(error);
		if (/INTERRUPT|Interrupted/.test(message)) return PeakaError.badRequest('Query was cancelled');
		return PeakaError.badRequest(sql.translateDuckDbError(message, text, engine.savedQueries.sqlTexts(projectId)));
	};

	let result;
	let firstChunk;
	let columns;
	let renderers;
	try {
		// The source table's columns are read before the result starts streaming, because a
		// second query on the connection would end the stream.
		const sourceTable = request.source ? null : await singleTableColumns(connection, rules.tokens);
		prepared = await connection.prepare(text);
		prepared.bind(bindings);
		result = await prepared.stream();

		// Names come from the result: a prepared statement whose parameters are not typed yet
		// cannot name its columns.
		const duckdbNames = result.columnNames();
		const names = sql.trinoColumnNames(rules.tokens, duckdbNames);
		const types = result.columnTypes();
		renderers = types.map(values.createTextRenderer);
		columns = names.map((name, index) => {
			const origin = request.source
				?? (sourceTable && sourceTable.columnNames.has(duckdbNames[index]) ? sourceTable.source : null);
			const declared = origin ? DECLARED_COLUMN_TYPES[`${origin.catalogName}.${origin.schemaName}.${origin.tableName}`] : undefined;
			return {
				name,
				dataType: (declared && declared[duckdbNames[index]]) ?? values.trinoTypeName(types[index]),
				catalogName: origin ? origin.catalogName : '',
				schemaName: origin ? origin.schemaName : '',
				tableName: origin ? origin.tableName : '',
			};
		});
		firstChunk = await result.fetchChunk();
	} catch (error) {
		const translated = translate(error);
		close();
		throw translated;
	}

	const render = (chunk) => ({
		rowCount: chunk.rowCount,
		cells: renderers.map((renderer, index) => chunk.getColumnValues(index).map(renderer)),
	});

	async function* batches() {
		try {
			let chunk = firstChunk;
			firstChunk = null;
			while (chunk && chunk.rowCount > 0) {
				yield render(chunk);
				chunk = await result.fetchChunk();
			}
		} catch (error) {
			throw translate(error);
		} finally {
			close();
		}
	}

	return { columns, batches, close };
}

// ---------------------------------------------------------------------------------------------
// Events

/**
 * Appends rows to `datasets.public.events` with ids after the largest one. A row may set
 * `created_at` (text DuckDB reads as a timestamp) and `payload`; `created_at` defaults to now.
 * @param {object} engine
 * @param {string} projectId
 * @param {{ created_at?: string, payload?: string|null }[]} rows
 * @returns {Promise<{ id: string, created_at: string, payload: string|null }[]>} the rows as stored, rendered as Peaka text
 */
async function insertEvents(engine, projectId, rows) {
	const project = engine.project(projectId);
	if (!project.catalogs.includes(DATASETS_CATALOG)) {
		throw PeakaError.badRequest(`Project ${projectId} has no events table; it lives in the first project's 'datasets' catalog.`);
	}
	if (!Array.isArray(rows)) {
		throw PeakaError.badRequest('Events must be an array of objects such as { "payload": "..." }.');
	}
	for (const [index, row] of rows.entries()) {
		if (row === null || typeof row !== 'object' || Array.isArray(row)) {
			throw PeakaError.badRequest(`Event ${index} is not an object: ${JSON.stringify(row)}.`);
		}
		if (row.created_at !== undefined && typeof row.created_at !== 'string') {
			throw PeakaError.badRequest(`Event ${index} has created_at ${JSON.stringify(row.created_at)}; send a timestamp as text, e.g. "2024-05-01 12:00:00".`);
		}
		if (row.payload !== undefined && row.payload !== null && typeof row.payload !== 'string') {
			throw PeakaError.badRequest(`Event ${index} has payload ${JSON.stringify(row.payload)}; send text or null.`);
		}
	}

	return withConnection(project, async (connection) => {
		const reader = await connection.runAndReadAll('SELECT coalesce(max(id), 0) FROM datasets.public.events');
		let nextId = BigInt(reader.getRows()[0][0]);
		const inserted = [];
		try {
			await connection.run('BEGIN TRANSACTION');
			for (const row of rows) {
				nextId += 1n;
				const id = nextId.toString();
				const stored = await connection.runAndReadAll(
					`INSERT INTO datasets.public.events
						VALUES (CAST($1 AS BIGINT), coalesce(CAST($2 AS TIMESTAMP), CAST(now() AS TIMESTAMP)), $3)
						RETURNING id, created_at, payload`,
					[id, row.created_at ?? null, row.payload ?? null]);
				const [storedId, createdAt, payload] = stored.getRows()[0];
				inserted.push({
					id: String(storedId),
					created_at: values.formatTimestampMicros(createdAt.micros, 6),
					payload,
				});
			}
			await connection.run('COMMIT');
		} catch (error) {
			await connection.run('ROLLBACK');
			throw PeakaError.badRequest(`Events were not inserted: ${sql.translateDuckDbError(error.message, '')}`);
		}
		return inserted;
	});
}

// ---------------------------------------------------------------------------------------------
// Saved queries and their folders

/**
 * Derives a saved query's SQL name from its display name: lower case, keeping only letters,
 * digits and underscores ("Daily Revenue" becomes "dailyrevenue").
 * NOTE: Peaka's examples only show lower-casing; dropping other characters is inferred.
 */
function queryNameFor(displayName) {
	return displayName.toLowerCase().replace(/[^a-z0-9_]/g, '');
}

/**
 * Splits a folder path such as "/reports/monthly" into its folder names; "/" and "" are the root.
 * @returns {string[]}
 */
function normalizeFolderPath(folderPath) {
	if (typeof folderPath !== 'string') {
		throw PeakaError.badRequest(`Invalid path ${JSON.stringify(folderPath)}: send a folder path such as "/reports/monthly", or "/" for the root.`);
	}
	const names = folderPath.split('/').map((name) => name.trim()).filter((name) => name.length > 0);
	if (folderPath.trim() !== '' && !folderPath.trim().startsWith('/')) {
		throw PeakaError.badRequest(`Invalid path '${folderPath}': a folder path starts with '/', e.g. '/reports/monthly'.`);
	}
	const invalid = names.find((name) => name === '.' || name === '..');
	if (invalid) throw PeakaError.badRequest(`Invalid path '${folderPath}': '${invalid}' is not a folder name.`);
	return names;
}

/**
 * Saved queries are stored SQL, resolved when they run: each is the view `peaka.query.<name>`,
 * and a MATERIALIZED one also has its stored result in the table `peaka.mtquery.<name>`.
 * Deleting a table a query reads leaves the query in place, and its runs then fail naming the
 * table, as in live Peaka.
 */
function createSavedQueryStore(engine) {
	const records = (projectId) => engine.project(projectId).savedQueries;
	const folders = (projectId) => engine.project(projectId).folders;
	const relation = (schemaName, name) => `peaka.${schemaName}.${sql.quoteIdentifier(name)}`;

	function snapshot(projectId, record) {
		const folder = record.folderId ? folders(projectId).get(record.folderId) : null;
		return { ...record, schedule: record.schedule ? { ...record.schedule } : record.schedule, path: folder ? folder.path : null };
	}

	/** Checks SQL against the Trino rules, which apply whatever checkSchemaExists says. */
	function checkRules(inputQuery) {
		let rules;
		try {
			rules = sql.checkStatement(inputQuery);
		} catch (error) {
			if (error instanceof sql.SqlRuleError) throw PeakaError.badRequest(error.message);
			throw error;
		}
		rejectHiddenCatalogs(rules.tokens);
		return rules;
	}

	/** Binds SQL in DuckDB and returns Trino's names for its result columns. */
	async function describeColumns(connection, inputQuery, rules) {
		const prepared = await connection.prepare(inputQuery);
		try {
			const duckdbNames = [];
			for (let index = 0; index < prepared.columnCount; index++) duckdbNames.push(prepared.columnName(index));
			return sql.trinoColumnNames(rules.tokens, duckdbNames);
		} finally {
			prepared.destroySync();
		}
	}

	/**
	 * Creates or replaces the query's view (and its stored result when MATERIALIZED). With
	 * checkSchemaExists false, SQL that DuckDB cannot bind is stored without a view.
	 * @returns {Promise<boolean>} whether the view exists now
	 */
	async function writeRelations(projectId, record, checkSchemaExists) {
		const rules = checkRules(record.inputQuery);
		return withConnection(engine.project(projectId), async (connection) => {
			let columnNames;
			try {
				columnNames = await describeColumns(connection, record.inputQuery, rules);
			} catch (error) {
				if (checkSchemaExists) throw PeakaError.badRequest(sql.translateDuckDbError(error.message, record.inputQuery));
				// NOTE: Peaka's checkSchemaExists=false stores SQL it cannot resolve yet. DuckDB
				// binds views when they are created, so such a query has no view until updated.
				await connection.run(`DROP VIEW IF EXISTS ${relation('query', record.name)}`);
				return false;
			}
			const columnList = columnNames.map(sql.quoteIdentifier).join(', ');
			try {
				await connection.run(`CREATE OR REPLACE VIEW ${relation('query', record.name)} (${columnList}) AS ${record.inputQuery}`);
				if (record.queryType === 'MATERIALIZED') {
					await connection.run(`CREATE OR REPLACE TABLE ${relation('mtquery', record.name)} AS SELECT * FROM ${relation('query', record.name)}`);
				} else {
					await connection.run(`DROP TABLE IF EXISTS ${relation('mtquery', record.name)}`);
				}
			} catch (error) {
				throw PeakaError.badRequest(sql.translateDuckDbError(error.message, record.inputQuery));
			}
			return true;
		});
	}

	/** Returns the folder at a path, creating any missing folder on the way; null for the root. */
	function ensureFolder(projectId, folderPath) {
		const names = normalizeFolderPath(folderPath);
		const projectFolders = folders(projectId);
		let parent = null;
		let currentPath = '';
		for (const name of names) {
			currentPath += `/${name}`;
			let folder = [...projectFolders.values()].find((candidate) => candidate.path === currentPath);
			if (!folder) {
				folder = {
					id: crypto.randomUUID(),
					name,
					path: currentPath,
					parentId: parent ? parent.id : null,
					createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
				};
				projectFolders.set(folder.id, folder);
			}
			parent = folder;
		}
		return parent;
	}

	/**
	 * Gives a folder a new path (and the name its last segment carries) under `parent`, and
	 * rewrites the paths of its sub-folders. Returns 'conflict' when a sibling has that name.
	 */
	function relocateFolder(projectId, folder, target, parent) {
		if (target !== folder.path && [...folders(projectId).values()].some((candidate) => candidate.path === target)) return 'conflict';
		const previous = folder.path;
		for (const candidate of folders(projectId).values()) {
			if (candidate.path.startsWith(`${previous}/`)) candidate.path = `${target}${candidate.path.slice(previous.length)}`;
		}
		folder.path = target;
		folder.name = target.slice(target.lastIndexOf('/') + 1);
		folder.parentId = parent ? parent.id : null;
		return { ...folder };
	}

	function resolveInputQuery(projectId, request) {
		if (request.inputQueryRefId !== undefined && request.inputQueryRefId !== null) {
			// The referenced query's SQL is copied now; later edits to it do not propagate.
			const source = records(projectId).get(String(request.inputQueryRefId));
			if (!source) throw PeakaError.badRequest(`There is no query with id: ${request.inputQueryRefId}`);
			return source.inputQuery;
		}
		return request.inputQuery;
	}

	return {
		/** Lists a project's saved queries in creation order. */
		list(projectId) {
			return [...records(projectId).values()].map((record) => snapshot(projectId, record));
		},

		/** Returns a saved query, or null. */
		get(projectId, queryId) {
			const record = records(projectId).get(String(queryId));
			return record ? snapshot(projectId, record) : null;
		},

		/**
		 * Creates a saved query and its view.
		 * @param {{ displayName: string, inputQuery?: string|null, queryType?: string,
		 *   schedule?: object|null, inputQueryRefId?: string|null, path?: string|null }} request
		 */
		async create(projectId, request, { checkSchemaExists = true } = {}) {
			const name = queryNameFor(request.displayName);
			if (name.length === 0) {
				throw PeakaError.badRequest(`Query name '${request.displayName}' has no letter, digit or underscore to build its SQL name from.`);
			}
			if ([...records(projectId).values()].some((record) => record.name === name)) {
				throw PeakaError.badRequest(`There is already a query with name: ${name}`);
			}
			const inputQuery = resolveInputQuery(projectId, request);
			if (typeof inputQuery !== 'string' || inputQuery.trim() === '') {
				throw PeakaError.badRequest('inputQuery is required unless inputQueryRefId names an existing query.');
			}
			const record = {
				id: engine.newQueryId(),
				displayName: request.displayName,
				name,
				inputQuery,
				queryType: request.queryType ?? 'PLAIN',
				schedule: request.schedule ?? null,
				folderId: null,
				hasView: false,
			};
			record.hasView = await writeRelations(projectId, record, checkSchemaExists);
			const folder = request.path === undefined || request.path === null ? null : ensureFolder(projectId, request.path);
			record.folderId = folder ? folder.id : null;
			records(projectId).set(record.id, record);
			return snapshot(projectId, record);
		},

		/** Applies the fields a PUT sends; omitted fields keep their values. Returns null for an unknown id. */
		async update(projectId, queryId, request, { checkSchemaExists = true } = {}) {
			const record = records(projectId).get(String(queryId));
			if (!record) return null;
			const next = { ...record };
			// NOTE: the SQL name stays as created when displayName changes, so SQL that reads the
			// query keeps working; whether Peaka renames it is not known.
			if (request.displayName !== undefined) next.displayName = request.displayName;
			if (request.queryType !== undefined) next.queryType = request.queryType;
			if (request.schedule !== undefined) next.schedule = request.schedule;
			if (request.inputQueryRefId !== undefined && request.inputQueryRefId !== null) next.inputQuery = resolveInputQuery(projectId, request);
			else if (request.inputQuery !== undefined && request.inputQuery !== null) next.inputQuery = request.inputQuery;
			if (typeof next.inputQuery !== 'string' || next.inputQuery.trim() === '') {
				throw PeakaError.badRequest('inputQuery must be SQL text.');
			}
			const relationsChanged = next.inputQuery !== record.inputQuery || next.queryType !== record.queryType || !record.hasView;
			if (relationsChanged) next.hasView = await writeRelations(projectId, next, checkSchemaExists);
			if (request.path !== undefined && request.path !== null) {
				const folder = ensureFolder(projectId, request.path);
				next.folderId = folder ? folder.id : null;
			}
			records(projectId).set(record.id, next);
			return snapshot(projectId, next);
		},

		/** Moves a saved query to a folder path, creating missing folders. Returns null for an unknown id. */
		move(projectId, queryId, folderPath) {
			const record = records(projectId).get(String(queryId));
			if (!record) return null;
			const folder = ensureFolder(projectId, folderPath);
			record.folderId = folder ? folder.id : null;
			return snapshot(projectId, record);
		},

		/**
		 * Deletes a saved query with its view and stored result; its folder stays, as in live
		 * Peaka. Returns false for an unknown id.
		 */
		async remove(projectId, queryId) {
			const record = records(projectId).get(String(queryId));
			if (!record) return false;
			records(projectId).delete(record.id);
			await withConnection(engine.project(projectId), async (connection) => {
				await connection.run(`DROP VIEW IF EXISTS ${relation('query', record.name)}`);
				await connection.run(`DROP TABLE IF EXISTS ${relation('mtquery', record.name)}`);
			});
			return true;
		},

		/** Re-runs a MATERIALIZED query into its stored result. */
		async refreshMaterialized(projectId, queryId) {
			const record = records(projectId).get(String(queryId));
			if (!record || record.queryType !== 'MATERIALIZED') return false;
			await writeRelations(projectId, record, true);
			return true;
		},

		/**
		 * Returns the relation a run by id reads: the stored result of a MATERIALIZED query (live
		 * Peaka showed no upstream change there until a refresh), otherwise the query's view.
		 * Null when the query has no view (stored with checkSchemaExists=false).
		 */
		relationFor(projectId, queryId) {
			const record = records(projectId).get(String(queryId));
			if (!record || !record.hasView) return null;
			return {
				catalogName: 'peaka',
				schemaName: record.queryType === 'MATERIALIZED' ? 'mtquery' : 'query',
				tableName: record.name,
			};
		},

		/** SQL of every saved query, where names in a failing view's error can be found. */
		sqlTexts(projectId) {
			return [...records(projectId).values()].map((record) => record.inputQuery);
		},

		listFolders(projectId) {
			return [...folders(projectId).values()].map((folder) => ({ ...folder }));
		},

		getFolder(projectId, folderId) {
			const folder = folders(projectId).get(folderId);
			return folder ? { ...folder } : null;
		},

		/** Creates a folder under a parent (null for the root); returns null when the name is taken there. */
		createFolder(projectId, parentId, name) {
			const parent = parentId ? folders(projectId).get(parentId) : null;
			const folderPath = `${parent ? parent.path : ''}/${name}`;
			if ([...folders(projectId).values()].some((folder) => folder.path === folderPath)) return null;
			return { ...ensureFolder(projectId, folderPath) };
		},

		/**
		 * Renames a folder; the paths of its sub-folders and queries follow.
		 * @returns {'not-found'|'conflict'|object} the renamed folder
		 */
		renameFolder(projectId, folderId, name) {
			const folder = folders(projectId).get(folderId);
			if (!folder) return 'not-found';
			const parent = folder.parentId ? folders(projectId).get(folder.parentId) : null;
			return relocateFolder(projectId, folder, `${parent ? parent.path : ''}/${name}`, parent);
		},

		/**
		 * Moves a folder to a new full path (`/Archive/Reports`), whose last name becomes the
		 * folder's name. Missing parent folders are created, as a query move creates them.
		 * @returns {'not-found'|'conflict'|'circular'|object} the moved folder
		 */
		moveFolder(projectId, folderId, folderPath) {
			const folder = folders(projectId).get(folderId);
			if (!folder) return 'not-found';
			const names = normalizeFolderPath(folderPath);
			if (names.length === 0) {
				throw PeakaError.badRequest(`Invalid path '${folderPath}': a folder cannot become the root; send its new full path, e.g. '/Archive/${folder.name}'.`);
			}
			const target = `/${names.join('/')}`;
			const parentPath = `/${names.slice(0, -1).join('/')}`;
			if (parentPath === folder.path || parentPath.startsWith(`${folder.path}/`)) return 'circular';
			if (target !== folder.path && [...folders(projectId).values()].some((candidate) => candidate.path === target)) return 'conflict';
			const parent = names.length > 1 ? ensureFolder(projectId, parentPath) : null;
			return relocateFolder(projectId, folder, target, parent);
		},

		/**
		 * Moves saved queries into a folder and others out of it to the root. A query listed as
		 * removed that sits in another folder stays where it is.
		 * @returns {'not-found'|object} the folder, or `{ missingQueryId }` when a query id is unknown
		 */
		moveQueriesToFolder(projectId, folderId, addedIds, removedIds) {
			const folder = folders(projectId).get(folderId);
			if (!folder) return 'not-found';
			for (const queryId of [...addedIds, ...removedIds]) {
				if (!records(projectId).has(String(queryId))) return { missingQueryId: String(queryId) };
			}
			for (const queryId of removedIds) {
				const record = records(projectId).get(String(queryId));
				if (record.folderId === folder.id) record.folderId = null;
			}
			for (const queryId of addedIds) records(projectId).get(String(queryId)).folderId = folder.id;
			return { ...folder };
		},

		/**
		 * Deletes a folder. Without force it must hold no folder and no query; with force its
		 * sub-folders and their queries go too.
		 * @returns {Promise<'deleted'|'not-found'|'not-empty'>}
		 */
		async deleteFolder(projectId, folderId, { force = false } = {}) {
			const folder = folders(projectId).get(folderId);
			if (!folder) return 'not-found';
			const inside = (candidate) => candidate.path === folder.path || candidate.path.startsWith(`${folder.path}/`);
			const doomedFolders = [...folders(projectId).values()].filter(inside);
			const doomedIds = new Set(doomedFolders.map((candidate) => candidate.id));
			const doomedQueries = [...records(projectId).values()].filter((record) => doomedIds.has(record.folderId));
			if (!force && (doomedFolders.length > 1 || doomedQueries.length > 0)) return 'not-empty';
			for (const record of doomedQueries) await this.remove(projectId, record.id);
			for (const candidate of doomedFolders) folders(projectId).delete(candidate.id);
			return 'deleted';
		},
	};
}

module.exports = {
	PEAKA_CATALOG,
	PEAKA_QUERY_CATALOG,
	DATASETS_CATALOG,
	STRIPE_CATALOG,
	STRIPE_CHARGES_ROWS,
	STRIPE_LIVE_ROW_CAP,
	DEFAULT_EVENTS_ROWS,
	createEngine,
	formatTrinoDuration,
	vegaDataDirectory,
	queryNameFor,
	normalizeFolderPath,
};
