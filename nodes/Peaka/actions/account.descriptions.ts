import type { INodeProperties } from 'n8n-workflow';

const UUID_REGEX = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

export const organizationLocator: INodeProperties = {
	displayName: 'Organization',
	name: 'organization',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Peaka organization. Only a partner key can list and read organizations.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchOrganizations', searchable: true },
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. d0d3c83f-29ed-4f2e-899d-1bfa00eb3cef',
			validation: [
				{
					type: 'regex',
					properties: { regex: UUID_REGEX, errorMessage: 'An organization ID is a UUID, e.g. d0d3c83f-29ed-4f2e-899d-1bfa00eb3cef' },
				},
			],
		},
	],
};

export const workspaceLocator: INodeProperties = {
	displayName: 'Workspace',
	name: 'workspace',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'A workspace of the organization above',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchWorkspaces', searchable: true },
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 56d43968-e31d-4010-9b75-018a79a51b17',
			validation: [
				{
					type: 'regex',
					properties: { regex: UUID_REGEX, errorMessage: 'A workspace ID is a UUID, e.g. 56d43968-e31d-4010-9b75-018a79a51b17' },
				},
			],
		},
	],
};

/** The Project picker of the Project resource, listing the projects of the chosen workspace. */
export const workspaceProjectLocator: INodeProperties = {
	displayName: 'Project',
	name: 'workspaceProject',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'A project of the workspace above',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchWorkspaceProjects', searchable: true },
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. mtKDhe1U',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^[A-Za-z0-9_-]+$', errorMessage: 'A project ID contains only letters, digits, - and _, e.g. mtKDhe1U' },
				},
			],
		},
	],
};

export const queryFolderLocator: INodeProperties = {
	displayName: 'Folder',
	name: 'folder',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'A query folder of the project',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchQueryFolders', searchable: true },
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 550e8400-e29b-41d4-a716-446655440000',
			validation: [
				{
					type: 'regex',
					properties: { regex: UUID_REGEX, errorMessage: 'A folder ID is a UUID, e.g. 550e8400-e29b-41d4-a716-446655440000' },
				},
			],
		},
	],
};

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
