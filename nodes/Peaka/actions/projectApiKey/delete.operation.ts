import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { apiKeyPath, describePartnerOnly } from '../account-requests';
import { projectLocator } from '../common.descriptions';
import { getProjectId } from '../parameters';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'API Key ID',
		name: 'apiKeyId',
		// eslint-disable-next-line n8n-nodes-base/node-param-type-options-password-missing -- the key's public ID, not the key
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 21fd1a8d-88d5-4295-b792-5b2113138057',
		description: 'The apiKeyId of the key, as Get Many lists it. Requests with the key fail from then on.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['projectApiKey'], operation: ['delete'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const apiKeyId = String(this.getNodeParameter('apiKeyId', itemIndex) ?? '').trim();
	if (!UUID.test(apiKeyId)) {
		// The value is left out of the message: a user may have pasted the key itself here.
		throw new NodeOperationError(this.getNode(), "'API Key ID' is not a UUID", {
			description: "Use the key's apiKeyId from Get Many, e.g. 21fd1a8d-88d5-4295-b792-5b2113138057, not the key itself.",
			itemIndex,
		});
	}

	await peakaApiRequest.call(this, {
		method: 'DELETE',
		path: apiKeyPath(projectId, apiKeyId),
		describeFailure: describePartnerOnly('Deleting a project API key'),
		itemIndex,
	});

	return [{ json: { apiKeyId, deleted: true }, pairedItem: { item: itemIndex } }];
}
