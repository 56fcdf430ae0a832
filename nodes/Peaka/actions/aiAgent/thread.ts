import type { IExecuteFunctions } from 'n8n-workflow';

import { searchableLocator } from '../common.descriptions';
import { getLocatorValue, getProjectId } from '../parameters';

export const threadLocator = searchableLocator({
	displayName: 'Thread',
	name: 'thread',
	description: "A conversation with the project's AI agent",
	searchListMethod: 'searchAgentThreads',
	manual: { placeholder: 'e.g. 0f8fad5b-d9cb-469f-a165-70867728950e' },
});

export function threadPath(projectId: string, threadId?: string): string {
	const base = `/ai-agent/${encodeURIComponent(projectId)}/threads`;
	return threadId === undefined ? base : `${base}/${encodeURIComponent(threadId)}`;
}

export function getThreadTarget(context: IExecuteFunctions, itemIndex: number): { projectId: string; threadId: string } {
	return { projectId: getProjectId(context, itemIndex), threadId: getLocatorValue(context, 'thread', 'Thread', itemIndex) };
}
