import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { organizationLocator, workspaceLocator } from '../account.descriptions';
import { asObject, describePartnerOnly, getOrganizationId, getWorkspaceId, workspacePath } from '../account-requests';

const properties: INodeProperties[] = [organizationLocator, workspaceLocator];

export const description = updateDisplayOptions(
	{ show: { resource: ['workspace'], operation: ['get'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const organizationId = getOrganizationId(this, itemIndex);
	const workspaceId = getWorkspaceId(this, itemIndex);

	const workspace = await peakaApiRequest.call(this, {
		method: 'GET',
		path: workspacePath(organizationId, workspaceId),
		describeFailure: describePartnerOnly('Reading a workspace'),
		itemIndex,
	});

	return [{ json: asObject(workspace), pairedItem: { item: itemIndex } }];
}
