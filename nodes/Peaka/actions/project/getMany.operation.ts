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
	describePartnerOnly,
	getOrganizationId,
	getWorkspaceId,
	organizationPath,
	workspacePath,
	workspaceProjectPath,
} from '../account-requests';
import { limitProperty, returnAllProperty } from '../common.descriptions';
import { applyReturnLimit, checkReturnLimit, unwrapList } from '../parameters';

const properties: INodeProperties[] = [
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'options',
		options: [
			{
				name: 'Whole Account',
				value: 'account',
				description: 'Every project of every workspace of every organization the key reaches',
			},
			{
				name: 'One Workspace',
				value: 'workspace',
				description: 'The projects of one workspace',
			},
		],
		default: 'account',
		description: 'Where to list projects. Peaka has no single current call for the whole account, so the node reads organizations, then workspaces, then projects.',
	},
	{ ...organizationLocator, displayOptions: { show: { scope: ['workspace'] } } },
	{ ...workspaceLocator, displayOptions: { show: { scope: ['workspace'] } } },
	returnAllProperty,
	limitProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['project'], operation: ['getMany'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	checkReturnLimit(this, itemIndex);
	const scope = this.getNodeParameter('scope', itemIndex, 'account') as string;
	const describeFailure = describePartnerOnly('Listing projects');
	const list = async (path: string) =>
		unwrapList(await peakaApiRequest.call(this, { method: 'GET', path, describeFailure, itemIndex })) as IDataObject[];

	let projects: IDataObject[] = [];
	if (scope === 'workspace') {
		projects = await list(workspaceProjectPath(getOrganizationId(this, itemIndex), getWorkspaceId(this, itemIndex)));
	} else {
		for (const organization of await list(organizationPath())) {
			const organizationId = String(organization.id);
			for (const workspace of await list(workspacePath(organizationId))) {
				for (const project of await list(workspaceProjectPath(organizationId, String(workspace.id)))) {
					projects.push(project);
				}
			}
		}
	}

	return applyReturnLimit(this, itemIndex, projects).map((project) => ({
		json: project,
		pairedItem: { item: itemIndex },
	}));
}
