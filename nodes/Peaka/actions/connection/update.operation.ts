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
import { getLocatorValue, getProjectId } from '../parameters';
import {
	checkCredential,
	connectionsPath,
	describeCredentialRejection,
	describeMissingConnection,
	fetchConnectionConfiguration,
	getConnectionId,
	parseCredential,
} from './connection';
import { connectionLocator, connectionTypeLocator } from './connection.descriptions';
import { connectionCallbackOption, credentialProperty } from './create.operation';

const properties: INodeProperties[] = [
	projectLocator,
	connectionLocator,
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'e.g. Sales Postgres',
		description: 'The new name of the connection. Leave empty to keep the current name.',
	},
	{
		...connectionTypeLocator,
		description: "The connector of the connection, usually unchanged. Peaka's update takes the type with the credential.",
	},
	{
		...credentialProperty,
		description:
			'The whole credential as a JSON object. Peaka replaces the stored credential and returns none of it, so send every field again, not only the changed ones.',
	},
	connectionCallbackOption,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['connection'], operation: ['update'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const connectionId = getConnectionId(this, itemIndex);
	const connectionType = getLocatorValue(this, 'connectionType', 'Connection Type', itemIndex);
	let name = String(this.getNodeParameter('name', itemIndex, '') ?? '').trim();
	const credential = parseCredential(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as { connectionCallback?: string };

	const configuration = await fetchConnectionConfiguration(this, connectionType, itemIndex);
	checkCredential(this, configuration, credential, itemIndex);

	const describeMissing = describeMissingConnection(projectId, connectionId);
	if (name === '') {
		// The update body needs the name, so an empty Name keeps the current one.
		const current = asItem(
			await peakaApiRequest.call(this, {
				method: 'GET',
				path: connectionsPath(projectId, connectionId),
				describeFailure: describeMissing,
				itemIndex,
			}),
		);
		name = String(current.name ?? '');
	}

	const body: IDataObject = { name, type: configuration.connectionType, credential };
	const connectionCallback = options.connectionCallback?.trim();
	if (connectionCallback) body.connectionCallback = connectionCallback;

	const describeRejection = describeCredentialRejection(configuration.connectionType);
	const updated = await peakaApiRequest.call(this, {
		method: 'PUT',
		path: connectionsPath(projectId, connectionId),
		body,
		// A repeated PUT stores the same connection again.
		idempotent: true,
		describeFailure: (failure) => describeMissing(failure) ?? describeRejection(failure),
		itemIndex,
	});
	return [{ json: { id: connectionId, name, ...asItem(updated) }, pairedItem: { item: itemIndex } }];
}
