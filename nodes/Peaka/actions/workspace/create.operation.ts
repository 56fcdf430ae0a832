import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { organizationLocator } from '../account.descriptions';
import { asObject, describePartnerOnly, getOrganizationId, workspacePath } from '../account-requests';
import { getRequiredText } from '../parameters';

const properties: INodeProperties[] = [
	organizationLocator,
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Marketing',
		description: 'The name of the new workspace',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				default: '',
				placeholder: 'e.g. Campaign and web analytics projects',
				description: 'Text shown with the workspace in Peaka Studio',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['workspace'], operation: ['create'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const organizationId = getOrganizationId(this, itemIndex);
	const name = getRequiredText(this, 'name', 'Name', 'Give the workspace a name, e.g. Marketing.', itemIndex);
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;

	const body: IDataObject = { name };
	if (typeof additionalFields.description === 'string' && additionalFields.description !== '') {
		body.description = additionalFields.description;
	}
	const workspace = await peakaApiRequest.call(this, {
		method: 'POST',
		path: workspacePath(organizationId),
		body,
		describeFailure: describePartnerOnly('Creating a workspace'),
		itemIndex,
	});

	return [{ json: asObject(workspace), pairedItem: { item: itemIndex } }];
}
