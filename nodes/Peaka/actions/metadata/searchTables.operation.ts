import {
	type IDataObject,
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
		displayName: 'Search Text',
		name: 'text',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. flight delays by airport',
		description: "What the tables should be about. Peaka matches it by meaning against the tables' metadata.",
	},
	{
		displayName: 'Max Results',
		name: 'topK',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 5,
		description: 'Max number of tables to return, best match first',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['metadata'], operation: ['searchTables'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const text = getRequiredText(this, 'text', 'Search Text', 'Enter what the tables should be about.', itemIndex);
	// The spec types topK as a string.
	const qs: IDataObject = { table: text, topK: String(this.getNodeParameter('topK', itemIndex, 5)) };
	const body = await peakaApiRequest.call(this, { method: 'GET', path: metadataPath(projectId, 'query'), qs, itemIndex });
	return toItems(listOf(body, 'result'), itemIndex);
}
