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

import * as query from './actions/query/Query.resource';
import { searchProjects, searchSavedQueries } from './methods/listSearch';

type OperationModule = {
	execute: (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]>;
};

const resources: Record<string, Record<string, OperationModule>> = {
	query: query.operations,
};

export class Peaka implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Peaka',
		name: 'peaka',
		icon: { light: 'file:../../icons/peaka.svg', dark: 'file:../../icons/peaka.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Query data across your Peaka catalogs with SQL and manage saved queries',
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
				options: [{ name: 'Query', value: 'query' }],
				default: 'query',
			},
			...query.description,
		],
	};

	methods = {
		listSearch: { searchProjects, searchSavedQueries },
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
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const results = await operationModule.execute.call(this, itemIndex);
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
		return [returnData];
	}
}
