'use strict';

/**
 * Trino rules that DuckDB would not enforce on its own, checked on the SQL text before DuckDB runs
 * it: only queries run, OFFSET comes before LIMIT, parameters are `?` and match the bindings, one
 * statement per request. Also Trino's names for unnamed result columns (`_col0`, ...).
 *
 * Everything works on tokens, so keywords inside string literals, quoted identifiers and comments
 * never count.
 */

/** A violation of a Trino rule, with the message Trino (or Peaka) gives for it. */
class SqlRuleError extends Error {
	constructor(message) {
		super(message);
		this.name = 'SqlRuleError';
	}
}

/** Trino's reserved words: none of them can end a select item as an alias. */
const RESERVED_WORDS = new Set([
	'ALTER', 'AND', 'AS', 'BETWEEN', 'BY', 'CASE', 'CAST', 'CONSTRAINT', 'CREATE', 'CROSS', 'CUBE',
	'CURRENT_CATALOG', 'CURRENT_DATE', 'CURRENT_PATH', 'CURRENT_ROLE', 'CURRENT_SCHEMA', 'CURRENT_TIME',
	'CURRENT_TIMESTAMP', 'CURRENT_USER', 'DEALLOCATE', 'DELETE', 'DESCRIBE', 'DISTINCT', 'DROP', 'ELSE',
	'END', 'ESCAPE', 'EXCEPT', 'EXECUTE', 'EXISTS', 'EXTRACT', 'FALSE', 'FOR', 'FROM', 'FULL', 'GROUP',
	'GROUPING', 'HAVING', 'IN', 'INNER', 'INSERT', 'INTERSECT', 'INTO', 'IS', 'JOIN', 'JSON_ARRAY',
	'JSON_EXISTS', 'JSON_OBJECT', 'JSON_QUERY', 'JSON_TABLE', 'JSON_VALUE', 'LEFT', 'LIKE', 'LISTAGG',
	'LOCALTIME', 'LOCALTIMESTAMP', 'NATURAL', 'NORMALIZE', 'NOT', 'NULL', 'ON', 'OR', 'ORDER', 'OUTER',
	'PREPARE', 'RECURSIVE', 'RIGHT', 'ROLLUP', 'SELECT', 'SKIP', 'TABLE', 'THEN', 'TRIM', 'TRUE',
	'UESCAPE', 'UNION', 'UNNEST', 'USING', 'VALUES', 'WHEN', 'WHERE', 'WITH',
]);

/** Words that end a select list at the query's own nesting level. */
const SELECT_LIST_END_WORDS = new Set([
	'FROM', 'WHERE', 'GROUP', 'HAVING', 'WINDOW', 'ORDER', 'LIMIT', 'OFFSET', 'FETCH', 'UNION',
	'INTERSECT', 'EXCEPT', 'QUALIFY', 'INTO',
]);

/** Interval units: `INTERVAL '1' DAY` ends with a unit, which is no alias. */
const INTERVAL_UNITS = new Set(['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND']);

/** Trino's statement class name for statements that start with a given word. */
const STATEMENT_KINDS_BY_FIRST_WORD = {
	INSERT: 'Insert',
	UPDATE: 'Update',
	DELETE: 'Delete',
	MERGE: 'Merge',
	TRUNCATE: 'TruncateTable',
	EXPLAIN: 'Explain',
	DESCRIBE: 'ShowColumns',
	USE: 'Use',
	CALL: 'Call',
	GRANT: 'Grant',
	REVOKE: 'Revoke',
	DENY: 'Deny',
	COMMIT: 'Commit',
	ROLLBACK: 'Rollback',
	START: 'StartTransaction',
	PREPARE: 'Prepare',
	EXECUTE: 'Execute',
	DEALLOCATE: 'Deallocate',
	ANALYZE: 'Analyze',
	COMMENT: 'Comment',
	REFRESH: 'RefreshMaterializedView',
	RESET: 'ResetSession',
};

// ---------------------------------------------------------------------------------------------
// Tokens

/**
 * @typedef {object} Token
 * @property {'word'|'quoted'|'string'|'number'|'parameter'|'dollar'|'punct'} type
 * @property {string} text the token as written
 * @property {string} value words upper-cased; quoted identifiers and strings unquoted
 * @property {number} offset index in the SQL text
 * @property {number} line 1-based
 * @property {number} column 1-based, as Trino counts it
 * @property {number} depth nesting level of (), [] and {} at the token
 */

