import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { catalogLocator, schemaLocator, tableLocator } from '../catalog.descriptions';
import { getTableTarget } from '../catalog/catalog';
import { projectLocator } from '../common.descriptions';
import { getRequiredText } from '../parameters';
import { describeMetadataFailure, metadataPath, singleItem } from './metadata';
import { relationIdProperty, relationTypeProperty } from './relation';

const properties: INodeProperties[] = [projectLocator, catalogLocator, schemaLocator, tableLocator, relationIdProperty, relationTypeProperty];

export const description = updateDisplayOptions({ show: { resource: ['metadata'], operation: ['updateRelation'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const source = getTableTarget(this, itemIndex, 'table');
	const relationId = getRequiredText(this, 'relationId', 'Relation ID', 'Enter the ID of the relation, as Get Relations lists it.', itemIndex);
	return await singleItem(this, itemIndex, {
		method: 'PUT',
		path: metadataPath(source.projectId, 'relations', source.catalogId, source.schemaName as string, source.tableName as string, relationId),
		body: { type: this.getNodeParameter('relationType', itemIndex) as string },
		idempotent: true,
		describeFailure: describeMetadataFailure(
			`Relation '${relationId}' of table '${source.schemaName}.${source.tableName}'`,
			'List the relations of the catalog with Get Relations and copy the ID.',
		),
	});
}
