'use strict';

const axios = require('axios');

const { startEmulator } = require('../../emulator/src/index');

const STRIPE_CATALOG_ID = '846085284821991569';
const DATASETS_CATALOG_ID = '846085284821991568';

const emulators = {};
const clients = {};

beforeAll(async () => {
	for (const behaviour of ['spec', 'observed']) {
		emulators[behaviour] = await startEmulator({ behaviour, eventsRows: 100 });
		clients[behaviour] = axios.create({
			baseURL: `${emulators[behaviour].baseUrl}/data/projects/${emulators[behaviour].projectId}`,
			headers: { Authorization: `Bearer ${emulators[behaviour].partnerKey}` },
			validateStatus: () => true,
		});
	}
});

afterAll(async () => {
	await Promise.all(Object.values(emulators).map((emulator) => emulator.close()));
});

function execute(body, { format = 'COMPACT', behaviour = 'spec' } = {}) {
	return clients[behaviour].post(`/queries/execute?format=${format}`, body);
}

function expectBadRequest(response, message) {
	expect(response.status).toBe(400);
	expect(response.data).toEqual({ errorCode: 100, message });
}

describe('statement form', () => {
	test('bindings fill the ? placeholders in order', async () => {
		const response = await execute({
			statement: 'SELECT iata, city FROM datasets.public.airports WHERE state = ? AND city = ? ORDER BY iata',
			bindings: ['NV', 'Las Vegas'],
		});
		expect(response.status).toBe(200);
		expect(response.data.data).toEqual([['L15', 'Las Vegas'], ['LAS', 'Las Vegas'], ['VGT', 'Las Vegas']]);
	});

	test('a string binding compares with a bigint column', async () => {
		const bound = await execute({ statement: 'SELECT count(*) FROM datasets.public.flights WHERE delay > ?', bindings: ['100'] });
		const literal = await execute({ statement: 'SELECT count(*) FROM datasets.public.flights WHERE delay > 100' });
		expect(bound.data.data).toEqual(literal.data.data);
	});

	test('a binding with quotes stays a value', async () => {
		const response = await execute({ statement: 'SELECT ? AS text', bindings: ["it's ' OR 1=1 --"] }, { format: 'SIMPLE' });
		expect(response.data.data).toEqual([{ text: "it's ' OR 1=1 --" }]);
	});

	test('too few bindings is Trino\'s parameter error', async () => {
		expectBadRequest(
			await execute({ statement: 'SELECT * FROM datasets.public.airports WHERE state = ? AND city = ?', bindings: ['NV'] }),
			'Incorrect number of parameters: expected 2 but found 1',
		);
	});

	test('bindArgs (the field\'s old name) is not read, so placeholders stay unfilled', async () => {
		expectBadRequest(
			await execute({ statement: 'SELECT * FROM datasets.public.airports WHERE state = ?', bindArgs: ['NV'] }),
			'Incorrect number of parameters: expected 1 but found 0',
		);
	});

	test('a binding that is not a string is rejected', async () => {
		expectBadRequest(
			await execute({ statement: 'SELECT ?', bindings: [42] }),
			'Invalid bindings[0] 42: every binding is a string, e.g. "42".',
		);
	});

	test('an empty statement is rejected', async () => {
		expectBadRequest(await execute({ statement: '  ' }), 'Invalid statement "  ": send the SQL as a non-empty string.');
	});
});

