import { type IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

/** Reads a resource locator's value, failing with the parameter's name when it is empty. */
export function getLocatorValue(
	context: IExecuteFunctions,
	parameterName: string,
	displayName: string,
	itemIndex: number,
): string {
	const value = context.getNodeParameter(parameterName, itemIndex, '', { extractValue: true });
	const text = value === null || value === undefined ? '' : String(value).trim();
	if (text === '') {
		throw new NodeOperationError(context.getNode(), `The '${displayName}' parameter is empty`, {
			description: `Pick a ${displayName.toLowerCase()} from the list, or switch to ID and enter one.`,
			itemIndex,
		});
	}
	return text;
}

/** Reads a required text parameter, trimmed, failing with its name and an example when empty. */
export function getRequiredText(
	context: IExecuteFunctions,
	parameterName: string,
	displayName: string,
	fix: string,
	itemIndex: number,
): string {
	const text = String(context.getNodeParameter(parameterName, itemIndex) ?? '').trim();
	if (text === '') {
		throw new NodeOperationError(context.getNode(), `The '${displayName}' parameter is empty`, {
			description: fix,
			itemIndex,
		});
	}
	return text;
}

export function getProjectId(context: IExecuteFunctions, itemIndex: number): string {
	return getLocatorValue(context, 'project', 'Project', itemIndex);
}

/**
 * Checks a count or duration parameter that must be a whole number of at least `minimum`. The
 * editor enforces its minimum, but an expression can still produce 0, a negative, a fraction or
 * text, which Peaka would reject or misread.
 */
export function checkWholeNumber(
	context: IExecuteFunctions,
	value: unknown,
	displayName: string,
	minimum: number,
	itemIndex: number,
): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number < minimum) {
		throw new NodeOperationError(
			context.getNode(),
			`'${displayName}' value ${JSON.stringify(value)} is not a whole number of at least ${minimum}`,
			{ description: `Set '${displayName}' to a whole number of ${minimum} or more.`, itemIndex },
		);
	}
	return number;
}

/** Reads Limit, shown when Return All is off, as a whole number of at least 1. */
export function getLimit(context: IExecuteFunctions, itemIndex: number): number {
	return checkWholeNumber(context, context.getNodeParameter('limit', itemIndex, 50), 'Limit', 1, itemIndex);
}

/** Checks Limit before anything is sent, when Return All is off. */
export function checkReturnLimit(context: IExecuteFunctions, itemIndex: number): void {
	if (!(context.getNodeParameter('returnAll', itemIndex, true) as boolean)) getLimit(context, itemIndex);
}

/** Applies Return All / Limit to a list that Peaka returns whole. */
export function applyReturnLimit<T>(context: IExecuteFunctions, itemIndex: number, entries: T[]): T[] {
	const returnAll = context.getNodeParameter('returnAll', itemIndex, true) as boolean;
	if (returnAll) return entries;
	return entries.slice(0, getLimit(context, itemIndex));
}

/** Peaka lists come as a bare array or wrapped in `items`/`data`/`content`. */
export function unwrapList(body: unknown): unknown[] {
	if (Array.isArray(body)) return body;
	if (body && typeof body === 'object') {
		for (const key of ['items', 'data', 'content', 'result']) {
			const value = (body as Record<string, unknown>)[key];
			if (Array.isArray(value)) return value;
		}
	}
	return [];
}
