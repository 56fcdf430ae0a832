import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator } from '../common.descriptions';
import { getLocatorValue, getProjectId } from '../parameters';
import { describeMissingMaterialized, materializedPath, materializedQueryLocator } from './materialized';

const properties: INodeProperties[] = [projectLocator, materializedQueryLocator];

export const description = updateDisplayOptions(
	{ show: { resource: ['materializedQuery'], operation: ['cancel'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const queryId = getLocatorValue(this, 'materializedQuery', 'Materialized Query', itemIndex);
	// Peaka accepts a cancel with nothing running (200), so the output does not tell whether a run stopped.
	await peakaApiRequest.call(this, {
		method: 'POST',
		path: `${materializedPath(projectId, queryId)}/cancel`,
		describeFailure: describeMissingMaterialized(projectId, queryId),
		itemIndex,
	});
	return [{ json: { queryId, cancelRequested: true }, pairedItem: { item: itemIndex } }];
}
