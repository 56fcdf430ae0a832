import { createHash } from 'node:crypto';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { PeakaApi } from '../../credentials/PeakaApi.credentials';
import { Peaka } from '../../nodes/Peaka/Peaka.node';
import { listSearch, readBinary, type RunNodeResult } from '../harness/n8n-runner';
import { expectRequestsMatchSpec } from '../contract/openapi';
import {
	BEHAVIOURS,
	type Behaviour,
	credentialsFor,
	type Emulator,
	executeSql,
	jsonOf,
	pairedItemsOf,
	projectParameter,
	runPeaka,
	startPeaka,
} from './support';

interface TableEngine {
	query(projectId: string, sql: string): Promise<Array<Record<string, unknown>>>;
}

const locator = (value: string): INodeParameters => ({ __rl: true, mode: 'id', value });
const IMPORT_PATH = '/data/projects/*/table/*/import';
const BULK_ROWS = 100_000;
const BULK_BATCH = 5_000;

function bulkItems(count: number): IDataObject[] {
	const items: IDataObject[] = [];
	for (let i = 0; i < count; i++) items.push({ id: i, name: `name ${i}, "q"`, amount: (i % 1000) + 0.25, flag: i % 3 === 0 });
	return items;
}

/** Computes the checksum that the SQL in `tableChecksum` computes, over the same rows ordered by id. */
function itemsChecksum(items: IDataObject[]): string {
	const sorted = [...items].sort((left, right) => (left.id as number) - (right.id as number));
	const lines = sorted.map((item) => `${item.id}|${item.name}|${(item.amount as number).toFixed(10)}|${item.flag}`);
	return createHash('md5').update(lines.join('\n')).digest('hex');
}

async function tableChecksum(engine: TableEngine, projectId: string, table: string): Promise<{ count: number; checksum: string }> {
	const [row] = await engine.query(
		projectId,
		`SELECT count(*) AS n, md5(string_agg(concat_ws('|', id, name, CAST(amount AS VARCHAR), flag), chr(10) ORDER BY id)) AS checksum
		 FROM peaka."table"."${table}"`,
	);
	return { count: Number(row.n), checksum: String(row.checksum) };
}

