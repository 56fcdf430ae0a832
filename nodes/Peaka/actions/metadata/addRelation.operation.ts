import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { catalogLocator, schemaLocator, tableLocator } from '../catalog.descriptions';
import { getTableTarget } from '../catalog/catalog';
import { projectLocator } from '../common.descriptions';
import { getRequiredText } from '../parameters';
import { asObject, columnNameProperty, getColumnName, metadataPath } from './metadata';
import { relationTypeProperty } from './relation';

const target = (name: string, displayName: string, placeholder: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	required: true,
	default: '',
	placeholder,
	description,
});

const properties: INodeProperties[] = [
	projectLocator,
	catalogLocator,
	schemaLocator,
	tableLocator,
	{ ...columnNameProperty, description: 'The column of the table above that refers to the target' },
	target('targetCatalogId', 'Target Catalog ID', 'e.g. 846085284821991568', 'ID of the catalog of the table the column refers to'),
	target('targetSchemaName', 'Target Schema', 'e.g. public', 'Schema of the table the column refers to'),
	target('targetTableName', 'Target Table', 'e.g. airports', 'The table the column refers to'),
	target('targetColumnName', 'Target Column', 'e.g. iata', 'The column of the target table that the column matches'),
	relationTypeProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['metadata'], operation: ['addRelation'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const source = getTableTarget(this, itemIndex, 'table');
	const columnName = getColumnName(this, itemIndex);
	const text = (name: string, displayName: string) =>
		getRequiredText(this, name, displayName, `Enter the ${displayName.toLowerCase()} of the relation.`, itemIndex);
	const body = {
		targetCatalogId: text('targetCatalogId', 'Target Catalog ID'),
		targetSchemaName: text('targetSchemaName', 'Target Schema'),
		targetTableName: text('targetTableName', 'Target Table'),
		targetColumnName: text('targetColumnName', 'Target Column'),
		type: this.getNodeParameter('relationType', itemIndex) as string,
	};
	const result = await peakaApiRequest.call(this, {
		method: 'POST',
		path: metadataPath(source.projectId, 'relations', source.catalogId, source.schemaName as string, source.tableName as string, columnName),
		body,
		itemIndex,
	});
	return [{ json: asObject(result), pairedItem: { item: itemIndex } }];
}
