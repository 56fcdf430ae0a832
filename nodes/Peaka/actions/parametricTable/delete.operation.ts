import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { catalogLocator } from '../catalog.descriptions';
import { projectLocator } from '../common.descriptions';
import { getRequiredText } from '../parameters';
import { targetSchemaProperty, targetTableProperty } from './create.operation';
import { describeMissingCatalog, getParametricTarget, parametricTablesPath } from './parametricTable';

const properties: INodeProperties[] = [
	projectLocator,
	catalogLocator,
	{ ...targetSchemaProperty, description: 'The schema of the parametric table to delete' },
	{ ...targetTableProperty, description: 'The name of the parametric table to delete. Its source table is not affected.' },
];

export const description = updateDisplayOptions(
	{ show: { resource: ['parametricTable'], operation: ['delete'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getParametricTarget(this, itemIndex);
	const toSchema = getRequiredText(this, 'targetSchema', 'Target Schema', 'Enter the schema of the parametric table, e.g. public.', itemIndex);
	const toTable = getRequiredText(this, 'targetTable', 'Target Table', 'Enter the name of the parametric table, e.g. acme_customers.', itemIndex);

	const describeMissing = describeMissingCatalog(target);
	await peakaApiRequest.call(this, {
		method: 'DELETE',
		path: parametricTablesPath(target.projectId, target.catalogId),
		qs: { toSchema, toTable },
		describeFailure: (failure) => {
			if (failure.status === 404 && !/catalog not found/i.test(failure.peakaMessage)) {
				return {
					message: `Parametric table '${toSchema}.${toTable}' was not found in catalog '${target.catalogId}'`,
					description: `Run Parametric Table → Get Many to see the tables of the catalog. Peaka's message: ${failure.peakaMessage || 'HTTP 404'}`,
				};
			}
			return describeMissing(failure);
		},
		itemIndex,
	});
	return [
		{
			json: { catalogId: target.catalogId, toSchema, toTable, deleted: true },
			pairedItem: { item: itemIndex },
		},
	];
}
