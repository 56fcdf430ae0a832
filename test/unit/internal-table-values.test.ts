import { buildCsv, encodeCsvField, readCsvHeader } from '../../nodes/Peaka/helpers/csv';
import { columnTypeOf, encodeValue, inferColumnType, plainDecimal } from '../../nodes/Peaka/actions/internalTable/column-types';

describe('CSV writing', () => {
	it('quotes only fields that need it', () => {
		expect(encodeCsvField('plain')).toBe('plain');
		expect(encodeCsvField('a,b')).toBe('"a,b"');
		expect(encodeCsvField('say "hi"')).toBe('"say ""hi"""');
		expect(encodeCsvField('two\nlines')).toBe('"two\nlines"');
		expect(encodeCsvField(' padded ')).toBe('" padded "');
		expect(encodeCsvField(null)).toBe('');
	});

	it('builds records with CRLF', () => {
		expect(buildCsv(['a', 'b'], [['1', null], ['x,y', '']])).toBe('a,b\r\n1,\r\n"x,y",\r\n');
	});

	it('reads a quoted header', () => {
		expect(readCsvHeader('\ufeff"a,b",c\r\n1,2')).toEqual(['a,b', 'c']);
		expect(readCsvHeader('')).toEqual([]);
	});
});

describe('column values', () => {
	it('keeps big integers exact as text', () => {
		expect(encodeValue('9223372036854775807', 'BIGINT')).toEqual({ ok: true, text: '9223372036854775807', emptyText: false });
		expect(encodeValue('9223372036854775808', 'BIGINT')).toEqual({ ok: false, reason: 'is outside the BIGINT range' });
		expect(encodeValue(2 ** 53 + 2, 'BIGINT')).toMatchObject({ ok: false });
		expect(encodeValue(1.5, 'BIGINT')).toEqual({ ok: false, reason: 'is not a whole number' });
	});

	it('writes decimals without E notation', () => {
		expect(plainDecimal(1e-7)).toBe('0.0000001');
		expect(plainDecimal(1.5e21)).toBe('1500000000000000000000');
		expect(encodeValue(1e-7, 'DECIMAL')).toEqual({ ok: true, text: '0.0000001', emptyText: false });
		expect(encodeValue('1.00000000001', 'DECIMAL')).toMatchObject({ ok: false });
	});

	it('checks dates, times and timestamps', () => {
		expect(encodeValue('2024-02-29', 'DATE')).toMatchObject({ ok: true });
		expect(encodeValue('2023-02-29', 'DATE')).toMatchObject({ ok: false });
		expect(encodeValue('24:00:00', 'TIME')).toMatchObject({ ok: false });
		expect(encodeValue('2024-01-01T10:00:00', 'TIMESTAMP')).toEqual({ ok: true, text: '2024-01-01 10:00:00', emptyText: false });
		expect(encodeValue('2024-01-01T10:00:00Z', 'TIMESTAMP')).toMatchObject({ ok: false });
	});

	it('reports empty text and null apart', () => {
		expect(encodeValue('', 'VARCHAR')).toEqual({ ok: true, text: null, emptyText: true });
		expect(encodeValue(null, 'VARCHAR')).toEqual({ ok: true, text: null, emptyText: false });
		expect(encodeValue({ a: 1 }, 'VARCHAR')).toEqual({ ok: true, text: '{"a":1}', emptyText: false });
		expect(encodeValue({ a: 1 }, 'BIGINT')).toEqual({ ok: false, reason: 'is an object, not a single BIGINT value' });
		expect(encodeValue('TRUE', 'BOOLEAN')).toEqual({ ok: true, text: 'true', emptyText: false });
	});

	it('infers types from values', () => {
		expect(inferColumnType([1, 2, null])).toBe('BIGINT');
		expect(inferColumnType([1, 2.5])).toBe('DECIMAL');
		expect(inferColumnType([true, ''])).toBe('BOOLEAN');
		expect(inferColumnType(['1', 2])).toBe('VARCHAR');
		expect(columnTypeOf('decimal(38,10)')).toBe('DECIMAL');
		expect(columnTypeOf('timestamp(3)')).toBe('TIMESTAMP');
		expect(columnTypeOf('json')).toBeUndefined();
	});
});
