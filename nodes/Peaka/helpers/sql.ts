/**
 * Lexical checks on Trino SQL before it is sent: the `?` placeholder count and whether a
 * statement only reads. Both must skip string literals, quoted identifiers and comments,
 * where a `?` or a keyword means nothing.
 */

export interface SqlToken {
	kind: 'word' | 'placeholder' | 'symbol';
	text: string;
}

const READ_ONLY_LEADING_WORDS = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE', 'SHOW', 'DESCRIBE', 'DESC']);

/** Splits SQL into words, `?` placeholders and symbols, dropping literals and comments. */
export function tokenizeSql(sql: string): SqlToken[] {
	const tokens: SqlToken[] = [];
	let index = 0;
	while (index < sql.length) {
		const char = sql[index];
		const next = sql[index + 1];

		if (char === '-' && next === '-') {
			const end = sql.indexOf('\n', index);
			index = end === -1 ? sql.length : end + 1;
		} else if (char === '/' && next === '*') {
			const end = sql.indexOf('*/', index + 2);
			index = end === -1 ? sql.length : end + 2;
		} else if (char === "'" || char === '"') {
			index = skipQuoted(sql, index, char);
			if (char === '"') tokens.push({ kind: 'word', text: '"identifier"' });
		} else if (char === '?') {
			tokens.push({ kind: 'placeholder', text: '?' });
			index++;
		} else if (/[A-Za-z_]/.test(char)) {
			const match = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(index, index + 256));
			const word = match ? match[0] : char;
			tokens.push({ kind: 'word', text: word.toUpperCase() });
			index += word.length;
		} else if (/\s/.test(char)) {
			index++;
		} else {
			tokens.push({ kind: 'symbol', text: char });
			index++;
		}
	}
	return tokens;
}

// A quote is escaped by doubling it ('it''s', "my ""col""").
function skipQuoted(sql: string, start: number, quote: string): number {
	let index = start + 1;
	while (index < sql.length) {
		if (sql[index] === quote) {
			if (sql[index + 1] === quote) {
				index += 2;
				continue;
			}
			return index + 1;
		}
		index++;
	}
	return sql.length;
}

/** Counts `?` placeholders outside literals, quoted identifiers and comments. */
export function countPlaceholders(sql: string): number {
	return tokenizeSql(sql).filter((token) => token.kind === 'placeholder').length;
}

/**
 * Returns the leading statement keyword (SELECT, INSERT, ...) and whether the statement
 * only reads. `EXPLAIN ANALYZE` runs the statement it explains, so it reads only when
 * that statement does.
 */
export function classifyStatement(sql: string): { keyword: string; readOnly: boolean } {
	const words = tokenizeSql(sql).filter((token) => token.kind !== 'symbol' || token.text !== '(');
	let position = 0;
	if (words[position]?.text === 'EXPLAIN') {
		position++;
		if (words[position]?.text !== 'ANALYZE') {
			return { keyword: 'EXPLAIN', readOnly: true };
		}
		position++;
		if (words[position]?.text === 'VERBOSE') position++;
	}
	const keyword = words[position]?.text ?? '';
	return { keyword, readOnly: READ_ONLY_LEADING_WORDS.has(keyword) };
}
