import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { catalogLocator, schemaLocator, tableLocator } from '../catalog.descriptions';
import { describeMissing, getTableTarget, tablePath } from '../catalog/catalog';
import { projectLocator } from '../common.descriptions';
import { fileProperties, runExport } from './export';

const properties: INodeProperties[] = [projectLocator, catalogLocator, schemaLocator, tableLocator];

export const description: INodeProperties[] = [
	...updateDisplayOptions({ show: { resource: ['export'], operation: ['exportTable'] } }, properties),
	...fileProperties('exportTable'),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getTableTarget(this, itemIndex, 'table');
	const schemaName = target.schemaName as string;
	const tableName = target.tableName as string;
	return await runExport(
		this,
		itemIndex,
		target.projectId,
		`${tablePath(target.projectId, target.catalogId, schemaName, tableName)}/exports`,
		`table '${schemaName}.${tableName}' of catalog '${target.catalogId}'`,
		describeMissing(target),
	);
}
