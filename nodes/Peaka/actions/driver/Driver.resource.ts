import type { INodeProperties } from 'n8n-workflow';

import * as getJdbcUrl from './getJdbcUrl.operation';
import * as getSqlAlchemyUrl from './getSqlAlchemyUrl.operation';

export const operations = { getJdbcUrl, getSqlAlchemyUrl };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['driver'] } },
		options: [
			{
				name: 'Get JDBC URL',
				value: 'getJdbcUrl',
				description: "Get the JDBC URL of Peaka's query engine, for BI and SQL tools",
				action: 'Get the JDBC URL',
			},
			{
				name: 'Get SQLAlchemy URL',
				value: 'getSqlAlchemyUrl',
				description: "Get the SQLAlchemy URL of Peaka's query engine for one catalog",
				// eslint-disable-next-line n8n-nodes-base/node-param-operation-option-action-miscased -- SQLAlchemy is a product name
				action: 'Get the SQLAlchemy URL',
			},
		],
		default: 'getJdbcUrl',
	},
	...getJdbcUrl.description,
	...getSqlAlchemyUrl.description,
];
