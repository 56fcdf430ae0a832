import type { INodeProperties } from 'n8n-workflow';

import * as completeOAuth2 from './completeOAuth2.operation';
import * as create from './create.operation';
import * as deleteConnection from './delete.operation';
import * as get from './get.operation';
import * as getDetail from './getDetail.operation';
import * as getMany from './getMany.operation';
import * as getTypeConfiguration from './getTypeConfiguration.operation';
import * as getTypes from './getTypes.operation';
import * as update from './update.operation';

export const operations = {
	completeOAuth2,
	create,
	delete: deleteConnection,
	get,
	getDetail,
	getMany,
	getTypeConfiguration,
	getTypes,
	update,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['connection'] } },
		options: [
			{
				name: 'Complete OAuth2',
				value: 'completeOAuth2',
				description: "Finish an OAuth2 connection with the query string the provider sent to your redirect URL",
				action: 'Complete the oauth2 authorization of a connection',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create a connection to a data source, with its credential checked first',
				action: 'Create a connection',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a connection',
				action: 'Delete a connection',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a connection',
				action: 'Get a connection',
			},
			{
				name: 'Get Detail',
				value: 'getDetail',
				description: 'Get the settings of a connection that are not secret',
				action: 'Get the detail of a connection',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the connections of a project',
				action: 'Get many connections',
			},
			{
				name: 'Get Type Configuration',
				value: 'getTypeConfiguration',
				description: 'List the credential fields a connector type needs',
				action: 'Get the configuration of a connection type',
			},
			{
				name: 'Get Types',
				value: 'getTypes',
				description: 'List the connector types Peaka supports',
				action: 'Get the connection types',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Rename a connection or replace its credential',
				action: 'Update a connection',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
	...get.description,
	...create.description,
	...update.description,
	...deleteConnection.description,
	...getDetail.description,
	...getTypes.description,
	...getTypeConfiguration.description,
	...completeOAuth2.description,
];
