import { convertExecuteResponse, isSystemColumn } from '../../nodes/Peaka/helpers/rows';

const cell = (name: string, dataType: string, value: string | null, order: number) => ({
	name,
	displayName: name,
	dataType,
	order,
	value,
});

const options = { largeNumbersAs: 'text' as const, excludeSystemColumns: false };

describe('convertExecuteResponse', () => {
	it('keys rows by column name in result order with typed values', () => {
		const result = convertExecuteResponse(
			{
				columns: [{ columnName: 'origin' }, { columnName: 'delayed' }, { columnName: 'avg_delay' }],
				data: [
					[cell('origin', 'varchar', 'ORD', 0), cell('delayed', 'bigint', '9007199254740993', 1), cell('avg_delay', 'double', '12.5', 2)],
					[cell('origin', 'varchar', 'ATL', 0), cell('delayed', 'bigint', null, 1), cell('avg_delay', 'double', '1.0E7', 2)],
				],
			},
			options,
		);
		expect(result.rows).toEqual([
			{ origin: 'ORD', delayed: '9007199254740993', avg_delay: 12.5 },
			{ origin: 'ATL', delayed: null, avg_delay: 10000000 },
		]);
		expect(Object.keys(result.rows[0])).toEqual(['origin', 'delayed', 'avg_delay']);
		expect(result.totalRows).toBe(2);
	});

	it('keeps both of two columns with one name', () => {
		const result = convertExecuteResponse(
			{ data: [[cell('id', 'integer', '1', 0), cell('id', 'varchar', 'a', 1), cell('id', 'integer', '3', 2)]] },
			options,
		);
		expect(result.rows).toEqual([{ id: 1, id_2: 'a', id_3: 3 }]);
		expect(result.renamedColumns).toEqual([
			{ from: 'id', to: 'id_2' },
			{ from: 'id', to: 'id_3' },
		]);
	});

	it('drops system columns only when asked, and says which', () => {
		const response = {
			data: [[cell('_id', 'varchar', 'r1', 0), cell('_q_date', 'varchar', 'x', 1), cell('name', 'varchar', 'Ann', 2)]],
		};
		expect(convertExecuteResponse(response, options).rows).toEqual([{ _id: 'r1', _q_date: 'x', name: 'Ann' }]);
		const trimmed = convertExecuteResponse(response, { ...options, excludeSystemColumns: true });
		expect(trimmed.rows).toEqual([{ name: 'Ann' }]);
		expect(trimmed.excludedColumns).toEqual(['_id', '_q_date']);
	});

	it('stops at maxRows but reports the total', () => {
		const data = [1, 2, 3].map((value) => [cell('n', 'integer', String(value), 0)]);
		const result = convertExecuteResponse({ data }, { ...options, maxRows: 2 });
		expect(result.rows).toEqual([{ n: 1 }, { n: 2 }]);
		expect(result.totalRows).toBe(3);
	});

	it('reports the first unsafe value with its column under Number', () => {
		const data = [[cell('ok', 'bigint', '1', 0)], [cell('ok', 'bigint', '9007199254740993', 0)]];
		const result = convertExecuteResponse({ data }, { ...options, largeNumbersAs: 'number' });
		expect(result.unsafeValue).toEqual({ column: 'ok', value: '9007199254740993', dataType: 'bigint' });
	});

	it('reads SIMPLE and COMPACT rows as text when no types are sent', () => {
		const columns = [{ columnName: 'a' }, { columnName: 'b' }];
		expect(convertExecuteResponse({ columns, data: [{ a: '1', b: null }] }, options).rows).toEqual([{ a: '1', b: null }]);
		expect(convertExecuteResponse({ columns, data: [['1', 'x']] }, options).rows).toEqual([{ a: '1', b: 'x' }]);
	});

	it('gives no rows for an empty result', () => {
		expect(convertExecuteResponse({ columns: [{ columnName: 'a' }], data: [] }, options).rows).toEqual([]);
	});

	it('converts 200,000 rows without a stack overflow', () => {
		const data = Array.from({ length: 200_000 }, (_, index) => [cell('n', 'bigint', String(index), 0)]);
		const result = convertExecuteResponse({ data }, options);
		expect(result.rows).toHaveLength(200_000);
		expect(result.rows[199_999]).toEqual({ n: '199999' });
	});
});

describe('isSystemColumn', () => {
	it.each(['_id', '_version', '_created_time', '_q_offset', '_cache_updated', '_operation'])('treats %s as a system column', (name) => {
		expect(isSystemColumn(name)).toBe(true);
	});
	it.each(['id', '_idx', 'name', '_custom'])('keeps %s', (name) => {
		expect(isSystemColumn(name)).toBe(false);
	});
});
