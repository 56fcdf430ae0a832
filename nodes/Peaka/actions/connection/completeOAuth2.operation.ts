import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { asItem } from '../catalog/catalog';
import { projectLocator } from '../common.descriptions';
import { getProjectId, getRequiredText } from '../parameters';
import { connectionsPath } from './connection';

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'Query String',
		name: 'queryParameters',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. code=1234&state=xyz',
		description:
			'The query string the OAuth2 provider sent to your own redirect URL, e.g. as received by a Webhook node. A whole URL is accepted; the part before ? is dropped.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['connection'], operation: ['completeOAuth2'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const raw = getRequiredText(
		this,
		'queryParameters',
		'Query String',
		'Pass the query string your redirect URL received, e.g. code=1234&state=xyz.',
		itemIndex,
	);
	// Peaka expects the bare query string: "code=…&state=…", without the URL or the "?".
	const queryParameters = raw.includes('?') ? raw.slice(raw.indexOf('?') + 1) : raw;

	const connection = await peakaApiRequest.call(this, {
		method: 'POST',
		path: `${connectionsPath(projectId)}/oauth2`,
		body: { queryParameters },
		describeFailure: (failure) => {
			if (failure.status !== 400) return undefined;
			return {
				message: `Peaka could not complete the OAuth2 authorization in project '${projectId}'`,
				description: `The query string must come from the provider's redirect for a connection created in this project, with its code and state unchanged; a code works only once. Peaka's message: ${failure.peakaMessage || 'HTTP 400'}`,
			};
		},
		itemIndex,
	});
	return [{ json: asItem(connection), pairedItem: { item: itemIndex } }];
}
