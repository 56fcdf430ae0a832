'use strict';

const axios = require('axios');

const { startEmulator } = require('../../emulator/src/index.js');

const EVENTS_ROWS = 30;
const DATASETS_ID = '846085284821991568';
const STRIPE_ID = '846085284821991569';

let emulator;
let http;

function asProject() {
	return { headers: { Authorization: `Bearer ${emulator.projectKey}` } };
}

function asPartner() {
	return { headers: { Authorization: `Bearer ${emulator.partnerKey}` } };
}

function projectPath(suffix) {
	return `/data/projects/${emulator.projectId}${suffix}`;
}

async function columnTypes(catalogId, schemaName, tableName) {
	const response = await http.get(projectPath(`/catalogs/${catalogId}/schemas/${schemaName}/tables/${encodeURIComponent(tableName)}/columns`), asProject());
	expect(response.status).toBe(200);
	return response.data.map((column) => [column.name, column.dataType]);
}

beforeAll(async () => {
	emulator = await startEmulator({ eventsRows: EVENTS_ROWS });
	http = axios.create({ baseURL: emulator.baseUrl, validateStatus: () => true });
});

afterAll(async () => {
	await emulator.close();
});

describe('catalogs', () => {
	test('first project lists built-ins, datasets and stripe', async () => {
		const response = await http.get(projectPath('/catalogs'), asProject());
		expect(response.status).toBe(200);
		expect(response.data).toEqual([
			{ id: '1', name: 'peaka', displayName: 'Peaka', catalogType: 'internal', connectionId: null },
			{ id: '2', name: 'peaka', displayName: 'Peaka Query', catalogType: 'query', connectionId: null },
			{ id: DATASETS_ID, name: 'datasets', displayName: 'Datasets', catalogType: 'postgresql', connectionId: '3f6b2c1d-8e4a-4b7c-9d2e-1a5f6c7b8d90' },
			{ id: STRIPE_ID, name: 'stripe', displayName: 'Stripe', catalogType: 'stripe', connectionId: '7c2d4e6f-1a3b-4c5d-8e9f-0a1b2c3d4e5f' },
		]);
	});

	test('other project lists only built-ins', async () => {
		const response = await http.get(`/data/projects/${emulator.otherProjectId}/catalogs`, asPartner());
		expect(response.status).toBe(200);
		expect(response.data.map((catalog) => [catalog.id, catalog.catalogType])).toEqual([['1', 'internal'], ['2', 'query']]);
	});

	test('read returns one catalog', async () => {
		const response = await http.get(projectPath(`/catalogs/${DATASETS_ID}`), asProject());
		expect(response.status).toBe(200);
		expect(response.data).toEqual({
			id: DATASETS_ID,
			name: 'datasets',
			displayName: 'Datasets',
			catalogType: 'postgresql',
			connectionId: '3f6b2c1d-8e4a-4b7c-9d2e-1a5f6c7b8d90',
		});
	});

	test('datasets catalog is not in the other project', async () => {
		const response = await http.get(`/data/projects/${emulator.otherProjectId}/catalogs/${DATASETS_ID}`, asPartner());
		expect(response.status).toBe(404);
		expect(response.data).toEqual({ errorCode: 100, message: `Catalog not found: ${DATASETS_ID}` });
	});

	test.each([
		['read', ''],
		['schemas', '/schemas'],
		['tables', '/schemas/public/tables'],
		['columns', '/schemas/public/tables/flights/columns'],
	])('unknown catalog on %s gets 404', async (route, suffix) => {
		const response = await http.get(projectPath(`/catalogs/424242${suffix}`), asProject());
		expect(response.status).toBe(404);
		expect(response.data).toEqual({ errorCode: 100, message: 'Catalog not found: 424242' });
	});
});

describe('schemas', () => {
	test.each([
		['1', 'peaka', ['table', 'bitable']],
		['2', 'peaka', ['query', 'mtquery']],
		[DATASETS_ID, 'datasets', ['public']],
		[STRIPE_ID, 'stripe', ['payment']],
	])('catalog %s lists its schemas', async (catalogId, catalogName, schemaNames) => {
		const response = await http.get(projectPath(`/catalogs/${catalogId}/schemas`), asProject());
		expect(response.status).toBe(200);
		expect(response.data).toEqual(schemaNames.map((schemaName) => ({ catalogId, catalogName, schemaName })));
	});
});

