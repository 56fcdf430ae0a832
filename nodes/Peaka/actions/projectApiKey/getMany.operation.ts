import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { apiKeyPath, describePartnerOnly } from '../account-requests';
import { limitProperty, projectLocator, returnAllProperty } from '../common.descriptions';
import { applyReturnLimit, checkReturnLimit, getProjectId, unwrapList } from '../parameters';

const properties: INodeProperties[] = [projectLocator, returnAllProperty, limitProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['projectApiKey'], operation: ['getMany'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	checkReturnLimit(this, itemIndex);
	const projectId = getProjectId(this, itemIndex);

	// Peaka lists keys with `apiKey: null`: the secret is shown only when a key is created.
	const body = await peakaApiRequest.call(this, {
		method: 'GET',
		path: apiKeyPath(projectId),
		describeFailure: describePartnerOnly('Listing project API keys'),
		itemIndex,
	});

	return applyReturnLimit(this, itemIndex, unwrapList(body) as IDataObject[]).map((apiKey) => ({
		json: apiKey,
		pairedItem: { item: itemIndex },
	}));
}
