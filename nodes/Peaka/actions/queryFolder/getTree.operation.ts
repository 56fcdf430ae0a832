import {
	type IDataObject,
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

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'Include Queries',
		name: 'includeQueries',
		type: 'boolean',
		default: false,
		description: 'Whether to list the saved queries of each folder in its queries field',
	},
	{
		displayName: 'Start From a Folder',
		name: 'fromFolder',
		type: 'boolean',
		default: false,
		description: 'Whether to return only the branch below one folder instead of the whole tree',
	},
	{ ...queryFolderLocator, displayOptions: { show: { fromFolder: [true] } } },
];

export const description = updateDisplayOptions(
	{ show: { resource: ['queryFolder'], operation: ['getTree'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const includeQueries = this.getNodeParameter('includeQueries', itemIndex, false) as boolean;
	const fromFolder = this.getNodeParameter('fromFolder', itemIndex, false) as boolean;
	const qs: IDataObject = { includeQueries };
	let rootFolderId = '';
	if (fromFolder) {
		rootFolderId = getLocatorValue(this, 'folder', 'Folder', itemIndex);
		qs.rootFolderId = rootFolderId;
	}

	const body = asObject(
		await peakaApiRequest.call(this, {
			method: 'GET',
			path: `${queryFolderPath(projectId)}/tree`,
			qs,
			describeFailure: fromFolder ? describeFolderFailure(projectId, rootFolderId, '') : undefined,
			itemIndex,
		}),
	);

	// One item per top-level folder, each holding its branch in `children`.
	const roots = Array.isArray(body.tree) ? (body.tree as IDataObject[]) : [];
	return roots.map((folder) => ({ json: folder, pairedItem: { item: itemIndex } }));
}
