import type { INodeProperties } from 'n8n-workflow';

import { searchableLocator, UUID_REGEX } from './common.descriptions';

export const organizationLocator = searchableLocator({
	displayName: 'Organization',
	name: 'organization',
	description: 'The Peaka organization. Only a partner key can list and read organizations.',
	searchListMethod: 'searchOrganizations',
	manual: {
		placeholder: 'e.g. d0d3c83f-29ed-4f2e-899d-1bfa00eb3cef',
		regex: UUID_REGEX,
		errorMessage: 'An organization ID is a UUID, e.g. d0d3c83f-29ed-4f2e-899d-1bfa00eb3cef',
	},
});

export const workspaceLocator = searchableLocator({
	displayName: 'Workspace',
	name: 'workspace',
	description: 'A workspace of the organization above',
	searchListMethod: 'searchWorkspaces',
	manual: {
		placeholder: 'e.g. 56d43968-e31d-4010-9b75-018a79a51b17',
		regex: UUID_REGEX,
		errorMessage: 'A workspace ID is a UUID, e.g. 56d43968-e31d-4010-9b75-018a79a51b17',
	},
});

/** The Project picker of the Project resource, listing the projects of the chosen workspace. */
export const workspaceProjectLocator = searchableLocator({
	displayName: 'Project',
	name: 'workspaceProject',
	description: 'A project of the workspace above',
	searchListMethod: 'searchWorkspaceProjects',
	manual: {
		placeholder: 'e.g. mtKDhe1U',
		regex: '^[A-Za-z0-9_-]+$',
		errorMessage: 'A project ID contains only letters, digits, - and _, e.g. mtKDhe1U',
	},
});

export const queryFolderLocator = searchableLocator({
	displayName: 'Folder',
	name: 'folder',
	description: 'A query folder of the project',
	searchListMethod: 'searchQueryFolders',
	manual: {
		placeholder: 'e.g. 550e8400-e29b-41d4-a716-446655440000',
		regex: UUID_REGEX,
		errorMessage: 'A folder ID is a UUID, e.g. 550e8400-e29b-41d4-a716-446655440000',
	},
});

/** Update Fields of a workspace or project: both carry only a name and a description. */
export const nameDescriptionUpdateFields: INodeProperties = {
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
};
