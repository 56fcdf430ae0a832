import type { IDataObject } from 'n8n-workflow';

import type { ExecuteResponse } from '../../helpers/rows';

/**
 * Reads the AI agent's responses. Peaka documents none of these response bodies (the spec types
 * each as a free-form map) and only names the agent's state keys, so every reader here looks in
 * several likely places and keeps whatever it does not recognise.
 */

export interface AgentAnswer {
	threadId?: string;
	answer?: string;
	sql?: string;
	intent?: string;
	queryError?: string;
	/** The result Peaka ran, when it ran one: an execute-style body or a list of row objects. */
	result?: ExecuteResponse | IDataObject[];
	/** The body without the result rows, for fields the node does not read. */
	details: IDataObject;
}

const isObject = (value: unknown): value is IDataObject =>
	value !== null && typeof value === 'object' && !Array.isArray(value);

const text = (value: unknown): string | undefined =>
	typeof value === 'string' && value.trim() !== '' ? value : undefined;

/** Lists the places an agent state may sit in: the body itself, or a state, values or output object. */
function stateLayers(body: IDataObject): IDataObject[] {
	const layers = [body];
	for (const key of ['state', 'values', 'output', 'result', 'data']) {
		if (isObject(body[key])) layers.push(body[key] as IDataObject);
	}
	return layers;
}

function firstOf(layers: IDataObject[], keys: string[]): unknown {
	for (const layer of layers) {
		for (const key of keys) {
			if (layer[key] !== undefined && layer[key] !== null) return layer[key];
		}
	}
	return undefined;
}

/** Returns the content of a LangGraph-style message: a string, or a list of parts with text. */
function messageText(message: unknown): string | undefined {
	if (!isObject(message)) return text(message);
	const content = message.content ?? message.text ?? message.message;
	if (Array.isArray(content)) {
		return text(content.map((part) => (isObject(part) ? String(part.text ?? '') : String(part))).join(''));
	}
	return text(content);
}

const AI_ROLES = new Set(['ai', 'assistant', 'aimessage', 'aimessagechunk']);

function lastAiMessage(messages: unknown): string | undefined {
	if (!Array.isArray(messages)) return undefined;
	for (let index = messages.length - 1; index >= 0; index--) {
		const message = messages[index];
		const role = isObject(message) ? String(message.type ?? message.role ?? '').toLowerCase() : '';
		if (AI_ROLES.has(role)) return messageText(message);
	}
	return undefined;
}

export function threadIdOf(body: IDataObject): string | undefined {
	const thread = isObject(body.thread) ? body.thread : undefined;
	const value = thread?.threadId ?? thread?.id ?? firstOf(stateLayers(body), ['threadId', 'thread_id', 'aiThreadId']);
	return value === undefined ? undefined : String(value);
}

export function parseChatResponse(body: unknown): AgentAnswer {
	const root = isObject(body) ? body : { value: body as IDataObject[string] };
	const layers = stateLayers(root);

	const resultValue = firstOf(layers, ['currentQueryResult', 'queryResult', 'rows']);
	let result: AgentAnswer['result'];
	if (isObject(resultValue) && Array.isArray(resultValue.data)) result = resultValue as ExecuteResponse;
	else if (Array.isArray(resultValue)) {
		result = resultValue.every(Array.isArray) ? { data: resultValue } : (resultValue.filter(isObject) as IDataObject[]);
	}

	const answer =
		lastAiMessage(firstOf(layers, ['messages'])) ?? text(firstOf(layers, ['answer', 'text', 'response', 'message']));
	const sql = text(firstOf(layers, ['currentGeneratedQuery', 'generatedQuery', 'sql', 'query']));
	const intent = text(firstOf(layers, ['userIntentReasoning', 'intent']));
	const errorValue = firstOf(layers, ['currentQueryError', 'queryError', 'error']);
	let queryError: string | undefined;
	if (typeof errorValue === 'string') queryError = errorValue;
	else if (errorValue !== undefined) queryError = JSON.stringify(errorValue);

	return { threadId: threadIdOf(root), answer, sql, intent, queryError, result, details: withoutResult(root) };
}

function withoutResult(body: IDataObject): IDataObject {
	const copy: IDataObject = { ...body };
	for (const key of ['state', 'values', 'output', 'result', 'data']) {
		if (isObject(copy[key])) {
			const layer = { ...(copy[key] as IDataObject) };
			delete layer.currentQueryResult;
			copy[key] = layer;
		}
	}
	delete copy.currentQueryResult;
	return copy;
}

/**
 * Returns the threads of a list response: a bare array, an array under a known key, or a map of
 * thread id to thread (the shape the spec's free-form map type allows).
 */
export function parseThreadList(body: unknown): IDataObject[] {
	if (Array.isArray(body)) return body.filter(isObject) as IDataObject[];
	if (!isObject(body)) return [];
	for (const key of ['threads', 'items', 'data', 'content', 'result', 'history']) {
		if (Array.isArray(body[key])) return (body[key] as unknown[]).filter(isObject) as IDataObject[];
	}
	return Object.entries(body)
		.filter(([, value]) => isObject(value))
		.map(([key, value]) => {
			const thread = value as IDataObject;
			return thread.threadId === undefined && thread.id === undefined ? { threadId: key, ...thread } : thread;
		});
}

/** Returns one thread from a read, rename or delete response: its `thread` object, or the body itself. */
export function parseThread(body: unknown): IDataObject {
	if (!isObject(body)) return body === undefined || body === null || body === '' ? {} : { value: body as IDataObject[string] };
	return isObject(body.thread) ? { ...(body.thread as IDataObject), ...withoutKey(body, 'thread') } : body;
}

function withoutKey(body: IDataObject, key: string): IDataObject {
	const copy = { ...body };
	delete copy[key];
	return copy;
}
