import type { INodeProperties } from 'n8n-workflow';

import * as addRelation from './addRelation.operation';
import * as createGoldenSql from './createGoldenSql.operation';
import * as deleteCategoricalValues from './deleteCategoricalValues.operation';
import * as deleteGoldenSql from './deleteGoldenSql.operation';
import * as deleteRefreshCallback from './deleteRefreshCallback.operation';
import * as deleteRelation from './deleteRelation.operation';
import * as generateCategoricalValues from './generateCategoricalValues.operation';
import * as generateSampleQuestions from './generateSampleQuestions.operation';
import * as generateSemantics from './generateSemantics.operation';
import * as get from './get.operation';
import * as getGoldenSqls from './getGoldenSqls.operation';
import * as getRefreshCallback from './getRefreshCallback.operation';
import * as getRefreshStatus from './getRefreshStatus.operation';
import * as getRelations from './getRelations.operation';
import * as refresh from './refresh.operation';
import * as searchGoldenSqls from './searchGoldenSqls.operation';
import * as searchTables from './searchTables.operation';
import * as setAiUsage from './setAiUsage.operation';
import * as setRefreshCallback from './setRefreshCallback.operation';
import * as updateRelation from './updateRelation.operation';
import * as updateTable from './updateTable.operation';

export const operations = {
	addRelation,
	createGoldenSql,
	deleteCategoricalValues,
	deleteGoldenSql,
	deleteRefreshCallback,
	deleteRelation,
	generateCategoricalValues,
	generateSampleQuestions,
	generateSemantics,
	get,
	getGoldenSqls,
	getRefreshCallback,
	getRefreshStatus,
	getRelations,
	refresh,
	searchGoldenSqls,
	searchTables,
	setAiUsage,
	setRefreshCallback,
	updateRelation,
	updateTable,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['metadata'] } },
		options: [
			{ name: 'Add Relation', value: 'addRelation', description: 'Declare that a column refers to a column of another table', action: 'Add a relation' },
			{ name: 'Create Golden SQL', value: 'createGoldenSql', description: 'Save a question with the SQL that answers it, as an example for the AI', action: 'Create a golden SQL' },
			{ name: 'Delete Categorical Values', value: 'deleteCategoricalValues', description: "Clear a column's categorical values and their recomputation", action: 'Delete categorical values' },
			{ name: 'Delete Golden SQL', value: 'deleteGoldenSql', action: 'Delete a golden SQL' },
			{ name: 'Delete Refresh Callback', value: 'deleteRefreshCallback', description: "Remove the project's refresh callback URL", action: 'Delete the refresh callback' },
			{ name: 'Delete Relation', value: 'deleteRelation', action: 'Delete a relation' },
			{ name: 'Generate Categorical Values', value: 'generateCategoricalValues', description: "Store a column's most frequent values, optionally recomputed on a schedule", action: 'Generate categorical values' },
			{ name: 'Generate Sample Questions', value: 'generateSampleQuestions', description: "Have Peaka's AI suggest questions about the project's data", action: 'Generate sample questions' },
			{ name: 'Generate Semantics', value: 'generateSemantics', description: "Have Peaka's AI suggest descriptions for a table and its columns", action: 'Generate semantics for a table' },
			{ name: 'Get', value: 'get', description: "Get the metadata of the project's tables", action: 'Get metadata' },
			{ name: 'Get Golden SQLs', value: 'getGoldenSqls', action: 'Get golden sq ls' },
			{ name: 'Get Refresh Callback', value: 'getRefreshCallback', description: "Get the project's refresh callback URL", action: 'Get the refresh callback' },
			{ name: 'Get Refresh Status', value: 'getRefreshStatus', description: "Get the status of a catalog's metadata refresh", action: 'Get the refresh status' },
			{ name: 'Get Relations', value: 'getRelations', description: 'List the relations declared in a catalog', action: 'Get relations' },
			{ name: 'Refresh', value: 'refresh', description: 'Re-read the schemas and tables of one catalog or of all', action: 'Refresh metadata' },
			{ name: 'Search Golden SQLs', value: 'searchGoldenSqls', description: 'Find golden SQLs by the meaning of a question', action: 'Search golden sq ls' },
			{ name: 'Search Tables', value: 'searchTables', description: 'Find tables by the meaning of a text', action: 'Search tables' },
			{ name: 'Set AI Usage', value: 'setAiUsage', description: "Allow or forbid Peaka's AI to use a catalog or schema", action: 'Set AI usage' },
			{ name: 'Set Refresh Callback', value: 'setRefreshCallback', description: 'Set a URL Peaka calls when a metadata refresh ends', action: 'Set the refresh callback' },
			{ name: 'Update Relation', value: 'updateRelation', description: "Change a relation's type", action: 'Update a relation' },
			{ name: 'Update Table Metadata', value: 'updateTable', description: 'Set the descriptions and AI usage of a table and its columns', action: 'Update table metadata' },
		],
		default: 'get',
	},
	...get.description,
	...updateTable.description,
	...setAiUsage.description,
	...getRelations.description,
	...addRelation.description,
	...updateRelation.description,
	...deleteRelation.description,
	...generateCategoricalValues.description,
	...deleteCategoricalValues.description,
	...generateSemantics.description,
	...refresh.description,
	...getRefreshStatus.description,
	...getRefreshCallback.description,
	...setRefreshCallback.description,
	...deleteRefreshCallback.description,
	...getGoldenSqls.description,
	...createGoldenSql.description,
	...deleteGoldenSql.description,
	...searchGoldenSqls.description,
	...searchTables.description,
	...generateSampleQuestions.description,
];
