import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator } from '../common.descriptions';
import { getRequiredText } from '../parameters';
import { semanticCatalogLocator } from './addTable.operation';
import { describeMissingSemanticCatalog, getSemanticCatalogTarget, semanticCatalogsPath } from './semanticCatalog';

const TABLE_ID_PATTERN = /^\d+$/;

const properties: INodeProperties[] = [
	projectLocator,
	semanticCatalogLocator,
	{
		displayName: 'Table ID',
		name: 'tableId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 688890918747898103',
		description: 'The tableId that Add Table returned. The saved query behind the table is kept.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['semanticCatalog'], operation: ['deleteTable'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getSemanticCatalogTarget(this, itemIndex);
	const tableId = getRequiredText(this, 'tableId', 'Table ID', 'Enter the tableId that Add Table returned.', itemIndex);
	if (!TABLE_ID_PATTERN.test(tableId)) {
		throw new NodeOperationError(this.getNode(), `The 'Table ID' parameter '${tableId}' is not a semantic table ID`, {
			description: 'A semantic table ID is a number, e.g. 688890918747898103, as Add Table returned it in tableId.',
			itemIndex,
		});
	}

	const describeMissing = describeMissingSemanticCatalog(target);
	await peakaApiRequest.call(this, {
		method: 'DELETE',
		path: `${semanticCatalogsPath(target.projectId, target.catalogId)}/table/${encodeURIComponent(tableId)}`,
		describeFailure: (failure) => {
			if ((failure.status === 404 || failure.status === 400) && /table not found/i.test(failure.peakaMessage)) {
				return {
					message: `Semantic table '${tableId}' was not found in catalog '${target.catalogId}'`,
					description: `Check the Table ID, or whether the table was already deleted. Peaka's message: ${failure.peakaMessage}`,
				};
			}
			return describeMissing(failure);
		},
		itemIndex,
	});
	return [{ json: { catalogId: target.catalogId, tableId, deleted: true }, pairedItem: { item: itemIndex } }];
}
