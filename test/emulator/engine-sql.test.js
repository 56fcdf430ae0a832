'use strict';

const sql = require('../../emulator/src/engine/sql');

function kindOf(text) {
	return sql.statementKind(sql.tokenize(text));
}

function ruleError(text, bindings) {
	try {
		sql.checkStatement(text, { bindings });
	} catch (error) {
		expect(error).toBeInstanceOf(sql.SqlRuleError);
		return error.message;
	}
	throw new Error(`Expected a rule violation for: ${text}`);
}

describe('statement kind', () => {
	test.each([
		['SELECT 1', 'Query'],
		['select * from datasets.public.flights', 'Query'],
		['VALUES (1, 2)', 'Query'],
		['TABLE datasets.public.flights', 'Query'],
		['(SELECT 1) UNION ALL (SELECT 2)', 'Query'],
		['WITH a AS (SELECT 1), b (x) AS (SELECT 2) SELECT * FROM a, b', 'Query'],
		['WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r', 'Query'],
		['INSERT INTO peaka."table".t VALUES (1)', 'Insert'],
		['UPDATE peaka."table".t SET a = 1', 'Update'],
		['DELETE FROM peaka."table".t', 'Delete'],
		['MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE', 'Merge'],
		['CREATE TABLE peaka."table".t AS SELECT 1 AS a', 'CreateTableAsSelect'],
		['CREATE TABLE IF NOT EXISTS peaka."table".t (a bigint)', 'CreateTable'],
		['CREATE OR REPLACE VIEW v AS SELECT 1', 'CreateView'],
		['CREATE SCHEMA s', 'CreateSchema'],
		['DROP TABLE t', 'DropTable'],
		['DROP VIEW v', 'DropView'],
		['ALTER TABLE t RENAME TO u', 'RenameTable'],
		['ALTER TABLE t ADD COLUMN c bigint', 'AddColumn'],
		['TRUNCATE TABLE t', 'TruncateTable'],
		['SHOW TABLES FROM datasets.public', 'ShowTables'],
		['DESCRIBE datasets.public.flights', 'ShowColumns'],
		['EXPLAIN SELECT 1', 'Explain'],
		['SET SESSION query_max_run_time = \'1s\'', 'SetSession'],
		['COPY t TO \'file.csv\'', null],
		['FROM datasets.public.flights', null],
	])('%s is %s', (text, kind) => {
		expect(kindOf(text)).toBe(kind);
	});

	test('a leading comment that reads like SELECT does not hide DELETE', () => {
		expect(kindOf('-- SELECT 1\n/* SELECT */ DELETE FROM t')).toBe('Delete');
	});

	test('WITH in front of DML is still DML', () => {
		expect(kindOf('WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x')).toBe('Insert');
		expect(kindOf('WITH x AS (SELECT \')\' AS p) DELETE FROM t')).toBe('Delete');
	});

	test('keywords in literals and quoted identifiers do not count', () => {
		expect(kindOf("SELECT 'DELETE FROM t; INSERT' AS \"update\", \"insert\" FROM t")).toBe('Query');
		expect(kindOf("SELECT 'it''s -- not a comment', 1")).toBe('Query');
	});
});

