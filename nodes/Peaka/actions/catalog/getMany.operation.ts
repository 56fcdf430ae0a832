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
import { catalogsPath } from './catalog';

const properties: INodeProperties[] = [projectLocator, returnAllProperty, limitProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['catalog'], operation: ['getMany'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	checkReturnLimit(this, itemIndex);
	// Peaka lists every catalog of the project in one response, the two built-in ones included.
	const body = await peakaApiRequest.call(this, { method: 'GET', path: catalogsPath(projectId), itemIndex });
	const catalogs = unwrapList(body) as IDataObject[];
	return applyReturnLimit(this, itemIndex, catalogs).map((catalog) => ({
		json: catalog,
		pairedItem: { item: itemIndex },
	}));
}
