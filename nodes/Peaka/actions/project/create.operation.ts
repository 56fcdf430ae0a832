import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { organizationLocator, workspaceLocator } from '../account.descriptions';
import {
	asObject,
	describePartnerOnly,
	getOrganizationId,
	getWorkspaceId,
	workspaceProjectPath,
} from '../account-requests';
import { getRequiredText } from '../parameters';

const properties: INodeProperties[] = [
	organizationLocator,
	workspaceLocator,
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Customer 360',
		description: 'The name of the new project',
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
				placeholder: 'e.g. Joined CRM and billing data',
				description: 'Text shown with the project in Peaka Studio',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['project'], operation: ['create'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const organizationId = getOrganizationId(this, itemIndex);
	const workspaceId = getWorkspaceId(this, itemIndex);
	const name = getRequiredText(this, 'name', 'Name', 'Give the project a name, e.g. Customer 360.', itemIndex);
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;

	const body: IDataObject = { name };
	if (typeof additionalFields.description === 'string' && additionalFields.description !== '') {
		body.description = additionalFields.description;
	}
	const project = await peakaApiRequest.call(this, {
		method: 'POST',
		path: workspaceProjectPath(organizationId, workspaceId),
		body,
		describeFailure: describePartnerOnly('Creating a project'),
		itemIndex,
	});

	return [{ json: asObject(project), pairedItem: { item: itemIndex } }];
}
