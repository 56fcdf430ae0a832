import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { asObject } from '../account-requests';
import { projectLocator } from '../common.descriptions';
import { checkWholeNumber, getProjectId } from '../parameters';

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Session Mode',
				name: 'sessionMode',
				type: 'options',
				options: [
					{ name: 'Connector Modal Only', value: 'CONNECTOR_MODAL_ONLY', description: 'Only the dialog that connects a data source' },
					{ name: 'Full Studio', value: 'FULL_STUDIO', description: 'The whole Peaka Studio' },
				],
				default: 'FULL_STUDIO',
			},
			{
				displayName: 'Theme',
				name: 'theme',
				type: 'string',
				default: '',
				placeholder: 'e.g. dark',
				description: 'The theme of the embedded UI',
			},
			{
				displayName: 'Theme Override',
				name: 'themeOverride',
				type: 'boolean',
				default: false,
				description: "Whether the theme replaces the project's default theme",
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeoutInSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 300,
				description: 'How long the session lasts, in seconds',
			},
		],
	},
	{
		displayName:
			'The session URL works once, in a browser. Embedding needs "Embedded UI" on and your HTTPS domain registered in Peaka\'s Developer Settings.',
		name: 'sessionNotice',
		type: 'notice',
		default: '',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['embedded'], operation: ['createSession'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const body: IDataObject = { projectId };
	for (const field of ['sessionMode', 'theme', 'themeOverride', 'timeoutInSeconds']) {
		if (options[field] !== undefined && options[field] !== '') body[field] = options[field];
	}
	if (body.timeoutInSeconds !== undefined) {
		const seconds = typeof body.timeoutInSeconds === 'number' ? Math.round(body.timeoutInSeconds) : body.timeoutInSeconds;
		body.timeoutInSeconds = checkWholeNumber(this, seconds, 'Timeout (Seconds)', 1, itemIndex);
	}
	// Each call opens a new session, so a failed request is not sent again. The one-time URL
	// opens a session without any other check, so errors never quote the response.
	const session = await peakaApiRequest.call(this, {
		method: 'POST',
		path: '/ui/initSession',
		body,
		idempotent: false,
		secretInResponse: true,
		itemIndex,
	});

	return [{ json: asObject(session), pairedItem: { item: itemIndex } }];
}
