import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { queryFolderLocator } from '../account.descriptions';
import { asObject, queryFolderPath } from '../account-requests';
import { projectLocator } from '../common.descriptions';
import { getLocatorValue, getProjectId } from '../parameters';
import { describeFolderFailure } from './folder';

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'Folder Name',
		name: 'folderName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Reports',
		description: 'The name of the new folder, without /',
	},
	{
		displayName: 'Location',
		name: 'location',
		type: 'options',
		options: [
			{ name: 'Project Root', value: 'root' },
			{ name: 'Inside a Folder', value: 'folder' },
		],
		default: 'root',
		description: 'Where to create the folder',
	},
	{
		...queryFolderLocator,
		displayName: 'Parent Folder',
		description: 'The folder to create the new folder in',
		displayOptions: { show: { location: ['folder'] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['queryFolder'], operation: ['create'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const folderName = String(this.getNodeParameter('folderName', itemIndex) ?? '').trim();
	const location = this.getNodeParameter('location', itemIndex, 'root') as string;
	if (folderName === '' || folderName.includes('/')) {
		throw new NodeOperationError(this.getNode(), `'Folder Name' value '${folderName}' is not a folder name`, {
			description: 'Enter a non-empty name without /, e.g. Reports. To create nested folders, create each one inside its parent.',
			itemIndex,
		});
	}
	const parentFolderId = location === 'folder' ? getLocatorValue(this, 'folder', 'Parent Folder', itemIndex) : undefined;

	const folder = await peakaApiRequest.call(this, {
		method: 'POST',
		path: queryFolderPath(projectId, parentFolderId),
		body: { folderName },
		describeFailure: describeFolderFailure(
			projectId,
			parentFolderId ?? '/',
			`A folder named '${folderName}' probably exists there already: pick another name, or use the existing folder.`,
		),
		itemIndex,
	});

	return [{ json: asObject(folder), pairedItem: { item: itemIndex } }];
}
