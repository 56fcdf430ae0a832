import { DateTime } from 'luxon';
import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { apiKeyPath, asObject, describePartnerOnly } from '../account-requests';
import { projectLocator } from '../common.descriptions';
import { getProjectId, getRequiredText } from '../parameters';

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. reporting',
		description: 'A label for the key, shown in the project\'s API key list',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Expires At',
				name: 'expiresAt',
				type: 'dateTime',
				default: '',
				description:
					"When the key stops working. A time without an offset is read in the workflow's time zone. Without this field the key never expires.",
			},
		],
	},
	{
		displayName:
			'The new key is in the output item\'s <code>apiKey</code> field, and only there: Peaka shows it once. Store it right away, e.g. in a credential.',
		name: 'apiKeyNotice',
		type: 'notice',
		default: '',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['projectApiKey'], operation: ['create'] } },
	properties,
);

/** Turns the Expires At value into ISO-8601 with an offset, which Peaka's ApiKeyRequest expects. */
function toExpiry(context: IExecuteFunctions, value: unknown, itemIndex: number): string {
	const text = String(value).trim();
	const parsed = DateTime.fromISO(text, { zone: context.getTimezone(), setZone: true });
	if (!parsed.isValid) {
		throw new NodeOperationError(context.getNode(), `'Expires At' value '${text}' is not a date and time`, {
			description: 'Enter an ISO-8601 date and time, e.g. 2027-09-10T10:11:00Z, or remove the field for a key that never expires.',
			itemIndex,
		});
	}
	return parsed.toUTC().toISO({ suppressMilliseconds: true }) as string;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const name = getRequiredText(this, 'name', 'Name', 'Give the key a label, e.g. reporting.', itemIndex);
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;

	const body: IDataObject = { name };
	if (additionalFields.expiresAt !== undefined && String(additionalFields.expiresAt).trim() !== '') {
		body.expiresAt = toExpiry(this, additionalFields.expiresAt, itemIndex);
	}
	// The response contains the new key. It must reach the output item and nothing else, so the
	// transport keeps the body out of every error it builds.
	const created = await peakaApiRequest.call(this, {
		method: 'POST',
		path: apiKeyPath(projectId),
		body,
		secretInResponse: true,
		expectBody: true,
		describeFailure: describePartnerOnly('Creating a project API key'),
		itemIndex,
	});

	return [{ json: asObject(created), pairedItem: { item: itemIndex } }];
}
