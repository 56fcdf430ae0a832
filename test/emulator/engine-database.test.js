'use strict';

const { createEngine, DATASETS_CATALOG, STRIPE_CATALOG, STRIPE_CHARGES_ROWS } = require('../../emulator/src/engine/database');

const PROJECT = 'mtKDhe1U';
const OTHER_PROJECT = 'SksnYuxH';
const EVENTS_ROWS = 500;

/** Runs SQL through engine.execute and returns { columns, rows } with rows as arrays of text. */
async function run(engine, text, options = {}) {
	const result = await engine.execute(options.projectId ?? PROJECT, { sql: text, ...options });
	const rows = [];
	for await (const batch of result.batches()) {
		for (let row = 0; row < batch.rowCount; row++) rows.push(batch.cells.map((column) => column[row]));
	}
	return { columns: result.columns, rows };
}

async function failure(promise) {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('Expected the call to fail.');
}

describe('engine in spec behaviour', () => {
	let engine;

	beforeAll(async () => {
		engine = await createEngine({ projects: [PROJECT, OTHER_PROJECT], eventsRows: EVENTS_ROWS });
	});

	afterAll(() => engine.close());

	test('flights has exactly 3,000,000 rows', async () => {
		const { rows, columns } = await run(engine, 'SELECT count(*) FROM datasets.public.flights');
		expect(rows).toEqual([['3000000']]);
		expect(columns).toEqual([{ name: '_col0', dataType: 'bigint', catalogName: '', schemaName: '', tableName: '' }]);
	});

	test('flights columns and first row', async () => {
		const { rows, columns } = await run(engine, 'SELECT * FROM datasets.public.flights LIMIT 1');
		expect(columns.map((column) => [column.name, column.dataType])).toEqual([
			['date', 'timestamp(6)'], ['delay', 'bigint'], ['distance', 'bigint'], ['origin', 'varchar'], ['destination', 'varchar'],
		]);
		expect(columns[0]).toMatchObject({ catalogName: 'datasets', schemaName: 'public', tableName: 'flights' });
		expect(rows).toEqual([['2001-01-01 00:01:00.000000', '33', '2176', 'LAS', 'PHL']]);
	});

	test('movies keeps column names with spaces', async () => {
		const { rows, columns } = await run(engine, 'SELECT title, "us gross", "imdb rating", "rotten tomatoes rating" FROM datasets.public.movies WHERE title = \'The Land Girls\'');
		expect(columns.map((column) => [column.name, column.dataType])).toEqual([
			['title', 'varchar'], ['us gross', 'bigint'], ['imdb rating', 'double'], ['rotten tomatoes rating', 'bigint'],
		]);
		expect(rows).toEqual([['The Land Girls', '146083', '6.1', null]]);
	});

	test('row counts of the other datasets', async () => {
		const { rows } = await run(engine, `SELECT
			(SELECT count(*) FROM datasets.public.airports),
			(SELECT count(*) FROM datasets.public.movies),
			(SELECT count(*) FROM datasets.public.penguins),
			(SELECT count(*) FROM datasets.public.penguins WHERE sex IS NULL),
			(SELECT count(*) FROM datasets.public.seattle_weather),
			(SELECT count(*) FROM datasets.public.stocks),
			(SELECT count(*) FROM datasets.public.events),
			(SELECT count(*) FROM stripe.payment.charges)`);
		expect(rows).toEqual([['3376', '3201', '344', '10', '1461', '560', String(EVENTS_ROWS), String(STRIPE_CHARGES_ROWS)]]);
	});

	test('stocks dates are real dates', async () => {
		const { rows, columns } = await run(engine, "SELECT symbol, \"date\", price FROM datasets.public.stocks WHERE symbol = 'MSFT' ORDER BY \"date\" LIMIT 1");
		expect(columns.map((column) => column.dataType)).toEqual(['varchar', 'date', 'double']);
		expect(rows).toEqual([['MSFT', '2000-01-01', '39.81']]);
	});

	test('edge_types row 1: every type rendered exactly', async () => {
		const { rows, columns } = await run(engine, 'SELECT * FROM datasets.public.edge_types WHERE id = 1');
		const byName = Object.fromEntries(columns.map((column, index) => [column.name, [column.dataType, rows[0][index]]]));
		expect(byName).toEqual({
			id: ['integer', '1'],
			c_boolean: ['boolean', 'true'],
			c_tinyint: ['tinyint', '127'],
			c_smallint: ['smallint', '32767'],
			c_integer: ['integer', '2147483647'],
			c_bigint: ['bigint', '9007199254740993'],
			c_real: ['real', '1.1'],
			c_double: ['double', '1.254740786E7'],
			c_decimal: ['decimal(38,10)', '12345678901234567890.0123456789'],
			c_char: ['char(5)', 'ab   '],
			c_varchar: ['varchar', '\u{1F600} cafe\u0301 \u05E9\u05DC\u05D5\u05DD'],
			c_uuid: ['uuid', '123e4567-e89b-12d3-a456-426614174000'],
			c_date: ['date', '2024-01-15'],
			c_time: ['time(6)', '12:34:56.123456'],
			c_timestamp: ['timestamp(6)', '2024-01-15 10:30:00.123456'],
			c_timestamptz: ['timestamp(6) with time zone', '2024-01-15 08:30:00.123456 UTC'],
			c_json: ['json', '{"a":1,"big":9007199254740993}'],
			c_array: ['array(integer)', '[1,2,null]'],
			c_map: ['map(varchar, integer)', '{"a":1,"b":null}'],
			c_row: ['row(x integer, y varchar)', '{"x":1,"y":"q"}'],
			c_varbinary: ['varbinary', '3q2+7w=='],
			'unit price': ['decimal(10,2)', '12.50'],
			'a.b': ['varchar', 'dot'],
		});
	});

	test('edge_types: minimums, NaN, Infinity, empty text beside NULL', async () => {
		const { rows } = await run(engine, 'SELECT id, c_bigint, c_double, c_decimal, c_varchar, c_real FROM datasets.public.edge_types ORDER BY id');
		expect(rows).toEqual([
			['1', '9007199254740993', '1.254740786E7', '12345678901234567890.0123456789', '\u{1F600} cafe\u0301 \u05E9\u05DC\u05D5\u05DD', '1.1'],
			['2', '-9223372036854775808', 'NaN', '-0.0000000001', '', '3.4028235E38'],
			['3', '0', 'Infinity', '12.5000000000', 'plain', '1.0E-5'],
			['4', null, null, null, null, null],
			['5', '25001', '669.74', '12.5000000000', 'line\nbreak "quoted" \\ back', '0.1'],
		]);
	});

	test('edge_types row 4 is NULL in every column but id', async () => {
		const { rows } = await run(engine, 'SELECT * FROM datasets.public.edge_types WHERE id = 4');
		expect(rows[0][0]).toBe('4');
		expect(rows[0].slice(1).every((cell) => cell === null)).toBe(true);
		expect(rows[0]).toHaveLength(23);
	});

	test('sessions run in UTC', async () => {
		const { rows } = await run(engine, "SELECT current_setting('TimeZone'), CAST(TIMESTAMPTZ '2024-06-01 12:00:00+05:00' AS VARCHAR)");
		expect(rows).toEqual([['UTC', '2024-06-01 07:00:00+00']]);
	});

	test('bindings fill ? placeholders in order', async () => {
		const { rows } = await run(engine, 'SELECT count(*) FROM datasets.public.flights WHERE origin = ? AND delay > ?', { bindings: ['LAS', '10'] });
		const check = await run(engine, "SELECT count(*) FROM datasets.public.flights WHERE origin = 'LAS' AND delay > 10");
		expect(rows).toEqual(check.rows);
		expect(Number(rows[0][0])).toBeGreaterThan(0);
	});

	test('refused DML leaves the data unchanged', async () => {
		const error = await failure(run(engine, 'DELETE FROM datasets.public.events'));
		expect(error.status).toBe(400);
		expect(error.body).toEqual({ errorCode: 100, message: "Statement type 'Delete' is not allowed" });
		expect((await run(engine, 'SELECT count(*) FROM datasets.public.events')).rows).toEqual([[String(EVENTS_ROWS)]]);
	});

	test('an unknown table is named in a Trino-style 400', async () => {
		const error = await failure(run(engine, 'SELECT * FROM datasets.public.nope'));
		expect(error.status).toBe(400);
		expect(error.body).toEqual({ errorCode: 100, message: "line 1:15: Table 'datasets.public.nope' does not exist" });
	});

	test('files outside the datasets cannot be read', async () => {
		const error = await failure(run(engine, "SELECT * FROM read_csv('/etc/passwd')"));
		expect(error.status).toBe(400);
		expect(error.body.message).toMatch(/disabled by configuration/);
	});

	test('settings cannot be changed from SQL', async () => {
		const error = await failure(run(engine, "SELECT * FROM datasets.public.flights WHERE current_setting('TimeZone') = 'UTC' AND set_config('TimeZone', 'Europe/Berlin', false)"));
		expect(error.status).toBe(400);
	});

	test('a query running past its timeout fails with Trino\'s message', async () => {
		const started = Date.now();
		const error = await failure(run(engine, 'SELECT count(*) FROM datasets.public.flights a, range(400) b WHERE a.delay + b.range = 7', { timeoutSeconds: 1 }));
		expect(error.status).toBe(400);
		expect(error.body).toEqual({ errorCode: 100, message: 'Query exceeded maximum time limit of 1.00s' });
		expect(Date.now() - started).toBeLessThan(5000);
	});

	test('an aborted signal interrupts the query', async () => {
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 200);
		const error = await failure(run(engine, 'SELECT count(*) FROM datasets.public.flights a, range(400) b WHERE a.delay + b.range = 7', { signal: controller.signal }));
		expect(error.body.message).toBe('Query was cancelled');
	});

	test('closing a result early stops it', async () => {
		const result = await engine.execute(PROJECT, { sql: 'SELECT * FROM datasets.public.flights' });
		const iterator = result.batches();
		const first = await iterator.next();
		expect(first.value.rowCount).toBeGreaterThan(0);
		await iterator.return();
		result.close();
		expect((await run(engine, 'SELECT 1')).rows).toEqual([['1']]);
	});

	test('listCatalogs: built-ins in every project, datasets and stripe in the first', async () => {
		const first = await engine.listCatalogs(PROJECT);
		expect(first.map((catalog) => [catalog.id, catalog.name, catalog.displayName, catalog.type])).toEqual([
			['1', 'peaka', 'Peaka', 'internal'],
			['2', 'peaka', 'Peaka Query', 'query'],
			['846085284821991568', 'datasets', 'Datasets', 'postgresql'],
			['846085284821991569', 'stripe', 'Stripe', 'stripe'],
		]);
		const other = await engine.listCatalogs(OTHER_PROJECT);
		expect(other.map((catalog) => catalog.id)).toEqual(['1', '2']);
	});

	test('listSchemas of each catalog', async () => {
		const names = async (catalogId) => (await engine.listSchemas(PROJECT, catalogId)).map((schema) => schema.name);
		expect(await names('1')).toEqual(['table', 'bitable']);
		expect(await names('2')).toEqual(['query', 'mtquery']);
		expect(await names(DATASETS_CATALOG.id)).toEqual(['public']);
		expect(await names(STRIPE_CATALOG.id)).toEqual(['payment']);
	});

	test('listTables of datasets.public', async () => {
		const tables = await engine.listTables(PROJECT, DATASETS_CATALOG.id, 'public');
		expect(tables.map((table) => [table.name, table.type])).toEqual([
			['airports', 'TABLE'], ['edge_types', 'TABLE'], ['events', 'TABLE'], ['flights', 'TABLE'],
			['movies', 'TABLE'], ['penguins', 'TABLE'], ['seattle_weather', 'TABLE'], ['stocks', 'TABLE'],
		]);
		expect(tables[0]).toMatchObject({ isCacheable: false, isCached: false, supportedCacheTypes: [] });
	});

	test('listTables of stripe.payment marks charges cacheable', async () => {
		const tables = await engine.listTables(PROJECT, STRIPE_CATALOG.id, 'payment');
		expect(tables).toEqual([expect.objectContaining({ name: 'charges', type: 'TABLE', isCacheable: true, supportedCacheTypes: ['FULL_REFRESH', 'INCREMENTAL'] })]);
	});

	test('listColumns gives Trino types, declared char(5) included', async () => {
		const columns = await engine.listColumns(PROJECT, DATASETS_CATALOG.id, 'public', 'edge_types');
		expect(columns.slice(0, 3)).toEqual([
			{ name: 'id', displayName: 'id', dataType: 'integer', order: 0, nullable: true },
			{ name: 'c_boolean', displayName: 'c_boolean', dataType: 'boolean', order: 1, nullable: true },
			{ name: 'c_tinyint', displayName: 'c_tinyint', dataType: 'tinyint', order: 2, nullable: true },
		]);
		expect(columns.find((column) => column.name === 'c_char').dataType).toBe('char(5)');
		expect(columns.find((column) => column.name === 'unit price').dataType).toBe('decimal(10,2)');
		const events = await engine.listColumns(PROJECT, DATASETS_CATALOG.id, 'public', 'events');
		expect(events.map((column) => [column.name, column.dataType, column.nullable])).toEqual([
			['id', 'bigint', false], ['created_at', 'timestamp(6)', false], ['payload', 'varchar', true],
		]);
	});

	test('unknown catalog, schema and table are 400s naming them', async () => {
		const catalogError = await failure(engine.listSchemas(PROJECT, '999'));
		expect([catalogError.status, catalogError.body.errorCode]).toEqual([400, 100]);
		expect(catalogError.body.message).toMatch(/^Catalog not found: 999/);
		const schemaError = await failure(engine.listTables(PROJECT, DATASETS_CATALOG.id, 'nope'));
		expect(schemaError.body.message).toMatch(/^Schema 'nope' does not exist in catalog 'datasets'/);
		const tableError = await failure(engine.listColumns(PROJECT, DATASETS_CATALOG.id, 'public', 'nope'));
		expect(tableError.body.message).toBe("Table 'datasets.public.nope' does not exist");
		const otherProject = await failure(engine.listSchemas(OTHER_PROJECT, DATASETS_CATALOG.id));
		expect(otherProject.status).toBe(400);
	});

	test('DuckDB\'s own catalogs cannot be named', async () => {
		const error = await failure(run(engine, 'SELECT count(*) FROM memory.emulator_store.stripe_charges'));
		expect(error.body).toEqual({ errorCode: 100, message: "line 1:22: Catalog 'memory' not found" });
	});

	test('the other project has no datasets catalog', async () => {
		const error = await failure(run(engine, 'SELECT count(*) FROM datasets.public.flights', { projectId: OTHER_PROJECT }));
		expect(error.body.message).toBe("line 1:22: Catalog 'datasets' not found");
	});

	test('insertEvents appends after the largest id', async () => {
		const inserted = await engine.insertEvents(PROJECT, [
			{ payload: 'first', created_at: '2030-01-01 00:00:00' },
			{ payload: null, created_at: '2030-01-01 00:00:01.5' },
		]);
		expect(inserted).toEqual([
			{ id: String(EVENTS_ROWS + 1), created_at: '2030-01-01 00:00:00.000000', payload: 'first' },
			{ id: String(EVENTS_ROWS + 2), created_at: '2030-01-01 00:00:01.500000', payload: null },
		]);
		const { rows } = await run(engine, 'SELECT id, created_at, payload FROM datasets.public.events ORDER BY id DESC LIMIT 2');
		expect(rows).toEqual([
			[String(EVENTS_ROWS + 2), '2030-01-01 00:00:01.500000', null],
			[String(EVENTS_ROWS + 1), '2030-01-01 00:00:00.000000', 'first'],
		]);
	});

	test('insertEvents without created_at stamps the current time', async () => {
		const before = Date.now();
		const [row] = await engine.insertEvents(PROJECT, [{ payload: 'now' }]);
		const stamped = Date.parse(`${row.created_at.replace(' ', 'T').slice(0, 23)}Z`);
		expect(stamped).toBeGreaterThanOrEqual(before - 1000);
		expect(stamped).toBeLessThanOrEqual(Date.now() + 1000);
	});

	test('insertEvents rejects a bad timestamp and inserts nothing', async () => {
		const { rows: [[countBefore]] } = await run(engine, 'SELECT count(*) FROM datasets.public.events');
		const error = await failure(engine.insertEvents(PROJECT, [{ payload: 'ok' }, { created_at: 'not a time' }]));
		expect(error.status).toBe(400);
		expect(error.body.message).toMatch(/^Events were not inserted: .*not a time/);
		expect((await run(engine, 'SELECT count(*) FROM datasets.public.events')).rows).toEqual([[countBefore]]);
	});

	test('generated events are deterministic', async () => {
		const { rows } = await run(engine, 'SELECT id, created_at, payload FROM datasets.public.events ORDER BY id LIMIT 2');
		expect(rows).toEqual([
			['1', '2024-01-01 00:00:00.000000', '{"seq":1,"kind":"signup"}'],
			['2', '2024-01-01 00:00:01.000000', '{"seq":2,"kind":"click"}'],
		]);
	});

	test('spec behaviour reads all 652 charges', async () => {
		const { rows } = await run(engine, 'SELECT count(*), sum(amount), count_if(refunded) FROM stripe.payment.charges');
		expect(rows).toEqual([['652', '16318294', '87']]);
	});
});