/**
 * Splits SQL into tokens, dropping whitespace and comments. An unterminated literal or comment
 * runs to the end of the text, and DuckDB reports the syntax error.
 * @param {string} sql
 * @returns {Token[]}
 */
function tokenize(sql) {
	const tokens = [];
	let index = 0;
	let line = 1;
	let lineStart = 0;
	let depth = 0;

	const advanceTo = (end) => {
		for (let position = index; position < end; position++) {
			if (sql[position] === '\n') {
				line += 1;
				lineStart = position + 1;
			}
		}
		index = end;
	};
	const push = (type, end, value) => {
		const text = sql.slice(index, end);
		tokens.push({ type, text, value, offset: index, line, column: index - lineStart + 1, depth });
		advanceTo(end);
	};

	while (index < sql.length) {
		const char = sql[index];
		const next = sql[index + 1];

		if (/\s/.test(char)) {
			advanceTo(index + 1);
		} else if (char === '-' && next === '-') {
			const end = sql.indexOf('\n', index);
			advanceTo(end === -1 ? sql.length : end);
		} else if (char === '/' && next === '*') {
			const end = sql.indexOf('*/', index + 2);
			advanceTo(end === -1 ? sql.length : end + 2);
		} else if (char === "'" || (/[xXeEbBnN]/.test(char) && next === "'") || (/[uU]/.test(char) && next === '&' && sql[index + 2] === "'")) {
			const quoteAt = sql.indexOf("'", index);
			const end = findClosingQuote(sql, quoteAt, "'");
			push('string', end, sql.slice(quoteAt + 1, end - 1).replace(/''/g, "'"));
		} else if (char === '"') {
			const end = findClosingQuote(sql, index, '"');
			push('quoted', end, sql.slice(index + 1, end - 1).replace(/""/g, '"'));
		} else if (/[A-Za-z_\u0080-\uffff]/.test(char)) {
			let end = index + 1;
			while (end < sql.length && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[end])) end++;
			push('word', end, sql.slice(index, end).toUpperCase());
		} else if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(next ?? ''))) {
			const match = /^(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(sql.slice(index));
			push('number', index + match[0].length, match[0]);
		} else if (char === '?') {
			let end = index + 1;
			while (end < sql.length && /[0-9]/.test(sql[end])) end++;
			push('parameter', end, sql.slice(index, end));
		} else if (char === '$') {
			let end = index + 1;
			while (end < sql.length && /[A-Za-z0-9_]/.test(sql[end])) end++;
			push('dollar', end, sql.slice(index, end));
		} else if (char === '(' || char === '[' || char === '{') {
			push('punct', index + 1, char);
			depth += 1;
		} else if (char === ')' || char === ']' || char === '}') {
			depth = Math.max(0, depth - 1);
			push('punct', index + 1, char);
		} else if (char === ':' && next === ':') {
			push('punct', index + 2, '::');
		} else {
			push('punct', index + 1, char);
		}
	}
	return tokens;
}

/** Returns the index just past the closing quote, treating a doubled quote as an escaped one. */
function findClosingQuote(sql, openingIndex, quote) {
	let position = openingIndex + 1;
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

function isWord(token, word) {
	return token !== undefined && token.type === 'word' && token.value === word;
}

function isPunct(token, text) {
	return token !== undefined && token.type === 'punct' && token.value === text;
}

function isIdentifier(token) {
	return token !== undefined && (token.type === 'quoted' || (token.type === 'word' && !RESERVED_WORDS.has(token.value)));
}

/** Returns the index of the token that closes the bracket opened at `openIndex`. */
function findClosingBracket(tokens, openIndex) {
	const depth = tokens[openIndex].depth;
	for (let index = openIndex + 1; index < tokens.length; index++) {
		if (tokens[index].type === 'punct' && /[)\]}]/.test(tokens[index].value) && tokens[index].depth === depth) {
			return index;
		}
	}
	return tokens.length;
}

/** Formats Trino's "line L:C: " prefix for a token (or for the end of the text). */
function positionPrefix(token, sql) {
	if (token) return `line ${token.line}:${token.column}: `;
	const lines = sql.split('\n');
	return `line ${lines.length}:${lines[lines.length - 1].length + 1}: `;
}

// ---------------------------------------------------------------------------------------------
// Statement kind

/**
 * Skips a WITH clause starting at `start` (the WITH token) and returns the index of the first
 * token after it.
 */
