import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator } from '../common.descriptions';
import { getRequiredText } from '../parameters';
import { parseThread } from './agent-response';
import { getThreadTarget, threadLocator, threadPath } from './thread';

const properties: INodeProperties[] = [
	projectLocator,
	threadLocator,
	{
		displayName: 'New Name',
		name: 'displayName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. January flight delays',
		description: 'The name the thread shows in Peaka',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['aiAgent'], operation: ['renameThread'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const { projectId, threadId } = getThreadTarget(this, itemIndex);
	const displayName = getRequiredText(this, 'displayName', 'New Name', 'Enter the thread\'s new name.', itemIndex);
	const body = await peakaApiRequest.call(this, {
		method: 'PUT',
		path: threadPath(projectId, threadId),
		body: { displayName },
		// Setting the same name twice leaves the same thread.
		idempotent: true,
		itemIndex,
	});
	return [{ json: { threadId, displayName, ...parseThread(body) }, pairedItem: { item: itemIndex } }];
}
