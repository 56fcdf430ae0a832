import { searchableLocator, UUID_REGEX } from '../common.descriptions';

export const connectionLocator = searchableLocator({
	displayName: 'Connection',
	name: 'connection',
	description: 'A connection of the project: the authenticated link to a data source that catalogs read through',
	searchListMethod: 'searchConnections',
	manual: {
		placeholder: 'e.g. 8db17e23-29de-4dab-8886-af9717e0e742',
		regex: UUID_REGEX,
		errorMessage: 'A connection ID is a UUID, e.g. 8db17e23-29de-4dab-8886-af9717e0e742',
	},
});

// Peaka identifies connector types by their connectionType text, such as POSTGRES or stripe.
export const connectionTypeLocator = searchableLocator({
	displayName: 'Connection Type',
	name: 'connectionType',
	description: 'The connector, as Peaka lists it under Get Types, e.g. POSTGRES, stripe or hubspot',
	searchListMethod: 'searchConnectionTypes',
	manual: {
		displayName: 'Type',
		placeholder: 'e.g. POSTGRES',
		hint: 'Enter the connectionType exactly as Peaka writes it; case matters',
	},
});
