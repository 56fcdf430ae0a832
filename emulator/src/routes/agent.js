'use strict';

const crypto = require('node:crypto');

const { PeakaError } = require('../errors');
const { createBatchWriter } = require('./execute');

/**
 * AI agent (AgentV2): chat and its threads. The streaming chat and the agent graph image are
 * not emulated (501).
 *
 * Peaka documents the request bodies only; every response is typed as a map of objects and its
 * fields are unverified. The emulator responds with the agent state keys Peaka's guide lists
 * (`messages`, `userIntentReasoning`, `currentGeneratedQuery`, `currentQueryResult`,
 * `currentQueryError`, `goldSQLs` and so on), grouped so each top-level value is an object as the
 * spec's type requires: `thread` (id and name) and `state` (the agent state).
 *
 * The emulator has no language model. An answer comes only from a golden SQL of the project whose
 * question matches the message (word overlap); its SQL is run unless `noExecute` is set.
 * Any other message gets the "intent not clear" answer. Nothing else is made up.
 */

/** Share of a golden question's words the message must contain for the golden SQL to answer it. */
const MIN_MATCH_SHARE = 0.6;
const QUERY_TIMEOUT_SECONDS = 60;
/** Rows of a result the agent keeps in its state; the rest are dropped as a chat reply would. */
const MAX_RESULT_ROWS = 1000;
const IGNORED_WORDS = new Set(['a', 'an', 'the', 'of', 'in', 'on', 'for', 'to', 'is', 'are', 'me', 'what', 'how', 'show', 'list', 'please', 'do', 'does', 'from', 'by', 'and']);
const NOT_CLEAR_ANSWER = 'I could not work out what you are asking. Rephrase the question, or name the table and columns it is about.';

const threadsByState = new WeakMap();

function words(text) {
	return new Set(String(text ?? '').toLowerCase().split(/[^a-z0-9]+/).filter((word) => word.length > 0 && !IGNORED_WORDS.has(word)));
}

/** Finds the golden SQL whose question the message covers best, or undefined below the threshold. */
function matchGoldenSql(entries, message) {
	const asked = words(message);
	let best;
	for (const entry of entries) {
		const expected = words(entry.question);
		if (expected.size === 0) continue;
		let shared = 0;
		for (const word of expected) if (asked.has(word)) shared += 1;
		const share = shared / expected.size;
		if (share >= MIN_MATCH_SHARE && (!best || share > best.share)) best = { entry, share };
	}
	return best?.entry;
}

function requireObject(body) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		throw PeakaError.badRequest('The request body must be a JSON object such as {"message": "How many flights left SEA?"}.');
	}
	return body;
}

async function runSql(engine, projectId, text) {
	const result = await engine.execute(projectId, { sql: text, bindings: [], timeoutSeconds: QUERY_TIMEOUT_SECONDS });
	try {
		const columns = result.columns.map((column) => ({
			catalogName: column.catalogName,
			schemaName: column.schemaName,
			tableName: column.tableName,
			columnName: column.name,
		}));
		const writeBatch = createBatchWriter('CELL_TYPED', result.columns);
		const parts = [];
		let rows = 0;
		for await (const batch of result.batches()) {
			if (batch.rowCount === 0) continue;
			parts.push(writeBatch(batch));
			rows += batch.rowCount;
			if (rows >= MAX_RESULT_ROWS) break;
		}
		const data = JSON.parse(`[${parts.join(',')}]`).slice(0, MAX_RESULT_ROWS);
		return { columns, data };
	} finally {
		result.close();
	}
}

