import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator } from '../common.descriptions';
import { parseThread } from './agent-response';
import { getThreadTarget, threadLocator, threadPath } from './thread';

const properties: INodeProperties[] = [projectLocator, threadLocator];

export const description = updateDisplayOptions({ show: { resource: ['aiAgent'], operation: ['deleteThread'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const { projectId, threadId } = getThreadTarget(this, itemIndex);
	const body = await peakaApiRequest.call(this, { method: 'DELETE', path: threadPath(projectId, threadId), itemIndex });
	return [{ json: { ...parseThread(body), threadId, deleted: true }, pairedItem: { item: itemIndex } }];
}