describe('checkStatement rules', () => {
	test.each([
		['INSERT INTO t VALUES (1)', "Statement type 'Insert' is not allowed"],
		['UPDATE t SET a = 1', "Statement type 'Update' is not allowed"],
		['DELETE FROM t', "Statement type 'Delete' is not allowed"],
		['CREATE TABLE t AS SELECT 1', "Statement type 'CreateTableAsSelect' is not allowed"],
		['DROP TABLE t', "Statement type 'DropTable' is not allowed"],
	])('refuses %s', (text, message) => {
		expect(ruleError(text)).toBe(message);
	});

	test('LIMIT before OFFSET fails at the OFFSET token, with its column', () => {
		expect(ruleError('SELECT * FROM datasets.public.flights ORDER BY delay LIMIT 5 OFFSET 10'))
			.toBe("line 1:62: mismatched input 'OFFSET'. Expecting: <EOF>");
	});

	test('LIMIT before OFFSET on a later line reports that line', () => {
		expect(ruleError('SELECT *\nFROM t\nLIMIT 5 OFFSET 1')).toBe("line 3:9: mismatched input 'OFFSET'. Expecting: <EOF>");
	});

	test('LIMIT before OFFSET inside a subquery', () => {
		expect(ruleError('SELECT * FROM (SELECT * FROM t LIMIT 5 OFFSET 1)')).toBe("line 1:40: mismatched input 'OFFSET'. Expecting: ')'");
	});

	test('OFFSET before LIMIT passes', () => {
		expect(sql.checkStatement('SELECT * FROM t ORDER BY a OFFSET 10 LIMIT 5').kind).toBe('Query');
	});

	test('the word OFFSET in a string after LIMIT is no violation', () => {
		expect(sql.checkStatement("SELECT 'LIMIT 5 OFFSET 1' AS x FROM t LIMIT 5").kind).toBe('Query');
	});

	test('placeholders are counted outside literals, quoted identifiers and comments', () => {
		const result = sql.checkStatement("SELECT \"a?\", '?' FROM t WHERE a = ? AND b = ? -- ?\n/* ? */", { bindings: ['1', '2'] });
		expect(result.parameterCount).toBe(2);
	});

	test('a binding count that differs from the placeholders is rejected with Trino\'s message', () => {
		expect(ruleError('SELECT * FROM t WHERE a = ? AND b = ?', ['1'])).toBe('Incorrect number of parameters: expected 2 but found 1');
		expect(ruleError('SELECT 1', ['x'])).toBe('Incorrect number of parameters: expected 0 but found 1');
	});

	test('$1 and ?1 placeholders are not Trino', () => {
		expect(ruleError('SELECT * FROM t WHERE a = $1', ['1'])).toMatch(/^line 1:27: mismatched input '\$1'/);
		expect(ruleError('SELECT * FROM t WHERE a = ?1', ['1'])).toMatch(/^line 1:27: mismatched input '\?1'/);
	});

	test('a semicolon is a syntax error, as Trino has no statement separator', () => {
		expect(ruleError('SELECT 1;')).toBe("line 1:9: mismatched input ';'. Expecting: <EOF>");
		expect(ruleError('SELECT 1; DELETE FROM t')).toBe("line 1:9: mismatched input ';'. Expecting: <EOF>");
	});

	test('a semicolon inside a literal is fine', () => {
		expect(sql.checkStatement("SELECT ';'").kind).toBe('Query');
	});

	test('DuckDB-only statements fail as syntax errors', () => {
		expect(ruleError('FROM datasets.public.flights')).toMatch(/^line 1:1: mismatched input 'FROM'/);
		expect(ruleError('   ')).toMatch(/mismatched input '<EOF>'/);
	});
});

describe('Trino result column names', () => {
	function names(text, duckdbNames) {
		return sql.trinoColumnNames(sql.tokenize(text), duckdbNames);
	}

	test('an unnamed expression is _col<position>', () => {
		expect(names('SELECT count(*) FROM t', ['count_star()'])).toEqual(['_col0']);
		expect(names('SELECT origin, count(*), sum(delay) AS total FROM t GROUP BY origin', ['origin', 'count_star()', 'total']))
			.toEqual(['origin', '_col1', 'total']);
	});

	test('aliases, implicit aliases and qualified columns keep their names in lower case', () => {
		expect(names('SELECT a AS "Mixed", t.b, c d, "e f" FROM t', ['Mixed', 'b', 'd', 'e f'])).toEqual(['mixed', 'b', 'd', 'e f']);
	});

	test('interval literals are expressions, not aliases', () => {
		expect(names("SELECT INTERVAL '1' DAY", ['INTERVAL 1 DAY'])).toEqual(['_col0']);
	});

	test('positions after a star are counted from the end', () => {
		expect(names('SELECT 1, *, 2 FROM t', ['1', 'a', 'b', '2'])).toEqual(['_col0', 'a', 'b', '_col3']);
	});

	test('VALUES columns are _col0, _col1', () => {
		expect(names('VALUES (1, 2)', ['col0', 'col1'])).toEqual(['_col0', '_col1']);
	});

	test('a set operation takes the names of its first query', () => {
		expect(names('SELECT a, 1 FROM t UNION ALL SELECT b, 2 FROM u', ['a', '1'])).toEqual(['a', '_col1']);
	});
});

