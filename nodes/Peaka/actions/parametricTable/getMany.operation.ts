import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { catalogLocator } from '../catalog.descriptions';
import { limitProperty, projectLocator, returnAllProperty } from '../common.descriptions';
import { applyReturnLimit, checkReturnLimit, unwrapList } from '../parameters';
import { describeMissingCatalog, getParametricTarget, parametricTablesPath } from './parametricTable';

const properties: INodeProperties[] = [projectLocator, catalogLocator, returnAllProperty, limitProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['parametricTable'], operation: ['getMany'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	checkReturnLimit(this, itemIndex);
	const target = getParametricTarget(this, itemIndex);
	const body = await peakaApiRequest.call(this, {
		method: 'GET',
		path: parametricTablesPath(target.projectId, target.catalogId),
		describeFailure: describeMissingCatalog(target),
		itemIndex,
	});
	const tables = unwrapList(body) as IDataObject[];
	return applyReturnLimit(this, itemIndex, tables).map((table) => ({ json: table, pairedItem: { item: itemIndex } }));
}
