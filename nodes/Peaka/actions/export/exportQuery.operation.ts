import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { projectLocator, savedQueryLocator } from '../common.descriptions';
import { getLocatorValue, getProjectId } from '../parameters';
import { describeMissingQuery, savedQueryPath } from '../query/saved-query';
import { fileProperties, runExport } from './export';

// Peaka's export endpoint takes a saved query only: to export ad-hoc SQL, save it as a query first.
const properties: INodeProperties[] = [
	projectLocator,
	{
		...savedQueryLocator,
		description: 'The saved query whose result to export. To export other SQL, save it as a query first (Query → Create).',
	},
];

export const description: INodeProperties[] = [
	...updateDisplayOptions({ show: { resource: ['export'], operation: ['exportQuery'] } }, properties),
	...fileProperties('exportQuery'),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const queryId = getLocatorValue(this, 'savedQuery', 'Saved Query', itemIndex);
	return await runExport(
		this,
		itemIndex,
		projectId,
		`${savedQueryPath(projectId, queryId)}/exports`,
		`saved query '${queryId}'`,
		describeMissingQuery(projectId, queryId),
	);
}
