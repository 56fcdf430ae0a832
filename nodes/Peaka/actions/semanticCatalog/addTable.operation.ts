import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { asItem } from '../catalog/catalog';
import { catalogLocator } from '../catalog.descriptions';
import { projectLocator, savedQueryLocator } from '../common.descriptions';
import { getLocatorValue, getRequiredText } from '../parameters';
import { describeMissingSemanticCatalog, getSemanticCatalogTarget, semanticCatalogsPath } from './semanticCatalog';

export const semanticCatalogLocator: INodeProperties = {
	...catalogLocator,
	displayName: 'Semantic Catalog',
	description: 'A semantic catalog of the project (type SEMANTIC in the list)',
};

const properties: INodeProperties[] = [
	projectLocator,
	semanticCatalogLocator,
	{
		displayName: 'Schema Name',
		name: 'schemaName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. finance',
		description: 'The schema of the new table inside the semantic catalog; Peaka creates it when it is new',
	},
	{
		displayName: 'Table Name',
		name: 'tableName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. monthly_revenue',
		description: 'The name SQL reads the table by',
	},
	{
		...savedQueryLocator,
		description: 'The saved query behind the table. The table stores no data: every read runs the query.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['semanticCatalog'], operation: ['addTable'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getSemanticCatalogTarget(this, itemIndex);
	const schemaName = getRequiredText(this, 'schemaName', 'Schema Name', 'Enter a schema name, e.g. finance.', itemIndex);
	const tableName = getRequiredText(this, 'tableName', 'Table Name', 'Enter a table name, e.g. monthly_revenue.', itemIndex);
	const queryId = getLocatorValue(this, 'savedQuery', 'Saved Query', itemIndex);

	const describeMissing = describeMissingSemanticCatalog(target);
	const table = await peakaApiRequest.call(this, {
		method: 'POST',
		path: semanticCatalogsPath(target.projectId, target.catalogId),
		body: { schemaName, tableName, queryId },
		describeFailure: (failure) => {
			if ((failure.status === 404 || failure.status === 400) && /query not found/i.test(failure.peakaMessage)) {
				return {
					message: `Saved query '${queryId}' was not found in project '${target.projectId}'`,
					description: `Pick the saved query from the list, or check that it was not deleted. Peaka's message: ${failure.peakaMessage}`,
				};
			}
			return describeMissing(failure);
		},
		itemIndex,
	});
	return [{ json: { queryId, ...asItem(table) }, pairedItem: { item: itemIndex } }];
}
