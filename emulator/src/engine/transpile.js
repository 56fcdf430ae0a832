'use strict';

/**
 * A small SQL transpiler for the emulator's `POST /sql/transpile/{dialect}`. It changes only how
 * identifiers are quoted, which is what Peaka's examples and the live measurements show:
 *
 * - `mysql`: every identifier in backticks (`` `catalog`.`schema`.`table` ``), as the spec's example;
 * - `postgres`: every identifier in double quotes;
 * - `trino` (SQL into Peaka's dialect): the text unchanged, except that backtick-quoted
 *   identifiers become double-quoted, since Trino has no backticks.
 *
 * An identifier is a quoted name, or a word that is not in KEYWORDS and is not followed by `(`
 * (a function call). Strings, numbers, comments, whitespace, operators and `?` placeholders are
 * copied unchanged. Functions, types, date arithmetic, LIMIT/OFFSET/FETCH and string escapes are
 * NOT translated, and a column named like a keyword (`date`) stays unquoted.
 */

const QUOTES = { mysql: '`', postgres: '"', trino: '"' };
const SUPPORTED_DIALECTS = Object.keys(QUOTES);

/** Words kept as written: SQL keywords, type names and interval units. */
const KEYWORDS = new Set(`
	ALL AND ANY ARRAY AS ASC AT BETWEEN BIGINT BOOLEAN BY CASE CAST CHAR CREATE CROSS CURRENT DATE DAY
	DECIMAL DELETE DESC DISTINCT DOUBLE DROP ELSE END ESCAPE EXCEPT EXISTS FALSE FETCH FILTER FIRST
	FOLLOWING FROM FULL GROUP HAVING HOUR ILIKE IN INNER INSERT INT INTEGER INTERSECT INTERVAL INTO IS
	JOIN JSON LAST LATERAL LEFT LIKE LIMIT MAP MINUTE MONTH NATURAL NEXT NOT NULL NULLS OFFSET ON ONLY OR
	ORDER OUTER OVER PARTITION PRECEDING PRECISION RANGE REAL RIGHT ROW ROWS SECOND SELECT SET SMALLINT
	TABLE THEN TIME TIMESTAMP TINYINT TO TRUE UNBOUNDED UNION UNNEST UPDATE USING VALUES VARBINARY VARCHAR
	VIEW WHEN WHERE WINDOW WITH YEAR ZONE
`.trim().split(/\s+/));

/** Returns the index just past a literal or quoted name that opens at `start`, with doubled quotes as escapes. */
function closingIndex(sql, start, quote) {
	let position = start + 1;
	while (position < sql.length) {
		if (sql[position] === quote) {
			if (sql[position + 1] === quote) {
				position += 2;
				continue;
			}
			return position + 1;
		}
		position++;
	}
	return sql.length;
}

function nextSignificantChar(sql, from) {
	const match = /\S/.exec(sql.slice(from));
	return match ? match[0] : '';
}

function quoteName(name, quote) {
	return `${quote}${name.split(quote).join(quote + quote)}${quote}`;
}

/**
 * Rewrites the identifiers of `sql` for `dialect`.
 * @param {string} sql
 * @param {'mysql'|'postgres'|'trino'} dialect
 */
function transpile(sql, dialect) {
	const quote = QUOTES[dialect];
	if (!quote) throw new TypeError(`Unsupported dialect '${dialect}': use one of ${SUPPORTED_DIALECTS.join(', ')}.`);
	const quoteWords = dialect !== 'trino';
	let output = '';
	let index = 0;

	while (index < sql.length) {
		const char = sql[index];
		const next = sql[index + 1];
		let end;

		if (char === '-' && next === '-') {
			end = sql.indexOf('\n', index);
			end = end === -1 ? sql.length : end;
			output += sql.slice(index, end);
		} else if (char === '/' && next === '*') {
			end = sql.indexOf('*/', index + 2);
			end = end === -1 ? sql.length : end + 2;
			output += sql.slice(index, end);
		} else if (char === "'") {
			end = closingIndex(sql, index, "'");
			output += sql.slice(index, end);
		} else if (char === '"' || char === '`') {
			end = closingIndex(sql, index, char);
			const name = sql.slice(index + 1, end - 1).split(char + char).join(char);
			output += quoteName(name, quote);
		} else if (/[A-Za-z_]/.test(char)) {
			end = index + 1;
			while (end < sql.length && /[A-Za-z0-9_$]/.test(sql[end])) end++;
			const word = sql.slice(index, end);
			const afterDot = /\.\s*$/.test(output);
			const isCall = nextSignificantChar(sql, end) === '(';
			const isKeyword = KEYWORDS.has(word.toUpperCase()) && !afterDot;
			output += quoteWords && !isKeyword && !isCall ? quoteName(word, quote) : word;
		} else if (/[0-9]/.test(char)) {
			end = index + 1;
			while (end < sql.length && /[0-9A-Za-z_.]/.test(sql[end])) end++;
			output += sql.slice(index, end);
		} else {
			end = index + 1;
			output += char;
		}
		index = end;
	}
	return output;
}

module.exports = { transpile, SUPPORTED_DIALECTS, KEYWORDS };
