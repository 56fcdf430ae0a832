import type { INodeProperties } from 'n8n-workflow';

export const projectLocator: INodeProperties = {
	displayName: 'Project',
	name: 'project',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		"The Peaka project to work in. A project key reaches only its own project, which the list offers first.",
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchProjects', searchable: true },
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. mtKDhe1U',
			hint: "The project ID is part of the project's URL in Peaka Studio",
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^[A-Za-z0-9_-]+$',
						errorMessage: 'A project ID contains only letters, digits, - and _, e.g. mtKDhe1U',
					},
				},
			],
		},
	],
};

export const savedQueryLocator: INodeProperties = {
	displayName: 'Saved Query',
	name: 'savedQuery',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'A query saved in the project',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchSavedQueries', searchable: true },
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 709922802836177297',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\d+$',
						errorMessage: 'A saved query ID is a number, e.g. 709922802836177297',
					},
				},
			],
		},
	],
};

export const returnAllProperty: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: true,
	description: 'Whether to return all results or only up to a given limit',
};

export const limitProperty: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 50,
	description: 'Max number of results to return',
	displayOptions: { show: { returnAll: [false] } },
};