function skipWithClause(tokens, start) {
	let index = start + 1;
	if (isWord(tokens[index], 'RECURSIVE')) index++;
	while (index < tokens.length) {
		index++; // the CTE name
		if (isPunct(tokens[index], '(')) index = findClosingBracket(tokens, index) + 1;
		if (isWord(tokens[index], 'AS')) index++;
		if (isWord(tokens[index], 'NOT')) index++;
		if (isWord(tokens[index], 'MATERIALIZED')) index++;
		if (!isPunct(tokens[index], '(')) return index;
		index = findClosingBracket(tokens, index) + 1;
		if (!isPunct(tokens[index], ',')) return index;
		index++;
	}
	return index;
}

/** Returns the index of the first token after any opening brackets and WITH clause. */
function queryBodyIndex(tokens) {
	let index = 0;
	while (isPunct(tokens[index], '(')) index++;
	if (isWord(tokens[index], 'WITH')) index = skipWithClause(tokens, index);
	while (isPunct(tokens[index], '(')) index++;
	return index;
}

/**
 * Names the statement the way Trino's parser classes do: 'Query' for anything that only reads,
 * otherwise 'Insert', 'Update', 'Delete', 'CreateTableAsSelect', 'CreateTable', 'DropTable', ...
 * Returns null when the first word starts no Trino statement.
 * @param {Token[]} tokens
 * @returns {string|null}
 */
function statementKind(tokens) {
	const index = queryBodyIndex(tokens);
	const first = tokens[index];
	if (first === undefined) return null;
	if (first.type !== 'word') return null;
	const word = first.value;
	const rest = tokens.slice(index + 1, index + 8).filter((token) => token.type === 'word').map((token) => token.value);

	if (word === 'SELECT' || word === 'VALUES' || word === 'TABLE') return 'Query';
	if (STATEMENT_KINDS_BY_FIRST_WORD[word]) return STATEMENT_KINDS_BY_FIRST_WORD[word];
	if (word === 'CREATE') return createStatementKind(tokens, index);
	if (word === 'DROP') return dropStatementKind(rest);
	if (word === 'ALTER') return alterStatementKind(rest);
	if (word === 'SHOW') return showStatementKind(rest);
	if (word === 'SET') return setStatementKind(rest);
	return null;
}

function createStatementKind(tokens, createIndex) {
	const words = [];
	let hasAsSelect = false;
	for (let index = createIndex + 1; index < tokens.length; index++) {
		const token = tokens[index];
		if (token.depth !== tokens[createIndex].depth) continue;
		if (token.type === 'word') {
			words.push(token.value);
			if (token.value === 'AS') hasAsSelect = true;
		}
	}
	const objectWords = words.filter((word) => !['OR', 'REPLACE', 'TEMP', 'TEMPORARY', 'IF', 'NOT', 'EXISTS'].includes(word));
	const object = objectWords[0];
	if (object === 'TABLE') return hasAsSelect ? 'CreateTableAsSelect' : 'CreateTable';
	if (object === 'VIEW') return 'CreateView';
	if (object === 'MATERIALIZED') return 'CreateMaterializedView';
	if (object === 'SCHEMA') return 'CreateSchema';
	if (object === 'ROLE') return 'CreateRole';
	if (object === 'FUNCTION') return 'CreateFunction';
	if (object === 'CATALOG') return 'CreateCatalog';
	return 'CreateTable';
}

function dropStatementKind(rest) {
	const object = rest[0];
	if (object === 'VIEW') return 'DropView';
	if (object === 'MATERIALIZED') return 'DropMaterializedView';
	if (object === 'SCHEMA') return 'DropSchema';
	if (object === 'ROLE') return 'DropRole';
	if (object === 'FUNCTION') return 'DropFunction';
	if (object === 'CATALOG') return 'DropCatalog';
	return 'DropTable';
}

function setStatementKind(rest) {
	if (rest[0] === 'SESSION') return 'SetSession';
	if (rest[0] === 'TIME') return 'SetTimeZone';
	return 'SetProperties';
}

function alterStatementKind(rest) {
	if (rest.includes('RENAME')) {
		if (rest.includes('COLUMN')) return 'RenameColumn';
		if (rest[0] === 'VIEW') return 'RenameView';
		return 'RenameTable';
	}
	if (rest.includes('ADD')) return 'AddColumn';
	if (rest.includes('DROP')) return 'DropColumn';
	return 'SetProperties';
}

