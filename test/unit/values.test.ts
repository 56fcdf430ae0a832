import { columnKind, convertValue, UnsafeNumber, type ValueOptions } from '../../nodes/Peaka/helpers/values';

const asText = { largeNumbersAs: 'text' as const };
const asNumber = { largeNumbersAs: 'number' as const };

function convert(raw: unknown, dataType: string, options: ValueOptions = asText): unknown {
	return convertValue(raw, columnKind(dataType), dataType, options);
}

describe('convertValue by Trino type', () => {
	it('turns boolean text into booleans', () => {
		expect(convert('true', 'boolean')).toBe(true);
		expect(convert('false', 'boolean')).toBe(false);
		expect(convert(true, 'boolean')).toBe(true);
	});

	it.each(['tinyint', 'smallint', 'integer'])('turns %s text into a number', (type) => {
		expect(convert('-42', type)).toBe(-42);
	});

	it('keeps bigint as exact text by default', () => {
		expect(convert('9007199254740993', 'bigint')).toBe('9007199254740993');
		expect(convert('-9223372036854775808', 'bigint')).toBe('-9223372036854775808');
		expect(convert('42', 'bigint')).toBe('42');
	});

	it('turns a safe bigint into a number when asked', () => {
		expect(convert('42', 'bigint', asNumber)).toBe(42);
	});

	it('marks an unsafe bigint instead of rounding it', () => {
		const result = convert('9007199254740993', 'bigint', asNumber);
		expect(result).toBeInstanceOf(UnsafeNumber);
		expect((result as UnsafeNumber).value).toBe('9007199254740993');
		expect((result as UnsafeNumber).dataType).toBe('bigint');
	});

	it('reads doubles in E notation and keeps NaN and infinities as text', () => {
		expect(convert('1.254740786E7', 'double')).toBe(12547407.86);
		expect(convert('669.74', 'double')).toBe(669.74);
		expect(convert('NaN', 'double')).toBe('NaN');
		expect(convert('-Infinity', 'real')).toBe('-Infinity');
	});

	it('keeps decimals as sent, and converts them only without loss', () => {
		expect(convert('12345678901234567890.0123456789', 'decimal(38,10)')).toBe('12345678901234567890.0123456789');
		expect(convert('12.5000000000', 'decimal(38,10)')).toBe('12.5000000000');
		expect(convert('12.5000000000', 'decimal(38,10)', asNumber)).toBe(12.5);
		expect(convert('12345678901234567890.0123456789', 'decimal(38,10)', asNumber)).toBeInstanceOf(UnsafeNumber);
	});

	it('keeps temporal values exactly as sent', () => {
		expect(convert('2024-03-30', 'date')).toBe('2024-03-30');
		expect(convert('2024-03-30 00:00:00.000000', 'timestamp(6)')).toBe('2024-03-30 00:00:00.000000');
		expect(convert('2024-03-29 18:30:00.000000 UTC', 'timestamp(6) with time zone')).toBe(
			'2024-03-29 18:30:00.000000 UTC',
		);
		expect(convert('23:59:59.000000', 'time(6)')).toBe('23:59:59.000000');
	});

	it('parses json with large integers kept as text', () => {
		expect(convert('{"a":1,"big":9007199254740993}', 'json')).toEqual({ a: 1, big: '9007199254740993' });
		expect(convert('"just text"', 'json')).toBe('just text');
	});

	it('parses JSON structures, keeps other text', () => {
		expect(convert('[1,2,3]', 'array(integer)')).toEqual([1, 2, 3]);
		expect(convert('{"a":1}', 'map(varchar, integer)')).toEqual({ a: 1 });
		expect(convert('{x=1, y=a}', 'row(x integer, y varchar)')).toBe('{x=1, y=a}');
	});

	it('keeps text, uuid and varbinary as text, and NULL as null', () => {
		expect(convert('', 'varchar')).toBe('');
		expect(convert('null', 'varchar')).toBe('null');
		expect(convert(null, 'varchar')).toBeNull();
		expect(convert(null, 'bigint')).toBeNull();
		expect(convert('3q2+7w==', 'varbinary')).toBe('3q2+7w==');
		expect(convert('0b6e2b4a-3a8e-4f6e-9b0a-3c1e5d2f7a91', 'uuid')).toBe('0b6e2b4a-3a8e-4f6e-9b0a-3c1e5d2f7a91');
	});
});
