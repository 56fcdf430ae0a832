import {
	checkPlaceholderCount,
	checkQualifiedName,
	InvalidParameterError,
	parseBuilder,
	toBindings,
} from '../../nodes/Peaka/helpers/execute-request';

function failure(action: () => unknown): InvalidParameterError {
	try {
		action();
	} catch (error) {
		if (error instanceof InvalidParameterError) return error;
		throw error;
	}
	throw new Error('expected an InvalidParameterError');
}

describe('toBindings', () => {
	it('sends every value as the text Peaka casts', () => {
		expect(toBindings(['123456789408145016', '728e790', '00123', 10, 1.5, true, false, '', 'null', { a: 1 }])).toEqual([
			'123456789408145016',
			'728e790',
			'00123',
			'10',
			'1.5',
			'true',
			'false',
			'',
			'null',
			'{"a":1}',
		]);
	});

	it('rejects a missing value and says to write NULL in the SQL', () => {
		const error = failure(() => toBindings(['a', null]));
		expect(error.parameter).toBe('Query Parameters');
		expect(error.message).toBe('Query parameter 2 has no value');
		expect(error.description).toMatch(/Write NULL in the SQL/);
	});

	it('rejects NaN', () => {
		expect(failure(() => toBindings([Number.NaN])).message).toMatch(/parameter 1 is NaN/);
	});
});

describe('checkPlaceholderCount', () => {
	it('accepts a matching count', () => {
		expect(() => checkPlaceholderCount("SELECT ? WHERE x = '?'", ['1'])).not.toThrow();
	});

	it('names both counts when they differ', () => {
		const error = failure(() => checkPlaceholderCount('SELECT ?, ?', ['1']));
		expect(error.message).toBe('The SQL has 2 ? placeholders but 1 query parameter was given');
	});
});

describe('checkQualifiedName', () => {
	it.each(['peaka.query.samplequery', '"my cat"."public"."t.x"', 'stripe.payment.charges'])('accepts %s', (name) => {
		expect(checkQualifiedName(` ${name} `)).toBe(name);
	});
	it.each(['peaka.query', 'a.b.c.d', 'a..c', ''])('rejects %j', (name) => {
		expect(failure(() => checkQualifiedName(name)).parameter).toBe('Qualified Name');
	});
});

describe('parseBuilder', () => {
	const from = [{ catalogName: 'datasets', schemaName: 'public', tableName: 'flights' }];

	it('accepts the spec example shape', () => {
		const builder = {
			columns: ['origin'],
			from,
			filters: { and: [[{ column: { ...from[0], columnName: 'delay' } }, '>', [150]]] },
			limit: 50,
			offset: 0,
			orderBy: ['delay DESC'],
		};
		expect(parseBuilder(JSON.stringify(builder))).toEqual(builder);
	});

	it.each([
		['', /is empty/],
		['{"from": [', /not valid JSON/],
		['[]', /must be a JSON object/],
		['{}', /non-empty 'from' array/],
		['{"from": [{"catalogName": "a", "schemaName": "b"}]}', /from\[0\]\.tableName/],
		[JSON.stringify({ from, limit: -1 }), /'limit' must be a whole number/],
		[JSON.stringify({ from, columns: 'origin' }), /'columns' must be an array of strings/],
		[JSON.stringify({ from, filter: {} }), /unknown field 'filter'/],
	])('rejects %j', (input, message) => {
		const error = failure(() => parseBuilder(input));
		expect(error.parameter).toBe('Query Builder JSON');
		expect(error.message).toMatch(message);
	});
});
