import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import {
	nameDescriptionUpdateFields,
	organizationLocator,
	workspaceLocator,
	workspaceProjectLocator,
} from '../account.descriptions';
import {
	describePartnerOnly,
	getOrganizationId,
	getWorkspaceId,
	updateNameAndDescription,
	workspaceProjectPath,
} from '../account-requests';
import { getLocatorValue } from '../parameters';

const properties: INodeProperties[] = [
	organizationLocator,
	workspaceLocator,
	workspaceProjectLocator,
	nameDescriptionUpdateFields,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['project'], operation: ['update'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const organizationId = getOrganizationId(this, itemIndex);
	const workspaceId = getWorkspaceId(this, itemIndex);
	const projectId = getLocatorValue(this, 'workspaceProject', 'Project', itemIndex);

	const project = await updateNameAndDescription(
		this,
		itemIndex,
		workspaceProjectPath(organizationId, workspaceId, projectId),
		describePartnerOnly('Updating a project'),
	);

	return [{ json: project, pairedItem: { item: itemIndex } }];
}
