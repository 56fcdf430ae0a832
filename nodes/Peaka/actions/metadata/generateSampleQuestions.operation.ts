import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator } from '../common.descriptions';
import { getProjectId, getRequiredText } from '../parameters';
import { asObject, listOf, metadataPath } from './metadata';

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'Topic',
		name: 'question',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. flight delays',
		description: "A topic or question to base the sample questions on. Peaka's AI writes questions its data can answer.",
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['metadata'], operation: ['generateSampleQuestions'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const question = getRequiredText(this, 'question', 'Topic', 'Enter a topic or question, e.g. flight delays.', itemIndex);
	const body = await peakaApiRequest.call(this, {
		method: 'GET',
		path: metadataPath(projectId, 'questions', 'generate'),
		qs: { question },
		itemIndex,
	});
	const threadId = asObject(body).threadId;
	return listOf(body, 'questions').map((entry) => ({ json: { ...entry, threadId }, pairedItem: { item: itemIndex } }));
}