function showStatementKind(rest) {
	const object = rest[0];
	if (object === 'CATALOGS') return 'ShowCatalogs';
	if (object === 'SCHEMAS') return 'ShowSchemas';
	if (object === 'TABLES') return 'ShowTables';
	if (object === 'COLUMNS') return 'ShowColumns';
	if (object === 'CREATE') return 'ShowCreate';
	if (object === 'FUNCTIONS') return 'ShowFunctions';
	if (object === 'SESSION') return 'ShowSession';
	if (object === 'STATS') return 'ShowStats';
	return 'ShowTables';
}

// ---------------------------------------------------------------------------------------------
// Rules

/**
 * Checks a statement against the Trino rules and returns what the engine needs to run it.
 * @param {string} sql
 * @param {{ bindings?: string[] }} [options]
 * @returns {{ tokens: Token[], kind: string, parameterCount: number }}
 * @throws {SqlRuleError}
 */
function checkStatement(sql, options = {}) {
	const tokens = tokenize(sql);
	if (tokens.length === 0) {
		throw new SqlRuleError(`${positionPrefix(undefined, sql)}mismatched input '<EOF>'. Expecting: 'SELECT', 'WITH', 'VALUES', 'TABLE', '('`);
	}

	checkSingleStatement(tokens);
	const kind = statementKind(tokens);
	if (kind === null) {
		const first = tokens.find((token) => !isPunct(token, '('));
		throw new SqlRuleError(`${positionPrefix(first, sql)}mismatched input '${first ? first.text : '<EOF>'}'. Expecting: 'SELECT', 'WITH', 'VALUES', 'TABLE', '('`);
	}
	// Peaka runs queries only and names the refused statement by its Trino class.
	if (kind !== 'Query') throw new SqlRuleError(`Statement type '${kind}' is not allowed`);

	checkOffsetBeforeLimit(tokens);
	const parameterCount = checkParameters(tokens);
	const bindings = options.bindings ?? [];
	if (parameterCount !== bindings.length) {
		throw new SqlRuleError(`Incorrect number of parameters: expected ${parameterCount} but found ${bindings.length}`);
	}
	return { tokens, kind, parameterCount };
}

/** Trino parses exactly one statement and has no statement separator, so any `;` is a syntax error. */
function checkSingleStatement(tokens) {
	const semicolon = tokens.find((token) => isPunct(token, ';'));
	if (semicolon) {
		throw new SqlRuleError(`line ${semicolon.line}:${semicolon.column}: mismatched input ';'. Expecting: <EOF>`);
	}
}

/** Trino's grammar puts OFFSET before LIMIT; `LIMIT n OFFSET m` fails at the OFFSET. */
function checkOffsetBeforeLimit(tokens) {
	for (let index = 0; index < tokens.length; index++) {
		if (!isWord(tokens[index], 'LIMIT')) continue;
		const count = tokens[index + 1];
		const after = tokens[index + 2];
		const countIsValue = count !== undefined && (count.type === 'number' || count.type === 'parameter' || isWord(count, 'ALL'));
		if (countIsValue && isWord(after, 'OFFSET')) {
			const expecting = after.depth === 0 ? '<EOF>' : "')'";
			throw new SqlRuleError(`line ${after.line}:${after.column}: mismatched input 'OFFSET'. Expecting: ${expecting}`);
		}
	}
}

/**
 * Counts `?` parameters. DuckDB also takes `$1`, `$name` and `?1`; Trino takes none of them,
 * so they are rejected here rather than bound silently.
 */
function checkParameters(tokens) {
	let count = 0;
	for (const token of tokens) {
		if (token.type === 'dollar' || (token.type === 'parameter' && token.text !== '?')) {
			throw new SqlRuleError(
				`line ${token.line}:${token.column}: mismatched input '${token.text}'. Trino parameters are written ?, and 'bindings' fills them in order`,
			);
		}
		if (token.type === 'parameter') count++;
	}
	return count;
}

// ---------------------------------------------------------------------------------------------
// Result column names

/**
 * Splits the select list of the query's first SELECT into items (arrays of tokens). Returns null
 * for VALUES, which has no select list, and for anything not understood.
 */
