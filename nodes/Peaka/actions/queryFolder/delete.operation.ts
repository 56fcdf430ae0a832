import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { queryFolderLocator } from '../account.descriptions';
import { queryFolderPath } from '../account-requests';
import { projectLocator } from '../common.descriptions';
import { getLocatorValue, getProjectId } from '../parameters';
import { describeFolderFailure } from './folder';

const properties: INodeProperties[] = [
	projectLocator,
	queryFolderLocator,
	{
		displayName: 'Force',
		name: 'force',
		type: 'boolean',
		default: false,
		description:
			'Whether to delete a folder that is not empty, together with all its sub-folders and every saved query inside them. Off, Peaka deletes only an empty folder and refuses (409) otherwise.',
	},
	{
		displayName: 'Force deletes the saved queries inside the folder and its sub-folders for good',
		name: 'forceNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { force: [true] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['queryFolder'], operation: ['delete'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const folderId = getLocatorValue(this, 'folder', 'Folder', itemIndex);
	const force = this.getNodeParameter('force', itemIndex, false) as boolean;

	await peakaApiRequest.call(this, {
		method: 'DELETE',
		path: queryFolderPath(projectId, folderId),
		qs: force ? { force: true } : undefined,
		describeFailure: describeFolderFailure(
			projectId,
			folderId,
			'The folder still holds sub-folders or saved queries. Move them out first (Add or Remove Queries, Move), or turn on Force to delete them with it.',
		),
		itemIndex,
	});

	return [{ json: { id: folderId, deleted: true }, pairedItem: { item: itemIndex } }];
}
