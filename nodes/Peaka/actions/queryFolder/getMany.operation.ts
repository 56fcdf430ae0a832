import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { queryFolderPath } from '../account-requests';
import { limitProperty, projectLocator, returnAllProperty } from '../common.descriptions';
import { applyReturnLimit, checkReturnLimit, getProjectId, unwrapList } from '../parameters';

const properties: INodeProperties[] = [projectLocator, returnAllProperty, limitProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['queryFolder'], operation: ['getMany'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	checkReturnLimit(this, itemIndex);
	const projectId = getProjectId(this, itemIndex);

	// Peaka returns every folder, nested ones included, in one `items` list.
	const body = await peakaApiRequest.call(this, { method: 'GET', path: queryFolderPath(projectId), itemIndex });

	return applyReturnLimit(this, itemIndex, unwrapList(body) as IDataObject[]).map((folder) => ({
		json: folder,
		pairedItem: { item: itemIndex },
	}));
}
