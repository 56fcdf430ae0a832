import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
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

const properties: INodeProperties[] = [organizationLocator, workspaceLocator, workspaceProjectLocator];

export const description = updateDisplayOptions(
	{ show: { resource: ['project'], operation: ['get'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const organizationId = getOrganizationId(this, itemIndex);
	const workspaceId = getWorkspaceId(this, itemIndex);
	const projectId = getLocatorValue(this, 'workspaceProject', 'Project', itemIndex);

	const project = await peakaApiRequest.call(this, {
		method: 'GET',
		path: workspaceProjectPath(organizationId, workspaceId, projectId),
		describeFailure: describePartnerOnly('Reading a project'),
		itemIndex,
	});

	return [{ json: asObject(project), pairedItem: { item: itemIndex } }];
}
