import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { limitProperty, projectLocator, returnAllProperty } from '../common.descriptions';
import { applyReturnLimit, checkReturnLimit, getProjectId } from '../parameters';
import { listOf, metadataPath, toItems } from './metadata';

const properties: INodeProperties[] = [projectLocator, returnAllProperty, limitProperty];

export const description = updateDisplayOptions({ show: { resource: ['metadata'], operation: ['getGoldenSqls'] } }, properties);

/** Flattens Peaka's { id, content, metadata: { sql, prompt } } entry into one item. */
export function goldenSqlItem(entry: IDataObject): IDataObject {
	const metadata = (entry.metadata as IDataObject | undefined) ?? {};
	return { id: entry.id, question: metadata.prompt ?? entry.content, sql: metadata.sql, projectId: metadata.projectId };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	checkReturnLimit(this, itemIndex);
	const projectId = getProjectId(this, itemIndex);
	const body = await peakaApiRequest.call(this, { method: 'GET', path: metadataPath(projectId, 'golden-sqls'), itemIndex });
	return toItems(applyReturnLimit(this, itemIndex, listOf(body, 'result').map(goldenSqlItem)), itemIndex);
}