describe.each(BEHAVIOURS)('Internal Table operations against the %s emulator', (behaviour: Behaviour) => {
	let emulator: Emulator;
	let engine: TableEngine;

	beforeAll(async () => {
		emulator = await startPeaka(behaviour, { eventsRows: 10 });
		engine = emulator.engine as TableEngine;
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => {
		emulator.faults.reset();
		emulator.faults.clearRequests();
	});

	const tableOperation = (operation: string, extra: INodeParameters = {}): INodeParameters => ({
		resource: 'internalTable',
		operation,
		project: projectParameter(emulator.projectId),
		...extra,
	});
	const ok = (result: RunNodeResult): IDataObject[] => {
		expect(result.error).toBeUndefined();
		return jsonOf(result.outputs[0]);
	};
	const sql = (text: string) => engine.query(emulator.projectId, text);
	const storedColumns = async (schema: string, table: string) =>
		(
			await sql(
				`SELECT column_name, data_type FROM information_schema.columns WHERE table_catalog = 'peaka' AND table_schema = '${schema}' AND table_name = '${table}' ORDER BY ordinal_position`,
			)
		).map((row) => `${row.column_name}:${row.data_type}`);
	const storedTables = async (schema: string) =>
		(await sql(`SELECT table_name FROM duckdb_tables() WHERE database_name = 'peaka' AND schema_name = '${schema}' ORDER BY 1`)).map(
			(row) => row.table_name,
		);
	const requestLog = () => emulator.faults.requests().map((request) => `${request.method} ${request.path}`);
	const importRequests = () => emulator.faults.requests().filter((request) => request.path.endsWith('/import'));
	const insertRows = (table: string, extra: INodeParameters = {}, options: IDataObject = {}) =>
		tableOperation('insertRows', {
			internalTable: locator(table),
			mappingMode: 'autoMapInputData',
			options: options as INodeParameters,
			...extra,
		});

	it('manages tables and columns of both kinds', async () => {
		const created = ok(
			await runPeaka(emulator, tableOperation('create', { tableKind: '={{ $json.kind }}', tableName: '={{ $json.name }}' }), {
				inputItems: [
					{ kind: 'table', name: 'crm_orders' },
					{ kind: 'bitable', name: 'click_events' },
				],
			}),
		);
		expect(created.map((table) => [table.schemaName, table.tableName, table.kind])).toEqual([
			['table', 'crm_orders', 'Peaka Table'],
			['bitable', 'clickevents', 'Peaka BI Table'],
		]);
		expect(created[1].requestedName).toBe('click_events');
		expect(await storedTables('table')).toContain('crm_orders');
		expect(await storedTables('bitable')).toContain('clickevents');

		const listed = ok(await runPeaka(emulator, tableOperation('getMany', { tableKind: 'bitable' })));
		expect(listed.map((table) => table.tableName)).toEqual(['clickevents']);
		const search = (tableKind: string, filter?: string) =>
			listSearch({
				nodeType: Peaka,
				credentialTypes: [PeakaApi],
				credentials: { peakaApi: credentialsFor(emulator, emulator.projectKey) },
				parameters: tableOperation('getColumns', { tableKind }),
				methodName: 'searchInternalTables',
				filter,
			});
		expect((await search('table', 'crm')).results).toEqual([{ name: 'crm_orders', value: 'crm_orders' }]);
		expect((await search('bitable')).results).toEqual([{ name: 'clickevents', value: 'clickevents' }]);

		const added = ok(
			await runPeaka(
				emulator,
				tableOperation('addColumns', {
					internalTable: locator('crm_orders'),
					columns: {
						column: [
							{ name: 'amount', dataType: 'DECIMAL', displayName: 'Amount', defaultValue: '', isUnique: true },
							{ name: 'status', dataType: 'VARCHAR', displayName: '', defaultValue: 'open' },
						],
					},
				}),
			),
		);
		expect(added.map((column) => [column.name, column.dataType, column.displayName, column.defaultValue, column.isUnique])).toEqual([
			['amount', 'decimal', 'Amount', null, false],
			['status', 'varchar', 'status', 'open', false],
		]);
		expect(await storedColumns('table', 'crm_orders')).toEqual([
			'_id:BIGINT',
			'_version:BIGINT',
			'_created_time:TIMESTAMP',
			'_created_by:VARCHAR',
			'_last_modified_time:TIMESTAMP',
			'_last_modified_by:VARCHAR',
			'_session:VARCHAR',
			'text:VARCHAR',
			'amount:DECIMAL(38,10)',
			'status:VARCHAR',
		]);

		const columns = ok(await runPeaka(emulator, tableOperation('getColumns', { internalTable: locator('crm_orders') })));
		expect(columns.map((column) => column.name)).toEqual(['amount', 'status']);
		const withSystem = ok(
			await runPeaka(emulator, tableOperation('getColumns', { internalTable: locator('crm_orders'), includeSystemColumns: true })),
		);
		expect(withSystem).toHaveLength(10);

		const updated = ok(
			await runPeaka(
				emulator,
				tableOperation('updateColumn', {
					internalTable: locator('crm_orders'),
					columnName: 'status',
					newName: 'state',
					dataType: 'VARCHAR',
					displayName: 'State',
					defaultValue: 'new',
				}),
			),
		);
		expect(updated).toEqual([expect.objectContaining({ name: 'state', displayName: 'State', defaultValue: 'new', dataType: 'varchar' })]);
		expect(await storedColumns('table', 'crm_orders')).toContain('state:VARCHAR');

		const biColumn = ok(
			await runPeaka(
				emulator,
				tableOperation('addColumns', {
					tableKind: 'bitable',
					internalTable: locator('clickevents'),
					columns: { column: [{ name: 'page_url', dataType: 'VARCHAR', displayName: 'Page' }] },
				}),
			),
		);
		expect(biColumn.map((column) => [column.name, column.displayName])).toEqual([['pageurl', 'pageurl']]);
		const biUpdated = ok(
			await runPeaka(
				emulator,
				tableOperation('updateColumn', {
					tableKind: 'bitable',
					internalTable: locator('clickevents'),
					columnName: 'pageurl',
					dataType: 'VARCHAR',
					displayName: 'Page URL',
				}),
			),
		);
		// The node re-reads the columns, so the observed echo (id "-1") does not reach the item.
		expect(biUpdated).toEqual([expect.objectContaining({ name: 'pageurl', displayName: 'pageurl' })]);
		expect(biUpdated[0].id).not.toBe('-1');

		const dropped = ok(
			await runPeaka(emulator, tableOperation('deleteColumn', { internalTable: locator('crm_orders'), columnName: 'state' })),
		);
		expect(dropped).toEqual([{ tableName: 'crm_orders', columnName: 'state', deleted: true }]);
		expect(await storedColumns('table', 'crm_orders')).not.toContain('state:VARCHAR');

		const missingColumn = await runPeaka(emulator, tableOperation('deleteColumn', { internalTable: locator('crm_orders'), columnName: 'nope' }));
		expect(missingColumn.error?.message).toBe("Column 'nope' was not found in Peaka Table 'crm_orders'");

		expectRequestsMatchSpec(emulator.faults.requests());

		const deleted = ok(
			await runPeaka(emulator, tableOperation('delete', { tableKind: '={{ $json.kind }}', internalTable: locator('={{ $json.name }}') }), {
				inputItems: [
					{ kind: 'table', name: 'crm_orders' },
					{ kind: 'bitable', name: 'clickevents' },
				],
			}),
		);
		expect(deleted).toEqual([
			{ tableName: 'crm_orders', deleted: true },
			{ tableName: 'clickevents', deleted: true },
		]);
		expect(await storedTables('table')).not.toContain('crm_orders');
		expect(await storedTables('bitable')).not.toContain('clickevents');

		const gone = await runPeaka(emulator, tableOperation('getColumns', { internalTable: locator('crm_orders') }));
		expect(gone.error?.message).toBe(`Peaka Table 'crm_orders' was not found in project '${emulator.projectId}'`);
	});

	it('downloads the sample CSV and imports a CSV file', async () => {
		ok(await runPeaka(emulator, tableOperation('create', { tableName: 'imports' })));
		ok(
			await runPeaka(
				emulator,
				tableOperation('addColumns', {
					internalTable: locator('imports'),
					columns: {
						column: [
							{ name: 'qty', dataType: 'BIGINT' },
							{ name: 'note', dataType: 'VARCHAR', defaultValue: 'none' },
						],
					},
				}),
			),
		);

		const sample = await runPeaka(emulator, tableOperation('getSampleCsv', { internalTable: locator('imports'), binaryPropertyName: 'file' }));
		expect(jsonOf(sample.outputs[0])).toEqual([
			expect.objectContaining({ tableName: 'imports', header: ['text', 'qty', 'note'], sampleRows: 5 }),
		]);
		const sampleText = (await readBinary(sample.outputs[0][0], 'file')).toString('utf8');
		expect(sampleText.split('\n')[0]).toBe('text,qty,note');
		expect(sampleText.split('\n')).toHaveLength(6);

		const csv = 'qty,comment,extra\r\n7,"a, b",x\r\n8,"say ""hi""\nbye",y\r\n9,,z\r\n';
		const fileItem: INodeExecutionData = {
			json: {},
			binary: { data: { data: Buffer.from(csv).toString('base64'), mimeType: 'text/csv', fileName: 'rows.csv' } },
		};
		const byName = await runPeaka(
			emulator,
			tableOperation('importCsv', {
				internalTable: locator('imports'),
				mappingMode: 'name',
				mappings: { mapping: [{ column: 'qty', csvColumn: 'qty' }, { column: 'text', csvColumn: 'comment' }] },
			}),
			{ inputItems: [fileItem] },
		);
		expect(ok(byName)).toEqual([expect.objectContaining({ status: 'COMPLETED', result: { processed: 3 }, tableName: 'imports' })]);

		const byIndex = await runPeaka(
			emulator,
			tableOperation('importCsv', {
				internalTable: locator('imports'),
				containsHeader: false,
				mappingMode: 'index',
				mappings: { mapping: [{ column: 'qty', csvColumn: '0' }, { column: 'note', csvColumn: '2' }] },
			}),
			{ inputItems: [{ json: {}, binary: { data: { data: Buffer.from('10,-,first\n11,-,\n').toString('base64'), mimeType: 'text/csv' } } }] },
		);
		expect(ok(byIndex)[0]).toMatchObject({ result: { processed: 2 } });

		const rows = await sql('SELECT qty, text, note FROM peaka."table".imports ORDER BY _id');
		expect(rows).toEqual([
			{ qty: 7n, text: 'a, b', note: 'none' },
			{ qty: 8n, text: 'say "hi"\nbye', note: 'none' },
			{ qty: 9n, text: null, note: 'none' },
			{ qty: 10n, text: null, note: 'first' },
			{ qty: 11n, text: null, note: null },
		]);

		emulator.faults.clearRequests();
		const badHeader = await runPeaka(
			emulator,
			tableOperation('importCsv', {
				internalTable: locator('imports'),
				mappings: { mapping: [{ column: 'qty', csvColumn: 'quantity' }] },
			}),
			{ inputItems: [fileItem] },
		);
		expect(badHeader.error?.message).toBe("Mapping 1: CSV column 'quantity' is not in the file's header");
		expect(importRequests()).toEqual([]);
	});

	it('refuses to write a BI table', async () => {
		ok(await runPeaka(emulator, tableOperation('create', { tableKind: 'bitable', tableName: 'metrics' })));
		emulator.faults.clearRequests();
		const attempt = await runPeaka(emulator, insertRows('metrics'), { inputItems: [{ value: 1 }] });
		expect(attempt.error?.message).toBe("'metrics' is a Peaka BI Table, which cannot be written through Peaka's API");
		expect(importRequests()).toEqual([]);
		expect(await sql('SELECT count(*) AS n FROM peaka.bitable.metrics')).toEqual([{ n: 0n }]);
	});

	it('rejects bad input before sending rows', async () => {
		ok(await runPeaka(emulator, tableOperation('create', { tableName: 'guarded' })));
		ok(
			await runPeaka(
				emulator,
				tableOperation('addColumns', {
					internalTable: locator('guarded'),
					columns: { column: [{ name: 'qty', dataType: 'BIGINT' }, { name: 'day', dataType: 'DATE' }] },
				}),
			),
		);
		emulator.faults.clearRequests();
		const items = [{ qty: 1, day: '2024-01-01' }, { qty: 'many', day: '2024-01-02' }];

		const badBatch = await runPeaka(emulator, insertRows('guarded', {}, { batchSize: 0 }), { inputItems: items });
		expect(badBatch.error?.message).toBe("The 'Batch Size' option must be a whole number from 1 to 50000, not 0");
		const hugeBatch = await runPeaka(emulator, insertRows('guarded', {}, { batchSize: 1e9 }), { inputItems: items });
		expect(hugeBatch.error?.message).toBe("The 'Batch Size' option must be a whole number from 1 to 50000, not 1000000000");

		const unknownField = await runPeaka(
			emulator,
			insertRows('guarded', { mappingMode: 'defineBelow', mappings: { mapping: [{ column: 'qty', field: 'quantity' }] } }),
			{ inputItems: items },
		);
		expect(unknownField.error?.message).toBe("Column Mappings: mapping 1 names field 'quantity', which no input item has");
		expect(requestLog()).toEqual([]);

		const unknownColumn = await runPeaka(
			emulator,
			insertRows('guarded', { mappingMode: 'defineBelow', mappings: { mapping: [{ column: 'quantity', field: 'qty' }] } }),
			{ inputItems: items },
		);
		expect(unknownColumn.error?.message).toBe("Column Mappings: mapping 1 names column 'quantity', which Peaka Table 'guarded' does not have");

		const unknownAuto = await runPeaka(emulator, insertRows('guarded'), { inputItems: [{ qty: 1, colour: 'red' }] });
		expect(unknownAuto.error?.message).toBe("Map Automatically: input fields without a column in Peaka Table 'guarded': colour");

		const badValue = await runPeaka(emulator, insertRows('guarded'), { inputItems: items });
		expect(badValue.error?.message).toBe(
			"Item 1: field 'qty' holds 'many', which is not a whole number, so it does not fit column 'qty' (BIGINT)",
		);
		const badDate = await runPeaka(emulator, insertRows('guarded'), { inputItems: [{ qty: 1, day: '2024-02-30' }] });
		expect(badDate.error?.message).toBe(
			"Item 0: field 'day' holds '2024-02-30', which is not a date of the form 'YYYY-MM-DD', so it does not fit column 'day' (DATE)",
		);

		// Only the column reads reached the emulator; no row was sent.
		expect(requestLog().every((entry) => entry.startsWith('GET '))).toBe(true);
		expect(importRequests()).toEqual([]);
		expect(await sql('SELECT count(*) AS n FROM peaka."table".guarded')).toEqual([{ n: 0n }]);

		// With continue-on-fail the bad item goes to the error output and the rest is stored.
		const partial = await runPeaka(emulator, insertRows('guarded'), { inputItems: items, onError: 'continueErrorOutput' });
		expect(jsonOf(partial.outputs[0])).toEqual([{ table: 'guarded', batch: 1, status: 'inserted' }]);
		expect(pairedItemsOf(partial.outputs[1])).toEqual([{ item: 1 }]);
		expect(partial.outputs[1][0].json.error).toBe(
			"Item 1: field 'qty' holds 'many', which is not a whole number, so it does not fit column 'qty' (BIGINT)",
		);
		expect(await sql('SELECT qty, CAST(day AS VARCHAR) AS day FROM peaka."table".guarded')).toEqual([{ qty: 1n, day: '2024-01-01' }]);
	});

	it('round-trips the eight column types', async () => {
		const types = ['VARCHAR', 'BIGINT', 'BOOLEAN', 'DECIMAL', 'TIMESTAMP', 'TIME', 'DATE', 'UUID'];
		ok(await runPeaka(emulator, tableOperation('create', { tableName: 'typed' })));
		ok(
			await runPeaka(
				emulator,
				tableOperation('addColumns', {
					internalTable: locator('typed'),
					columns: { column: types.map((type) => ({ name: `c_${type.toLowerCase()}`, dataType: type })) },
				}),
			),
		);
		const items: IDataObject[] = [
			{
				c_varchar: 'O\'Brien, "quoted"\nsecond line',
				c_bigint: '9007199254740993',
				c_boolean: true,
				c_decimal: '12345678901234567890.0123456789',
				c_timestamp: '2024-03-30 23:59:59',
				c_time: '23:59:59',
				c_date: '2024-02-29',
				c_uuid: 'a3bb189e-8bf9-3888-9912-ace4e6543002',
			},
			{
				c_varchar: '',
				c_bigint: '-9223372036854775808',
				c_boolean: false,
				c_decimal: 0.5,
				c_timestamp: '2024-03-30T00:00:00',
				c_time: '00:00:00',
				c_date: '1999-12-31',
				c_uuid: '00000000-0000-4000-8000-000000000000',
			},
			{ c_varchar: 'ünïcödé ✓', c_bigint: 42, c_boolean: null, c_decimal: -1.5, c_timestamp: null, c_time: null, c_date: null, c_uuid: null },
		];
		const inserted = await runPeaka(emulator, insertRows('typed'), { inputItems: items });
		expect(ok(inserted)).toEqual([
			{ table: 'typed', batch: 1, status: 'inserted' },
			{ table: 'typed', batch: 1, status: 'inserted', storedAsNull: ['c_varchar'] },
			{ table: 'typed', batch: 1, status: 'inserted' },
		]);
		expect(inserted.hints.map((hint) => hint.message)).toEqual([
			"Peaka's import stores empty text as NULL, and does not keep columns' Unique and Not Null settings.",
			'1 empty text value was stored as NULL (listed in storedAsNull).',
		]);

		const read = ok(
			await runPeaka(emulator, executeSql(emulator, `SELECT ${types.map((type) => `c_${type.toLowerCase()}`).join(', ')} FROM peaka."table".typed ORDER BY _id`)),
		);
		expect(read).toHaveLength(3);
		const expected = items.map((item) => ({ ...item }));
		// Peaka stores empty text as NULL, which the insert output reported above.
		expected[1].c_varchar = null;
		for (let row = 0; row < 3; row++) {
			const { c_decimal: decimal, c_timestamp: timestamp, c_time: time, c_bigint: bigint, ...rest } = read[row];
			const { c_decimal: wantDecimal, c_timestamp: wantTimestamp, c_time: wantTime, c_bigint: wantBigint, ...wantRest } = expected[row];
			expect(rest).toEqual(wantRest);
			// BIGINT comes back as the text of its digits, and DECIMAL with 10 fractional digits.
			expect(bigint === null ? null : String(bigint)).toBe(wantBigint === null ? null : String(wantBigint));
			expect(decimal).toMatch(/^-?\d+\.\d{10}$/);
			expect(Number(decimal)).toBe(Number(wantDecimal));
			expect(String(decimal).replace(/0+$/, '')).toBe(String(wantDecimal).replace(/^(-?)0\./, '$10.').replace(/0+$/, ''));
			// TIME and TIMESTAMP come back with their precision's fractional digits, all zero here.
			expect(time === null ? null : String(time).replace(/\.0+$/, '')).toBe(wantTime);
			expect(timestamp === null ? null : String(timestamp).replace(/\.0+$/, '')).toBe(
				wantTimestamp === null ? null : String(wantTimestamp).replace('T', ' '),
			);
		}
	});
});

describe('Insert Rows of 100,000 items', () => {
	let emulator: Emulator;
	let engine: TableEngine;
	const items = bulkItems(BULK_ROWS);
	const expectedChecksum = itemsChecksum(items);

	beforeAll(async () => {
		emulator = await startPeaka('spec', { eventsRows: 10 });
		engine = emulator.engine as TableEngine;
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => {
		emulator.faults.reset();
		emulator.faults.clearRequests();
	});

	const insert = (table: string): INodeParameters => ({
		resource: 'internalTable',
		operation: 'insertRows',
		project: projectParameter(emulator.projectId),
		internalTable: locator(table),
		mappingMode: 'autoMapInputData',
		options: { batchSize: BULK_BATCH, createMissing: true },
	});
	const importCount = () => emulator.faults.requests().filter((request) => request.path.endsWith('/import')).length;

	it('loads every row once, checksum equal', async () => {
		const result = await runPeaka(emulator, insert('bulk'), { inputItems: items });
		expect(result.error).toBeUndefined();
		const output = result.outputs[0];
		expect(output).toHaveLength(BULK_ROWS);
		expect(output[0].json).toEqual({ table: 'bulk', batch: 1, status: 'inserted' });
		expect(output[BULK_ROWS - 1].json).toEqual({ table: 'bulk', batch: BULK_ROWS / BULK_BATCH, status: 'inserted' });
		expect(output.every((item, index) => (item.pairedItem as { item: number }).item === index)).toBe(true);
		expect(importCount()).toBe(BULK_ROWS / BULK_BATCH);
		expect(await tableChecksum(engine, emulator.projectId, 'bulk')).toEqual({ count: BULK_ROWS, checksum: expectedChecksum });
		const columns = await engine.query(
			emulator.projectId,
			"SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'table' AND table_name = 'bulk' AND column_name IN ('id', 'name', 'amount', 'flag') ORDER BY ordinal_position",
		);
		expect(columns.map((column) => `${column.column_name}:${column.data_type}`)).toEqual([
			'id:BIGINT',
			'name:VARCHAR',
			'amount:DECIMAL(38,10)',
			'flag:BOOLEAN',
		]);
	});

	it('sends a rejected batch to the error output, re-run loads it once', async () => {
		const rejectedBatch = 7;
		emulator.faults.add({
			method: 'POST',
			path: IMPORT_PATH,
			skip: rejectedBatch - 1,
			times: 1,
			status: 400,
			body: { errorCode: 100, message: 'Rejected by the test' },
		});
		const result = await runPeaka(emulator, insert('rejects'), { inputItems: items, onError: 'continueErrorOutput' });
		expect(result.error).toBeUndefined();
		const [success, failed] = result.outputs;
		const first = (rejectedBatch - 1) * BULK_BATCH;
		expect(success).toHaveLength(BULK_ROWS - BULK_BATCH);
		expect(failed).toHaveLength(BULK_BATCH);
		const failedIndexes = failed.map((item) => (item.pairedItem as { item: number }).item);
		expect(failedIndexes).toEqual(Array.from({ length: BULK_BATCH }, (_, offset) => first + offset));
		expect(failed[0].json.error).toBe(
			`Peaka rejected batch ${rejectedBatch} (items ${first}-${first + BULK_BATCH - 1}) with HTTP 400: Rejected by the test`,
		);
		expect((await tableChecksum(engine, emulator.projectId, 'rejects')).count).toBe(BULK_ROWS - BULK_BATCH);

		const retryItems = failedIndexes.map((index) => items[index]);
		const rerun = await runPeaka(emulator, insert('rejects'), { inputItems: retryItems });
		expect(rerun.error).toBeUndefined();
		expect(await tableChecksum(engine, emulator.projectId, 'rejects')).toEqual({ count: BULK_ROWS, checksum: expectedChecksum });
	});

	it('reports a dropped batch as unknown, sent once', async () => {
		const droppedBatch = 3;
		emulator.faults.add({ method: 'POST', path: IMPORT_PATH, skip: droppedBatch - 1, times: 1, drop: 'after' });
		// Continue-on-fail without the error output: n8n 2.40 moves items to an error output one by
		// one from the front of the array, which takes seconds for 100,000 items.
		const result = await runPeaka(emulator, insert('dropped'), { inputItems: items, onError: 'continueRegularOutput' });
		expect(result.error).toBeUndefined();
		const [success] = result.outputs;
		expect(success).toHaveLength(BULK_ROWS);
		expect(success.filter((item) => item.json.error !== undefined)).toEqual([]);
		const first = (droppedBatch - 1) * BULK_BATCH;
		const unknown = success.filter((item) => item.json.status === 'outcomeUnknown');
		expect(unknown.map((item) => (item.pairedItem as { item: number }).item)).toEqual(
			Array.from({ length: BULK_BATCH }, (_, offset) => first + offset),
		);
		expect(unknown[0].json.message).toMatch(/^Outcome unknown: check the table before re-running: the connection failed/);
		expect(success.filter((item) => item.json.status === 'inserted')).toHaveLength(BULK_ROWS - BULK_BATCH);
		expect(result.hints.map((hint) => hint.message)).toContain(
			'1 batch: outcome unknown: check the table before re-running (items with status outcomeUnknown).',
		);
		// The emulator stored the dropped batch, and the node did not send it again.
		expect(importCount()).toBe(BULK_ROWS / BULK_BATCH);
		expect(await tableChecksum(engine, emulator.projectId, 'dropped')).toEqual({ count: BULK_ROWS, checksum: expectedChecksum });
	});

	it('tells gateway statuses from rejections', async () => {
		emulator.faults.add({ method: 'POST', path: IMPORT_PATH, skip: 1, times: 1, status: 504, body: 'Gateway Timeout', html: true });
		// A fault counts its skips on every matching request that no earlier fault took.
		emulator.faults.add({ method: 'POST', path: IMPORT_PATH, skip: 2, times: 1, status: 500 });
		const small = items.slice(0, 40);
		const result = await runPeaka(emulator, { ...insert('gateway'), options: { batchSize: 10, createMissing: true } }, {
			inputItems: small,
			onError: 'continueErrorOutput',
		});
		expect(result.error).toBeUndefined();
		const [success, failed] = result.outputs;
		expect(success.map((item) => item.json.status)).toEqual([
			...Array(10).fill('inserted'),
			...Array(10).fill('outcomeUnknown'),
			...Array(10).fill('inserted'),
		]);
		expect(success[10].json.message).toBe(
			"Outcome unknown: check the table before re-running: a gateway returned HTTP 504 in place of Peaka's response for batch 2 (items 10-19), and Peaka may have stored it.",
		);
		expect(pairedItemsOf(failed)).toEqual(Array.from({ length: 10 }, (_, offset) => ({ item: 30 + offset })));
		expect(failed[0].json.error).toMatch(/^Peaka rejected batch 4 \(items 30-39\) with HTTP 500: /);
		// Neither failed request was repeated, although both are 5xx.
		expect(importCount()).toBe(4);
		expect((await tableChecksum(engine, emulator.projectId, 'gateway')).count).toBe(20);
	});

	it('stops at a dropped batch without continue-on-fail', async () => {
		emulator.faults.add({ method: 'POST', path: IMPORT_PATH, skip: 1, times: 1, drop: 'after' });
		const result = await runPeaka(emulator, insert('stopped'), { inputItems: items.slice(0, 3 * BULK_BATCH) });
		expect(result.error?.message).toBe(
			`Outcome unknown: check the table before re-running: batch 2 (items ${BULK_BATCH}-${2 * BULK_BATCH - 1}) may or may not be stored`,
		);
		expect(result.error?.description).toContain(`Batches 1-1 (items 0-${BULK_BATCH - 1}) were stored before it. Batches 3-3 were not sent.`);
		expect(importCount()).toBe(2);
		expect((await tableChecksum(engine, emulator.projectId, 'stopped')).count).toBe(2 * BULK_BATCH);
	});
});
