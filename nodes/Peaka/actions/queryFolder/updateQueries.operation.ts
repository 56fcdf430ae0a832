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
		displayName: 'Saved Queries to Add',
		name: 'queryIdsAdded',
		type: 'string',
		default: '',
		placeholder: 'e.g. 709922802836177297, 709891320440684892',
		description: 'IDs of saved queries to move into the folder, separated by commas',
	},
	{
		displayName: 'Saved Queries to Remove',
		name: 'queryIdsRemoved',
		type: 'string',
		default: '',
		placeholder: 'e.g. 709891320440684892',
		description: 'IDs of saved queries to move out of the folder to the project root, separated by commas',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['queryFolder'], operation: ['updateQueries'] } },
	properties,
);

function readQueryIds(context: IExecuteFunctions, name: string, label: string, itemIndex: number): string[] {
	const raw = context.getNodeParameter(name, itemIndex, '') as string | string[] | number;
	const ids = (Array.isArray(raw) ? raw.map(String) : String(raw ?? '').split(','))
		.map((id) => id.trim())
		.filter((id) => id !== '');
	const invalid = ids.find((id) => !/^\d+$/.test(id));
	if (invalid !== undefined) {
		throw new NodeOperationError(context.getNode(), `'${label}' contains '${invalid}', which is not a saved query ID`, {
			description: 'Enter saved query IDs (numbers such as 709922802836177297) separated by commas.',
			itemIndex,
		});
	}
	return ids;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const folderId = getLocatorValue(this, 'folder', 'Folder', itemIndex);
	const queryIdsAdded = readQueryIds(this, 'queryIdsAdded', 'Saved Queries to Add', itemIndex);
	const queryIdsRemoved = readQueryIds(this, 'queryIdsRemoved', 'Saved Queries to Remove', itemIndex);
	if (queryIdsAdded.length === 0 && queryIdsRemoved.length === 0) {
		throw new NodeOperationError(this.getNode(), 'No saved query to add or remove', {
			description: "Enter at least one saved query ID in 'Saved Queries to Add' or 'Saved Queries to Remove'.",
			itemIndex,
		});
	}

	// Peaka wants both arrays in the body, an empty one included: it rejects null.
	const folder = await peakaApiRequest.call(this, {
		method: 'PUT',
		path: queryFolderPath(projectId, folderId),
		body: { queryIdsAdded, queryIdsRemoved },
		idempotent: true,
		describeFailure: describeFolderFailure(projectId, folderId, ''),
		itemIndex,
	});

	return [{ json: asObject(folder), pairedItem: { item: itemIndex } }];
}