/** @param {import('fastify').FastifyInstance} app */
function register(app, ctx) {
	const { engine, state } = ctx;

	function threadsOf(projectId) {
		let byProject = threadsByState.get(state);
		if (!byProject) {
			byProject = new Map();
			threadsByState.set(state, byProject);
		}
		if (!byProject.has(projectId)) byProject.set(projectId, new Map());
		return byProject.get(projectId);
	}

	function findThread(projectId, threadId) {
		const thread = threadsOf(projectId).get(threadId);
		if (!thread) throw PeakaError.notFound(`There is no thread with id: ${threadId}`);
		return thread;
	}

	const threadView = (thread) => ({
		threadId: thread.threadId,
		displayName: thread.displayName,
		createdAt: thread.createdAt,
		updatedAt: thread.updatedAt,
	});

	app.post('/ai-agent/:projectId/chat', async (request) => {
		const { projectId } = request.params;
		const body = requireObject(request.body);
		if (typeof body.message !== 'string' || body.message.trim() === '') {
			throw PeakaError.badRequest(`Invalid message ${JSON.stringify(body.message)}: send the question as text.`);
		}
		if (body.noExecute !== undefined && typeof body.noExecute !== 'boolean') {
			throw PeakaError.badRequest(`Invalid noExecute ${JSON.stringify(body.noExecute)}: send true or false.`);
		}
		const noExecute = body.noExecute === true;
		const now = new Date().toISOString();

		let thread;
		if (body.threadId !== undefined && body.threadId !== null) {
			thread = findThread(projectId, String(body.threadId));
		} else {
			thread = { threadId: crypto.randomUUID(), displayName: body.message.slice(0, 80), createdAt: now, updatedAt: now, messages: [] };
			threadsOf(projectId).set(thread.threadId, thread);
		}

		const golden = matchGoldenSql(state.goldenSqls.get(projectId) ?? [], body.message);
		const agentState = {
			projectId,
			noExecute,
			userIntentReasoning: golden ? 'TEXT_TO_SQL' : 'USER_INTENT_NOT_CLEAR',
			goldSQLs: golden ? [{ question: golden.question, sql: golden.sql }] : [],
			currentGeneratedQuery: golden ? golden.sql : null,
			currentQueryError: null,
			invalidQuery: false,
			currentQueryResult: null,
		};
		let answer = NOT_CLEAR_ANSWER;
		if (golden && noExecute) {
			answer = `This SQL answers "${golden.question}". It was not run.`;
		} else if (golden) {
			try {
				agentState.currentQueryResult = await runSql(engine, projectId, golden.sql);
				answer = `This SQL answers "${golden.question}". It returned ${agentState.currentQueryResult.data.length} rows.`;
			} catch (error) {
				agentState.currentQueryError = error.message;
				agentState.invalidQuery = true;
				answer = `The SQL for "${golden.question}" failed: ${error.message}`;
			}
		}

		thread.messages.push({ type: 'human', content: body.message, createdAt: now });
		thread.messages.push({ type: 'ai', content: answer, createdAt: now });
		thread.updatedAt = now;
		return { thread: threadView(thread), state: { ...agentState, messages: thread.messages.slice() } };
	});

	app.get('/ai-agent/:projectId/threads', async (request) => {
		const listed = {};
		for (const thread of threadsOf(request.params.projectId).values()) listed[thread.threadId] = threadView(thread);
		return listed;
	});

	app.get('/ai-agent/:projectId/threads/:threadId', async (request) => {
		const thread = findThread(request.params.projectId, request.params.threadId);
		return { thread: { ...threadView(thread), messages: thread.messages.slice() } };
	});

	app.put('/ai-agent/:projectId/threads/:threadId', async (request) => {
		const thread = findThread(request.params.projectId, request.params.threadId);
		const body = requireObject(request.body);
		if (typeof body.displayName !== 'string' || body.displayName.trim() === '') {
			throw PeakaError.badRequest(`Invalid displayName ${JSON.stringify(body.displayName)}: send the thread's new name.`);
		}
		thread.displayName = body.displayName;
		thread.updatedAt = new Date().toISOString();
		return { thread: threadView(thread) };
	});

	app.delete('/ai-agent/:projectId/threads/:threadId', async (request) => {
		const { projectId, threadId } = request.params;
		const thread = findThread(projectId, threadId);
		threadsOf(projectId).delete(threadId);
		return { thread: { ...threadView(thread), deleted: true } };
	});
}

module.exports = { register, matchGoldenSql };
