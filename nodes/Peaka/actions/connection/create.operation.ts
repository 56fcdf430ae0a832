import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { asItem } from '../catalog/catalog';
import { projectLocator } from '../common.descriptions';
import { getLocatorValue, getProjectId, getRequiredText } from '../parameters';
import {
	checkCredential,
	connectionsPath,
	describeCredentialRejection,
	fetchConnectionConfiguration,
	parseCredential,
} from './connection';
import { connectionTypeLocator } from './connection.descriptions';

export const credentialProperty: INodeProperties = {
	displayName: 'Credential (JSON)',
	name: 'credential',
	type: 'json',
	default: '{}',
	required: true,
	description:
		"The connector's credential fields as a JSON object, e.g. {\"token\": \"sk_live_...\"} for Stripe. Get Type Configuration lists the fields; the node checks them before sending. Use an expression to read secrets from n8n instead of typing them here.",
};

export const connectionCallbackOption: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Connection Callback URL',
			name: 'connectionCallback',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/peaka/connected',
			description:
				"For OAuth2 connectors: where Peaka sends the browser after the provider's consent page, with ?connectionId=…&status=success or fail. Open the consent URL the output returns to start the authorization.",
		},
	],
};

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Sales Postgres',
		description: 'The name of the connection in Peaka',
	},
	connectionTypeLocator,
	credentialProperty,
	connectionCallbackOption,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['connection'], operation: ['create'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const name = getRequiredText(this, 'name', 'Name', 'Give the connection a name, e.g. Sales Postgres.', itemIndex);
	const connectionType = getLocatorValue(this, 'connectionType', 'Connection Type', itemIndex);
	const credential = parseCredential(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as { connectionCallback?: string };

	// Checked against the connector's own field list before anything is written.
	const configuration = await fetchConnectionConfiguration(this, connectionType, itemIndex);
	checkCredential(this, configuration, credential, itemIndex);

	const body: IDataObject = { name, type: configuration.connectionType, credential };
	const connectionCallback = options.connectionCallback?.trim();
	if (connectionCallback) body.connectionCallback = connectionCallback;

	const created = await peakaApiRequest.call(this, {
		method: 'POST',
		path: connectionsPath(projectId),
		body,
		describeFailure: describeCredentialRejection(configuration.connectionType),
		itemIndex,
	});
	const connection = asItem(created);
	if (typeof connection.url === 'string' && connection.url !== '') {
		this.addExecutionHints({
			message: `Connection '${name}' waits for OAuth2 consent: open its url in a browser to authorize it`,
			location: 'outputPane',
		});
	}
	// Live Peaka returned only the id and type, so the name comes from the request. The
	// credential is never copied into the item.
	return [{ json: { name, ...connection }, pairedItem: { item: itemIndex } }];
}
