import { type IPollFunctions, NodeOperationError } from 'n8n-workflow';

/** Reads a resource locator's value in a poll, failing with the parameter's name when empty. */
export function getPollLocatorValue(context: IPollFunctions, parameterName: string, displayName: string): string {
	const value = context.getNodeParameter(parameterName, '', { extractValue: true });
	const text = value === null || value === undefined ? '' : String(value).trim();
	if (text === '') {
		throw new NodeOperationError(context.getNode(), `The '${displayName}' parameter is empty`, {
			description: `Pick a ${displayName.toLowerCase()} from the list, or switch to ID and enter one.`,
		});
	}
	return text;
}

export function getPollProjectId(context: IPollFunctions): string {
	return getPollLocatorValue(context, 'project', 'Project');
}

/** Reads a required text parameter in a poll, trimmed. */
export function getPollText(context: IPollFunctions, parameterName: string, displayName: string, fix: string): string {
	const text = String(context.getNodeParameter(parameterName, '') ?? '').trim();
	if (text === '') {
		throw new NodeOperationError(context.getNode(), `The '${displayName}' parameter is empty`, { description: fix });
	}
	return text;
}
