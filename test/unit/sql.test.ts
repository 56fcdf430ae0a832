import { classifyStatement, countPlaceholders } from '../../nodes/Peaka/helpers/sql';

describe('countPlaceholders', () => {
	it.each([
		['SELECT * FROM t WHERE a = ? AND b = ?', 2],
		["SELECT '?' AS q, \"col?\" FROM t WHERE a = ?", 1],
		['SELECT 1 -- why?\nWHERE x = ?', 1],
		['/* ? ? */ SELECT ?', 1],
		["SELECT 'it''s ?' , ?", 1],
		['SELECT 1', 0],
	])('counts %j as %i', (sql, expected) => {
		expect(countPlaceholders(sql)).toBe(expected);
	});
});

describe('classifyStatement', () => {
	it.each([
		['SELECT 1', 'SELECT', true],
		['  -- comment\n with x as (select 1) select * from x', 'WITH', true],
		['(SELECT 1) UNION (SELECT 2)', 'SELECT', true],
		['/* INSERT */ VALUES 1', 'VALUES', true],
		['SHOW CATALOGS', 'SHOW', true],
		['EXPLAIN SELECT 1', 'EXPLAIN', true],
		['EXPLAIN ANALYZE INSERT INTO t VALUES 1', 'INSERT', false],
		["INSERT INTO t VALUES ('SELECT')", 'INSERT', false],
		['update t set a = 1', 'UPDATE', false],
		['DELETE FROM t', 'DELETE', false],
		['CREATE TABLE x AS SELECT 1', 'CREATE', false],
		['"select"', '"identifier"', false],
	])('classifies %j', (sql, keyword, readOnly) => {
		expect(classifyStatement(sql)).toEqual({ keyword, readOnly });
	});
});
