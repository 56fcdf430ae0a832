import { statementKeywords } from '../../nodes/Peaka/helpers/tool-guard';

describe('statementKeywords: telling a query from a write', () => {
	it.each([
		['DELETE FROM x', [{ keyword: 'DELETE', readOnly: false }]],
		['WITH x AS (SELECT 1) DELETE FROM y', [{ keyword: 'DELETE', readOnly: false }]],
		['-- a comment\nDELETE FROM x', [{ keyword: 'DELETE', readOnly: false }]],
		['/* SELECT */ DROP TABLE x', [{ keyword: 'DROP', readOnly: false }]],
		["WITH a AS (SELECT 'DELETE' AS t) SELECT * FROM a", [{ keyword: 'SELECT', readOnly: true }]],
		['WITH a AS (SELECT 1), b (c) AS (SELECT 2) INSERT INTO t SELECT * FROM b', [{ keyword: 'INSERT', readOnly: false }]],
		['with recursive r(n) as (select 1 union all select n + 1 from r where n < 3) select * from r', [{ keyword: 'SELECT', readOnly: true }]],
		['SELECT 1; DROP TABLE x', [{ keyword: 'SELECT', readOnly: true }, { keyword: 'DROP', readOnly: false }]],
		['(SELECT 1) UNION (SELECT 2)', [{ keyword: 'SELECT', readOnly: true }]],
		['EXPLAIN ANALYZE DELETE FROM x', [{ keyword: 'DELETE', readOnly: false }]],
		['EXPLAIN DELETE FROM x', [{ keyword: 'EXPLAIN', readOnly: true }]],
		['WITH "we""ird" AS (SELECT \'(\') SELECT * FROM "we""ird"', [{ keyword: 'SELECT', readOnly: true }]],
		['CREATE TABLE t AS SELECT 1', [{ keyword: 'CREATE', readOnly: false }]],
		['SELECT 1;', [{ keyword: 'SELECT', readOnly: true }]],
	])('%j', (sql, expected) => {
		expect(statementKeywords(sql)).toEqual(expected);
	});
});
