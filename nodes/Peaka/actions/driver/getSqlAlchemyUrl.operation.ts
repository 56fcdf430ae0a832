import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { asObject } from '../account-requests';
import { credentialApiKey, includeApiKeyProperty, maskDriverUrls } from './driver-url';

const properties: INodeProperties[] = [
	{
		displayName: 'Catalog Name',
		name: 'catalogName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. datasets',
		description: 'The SQL name of the catalog to connect to. SQLAlchemy reaches one catalog per URL.',
	},
	includeApiKeyProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['driver'], operation: ['getSqlAlchemyUrl'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const catalogName = String(this.getNodeParameter('catalogName', itemIndex) ?? '').trim();
	const includeApiKey = this.getNodeParameter('includeApiKey', itemIndex, false) as boolean;
	if (catalogName === '') {
		throw new NodeOperationError(this.getNode(), "The 'Catalog Name' parameter is empty", {
			description: 'Enter the SQL name of a catalog of the project, e.g. datasets.',
			itemIndex,
		});
	}

	const body = asObject(
		await peakaApiRequest.call(this, {
			method: 'GET',
			path: '/supportedDrivers/sql_alchemy',
			qs: { catalogName },
			secretInResponse: true,
			itemIndex,
		}),
	);

	const json = includeApiKey ? body : maskDriverUrls(body, await credentialApiKey(this));
	return [{ json, pairedItem: { item: itemIndex } }];
}
