import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { projectLocator } from '../common.descriptions';
import { getProjectId, getRequiredText } from '../parameters';
import { metadataPath, singleItem } from './metadata';

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'Callback URL',
		name: 'callbackURL',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://n8n.example.com/webhook/peaka-refresh',
		description: "A URL Peaka calls when any metadata refresh of the project ends, for example an n8n Webhook node's URL",
	},
	{
		displayName: 'Callback Token',
		name: 'callbackToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: 'A secret Peaka sends with the callback, so the receiver can check it',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['metadata'], operation: ['setRefreshCallback'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const body: IDataObject = {
		callbackURL: getRequiredText(this, 'callbackURL', 'Callback URL', 'Enter the URL Peaka should call, e.g. a Webhook node URL.', itemIndex),
	};
	const token = this.getNodeParameter('callbackToken', itemIndex, '') as string;
	if (token) body.callbackToken = token;
	return await singleItem(this, itemIndex, { method: 'POST', path: metadataPath(projectId, 'refresh', 'callback'), body, idempotent: true });
}
