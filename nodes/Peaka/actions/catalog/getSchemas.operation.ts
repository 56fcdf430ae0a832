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
import { catalogsPath, describeMissing, getTableTarget } from './catalog';

const properties: INodeProperties[] = [projectLocator, catalogLocator, returnAllProperty, limitProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['catalog'], operation: ['getSchemas'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	checkReturnLimit(this, itemIndex);
	const target = getTableTarget(this, itemIndex, 'catalog');
	const body = await peakaApiRequest.call(this, {
		method: 'GET',
		path: `${catalogsPath(target.projectId, target.catalogId)}/schemas`,
		describeFailure: describeMissing(target),
		itemIndex,
	});
	return applyReturnLimit(this, itemIndex, unwrapList(body) as IDataObject[]).map((schema) => ({
		json: schema,
		pairedItem: { item: itemIndex },
	}));
}
