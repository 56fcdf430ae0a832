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
	queryFolderLocator,
	{
		displayName: 'New Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Archived Reports',
		description: 'The new name, without /. The paths of its sub-folders and saved queries change with it.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['queryFolder'], operation: ['rename'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const folderId = getLocatorValue(this, 'folder', 'Folder', itemIndex);
	const name = String(this.getNodeParameter('name', itemIndex) ?? '').trim();
	if (name === '' || name.includes('/')) {
		throw new NodeOperationError(this.getNode(), `'New Name' value '${name}' is not a folder name`, {
			description: 'Enter a non-empty name without /, e.g. Archived Reports. To change where the folder sits, use Move.',
			itemIndex,
		});
	}

	const folder = await peakaApiRequest.call(this, {
		method: 'PATCH',
		path: `${queryFolderPath(projectId, folderId)}/name`,
		body: { name },
		// Renaming twice to the same name leaves the folder as the first call did.
		idempotent: true,
		describeFailure: describeFolderFailure(projectId, folderId, `Another folder at the same level is probably named '${name}' already.`),
		itemIndex,
	});

	return [{ json: asObject(folder), pairedItem: { item: itemIndex } }];
}
