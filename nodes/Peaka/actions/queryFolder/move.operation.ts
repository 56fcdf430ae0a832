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
		displayName: 'New Path',
		name: 'path',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. /Archive/Reports',
		description:
			"The folder's new full path, ending with its own name: /Archive/Reports puts the folder Reports inside Archive. Its sub-folders and saved queries move with it.",
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['queryFolder'], operation: ['move'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const folderId = getLocatorValue(this, 'folder', 'Folder', itemIndex);
	const path = String(this.getNodeParameter('path', itemIndex) ?? '').trim();
	if (!/^(\/[^/]+)+$/.test(path)) {
		throw new NodeOperationError(this.getNode(), `'New Path' value '${path}' is not a folder path`, {
			description: 'Start with / and end with the folder\'s name, separating folders with single slashes, e.g. /Archive/Reports.',
			itemIndex,
		});
	}

	const folder = await peakaApiRequest.call(this, {
		method: 'PATCH',
		path: `${queryFolderPath(projectId, folderId)}/path`,
		body: { path },
		idempotent: true,
		describeFailure: describeFolderFailure(
			projectId,
			folderId,
			`Either a folder exists at ${path} already, or the path lies inside the folder itself.`,
		),
		itemIndex,
	});

	return [{ json: asObject(folder), pairedItem: { item: itemIndex } }];
}
