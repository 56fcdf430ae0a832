import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { catalogLocator, schemaLocator } from '../catalog.descriptions';
import { limitProperty, projectLocator, returnAllProperty } from '../common.descriptions';
import { applyReturnLimit, checkReturnLimit, unwrapList } from '../parameters';
import { describeMissing, getTableTarget, tablePath } from './catalog';

const properties: INodeProperties[] = [projectLocator, catalogLocator, schemaLocator, returnAllProperty, limitProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['catalog'], operation: ['getTables'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	checkReturnLimit(this, itemIndex);
	const target = getTableTarget(this, itemIndex, 'schema');
	const body = await peakaApiRequest.call(this, {
		method: 'GET',
		path: tablePath(target.projectId, target.catalogId, target.schemaName as string),
		describeFailure: describeMissing(target),
		itemIndex,
	});
	return applyReturnLimit(this, itemIndex, unwrapList(body) as IDataObject[]).map((table) => ({
		json: table,
		pairedItem: { item: itemIndex },
	}));
}
