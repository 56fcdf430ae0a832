import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { asObject } from '../account-requests';
import { credentialApiKey, includeApiKeyProperty, maskDriverUrls } from './driver-url';

const properties: INodeProperties[] = [includeApiKeyProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['driver'], operation: ['getJdbcUrl'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const includeApiKey = this.getNodeParameter('includeApiKey', itemIndex, false) as boolean;

	// The response embeds the caller's key: `{"JDBC": "jdbc:peaka://…?extraCredentials=peakaKey:<key>"}`.
	const body = asObject(
		await peakaApiRequest.call(this, {
			method: 'GET',
			path: '/supportedDrivers/jdbc',
			secretInResponse: true,
			itemIndex,
		}),
	);

	const json = includeApiKey ? body : maskDriverUrls(body, await credentialApiKey(this));
	return [{ json, pairedItem: { item: itemIndex } }];
}
