import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { organizationLocator, workspaceLocator } from '../account.descriptions';
import { asObject, describePartnerOnly, getOrganizationId, getWorkspaceId, workspacePath } from '../account-requests';

const properties: INodeProperties[] = [
	organizationLocator,
	workspaceLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				default: '',
				description: 'The new description',
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'The new name',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['workspace'], operation: ['update'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const organizationId = getOrganizationId(this, itemIndex);
	const workspaceId = getWorkspaceId(this, itemIndex);
	const updateFields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const changes: IDataObject = {};
	if (typeof updateFields.name === 'string' && updateFields.name.trim() !== '') changes.name = updateFields.name.trim();
	if (typeof updateFields.description === 'string') changes.description = updateFields.description;
	if (Object.keys(changes).length === 0) {
		throw new NodeOperationError(this.getNode(), "'Update Fields' has nothing to change", {
			description: 'Add Name (non-empty) or Description.',
			itemIndex,
		});
	}
	const path = workspacePath(organizationId, workspaceId);
	const describeFailure = describePartnerOnly('Updating a workspace');

	// Peaka does not document whether PUT replaces the workspace or merges into it, so the node
	// sends both fields, taking the unchanged one from a fresh read.
	const current = asObject(await peakaApiRequest.call(this, { method: 'GET', path, describeFailure, itemIndex }));
	const body: IDataObject = { name: current.name ?? '', description: current.description ?? '', ...changes };

	const workspace = await peakaApiRequest.call(this, {
		method: 'PUT',
		path,
		body,
		idempotent: true,
		describeFailure,
		itemIndex,
	});

	return [{ json: asObject(workspace), pairedItem: { item: itemIndex } }];
}