describe('saved query by id', () => {
	let queryId;

	beforeAll(async () => {
		const created = await clients.spec.post('/queries', {
			displayName: 'LAS Airports',
			inputQuery: "SELECT iata, city FROM datasets.public.airports WHERE iata IN ('LAS', 'VGT') ORDER BY iata",
		});
		expect(created.status).toBe(200);
		queryId = created.data.id;
	});

	test('runs with its id as a string', async () => {
		const response = await execute({ id: queryId }, { format: 'SIMPLE' });
		expect(response.status).toBe(200);
		expect(response.data.columns).toEqual([
			{ catalogName: 'peaka', schemaName: 'query', tableName: 'lasairports', columnName: 'iata' },
			{ catalogName: 'peaka', schemaName: 'query', tableName: 'lasairports', columnName: 'city' },
		]);
		expect(response.data.data).toEqual([{ iata: 'LAS', city: 'Las Vegas' }, { iata: 'VGT', city: 'Las Vegas' }]);
	});

	test.each(['spec', 'observed'])('a numeric id is a 400 (%s)', async (behaviour) => {
		const response = await execute({ id: 709922802836177297 }, { behaviour });
		expect(response.status).toBe(400);
		expect(response.data.errorCode).toBe(100);
		expect(response.data.message).toMatch(/^Invalid id 709922802836177300: send the saved query's id as a string/);
	});

	test('an unknown id names it', async () => {
		expectBadRequest(await execute({ id: '123456789012345678' }), 'There is no query with id: 123456789012345678');
	});
});

describe('qualifiedName form', () => {
	test('reads a table by catalog.schema.table', async () => {
		const response = await execute({ qualifiedName: 'datasets.public.seattle_weather' }, { format: 'SIMPLE' });
		expect(response.status).toBe(200);
		expect(response.data.data).toHaveLength(1461);
		expect(response.data.data[0]).toEqual({ date: '2012-01-01', precipitation: '0.0', temp_max: '12.8', temp_min: '5.0', wind: '4.7', weather: 'drizzle' });
		expect(response.data.columns[0]).toEqual({ catalogName: 'datasets', schemaName: 'public', tableName: 'seattle_weather', columnName: 'date' });
	});

	test('a name without three parts is rejected', async () => {
		expectBadRequest(await execute({ qualifiedName: 'public.seattle_weather' }),
			'Invalid qualifiedName "public.seattle_weather": use catalog.schema.table, e.g. peaka.query.samplequery.');
	});

	test('an unknown table is named', async () => {
		const response = await execute({ qualifiedName: 'datasets.public.nope' });
		expect(response.status).toBe(400);
		expect(response.data.message).toMatch(/Table 'datasets\.public\.nope' does not exist$/);
	});
});

describe('query builder form', () => {
	const charges = { catalogName: 'stripe', schemaName: 'payment', tableName: 'charges' };

	test('columns, orderBy, offset and limit', async () => {
		const response = await execute({ columns: ['id', 'amount'], from: [charges], orderBy: ['amount DESC', 'id'], offset: 2, limit: 3 });
		const expected = await execute({ statement: 'SELECT id, amount FROM stripe.payment.charges ORDER BY amount DESC, id OFFSET 2 LIMIT 3' });
		expect(response.status).toBe(200);
		expect(response.data.data).toEqual(expected.data.data);
		expect(response.data.data).toHaveLength(3);
		expect(response.data.columns[0]).toEqual({ ...charges, columnName: 'id' });
	});

	test('offset pages do not overlap', async () => {
		const page = (offset) => execute({ columns: ['id'], from: [charges], orderBy: ['id ASC'], offset, limit: 20 });
		const first = (await page(0)).data.data.map((row) => row[0]);
		const second = (await page(20)).data.data.map((row) => row[0]);
		expect(first).toHaveLength(20);
		expect(second).toHaveLength(20);
		expect(first.filter((id) => second.includes(id))).toEqual([]);
		expect([...first].sort()).toEqual(first);
		expect(first[19] < second[0]).toBe(true);
	});

	test('the spec\'s filter example', async () => {
		const column = { catalogName: 'stripe', schemaName: 'payment', tableName: 'charges', columnName: 'amount' };
		const response = await execute({
			columns: ['amount'],
			from: [charges],
			filters: { and: [[{ column }, '>', [49000]]] },
			limit: 50,
			offset: 0,
			orderBy: ['amount DESC'],
		});
		const expected = await execute({ statement: 'SELECT amount FROM stripe.payment.charges WHERE amount > 49000 ORDER BY amount DESC LIMIT 50' });
		expect(response.status).toBe(200);
		expect(response.data.data).toEqual(expected.data.data);
		expect(response.data.data.length).toBeGreaterThan(0);
		expect(response.data.data.every(([amount]) => Number(amount) > 49000)).toBe(true);
	});

	test('or groups, IN and nested groups', async () => {
		const column = (columnName) => ({ column: { columnName } });
		const response = await execute({
			columns: ['iata'],
			from: [{ catalogId: DATASETS_CATALOG_ID, schemaName: 'public', tableName: 'airports' }],
			filters: { or: [[column('iata'), 'IN', ['LAS', 'SFO']], { and: [[column('state'), '=', ['NV']], [column('city'), '=', ['Reno']]] }] },
			orderBy: ['iata'],
		});
		expect(response.status).toBe(200);
		expect(response.data.data).toEqual([['4SD'], ['LAS'], ['RNO'], ['SFO']]);
	});

	test.each([
		[{ amount: { gt: 150 } }, 'a filter group is {"and": [...]} or {"or": [...]}'],
		[{ and: [['amount', '>', [150]]] }, 'Invalid condition'],
		[{ and: [[{ column: { columnName: 'amount' } }, '>', 150]] }, 'Invalid condition'],
		[{ and: [[{ column: { columnName: 'amount' } }, '~', [150]]] }, "Invalid operator '~'"],
		[{ and: [[{ column: { columnName: 'amount' } }, '>', [1, 2]]] }, "Operator '>' in filters.and[0] takes 1 value(s); got 2."],
		[[{ column: { columnName: 'amount' } }, '>', [150]], 'Invalid filters'],
	])('filter shape %j is a 400', async (filters, messagePart) => {
		const response = await execute({ from: [charges], filters });
		expect(response.status).toBe(400);
		expect(response.data.errorCode).toBe(100);
		expect(response.data.message).toContain(messagePart);
	});

	test('a catalog id is resolved to its name', async () => {
		const response = await execute({ columns: ['id'], from: [{ catalogId: STRIPE_CATALOG_ID, schemaName: 'payment', tableName: 'charges' }], limit: 1 });
		expect(response.status).toBe(200);
		expect(response.data.columns).toEqual([{ catalogName: 'stripe', schemaName: 'payment', tableName: 'charges', columnName: 'id' }]);
	});

	test('two tables in from are rejected', async () => {
		expectBadRequest(await execute({ from: [charges, charges] }),
			"The query builder takes one table in 'from'; got 2. Join tables with a SQL statement.");
	});

	test('a negative limit is rejected', async () => {
		expectBadRequest(await execute({ from: [charges], limit: -1 }), 'Invalid limit -1: send a whole number of rows, 0 or more.');
	});

	test('limit 500 on the Stripe-like table: 500 rows in spec, 100 in observed', async () => {
		const body = { columns: ['id'], from: [charges], limit: 500 };
		const spec = await execute(body, { behaviour: 'spec' });
		const observed = await execute(body, { behaviour: 'observed' });
		expect(spec.data.data).toHaveLength(500);
		expect(observed.data.data).toHaveLength(100);
		expect(new Set(observed.data.data.map(([id]) => id)).size).toBe(100);
	});
});

describe('request body', () => {
	test('no form is a 400 listing the four', async () => {
		expectBadRequest(await execute({ timeout: 5 }), "The request body needs one of 'statement', 'id', 'qualifiedName', 'from'.");
	});

	test('two forms at once are a 400', async () => {
		expectBadRequest(await execute({ statement: 'SELECT 1', id: '1' }), "The request body has 'statement' and 'id'; send exactly one of them.");
	});

	test('a body that is not an object is a 400', async () => {
		const response = await clients.spec.post('/queries/execute', '[1]', { headers: { 'Content-Type': 'application/json' } });
		expectBadRequest(response, 'The request body must be a JSON object such as {"statement": "SELECT 1"}.');
	});

	test('a timeout that is not a whole number of seconds is a 400', async () => {
		expectBadRequest(await execute({ statement: 'SELECT 1', timeout: 1.5 }), 'Invalid timeout 1.5: send a whole number of seconds, 1 or more.');
	});

	test('a query running past its timeout is stopped with Trino\'s message', async () => {
		const started = Date.now();
		const response = await execute({
			statement: 'SELECT count(*) FROM datasets.public.flights a, range(400) b WHERE a.delay + b.range = 7',
			timeout: 1,
		});
		expectBadRequest(response, 'Query exceeded maximum time limit of 1.00s');
		expect(Date.now() - started).toBeLessThan(5000);
	});

	test('a quick query with a timeout succeeds', async () => {
		const response = await execute({ statement: 'SELECT 1', timeout: 30 });
		expect(response.status).toBe(200);
		expect(response.data.data).toEqual([['1']]);
	});
});
