import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { limitProperty, projectLocator, returnAllProperty } from '../common.descriptions';
import { applyReturnLimit, checkReturnLimit, getProjectId, unwrapList } from '../parameters';
import { getTableKind, internalTablesPath, tableKindProperty } from './table';

const properties: INodeProperties[] = [projectLocator, tableKindProperty, returnAllProperty, limitProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['internalTable'], operation: ['getMany'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	checkReturnLimit(this, itemIndex);
	const projectId = getProjectId(this, itemIndex);
	const kind = getTableKind(this, itemIndex);
	const body = await peakaApiRequest.call(this, { method: 'GET', path: internalTablesPath(projectId, kind), itemIndex });
	const tables = applyReturnLimit(this, itemIndex, unwrapList(body) as IDataObject[]);
	return tables.map((table) => ({ json: table, pairedItem: { item: itemIndex } }));
}
