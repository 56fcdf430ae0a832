import { searchableLocator } from './common.descriptions';

/**
 * Catalog, schema and table pickers, chained: each list depends on the parameter above it
 * (catalogs of the project, schemas of the catalog, tables of the schema).
 */
export const catalogLocator = searchableLocator({
	displayName: 'Catalog',
	name: 'catalog',
	description: 'A catalog of the project: a connected data source, or one of the built-in Peaka catalogs',
	searchListMethod: 'searchCatalogs',
	manual: {
		placeholder: 'e.g. 846085284821991568',
		hint: 'Catalog IDs are numbers; the built-in catalogs are 1 (Peaka Tables) and 2 (saved queries)',
		regex: '^\\d+$',
		errorMessage: 'A catalog ID is a number, e.g. 846085284821991568',
	},
});

// Peaka's paths identify schemas and tables by name, so their typed mode takes the name.
export const schemaLocator = searchableLocator({
	displayName: 'Schema',
	name: 'schema',
	description: 'A schema of the catalog above',
	searchListMethod: 'searchSchemas',
	manual: { displayName: 'Name', placeholder: 'e.g. public', hint: 'Enter the schema name as SQL writes it' },
});

export const tableLocator = searchableLocator({
	displayName: 'Table',
	name: 'table',
	description: 'A table of the schema above',
	searchListMethod: 'searchTables',
	manual: { displayName: 'Name', placeholder: 'e.g. flights', hint: 'Enter the table name as SQL writes it' },
});
