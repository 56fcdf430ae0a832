import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { organizationLocator, workspaceLocator, workspaceProjectLocator } from '../account.descriptions';
import {
	asObject,
	describePartnerOnly,
	getOrganizationId,
	getWorkspaceId,
	workspaceProjectPath,
} from '../account-requests';
import { getLocatorValue } from '../parameters';

const properties: INodeProperties[] = [
	organizationLocator,
	workspaceLocator,
	workspaceProjectLocator,
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
	{ show: { resource: ['project'], operation: ['update'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const organizationId = getOrganizationId(this, itemIndex);
	const workspaceId = getWorkspaceId(this, itemIndex);
	const projectId = getLocatorValue(this, 'workspaceProject', 'Project', itemIndex);
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
	const path = workspaceProjectPath(organizationId, workspaceId, projectId);
	const describeFailure = describePartnerOnly('Updating a project');

	// Peaka's ProjectRequest requires the name, and whether PUT replaces the description is not
	// documented, so both fields are sent, the unchanged one taken from a fresh read.
	const current = asObject(await peakaApiRequest.call(this, { method: 'GET', path, describeFailure, itemIndex }));
	const body: IDataObject = { name: current.name ?? '', description: current.description ?? '', ...changes };

	const project = await peakaApiRequest.call(this, {
		method: 'PUT',
		path,
		body,
		idempotent: true,
		describeFailure,
		itemIndex,
	});

	return [{ json: asObject(project), pairedItem: { item: itemIndex } }];
}