describe('tables', () => {
	test('datasets.public lists every dataset', async () => {
		const response = await http.get(projectPath(`/catalogs/${DATASETS_ID}/schemas/public/tables`), asProject());
		expect(response.status).toBe(200);
		expect(response.data.map((table) => table.tableName)).toEqual([
			'airports', 'edge_types', 'events', 'flights', 'movies', 'penguins', 'seattle_weather', 'stocks',
		]);
		expect(response.data[3]).toEqual({
			catalogId: DATASETS_ID,
			catalogName: 'datasets',
			schemaName: 'public',
			tableName: 'flights',
			isCacheable: false,
			isDynamicTable: false,
			isCached: false,
			supportedCacheTypes: [],
		});
	});

	test('stripe charges is cacheable', async () => {
		const response = await http.get(projectPath(`/catalogs/${STRIPE_ID}/schemas/payment/tables`), asProject());
		expect(response.status).toBe(200);
		expect(response.data).toEqual([{
			catalogId: STRIPE_ID,
			catalogName: 'stripe',
			schemaName: 'payment',
			tableName: 'charges',
			isCacheable: true,
			isDynamicTable: false,
			isCached: false,
			supportedCacheTypes: ['FULL_REFRESH', 'INCREMENTAL'],
		}]);
	});

	test('cached stripe table reports isCached', async () => {
		await emulator.engine.setTableCached(emulator.projectId, STRIPE_ID, 'payment', 'charges', true);
		try {
			const response = await http.get(projectPath(`/catalogs/${STRIPE_ID}/schemas/payment/tables`), asProject());
			expect(response.data[0].isCached).toBe(true);
		} finally {
			await emulator.engine.setTableCached(emulator.projectId, STRIPE_ID, 'payment', 'charges', false);
		}
	});

	test('unknown schema gets 400 naming it', async () => {
		const response = await http.get(projectPath(`/catalogs/${DATASETS_ID}/schemas/nope/tables`), asProject());
		expect(response.status).toBe(400);
		expect(response.data).toEqual({ errorCode: 100, message: `Schema 'nope' does not exist in catalog 'datasets' (id ${DATASETS_ID}).` });
	});

	test('saved query appears in peaka.query', async () => {
		const created = await http.post(projectPath('/queries'), {
			displayName: 'Long Flights',
			inputQuery: 'SELECT origin, distance FROM datasets.public.flights WHERE distance > 2000',
			queryType: 'PLAIN',
		}, asProject());
		expect(created.status).toBe(200);
		const name = created.data.name;
		expect(name).toBe('longflights');

		const tables = await http.get(projectPath('/catalogs/2/schemas/query/tables'), asProject());
		expect(tables.data.map((table) => [table.catalogName, table.schemaName, table.tableName, table.isCacheable])).toEqual([
			['peaka', 'query', 'longflights', false],
		]);
		expect(await columnTypes('2', 'query', 'longflights')).toEqual([['origin', 'varchar'], ['distance', 'bigint']]);

		await http.delete(projectPath(`/queries/${created.data.id}`), asProject());
		const after = await http.get(projectPath('/catalogs/2/schemas/query/tables'), asProject());
		expect(after.data).toEqual([]);
	});
});

describe('columns', () => {
	test('flights has Trino types', async () => {
		expect(await columnTypes(DATASETS_ID, 'public', 'flights')).toEqual([
			['date', 'timestamp(6)'],
			['delay', 'bigint'],
			['distance', 'bigint'],
			['origin', 'varchar'],
			['destination', 'varchar'],
		]);
	});

	test('column entries have the ColumnDetail fields', async () => {
		const response = await http.get(projectPath(`/catalogs/${DATASETS_ID}/schemas/public/tables/events/columns`), asProject());
		expect(response.data).toEqual([
			{ name: 'id', dataType: 'bigint', displayName: 'id', defaultValue: null, isNotNull: true, isUnique: false, desc: null },
			{ name: 'created_at', dataType: 'timestamp(6)', displayName: 'created_at', defaultValue: null, isNotNull: true, isUnique: false, desc: null },
			{ name: 'payload', dataType: 'varchar', displayName: 'payload', defaultValue: null, isNotNull: false, isUnique: false, desc: null },
		]);
	});

	test('edge_types covers every Trino type', async () => {
		expect(await columnTypes(DATASETS_ID, 'public', 'edge_types')).toEqual([
			['id', 'integer'],
			['c_boolean', 'boolean'],
			['c_tinyint', 'tinyint'],
			['c_smallint', 'smallint'],
			['c_integer', 'integer'],
			['c_bigint', 'bigint'],
			['c_real', 'real'],
			['c_double', 'double'],
			['c_decimal', 'decimal(38,10)'],
			['c_char', 'char(5)'],
			['c_varchar', 'varchar'],
			['c_uuid', 'uuid'],
			['c_date', 'date'],
			['c_time', 'time(6)'],
			['c_timestamp', 'timestamp(6)'],
			['c_timestamptz', 'timestamp(6) with time zone'],
			['c_json', 'json'],
			['c_array', 'array(integer)'],
			['c_map', 'map(varchar, integer)'],
			['c_row', 'row(x integer, y varchar)'],
			['c_varbinary', 'varbinary'],
			['unit price', 'decimal(10,2)'],
			['a.b', 'varchar'],
		]);
	});

	test('names with spaces work in the path', async () => {
		const columns = await columnTypes(DATASETS_ID, 'public', 'movies');
		expect(columns.slice(0, 3)).toEqual([['title', 'varchar'], ['us gross', 'bigint'], ['worldwide gross', 'bigint']]);
		expect(columns).toHaveLength(16);
	});

	test('stripe charges columns', async () => {
		expect(await columnTypes(STRIPE_ID, 'payment', 'charges')).toEqual([
			['id', 'varchar'], ['amount', 'bigint'], ['currency', 'varchar'], ['refunded', 'boolean'], ['created', 'timestamp(6)'],
		]);
	});

	test('unknown table gets 400 naming it', async () => {
		const response = await http.get(projectPath(`/catalogs/${DATASETS_ID}/schemas/public/tables/nope/columns`), asProject());
		expect(response.status).toBe(400);
		expect(response.data).toEqual({ errorCode: 100, message: "Table 'datasets.public.nope' does not exist" });
	});
});

describe('observed behaviour', () => {
	test('unknown catalog gets 400', async () => {
		const observed = await startEmulator({ behaviour: 'observed', eventsRows: 0 });
		try {
			const response = await axios.get(`${observed.baseUrl}/data/projects/${observed.projectId}/catalogs/424242/schemas`, {
				headers: { Authorization: `Bearer ${observed.projectKey}` },
				validateStatus: () => true,
			});
			expect(response.status).toBe(400);
			expect(response.data).toEqual({ errorCode: 100, message: 'Catalog not found: 424242' });
		} finally {
			await observed.close();
		}
	});
});