describe('engine in observed behaviour: the Stripe-like 100-row cap', () => {
	let engine;

	beforeAll(async () => {
		engine = await createEngine({ projects: [PROJECT], eventsRows: 10, behaviour: 'observed' });
	});

	afterAll(() => engine.close());

	test('count(*) sees 100 rows, as live Peaka did on uncached Stripe tables', async () => {
		expect((await run(engine, 'SELECT count(*) FROM stripe.payment.charges')).rows).toEqual([['100']]);
	});

	test('LIMIT 500 returns the 100 newest distinct ids', async () => {
		const { rows } = await run(engine, 'SELECT id, created FROM stripe.payment.charges LIMIT 500');
		expect(rows).toHaveLength(100);
		expect(new Set(rows.map((row) => row[0])).size).toBe(100);
		const oldest = rows.map((row) => row[1]).sort()[0];
		// Charge n is created 13 hours before charge n-1, from 2024-06-30 12:00; the 100th newest is n = 99, 1,287 hours earlier.
		expect(oldest).toBe('2024-05-07 21:00:00.000000');
	});

	test('the cap applies before WHERE and aggregates', async () => {
		const capped = await run(engine, 'SELECT count_if(refunded), sum(amount) FROM stripe.payment.charges');
		const [newest] = await engine.query(PROJECT, `SELECT count_if(refunded) AS refunded, sum(amount) AS total FROM
			(SELECT * FROM memory.emulator_store.stripe_charges ORDER BY created DESC LIMIT 100)`);
		expect(capped.rows).toEqual([[String(newest.refunded), String(newest.total)]]);
		expect(capped.rows).not.toEqual([['87', '16318294']]);
	});

	test('each side of a join is capped, not the join', async () => {
		const { rows } = await run(engine, 'SELECT count(*) FROM stripe.payment.charges a CROSS JOIN (VALUES (1), (2)) AS t(x)');
		expect(rows).toEqual([['200']]);
	});

	test('a cached table is read in full', async () => {
		await engine.setTableCached(PROJECT, STRIPE_CATALOG.id, 'payment', 'charges', true);
		expect((await run(engine, 'SELECT count(*) FROM stripe.payment.charges')).rows).toEqual([['652']]);
		expect((await engine.listTables(PROJECT, STRIPE_CATALOG.id, 'payment'))[0].isCached).toBe(true);
		await engine.setTableCached(PROJECT, STRIPE_CATALOG.id, 'payment', 'charges', false);
		expect((await run(engine, 'SELECT count(*) FROM stripe.payment.charges')).rows).toEqual([['100']]);
	});

	test('other catalogs are not capped', async () => {
		expect((await run(engine, 'SELECT count(*) FROM datasets.public.airports')).rows).toEqual([['3376']]);
	});
});

describe('createEngine options', () => {
	test('rejects an unknown behaviour', async () => {
		await expect(createEngine({ projects: [PROJECT], behaviour: 'live' })).rejects.toThrow("Invalid behaviour 'live'");
	});

	test('rejects an empty project list', async () => {
		await expect(createEngine({ projects: [] })).rejects.toThrow(/at least one project id/);
	});
});
