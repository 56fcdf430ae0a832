import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator } from '../common.descriptions';
import { getProjectId, getRequiredText } from '../parameters';
import { asItem, catalogsPath } from './catalog';

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. salesDb',
		description: 'The catalog name. Peaka derives the SQL name from it in lower case, e.g. "salesdb"."public"."orders".',
	},
	{
		displayName: 'Connection ID',
		name: 'connectionId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 8db17e23-29de-4dab-8886-af9717e0e742',
		description: 'The ID of an existing Peaka connection the catalog reads through',
	},
	{
		displayName: 'Extra Parameters (JSON)',
		name: 'extraParameters',
		type: 'json',
		default: '{}',
		description:
			'Connector-specific settings as a JSON object, such as the list of sheets for Google Sheets. Leave {} when the connector needs none.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['catalog'], operation: ['create'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const name = getRequiredText(this, 'name', 'Name', 'Give the catalog a name, e.g. salesDb.', itemIndex);
	const connectionId = getRequiredText(
		this,
		'connectionId',
		'Connection ID',
		'Enter the ID of an existing connection; create the connection in Peaka first.',
		itemIndex,
	);
	const extraParameters = parseExtraParameters(this, itemIndex);

	const body: IDataObject = { name, connectionId };
	if (Object.keys(extraParameters).length > 0) body.extraParameters = extraParameters;

	const created = await peakaApiRequest.call(this, {
		method: 'POST',
		path: catalogsPath(projectId),
		body,
		describeFailure: (failure) => {
			if (failure.status === 400 && failure.errorName === 'INVALID_CONNECTION_ID') {
				return {
					message: `Connection '${connectionId}' was not found in project '${projectId}'`,
					description: `Check the Connection ID, or create the connection in Peaka first. Peaka's message: ${failure.peakaMessage}`,
				};
			}
			if (failure.status >= 500) {
				return {
					message: `Creating catalog '${name}' failed with HTTP ${failure.status}`,
					description:
						'Live Peaka rejected every catalog creation in some projects with a 500, which points to a restriction of the project rather than of this request. List the catalogs before trying again, in case the catalog was created.',
				};
			}
			return undefined;
		},
		itemIndex,
	});

	return [{ json: asItem(created), pairedItem: { item: itemIndex } }];
}

function parseExtraParameters(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const raw = context.getNodeParameter('extraParameters', itemIndex, '{}') as unknown;
	let value: unknown = raw;
	if (typeof raw === 'string') {
		if (raw.trim() === '') return {};
		try {
			value = JSON.parse(raw);
		} catch (error) {
			throw new NodeOperationError(context.getNode(), "'Extra Parameters (JSON)' is not valid JSON", {
				description: `Enter a JSON object such as {"sheets": []}. Parser message: ${(error as Error).message}`,
				itemIndex,
			});
		}
	}
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		throw new NodeOperationError(context.getNode(), "'Extra Parameters (JSON)' is not a JSON object", {
			description: `Enter an object in braces, e.g. {"sheets": []}, not ${JSON.stringify(value)}.`,
			itemIndex,
		});
	}
	return value as IDataObject;
}
