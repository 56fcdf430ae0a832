import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { catalogLocator, schemaLocator, tableLocator } from '../catalog.descriptions';
import { projectLocator } from '../common.descriptions';
import { asItem, describeMissing, getTableTarget, tablePath } from './catalog';

const properties: INodeProperties[] = [projectLocator, catalogLocator, schemaLocator, tableLocator];

export const description = updateDisplayOptions(
	{ show: { resource: ['catalog'], operation: ['isCached'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getTableTarget(this, itemIndex, 'table');
	const result = await peakaApiRequest.call(this, {
		method: 'GET',
		path: `${tablePath(target.projectId, target.catalogId, target.schemaName as string, target.tableName)}/isCached`,
		describeFailure: describeMissing(target),
		itemIndex,
	});
	// Peaka's answer does not name the table, which the item does so that several can be told apart.
	return [
		{
			json: {
				catalogId: target.catalogId,
				schemaName: target.schemaName,
				tableName: target.tableName,
				...asItem(result),
			},
			pairedItem: { item: itemIndex },
		},
	];
}
