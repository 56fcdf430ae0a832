'use strict';

const axios = require('axios');

const { startEmulator } = require('../../emulator/src/index.js');

describe.each(['spec', 'observed'])('internal table management in %s behaviour', (behaviour) => {
	let emulator;
	let http;

	const auth = () => ({ headers: { Authorization: `Bearer ${emulator.projectKey}` } });
	const projectPath = (suffix) => `/data/projects/${emulator.projectId}${suffix}`;
	const create = (suffix) => http.post(projectPath(suffix), undefined, auth());
	const stored = (text) => emulator.engine.query(emulator.projectId, text);
	const columnNames = async (schema, table) =>
		(await stored(`SELECT column_name FROM information_schema.columns WHERE table_catalog = 'peaka' AND table_schema = '${schema}' AND table_name = '${table}' ORDER BY ordinal_position`))
			.map((row) => row.column_name);

	beforeAll(async () => {
		emulator = await startEmulator({ behaviour, eventsRows: 10 });
		http = axios.create({ baseURL: emulator.baseUrl, validateStatus: () => true });
	});
	afterAll(async () => {
		await emulator.close();
	});

	test('table gets system columns', async () => {
		const created = await create('/table/orders');
		expect(created.status).toBe(200);
		expect(created.data).toEqual({
			catalogId: '1',
			catalogName: 'peaka',
			schemaName: 'table',
			tableName: 'orders',
			isCacheable: false,
			isDynamicTable: false,
			isCached: false,
			supportedCacheTypes: [],
		});
		expect(await columnNames('table', 'orders')).toEqual([
			'_id', '_version', '_created_time', '_created_by', '_last_modified_time', '_last_modified_by', '_session', 'text',
		]);
		const again = await create('/table/orders');
		expect(again.status).toBe(400);
		expect(again.data.message).toBe("Table 'orders' already exists");
	});

	test('BI names lose underscores, collisions reuse', async () => {
		const created = await create('/bitable/e2e_probe_1');
		expect(created.data.tableName).toBe('e2eprobe1');
		const collision = await create('/bitable/e2eprobe_1');
		expect(collision.status).toBe(200);
		expect(collision.data.tableName).toBe('e2eprobe1');
		expect((await http.get(projectPath('/bitable'), auth())).data.map((table) => table.tableName)).toEqual(['e2eprobe1']);
		expect(await columnNames('bitable', 'e2eprobe1')).toContain('_operation');

		const added = await http.post(projectPath('/bitable/e2eprobe1/columns'), [{ name: 'page_url', dataType: 'VARCHAR', displayName: 'Page' }], auth());
		expect(added.status).toBe(200);
		expect(added.data).toEqual([expect.objectContaining({ name: 'pageurl', displayName: 'pageurl', dataType: 'varchar' })]);

		const updated = await http.put(projectPath('/bitable/e2eprobe1/columns/pageurl'), { name: 'pageurl', dataType: 'VARCHAR', displayName: 'Page URL' }, auth());
		expect(updated.status).toBe(200);
		if (behaviour === 'observed') {
			expect(updated.data).toEqual([{ name: 'pageurl', dataType: 'VARCHAR', displayName: 'Page URL', id: '-1', desc: null }]);
		} else {
			expect(updated.data.find((column) => column.name === 'pageurl')).toMatchObject({ displayName: 'pageurl' });
		}
		const reread = await http.get(projectPath('/bitable/e2eprobe1/columns'), auth());
		expect(reread.data.find((column) => column.name === 'pageurl').displayName).toBe('pageurl');

		const importRoute = await http.post(projectPath('/bitable/e2eprobe1/import'), {}, auth());
		expect(importRoute.status).toBe(404);
	});

	test('column settings, types and flags', async () => {
		await create('/table/typed');
		const json = await http.post(projectPath('/table/typed/columns'), [{ name: 'doc', dataType: 'JSON' }], auth());
		expect(json.status).toBe(400);
		expect(json.data.message).toBe('No enum constant com.peaka.gateway.model.ColumnRequest.ColumnType.JSON');

		const added = await http.post(projectPath('/table/typed/columns'), [
			{ name: 'qty', dataType: 'BIGINT', displayName: 'Quantity', defaultValue: '3', isNotNull: true, isUnique: true },
			{ name: 'price', dataType: 'DECIMAL' },
		], auth());
		expect(added.data.map((column) => [column.name, column.dataType, column.displayName, column.defaultValue, column.isNotNull, column.isUnique, column.desc]))
			.toEqual([['qty', 'bigint', 'Quantity', '3', false, false, null], ['price', 'decimal', 'price', null, false, false, null]]);

		const duplicate = await http.post(projectPath('/table/typed/columns'), [{ name: 'text', dataType: 'VARCHAR' }], auth());
		expect(duplicate.status).toBe(400);
		expect(duplicate.data.message).toMatch(/^org\.postgresql\.util\.PSQLException: ERROR: column "text"/);

		const partial = await http.put(projectPath('/table/typed/columns/qty'), { displayName: 'Q' }, auth());
		expect(partial.status).toBe(400);
		expect(partial.data.message).toMatch(/SerColumnType/);

		const renamed = await http.put(projectPath('/table/typed/columns/qty'), { name: 'quantity', dataType: 'VARCHAR', displayName: 'Q' }, auth());
		expect(renamed.status).toBe(200);
		expect(renamed.data.find((column) => column.name === 'quantity')).toMatchObject({ dataType: 'varchar', displayName: 'Q' });
		const types = await stored("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'table' AND table_name = 'typed' AND column_name IN ('quantity', 'price')");
		expect(types).toEqual([{ column_name: 'quantity', data_type: 'VARCHAR' }, { column_name: 'price', data_type: 'DECIMAL(38,10)' }]);

		const dropped = await http.delete(projectPath('/table/typed/columns/quantity'), auth());
		expect(dropped.status).toBe(200);
		expect(await columnNames('table', 'typed')).not.toContain('quantity');
		const system = await http.delete(projectPath('/table/typed/columns/_id'), auth());
		expect(system.status).toBe(400);

		const deleted = await http.delete(projectPath('/table/typed'), auth());
		expect(deleted.status).toBe(200);
		const gone = await http.get(projectPath('/table/typed/columns'), auth());
		expect(gone.status).toBe(400);
		expect(gone.data.message).toBe("Table 'peaka.table.typed' does not exist");
	});

	test('sample CSV lists declared columns', async () => {
		await create('/table/samples');
		await http.post(projectPath('/table/samples/columns'), [{ name: 'num', dataType: 'BIGINT' }, { name: 'amount', dataType: 'DECIMAL' }], auth());
		const sample = await http.get(projectPath('/table/samples/sample'), { ...auth(), responseType: 'text' });
		expect(sample.status).toBe(200);
		expect(sample.headers['content-type']).toMatch(/^text\/csv/);
		const lines = sample.data.split('\n');
		expect(lines).toHaveLength(6);
		expect(lines[0]).toBe('text,num,amount');
		for (const line of lines.slice(1)) expect(line).toMatch(/^"sample text",\d{4},\d+\.\d{10}$/);

		const missing = await http.get(projectPath('/table/nosuch/sample'), { ...auth(), responseType: 'text' });
		expect(missing.status).toBe(200);
		expect(missing.data).toBe('\n\n\n\n\n');
	});
});
