import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { catalogLocator, schemaLocator, tableLocator } from '../catalog.descriptions';
import { describeMissing, getTableTarget } from '../catalog/catalog';
import { projectLocator } from '../common.descriptions';
import { columnNameProperty, getColumnName, metadataPath, singleItem } from './metadata';

const properties: INodeProperties[] = [projectLocator, catalogLocator, schemaLocator, tableLocator, columnNameProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['metadata'], operation: ['deleteCategoricalValues'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getTableTarget(this, itemIndex, 'table');
	const columnName = getColumnName(this, itemIndex);
	return await singleItem(this, itemIndex, {
		method: 'DELETE',
		path: metadataPath(target.projectId, 'categorical', target.catalogId, target.schemaName as string, target.tableName as string, columnName),
		describeFailure: describeMissing(target),
	});
}
