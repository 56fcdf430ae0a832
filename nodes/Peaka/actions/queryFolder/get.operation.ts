import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { queryFolderLocator } from '../account.descriptions';
import { asObject, queryFolderPath } from '../account-requests';
import { projectLocator } from '../common.descriptions';
import { getLocatorValue, getProjectId } from '../parameters';
import { describeFolderFailure } from './folder';

const properties: INodeProperties[] = [projectLocator, queryFolderLocator];

export const description = updateDisplayOptions(
	{ show: { resource: ['queryFolder'], operation: ['get'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const folderId = getLocatorValue(this, 'folder', 'Folder', itemIndex);

	const folder = await peakaApiRequest.call(this, {
		method: 'GET',
		path: queryFolderPath(projectId, folderId),
		describeFailure: describeFolderFailure(projectId, folderId, ''),
		itemIndex,
	});

	return [{ json: asObject(folder), pairedItem: { item: itemIndex } }];
}
