import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { organizationLocator, workspaceLocator, workspaceProjectLocator } from '../account.descriptions';
import { describePartnerOnly, getOrganizationId, getWorkspaceId, workspaceProjectPath } from '../account-requests';
import { getLocatorValue } from '../parameters';

const properties: INodeProperties[] = [
	organizationLocator,
	workspaceLocator,
	{
		...workspaceProjectLocator,
		description: 'The project to delete. Its project API keys stop working.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['project'], operation: ['delete'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const organizationId = getOrganizationId(this, itemIndex);
	const workspaceId = getWorkspaceId(this, itemIndex);
	const projectId = getLocatorValue(this, 'workspaceProject', 'Project', itemIndex);

	await peakaApiRequest.call(this, {
		method: 'DELETE',
		path: workspaceProjectPath(organizationId, workspaceId, projectId),
		describeFailure: describePartnerOnly('Deleting a project'),
		itemIndex,
	});

	return [{ json: { id: projectId, deleted: true }, pairedItem: { item: itemIndex } }];
}