function selectListItems(tokens) {
	let index = queryBodyIndex(tokens);
	if (!isWord(tokens[index], 'SELECT')) return null;

	const depth = tokens[index].depth;
	index++;
	if (isWord(tokens[index], 'DISTINCT') || isWord(tokens[index], 'ALL')) index++;
	if (isWord(tokens[index], 'ON') && isPunct(tokens[index + 1], '(')) index = findClosingBracket(tokens, index + 1) + 1;

	const items = [];
	let current = [];
	for (; index < tokens.length; index++) {
		const token = tokens[index];
		if (token.depth < depth) break;
		if (token.depth === depth) {
			if (token.type === 'word' && SELECT_LIST_END_WORDS.has(token.value)) break;
			if (isPunct(token, ',')) {
				items.push(current);
				current = [];
				continue;
			}
		}
		current.push(token);
	}
	items.push(current);
	return items.some((item) => item.length === 0) ? null : items;
}

/** Classifies a select item: a star, a plain column reference, an aliased expression, or an unnamed expression. */
function classifySelectItem(item) {
	const last = item[item.length - 1];
	const beforeLast = item[item.length - 2];
	if (isPunct(last, '*')) return 'star';
	if (item.some((token) => isPunct(token, '*') && token.depth === item[0].depth) && item.some((token) => isWord(token, 'EXCLUDE') || isWord(token, 'REPLACE'))) {
		return 'star';
	}
	if (isIdentifier(last) && isWord(beforeLast, 'AS')) return 'named';

	const isQualifiedName = item.every((token, position) => (position % 2 === 0 ? isIdentifier(token) : isPunct(token, '.')));
	if (isQualifiedName && item.length % 2 === 1) return 'named';

	const endsExpression = beforeLast !== undefined
		&& (beforeLast.type === 'number' || beforeLast.type === 'quoted' || isIdentifier(beforeLast) || isPunct(beforeLast, ')') || isPunct(beforeLast, ']')
			|| (beforeLast.type === 'word' && ['NULL', 'TRUE', 'FALSE', 'END'].includes(beforeLast.value)));
	const isIntervalUnit = beforeLast !== undefined && beforeLast.type === 'string' && last.type === 'word' && INTERVAL_UNITS.has(last.value);
	if (isIdentifier(last) && endsExpression && !isIntervalUnit) return 'named';
	return 'expression';
}

/**
 * Renames result columns as Trino names them: lower case (Trino folds output names, aliases
 * included), an expression without an alias is `_col<position>` (DuckDB would call `count(*)`
 * "count_star()"), and VALUES columns are `_col0`, `_col1`, ....
 * NOTE: only the outermost select list is read, so an unnamed expression inside a subquery that
 * `*` expands keeps DuckDB's name.
 * @param {Token[]} tokens
 * @param {string[]} duckdbNames
 * @returns {string[]}
 */
function trinoColumnNames(tokens, duckdbNames) {
	const names = duckdbNames.map((name) => name.toLowerCase());
	if (isWord(tokens[queryBodyIndex(tokens)], 'VALUES')) return names.map((_, position) => `_col${position}`);

	const items = selectListItems(tokens);
	if (items === null) return names;
	const kinds = items.map(classifySelectItem);
	const starCount = kinds.filter((kind) => kind === 'star').length;
	if (starCount === 0 && kinds.length !== names.length) return names;

	const firstStar = kinds.indexOf('star');
	const lastStar = kinds.lastIndexOf('star');
	kinds.forEach((kind, itemIndex) => {
		if (kind !== 'expression') return;
		let position = null;
		if (starCount === 0 || itemIndex < firstStar) position = itemIndex;
		else if (itemIndex > lastStar) position = names.length - (kinds.length - itemIndex);
		if (position !== null && position >= 0 && position < names.length) names[position] = `_col${position}`;
	});
	return names;
}

/**
 * Lists every name written in the SQL: an identifier or a dotted chain of them.
 * @param {Token[]} tokens
 * @returns {{ token: Token, parts: string[] }[]} the first token of each name, and its parts in
 *   lower case unless quoted
 */
function writtenNames(tokens) {
	const names = [];
	for (let start = 0; start < tokens.length; start++) {
		if (isPunct(tokens[start - 1], '.')) continue;
		const parts = [];
		let index = start;
		while (tokens[index] !== undefined && (tokens[index].type === 'word' || tokens[index].type === 'quoted')) {
			parts.push(tokens[index].type === 'quoted' ? tokens[index].value : tokens[index].text.toLowerCase());
			if (!isPunct(tokens[index + 1], '.')) break;
			index += 2;
		}
		if (parts.length > 0) names.push({ token: tokens[start], parts });
	}
	return names;
}

