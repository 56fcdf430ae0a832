import { numberFromToken, parseJsonLossless } from '../../nodes/Peaka/helpers/lossless-json';

describe('parseJsonLossless', () => {
	it('keeps integers past 2^53 as their digits', () => {
		expect(parseJsonLossless('{"id": 9007199254740993, "lo": -9223372036854775808}')).toEqual({
			id: '9007199254740993',
			lo: '-9223372036854775808',
		});
	});

	it('keeps a decimal with more than 15 significant digits as text', () => {
		expect(parseJsonLossless('[12345678901234567890.0123456789, 12.5]')).toEqual([
			'12345678901234567890.0123456789',
			12.5,
		]);
	});

	it('turns safe numbers into numbers on the exact path too', () => {
		const parsed = parseJsonLossless('{"big": 90071992547409930, "small": 42, "neg": -1.5e3, "nested": [true, null, "x"]}');
		expect(parsed).toEqual({ big: '90071992547409930', small: 42, neg: -1500, nested: [true, null, 'x'] });
	});

	it('decodes escapes in strings', () => {
		expect(parseJsonLossless('{"a\\"b": "line\\nbreak \\u00e9", "n": 12345678901234567}')).toEqual({
			'a"b': 'line\nbreak é',
			n: '12345678901234567',
		});
	});

	it('accepts a bare long number as the whole document', () => {
		expect(parseJsonLossless('9007199254740993')).toBe('9007199254740993');
	});

	it('rejects invalid JSON with a position', () => {
		expect(() => parseJsonLossless('{"a": 12345678901234567890,')).toThrow(/position/);
		expect(() => parseJsonLossless('{"a": 1')).toThrow(SyntaxError);
	});
});

describe('numberFromToken', () => {
	it.each([
		['42', 42],
		['9007199254740991', 9007199254740991],
		['9007199254740992', '9007199254740992'],
		['0.1', 0.1],
		['123456789012345.6', '123456789012345.6'],
		['1.254740786E7', 12547407.86],
	])('converts %s to %p', (token, expected) => {
		expect(numberFromToken(token)).toBe(expected);
	});
});
