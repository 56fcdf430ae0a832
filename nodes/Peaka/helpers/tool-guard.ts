import { type IExecuteFunctions, type INodeProperties, NodeOperationError } from 'n8n-workflow';

import { type SqlToken, tokenizeSql } from './sql';

/**
 * Stops an AI agent from sending a statement that writes or changes schema through
 * Query → Execute. Live Peaka refuses such statements itself, but a Peaka that starts
 * accepting them, or a statement it does not classify, must not depend on that: an agent
 * writes SQL nobody reviewed. The user can turn the guard off with the option below.
 */

const READ_ONLY_KEYWORDS = new Set(['SELECT', 'VALUES', 'TABLE', 'SHOW', 'DESCRIBE', 'DESC']);

export const ALLOW_WRITES_OPTION = 'allowWritesAsTool';
export const ALLOW_WRITES_DISPLAY_NAME = 'Allow Writes When Used as a Tool';

/**
 * Whether the node runs as an AI agent's tool. n8n registers a tool variant of every
 * `usableAsTool` node under its type name plus `Tool` (`n8n-nodes-peaka.peakaTool`) and runs
 * that type for the agent; n8n's sub-node context also answers `isToolExecution()`.
 */
export function isRunningAsTool(context: IExecuteFunctions): boolean {
	if (context.getNode().type.endsWith('Tool')) return true;
	const isToolExecution = (context as Partial<Pick<IExecuteFunctions, 'isToolExecution'>>).isToolExecution;
	return typeof isToolExecution === 'function' && isToolExecution.call(context) === true;
}

/**
 * Throws before anything is sent when the node runs as a tool, the statement does not only
 * read, and the user has not allowed writes. The check skips comments and literals and reads
 * through WITH to the statement that runs.
 */
export function guardToolStatement(context: IExecuteFunctions, sql: string, itemIndex: number): void {
	if (!isRunningAsTool(context)) return;
	const options = context.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>;
	if (options[ALLOW_WRITES_OPTION] === true) return;
	const writing = statementKeywords(sql).find((statement) => !statement.readOnly);
	if (writing === undefined) return;
	const keyword = writing.keyword;
	throw new NodeOperationError(
		context.getNode(),
		`Refused to run a ${keyword || 'non-query'} statement as an AI tool: only queries that read data may run this way`,
		{
			description: `The statement was not sent to Peaka. Ask for a SELECT instead, or turn on the option '${ALLOW_WRITES_DISPLAY_NAME}' of this node if the agent may change data or schema.`,
			itemIndex,
		},
	);
}

const isSymbol = (token: SqlToken | undefined, text: string) => token?.kind === 'symbol' && token.text === text;

/** Index after the parenthesised group that opens at `start`. */
function skipGroup(tokens: SqlToken[], start: number): number {
	let depth = 0;
	for (let index = start; index < tokens.length; index++) {
		if (isSymbol(tokens[index], '(')) depth++;
		else if (isSymbol(tokens[index], ')')) {
			depth--;
			if (depth === 0) return index + 1;
		}
	}
	return tokens.length;
}

/**
 * Returns the statement keyword of each `;`-separated statement and whether it only reads. A WITH
 * clause is read through to the statement it belongs to, since `WITH x AS (...) DELETE ...`
 * writes; EXPLAIN without ANALYZE runs nothing.
 */
export function statementKeywords(sql: string): Array<{ keyword: string; readOnly: boolean }> {
	const statements: SqlToken[][] = [[]];
	for (const token of tokenizeSql(sql)) {
		if (isSymbol(token, ';')) statements.push([]);
		else statements[statements.length - 1].push(token);
	}
	return statements.filter((tokens) => tokens.length > 0).map(classifyTokens);
}

function classifyTokens(tokens: SqlToken[]): { keyword: string; readOnly: boolean } {
	let index = 0;
	const skipOpening = () => {
		while (isSymbol(tokens[index], '(')) index++;
	};
	skipOpening();
	if (tokens[index]?.text === 'EXPLAIN') {
		index++;
		if (tokens[index]?.text !== 'ANALYZE') return { keyword: 'EXPLAIN', readOnly: true };
		index++;
		if (tokens[index]?.text === 'VERBOSE') index++;
		skipOpening();
	}
	if (tokens[index]?.text === 'WITH') {
		index++;
		if (tokens[index]?.text === 'RECURSIVE') index++;
		for (;;) {
			index++;
			if (isSymbol(tokens[index], '(')) index = skipGroup(tokens, index);
			if (tokens[index]?.text !== 'AS') break;
			index++;
			if (isSymbol(tokens[index], '(')) index = skipGroup(tokens, index);
			if (!isSymbol(tokens[index], ',')) break;
			index++;
		}
		skipOpening();
	}
	const keyword = tokens[index]?.kind === 'word' ? tokens[index].text : '';
	return { keyword, readOnly: READ_ONLY_KEYWORDS.has(keyword) };
}

/** The option that turns the guard off, for an options collection (alphabetically first). */
export const allowWritesAsToolOption: INodeProperties = {
	displayName: ALLOW_WRITES_DISPLAY_NAME,
	name: ALLOW_WRITES_OPTION,
	type: 'boolean',
	default: false,
	description:
		'Whether an AI agent using this node as a tool may send statements that write or change schema. Off: such statements are refused before anything is sent.',
};
