import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { projectLocator } from '../common.descriptions';
import { getProjectId, getRequiredText } from '../parameters';
import { describeMetadataFailure, metadataPath, singleItem } from './metadata';

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'Golden SQL ID',
		name: 'goldenSqlId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 7d1e9a42-3c5b-4f6e-8a0d-1b2c3d4e5f60',
		description: 'The ID of the golden SQL, as Get Golden SQLs lists it',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['metadata'], operation: ['deleteGoldenSql'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const id = getRequiredText(this, 'goldenSqlId', 'Golden SQL ID', 'Enter the ID, as Get Golden SQLs lists it.', itemIndex);
	return await singleItem(
		this,
		itemIndex,
		{
			method: 'DELETE',
			path: metadataPath(projectId, 'golden-sqls', id),
			describeFailure: describeMetadataFailure(`Golden SQL '${id}'`, 'List the golden SQLs with Get Golden SQLs and copy the ID.'),
		},
		{ id, deleted: true },
	);
}