describe('referencedTables', () => {
	const tables = (text) => sql.referencedTables(sql.tokenize(text));

	test.each([
		['SELECT * FROM datasets.public.flights LIMIT 1', ['datasets.public.flights']],
		['SELECT * FROM "datasets"."public"."Flights" f JOIN datasets.public.airports a ON f.origin = a.iata', ['datasets.public.Flights', 'datasets.public.airports']],
		['SELECT * FROM a.b.c, d.e.f WHERE x IN (SELECT y FROM a.b.c)', ['a.b.c', 'd.e.f']],
		['SELECT * FROM (SELECT * FROM a.b.c) t', ['a.b.c']],
		['SELECT extract(year FROM d), trim(BOTH FROM x) FROM a.b.c', ['a.b.c']],
		['SELECT 1', []],
	])('%s', (text, expected) => {
		expect(tables(text)).toEqual(expected);
	});

	test.each([
		'WITH q AS (SELECT * FROM a.b.c) SELECT * FROM q',
		'SELECT * FROM range(3)',
		'SELECT * FROM public.flights',
	])('%s reads something else by name, so the list is unknown', (text) => {
		expect(tables(text)).toBeNull();
	});
});

describe('translateDuckDbError', () => {
	const cases = [
		[
			'SELECT * FROM datasets.public.nope',
			'Catalog Error: Table with name nope does not exist!\nDid you mean "pg_catalog.pg_enum"?\n\nLINE 1: SELECT * FROM datasets.public.nope\n                      ^',
			"line 1:15: Table 'datasets.public.nope' does not exist",
		],
		[
			'SELECT * FROM datasets.nope.flights',
			'Catalog Error: Table with name "nope.flights" does not exist because schema "nope" does not exist.',
			"line 1:15: Schema 'nope' does not exist",
		],
		['SELECT * FROM nope.public.flights', 'Binder Error: Catalog "nope" does not exist!', "line 1:15: Catalog 'nope' not found"],
		['SELECT * FROM flights', 'Catalog Error: Table with name flights does not exist!', 'line 1:15: Schema must be specified when session schema is not set'],
		[
			'SELECT * FROM public.flights',
			'Catalog Error: Table with name "public.flights" does not exist because schema "public" does not exist.',
			'line 1:15: Catalog must be specified when session catalog is not set',
		],
		[
			'SELECT x FROM datasets.public.flights',
			'Binder Error: Referenced column "x" not found in FROM clause!\nCandidate bindings: "date"',
			"line 1:8: Column 'x' cannot be resolved",
		],
		[
			'SELECT f.x FROM datasets.public.flights f',
			'Binder Error: Values list "f" does not have a column named "x"',
			"line 1:8: Column 'f.x' cannot be resolved",
		],
		['SELECT nofunc(1)', 'Catalog Error: Scalar Function with name nofunc does not exist!\nDid you mean "count"?', "line 1:8: Function 'nofunc' not registered"],
		['SELECT 1 +', 'Parser Error: syntax error at end of input', "line 1:11: mismatched input '<EOF>'"],
	];

	test.each(cases)('%s', (text, duckdbMessage, expected) => {
		expect(sql.translateDuckDbError(duckdbMessage, text)).toBe(expected);
	});

	test('a name found only in a saved query\'s SQL is named without a position', () => {
		expect(sql.translateDuckDbError('Catalog Error: Table with name tmp does not exist!', 'SELECT * FROM peaka.query.v', ['SELECT a FROM datasets.public.tmp']))
			.toBe("Table 'datasets.public.tmp' does not exist");
	});

	test('other messages lose only DuckDB\'s class prefix and hints', () => {
		expect(sql.translateDuckDbError(
			"Conversion Error: Could not convert string 'abc' to INT32\n\nLINE 1: SELECT CAST('abc' AS INTEGER)\n               ^",
			"SELECT CAST('abc' AS INTEGER)",
		)).toBe("line 1:8: Could not convert string 'abc' to INT32");
	});
});
