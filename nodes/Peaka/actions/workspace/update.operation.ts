import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { nameDescriptionUpdateFields, organizationLocator, workspaceLocator } from '../account.descriptions';
import {
	describePartnerOnly,
	getOrganizationId,
	getWorkspaceId,
	updateNameAndDescription,
	workspacePath,
} from '../account-requests';

const properties: INodeProperties[] = [organizationLocator, workspaceLocator, nameDescriptionUpdateFields];

export const description = updateDisplayOptions(
	{ show: { resource: ['workspace'], operation: ['update'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const organizationId = getOrganizationId(this, itemIndex);
	const workspaceId = getWorkspaceId(this, itemIndex);

	const workspace = await updateNameAndDescription(
		this,
		itemIndex,
		workspacePath(organizationId, workspaceId),
		describePartnerOnly('Updating a workspace'),
	);

	return [{ json: workspace, pairedItem: { item: itemIndex } }];
}
