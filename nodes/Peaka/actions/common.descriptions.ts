import type { INodeProperties, INodePropertyMode } from 'n8n-workflow';

export const UUID_REGEX = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

interface LocatorOptions {
	displayName: string;
	name: string;
	description: string;
	searchListMethod: string;
	/** The second mode: what the user types when not picking from the list. */
	manual: {
		displayName?: string;
		placeholder: string;
		hint?: string;
		regex?: string;
		errorMessage?: string;
	};
}

/** Builds a required resource locator with a searchable list (the default) and a typed mode. */
export function searchableLocator(options: LocatorOptions): INodeProperties {
	const { manual } = options;
	// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- a locator mode has no default; the locator has
	const typedMode: INodePropertyMode = {
		displayName: manual.displayName ?? 'ID',
		name: 'id',
		type: 'string',
		placeholder: manual.placeholder,
		...(manual.hint !== undefined && { hint: manual.hint }),
		...(manual.regex !== undefined && {
			validation: [{ type: 'regex', properties: { regex: manual.regex, errorMessage: manual.errorMessage ?? '' } }],
		}),
	};
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: options.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: options.searchListMethod, searchable: true },
			},
			typedMode,
		],
	};
}

export const projectLocator = searchableLocator({
	displayName: 'Project',
	name: 'project',
	description:
		"The Peaka project to work in. A project key reaches only its own project, which the list offers first.",
	searchListMethod: 'searchProjects',
	manual: {
		placeholder: 'e.g. mtKDhe1U',
		hint: "The project ID is part of the project's URL in Peaka Studio",
		regex: '^[A-Za-z0-9_-]+$',
		errorMessage: 'A project ID contains only letters, digits, - and _, e.g. mtKDhe1U',
	},
});

export const savedQueryLocator = searchableLocator({
	displayName: 'Saved Query',
	name: 'savedQuery',
	description: 'A query saved in the project',
	searchListMethod: 'searchSavedQueries',
	manual: {
		placeholder: 'e.g. 709922802836177297',
		regex: '^\\d+$',
		errorMessage: 'A saved query ID is a number, e.g. 709922802836177297',
	},
});

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
