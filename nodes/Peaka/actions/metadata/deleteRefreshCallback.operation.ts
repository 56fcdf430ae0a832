import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { projectLocator } from '../common.descriptions';
import { getProjectId } from '../parameters';
import { metadataPath, singleItem } from './metadata';

const properties: INodeProperties[] = [projectLocator];

export const description = updateDisplayOptions({ show: { resource: ['metadata'], operation: ['deleteRefreshCallback'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	return await singleItem(this, itemIndex, { method: 'DELETE', path: metadataPath(projectId, 'refresh', 'callback') }, { deleted: true });
}
