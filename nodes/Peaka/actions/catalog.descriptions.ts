import type { INodeProperties } from 'n8n-workflow';

/**
 * Catalog, schema and table pickers, chained: each list depends on the parameter above it
 * (catalogs of the project, schemas of the catalog, tables of the schema).
 */
export const catalogLocator: INodeProperties = {
	displayName: 'Catalog',
	name: 'catalog',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'A catalog of the project: a connected data source, or one of the built-in Peaka catalogs',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchCatalogs', searchable: true },
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 846085284821991568',
			hint: 'Catalog IDs are numbers; the built-in catalogs are 1 (Peaka Tables) and 2 (saved queries)',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\d+$',
						errorMessage: 'A catalog ID is a number, e.g. 846085284821991568',
					},
				},
			],
		},
	],
};

export const schemaLocator: INodeProperties = {
	displayName: 'Schema',
	name: 'schema',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'A schema of the catalog above',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchSchemas', searchable: true },
		},
		{
			// The ID mode of a schema takes its name, which is how Peaka's paths identify it.
			displayName: 'Name',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. public',
			hint: 'Enter the schema name as SQL writes it',
		},
	],
};

export const tableLocator: INodeProperties = {
	displayName: 'Table',
	name: 'table',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'A table of the schema above',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchTables', searchable: true },
		},
		{
			// As for schemas, a table's ID in Peaka's paths is its name.
			displayName: 'Name',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. flights',
			hint: 'Enter the table name as SQL writes it',
		},
	],
};
