import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type JsonObject,
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
} from 'n8n-workflow';

import * as aiAgent from './actions/aiAgent/AiAgent.resource';
import * as cache from './actions/cache/Cache.resource';
import * as catalog from './actions/catalog/Catalog.resource';
import * as connection from './actions/connection/Connection.resource';
import * as driver from './actions/driver/Driver.resource';
import * as embedded from './actions/embedded/Embedded.resource';
import * as exportResource from './actions/export/Export.resource';
import * as internalTable from './actions/internalTable/InternalTable.resource';
import * as materializedQuery from './actions/materializedQuery/MaterializedQuery.resource';
import * as metadata from './actions/metadata/Metadata.resource';
import * as organization from './actions/organization/Organization.resource';
import * as parametricTable from './actions/parametricTable/ParametricTable.resource';
import * as project from './actions/project/Project.resource';
import * as projectApiKey from './actions/projectApiKey/ProjectApiKey.resource';
import * as query from './actions/query/Query.resource';
import * as queryFolder from './actions/queryFolder/QueryFolder.resource';
import * as semanticCatalog from './actions/semanticCatalog/SemanticCatalog.resource';
import * as sql from './actions/sql/Sql.resource';
import * as workspace from './actions/workspace/Workspace.resource';
import {
	searchAgentThreads,
	searchCaches,
	searchCatalogs,
	searchConnections,
	searchConnectionTypes,
	searchInternalTables,
	searchMaterializedQueries,
	searchOrganizations,
	searchProjects,
	searchQueryFolders,
	searchSavedQueries,
	searchSchemas,
	searchTables,
	searchWorkspaceProjects,
	searchWorkspaces,
} from './methods/listSearch';

type OperationModule = {
	execute: (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]>;
	/**
	 * Names the job an item would start (a cache sync, a refresh). Items of one run that name the
	 * same job start it once: n8n runs a node once per input item, and three items must not start
	 * three identical refreshes by accident.
	 */
	jobKey?: (this: IExecuteFunctions, itemIndex: number) => string;
};

const resources: Record<string, Record<string, OperationModule>> = {
	aiAgent: aiAgent.operations,
	cache: cache.operations,
	catalog: catalog.operations,
	connection: connection.operations,
	driver: driver.operations,
	embedded: embedded.operations,
	export: exportResource.operations,
	internalTable: internalTable.operations,
	materializedQuery: materializedQuery.operations,
	metadata: metadata.operations,
	organization: organization.operations,
	parametricTable: parametricTable.operations,
	project: project.operations,
	projectApiKey: projectApiKey.operations,
	query: query.operations,
	queryFolder: queryFolder.operations,
	semanticCatalog: semanticCatalog.operations,
	sql: sql.operations,
	workspace: workspace.operations,
};

export class Peaka implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Peaka',
		name: 'peaka',
		icon: { light: 'file:../../icons/peaka.svg', dark: 'file:../../icons/peaka.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Query data across your Peaka catalogs with SQL, and manage saved queries, folders, projects and keys',
		defaults: { name: 'Peaka' },
		usableAsTool: true,
		// eslint-disable-next-line n8n-nodes-base/node-class-description-inputs-wrong-regular-node -- the community rules require the NodeConnectionTypes constant
		inputs: [NodeConnectionTypes.Main],
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong -- as above
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'peakaApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'AI Agent', value: 'aiAgent' },
					{ name: 'Cache', value: 'cache' },
					{ name: 'Catalog', value: 'catalog' },
					{ name: 'Connection', value: 'connection' },
					{ name: 'Driver', value: 'driver' },
					{ name: 'Embedded', value: 'embedded' },
					{ name: 'Export', value: 'export' },
					{ name: 'Internal Table', value: 'internalTable' },
					{ name: 'Materialized Query', value: 'materializedQuery' },
					{ name: 'Metadata', value: 'metadata' },
					{ name: 'Organization', value: 'organization' },
					{ name: 'Parametric Table', value: 'parametricTable' },
					{ name: 'Project', value: 'project' },
					{ name: 'Project API Key', value: 'projectApiKey' },
					{ name: 'Query', value: 'query' },
					{ name: 'Query Folder', value: 'queryFolder' },
					{ name: 'Semantic Catalog', value: 'semanticCatalog' },
					{ name: 'SQL', value: 'sql' },
					{ name: 'Workspace', value: 'workspace' },
				],
				default: 'query',
			},
			...query.description,
			...queryFolder.description,
			...organization.description,
			...workspace.description,
			...project.description,
			...projectApiKey.description,
			...driver.description,
			...sql.description,
			...embedded.description,
			...catalog.description,
			...connection.description,
			...semanticCatalog.description,
			...parametricTable.description,
			...internalTable.description,
			...aiAgent.description,
			...cache.description,
			...materializedQuery.description,
			...exportResource.description,
			...metadata.description,
		],
	};

	methods = {
		listSearch: {
			searchAgentThreads,
			searchCaches,
			searchCatalogs,
			searchConnections,
			searchConnectionTypes,
			searchInternalTables,
			searchMaterializedQueries,
			searchOrganizations,
			searchProjects,
			searchQueryFolders,
			searchSavedQueries,
			searchSchemas,
			searchTables,
			searchWorkspaceProjects,
			searchWorkspaces,
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		const operationModule = resources[resource]?.[operation];
		if (!operationModule) {
			throw new NodeOperationError(this.getNode(), `The operation '${operation}' of resource '${resource}' is not supported`);
		}

		const returnData: INodeExecutionData[] = [];
		const startedJobs = new Map<string, { itemIndex: number; results: INodeExecutionData[] }>();
		const sharedItems: number[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const jobKey = operationModule.jobKey?.call(this, itemIndex);
				const started = jobKey === undefined ? undefined : startedJobs.get(jobKey);
				if (started) {
					sharedItems.push(itemIndex);
					for (const result of started.results) {
						returnData.push({ json: { ...result.json, sameJobAsItem: started.itemIndex }, pairedItem: { item: itemIndex } });
					}
					continue;
				}
				const results = await operationModule.execute.call(this, itemIndex);
				if (jobKey !== undefined) startedJobs.set(jobKey, { itemIndex, results });
				// A loop, not push(...results): spreading 100,000+ rows overflows the call stack.
				for (const result of results) returnData.push(result);
			} catch (error) {
				if (this.continueOnFail()) {
					returnData.push({
						json: { error: error.message, ...(error.description && { details: error.description }) },
						error,
						pairedItem: { item: itemIndex },
					});
					continue;
				}
				if (error instanceof NodeApiError) {
					// The constructor hands an existing NodeApiError back unchanged, so the item
					// index is set on it first.
					error.context.itemIndex ??= itemIndex;
					throw new NodeApiError(this.getNode(), error as unknown as JsonObject, { itemIndex });
				}
				throw new NodeOperationError(this.getNode(), error, { itemIndex });
			}
		}
		if (sharedItems.length > 0) {
			this.addExecutionHints({
				message: `Input item${sharedItems.length === 1 ? '' : 's'} ${sharedItems.join(', ')} named a job an earlier item of this run had already started, so Peaka was asked once and those items repeat its output (sameJobAsItem). To start the job once per run whatever the input, turn on Settings → Execute Once.`,
				location: 'outputPane',
			});
		}
		return [returnData];
	}
}
