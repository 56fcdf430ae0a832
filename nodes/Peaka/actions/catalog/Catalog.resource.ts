import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteCatalog from './delete.operation';
import * as get from './get.operation';
import * as getColumns from './getColumns.operation';
import * as getMany from './getMany.operation';
import * as getSchemas from './getSchemas.operation';
import * as getStatistics from './getStatistics.operation';
import * as getTables from './getTables.operation';
import * as isCached from './isCached.operation';
import * as search from './search.operation';
import * as share from './share.operation';

export const operations = {
	create,
	delete: deleteCatalog,
	get,
	getColumns,
	getMany,
	getSchemas,
	getStatistics,
	getTables,
	isCached,
	search,
	share,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['catalog'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a catalog from an existing connection',
				action: 'Create a catalog',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a catalog',
				action: 'Delete a catalog',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a catalog',
				action: 'Get a catalog',
			},
			{
				name: 'Get Columns',
				value: 'getColumns',
				description: 'List the columns of a table, with their types',
				action: 'Get the columns of a table',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the catalogs of a project',
				action: 'Get many catalogs',
			},
			{
				name: 'Get Schemas',
				value: 'getSchemas',
				description: 'List the schemas of a catalog',
				action: 'Get the schemas of a catalog',
			},
			{
				name: 'Get Statistics',
				value: 'getStatistics',
				description: 'Get the distinct-value statistics of the columns of a table',
				action: 'Get the statistics of a table',
			},
			{
				name: 'Get Tables',
				value: 'getTables',
				description: 'List the tables of a schema, with whether each can be cached',
				action: 'Get the tables of a schema',
			},
			{
				name: 'Is Cached',
				value: 'isCached',
				description: 'Check whether a table has a cache and can have one',
				action: 'Check whether a table is cached',
			},
			{
				name: 'Search',
				value: 'search',
				description: 'Find catalogs, schemas and tables by name',
				action: 'Search catalogs schemas and tables',
			},
			{
				name: 'Share',
				value: 'share',
				description: 'Share a catalog with another project',
				action: 'Share a catalog',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
	...get.description,
	...create.description,
	...deleteCatalog.description,
	...getSchemas.description,
	...getTables.description,
	...getColumns.description,
	...isCached.description,
	...getStatistics.description,
	...share.description,
	...search.description,
];
