import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator } from '../common.descriptions';
import { getProjectId, getRequiredText } from '../parameters';
import { listOf, metadataPath, toItems } from './metadata';

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'Question',
		name: 'question',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. delayed flights by airport',
		description: 'Find the golden SQLs whose questions are closest in meaning to this one',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['metadata'], operation: ['searchGoldenSqls'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const question = getRequiredText(this, 'question', 'Question', 'Enter a question to look for.', itemIndex);
	const body = await peakaApiRequest.call(this, { method: 'GET', path: metadataPath(projectId, 'golden-sql', 'query'), qs: { q: question }, itemIndex });
	return toItems(listOf(body, 'result'), itemIndex);
}
