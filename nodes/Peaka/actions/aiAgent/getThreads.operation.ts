import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { limitProperty, projectLocator, returnAllProperty } from '../common.descriptions';
import { applyReturnLimit, checkReturnLimit, getProjectId } from '../parameters';
import { parseThreadList } from './agent-response';
import { threadPath } from './thread';

const properties: INodeProperties[] = [projectLocator, returnAllProperty, limitProperty];

export const description = updateDisplayOptions({ show: { resource: ['aiAgent'], operation: ['getThreads'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	checkReturnLimit(this, itemIndex);
	const projectId = getProjectId(this, itemIndex);
	const body = await peakaApiRequest.call(this, { method: 'GET', path: threadPath(projectId), itemIndex });
	return applyReturnLimit(this, itemIndex, parseThreadList(body)).map((json) => ({ json, pairedItem: { item: itemIndex } }));
}