/** Words that end a FROM list at its nesting level. */
const FROM_LIST_END_WORDS = new Set(['WHERE', 'GROUP', 'HAVING', 'WINDOW', 'ORDER', 'LIMIT', 'OFFSET', 'FETCH', 'UNION', 'INTERSECT', 'EXCEPT', 'QUALIFY', 'ON', 'USING']);

/** Functions whose arguments contain the word FROM: extract(year FROM d), trim(x FROM s), ... */
const FUNCTIONS_WITH_FROM = new Set(['EXTRACT', 'TRIM', 'SUBSTRING', 'OVERLAY', 'POSITION']);

function isFunctionArgumentFrom(tokens, index) {
	const token = tokens[index];
	if (!isWord(token, 'FROM') || token.depth === 0) return false;
	for (let position = index - 1; position > 0; position--) {
		const candidate = tokens[position];
		if (isPunct(candidate, '(') && candidate.depth === token.depth - 1) {
			const before = tokens[position - 1];
			return before !== undefined && before.type === 'word' && FUNCTIONS_WITH_FROM.has(before.value);
		}
	}
	return false;
}

/**
 * Lists the tables a query reads by three-part name (lower case unless quoted). Returns null
 * when it also reads something else by name, such as a CTE or a table function, so a caller
 * cannot mistake a partial list for the whole.
 * @param {Token[]} tokens
 * @returns {string[]|null} e.g. ['datasets.public.flights']
 */
function referencedTables(tokens) {
	const tables = new Set();
	const fromListAtDepth = new Set();
	let partial = false;
	for (let index = 0; index < tokens.length; index++) {
		const token = tokens[index];
		if (token.type === 'word' && FROM_LIST_END_WORDS.has(token.value)) fromListAtDepth.delete(token.depth);
		if (isPunct(token, ')')) {
			for (const depth of [...fromListAtDepth]) if (depth > token.depth) fromListAtDepth.delete(depth);
		}
		const startsReference = isWord(token, 'FROM') || isWord(token, 'JOIN') || (isPunct(token, ',') && fromListAtDepth.has(token.depth));
		if (!startsReference || isFunctionArgumentFrom(tokens, index)) continue;
		if (isWord(token, 'FROM')) fromListAtDepth.add(token.depth);

		const next = tokens[index + 1];
		if (isPunct(next, '(')) continue;
		const parts = [];
		let position = index + 1;
		while (tokens[position] !== undefined && (tokens[position].type === 'word' || tokens[position].type === 'quoted')) {
			parts.push(tokens[position].type === 'quoted' ? tokens[position].value : tokens[position].text.toLowerCase());
			if (!isPunct(tokens[position + 1], '.')) break;
			position += 2;
		}
		if (parts.length === 3 && !isPunct(tokens[position + 1], '(')) tables.add(parts.join('.'));
		else partial = true;
	}
	return partial ? null : [...tables];
}

const DUCKDB_ERROR_PREFIX = /^[A-Za-z ]*Error: /;
const DUCKDB_LINE_BLOCK = /\n\nLINE (\d+): (.*)\n( *)\^/;

/** Removes DuckDB's error class, its "Did you mean" hint and its LINE block from a message. */
function stripDuckDbDecorations(message) {
	let text = message.replace(DUCKDB_ERROR_PREFIX, '');
	const lineBlock = text.indexOf('\n\nLINE ');
	if (lineBlock !== -1) text = text.slice(0, lineBlock);
	return text.replace(/\n\s*(?:Did you mean|Candidate)[\s\S]*$/, '').replace(/!$/, '').trim();
}

/** Reads the position DuckDB points its caret at, as Trino's "line L:C: " prefix. */
function duckDbCaretPrefix(message) {
	const match = DUCKDB_LINE_BLOCK.exec(message);
	if (!match) return '';
	const column = match[3].length - `LINE ${match[1]}: `.length + 1;
	return column >= 1 && !match[2].startsWith('...') ? `line ${match[1]}:${column}: ` : '';
}

/**
 * Rewrites a DuckDB error as the Trino message Peaka would send for the same mistake:
 * "line 1:15: Table 'datasets.public.nope' does not exist", "line 1:8: Column 'x' cannot be
 * resolved", ... Messages with no Trino counterpart keep DuckDB's text without its decorations.
 * @param {string} duckdbMessage
 * @param {string} sql the statement that failed
 * @param {string[]} [relatedSql] SQL of saved queries the statement reads, where a name may be written
 * @returns {string}
 */
