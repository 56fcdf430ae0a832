import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { organizationLocator, workspaceLocator } from '../account.descriptions';
import { describePartnerOnly, getOrganizationId, getWorkspaceId, workspacePath } from '../account-requests';

const properties: INodeProperties[] = [
	organizationLocator,
	{ ...workspaceLocator, description: 'The workspace to delete. Delete its projects first: whether Peaka deletes them with it is not documented.' },
];

export const description = updateDisplayOptions(
	{ show: { resource: ['workspace'], operation: ['delete'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const organizationId = getOrganizationId(this, itemIndex);
	const workspaceId = getWorkspaceId(this, itemIndex);

	await peakaApiRequest.call(this, {
		method: 'DELETE',
		path: workspacePath(organizationId, workspaceId),
		describeFailure: describePartnerOnly('Deleting a workspace'),
		itemIndex,
	});

	return [{ json: { id: workspaceId, deleted: true }, pairedItem: { item: itemIndex } }];
}