function translateDuckDbError(duckdbMessage, sql, relatedSql = []) {
	const candidates = [sql, ...relatedSql].map((text) => ({ text, names: writtenNames(tokenize(text)) }));
	const locate = (predicate) => {
		for (const candidate of candidates) {
			const found = candidate.names.find(predicate);
			if (found) return { ...found, inStatement: candidate.text === sql };
		}
		return null;
	};
	const prefix = (found) => (found && found.inStatement ? `line ${found.token.line}:${found.token.column}: ` : '');
	const same = (written, reported) => written === reported || written === reported.toLowerCase();
	let match;

	if ((match = /Catalog "([^"]+)" does not exist/.exec(duckdbMessage))) {
		const catalog = match[1];
		const found = locate((name) => name.parts.length >= 3 && same(name.parts[0], catalog));
		return `${prefix(found)}Catalog '${catalog.toLowerCase()}' not found`;
	}

	if ((match = /Table with name "?([^"!]+?)"? does not exist/.exec(duckdbMessage))) {
		const reported = match[1].split('.');
		const table = reported[reported.length - 1];
		const missingSchema = /because schema "([^"]+)" does not exist/.exec(duckdbMessage);
		const found = locate((name) => same(name.parts[name.parts.length - 1], table)
			&& (reported.length < 2 || (name.parts.length >= 2 && same(name.parts[name.parts.length - 2], reported[reported.length - 2]))));
		if (found && found.parts.length === 1) return `${prefix(found)}Schema must be specified when session schema is not set`;
		if (found && found.parts.length === 2) return `${prefix(found)}Catalog must be specified when session catalog is not set`;
		if (missingSchema) return `${prefix(found)}Schema '${missingSchema[1].toLowerCase()}' does not exist`;
		const qualified = found ? found.parts.slice(-3).join('.') : match[1].toLowerCase();
		return `${prefix(found)}Table '${qualified}' does not exist`;
	}

	if ((match = /Referenced column "([^"]+)" not found/.exec(duckdbMessage))) {
		const found = locate((name) => name.parts.length === 1 && same(name.parts[0], match[1]));
		return `${prefix(found) || duckDbCaretPrefix(duckdbMessage)}Column '${match[1].toLowerCase()}' cannot be resolved`;
	}

	if ((match = /(?:Values list|Table) "([^"]+)" does not have a column named "([^"]+)"/.exec(duckdbMessage))) {
		const [, relation, column] = match;
		const found = locate((name) => name.parts.length >= 2 && same(name.parts[name.parts.length - 1], column) && same(name.parts[name.parts.length - 2], relation));
		return `${prefix(found) || duckDbCaretPrefix(duckdbMessage)}Column '${relation.toLowerCase()}.${column.toLowerCase()}' cannot be resolved`;
	}

	if ((match = /(?:Scalar|Aggregate|Table) Function with name "?([^"\s!]+)"? does not exist/.exec(duckdbMessage))) {
		const found = locate((name) => same(name.parts[name.parts.length - 1], match[1]));
		return `${prefix(found) || duckDbCaretPrefix(duckdbMessage)}Function '${match[1].toLowerCase()}' not registered`;
	}

	if ((match = /syntax error at or near "([^"]*)"/.exec(duckdbMessage))) {
		return `${duckDbCaretPrefix(duckdbMessage)}mismatched input '${match[1]}'`;
	}
	if (/syntax error at end of input/.test(duckdbMessage)) {
		return `${positionPrefix(undefined, sql)}mismatched input '<EOF>'`;
	}

	return `${duckDbCaretPrefix(duckdbMessage)}${stripDuckDbDecorations(duckdbMessage)}`;
}

/** Quotes an identifier for DuckDB and Trino alike. */
function quoteIdentifier(name) {
	return `"${String(name).replace(/"/g, '""')}"`;
}

/** Quotes a string literal. */
function quoteString(text) {
	return `'${String(text).replace(/'/g, "''")}'`;
}

module.exports = {
	SqlRuleError,
	tokenize,
	statementKind,
	checkStatement,
	trinoColumnNames,
	writtenNames,
	referencedTables,
	translateDuckDbError,
	quoteIdentifier,
	quoteString,
};
