import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { organizationLocator } from '../account.descriptions';
import { asObject, describePartnerOnly, getOrganizationId, organizationPath } from '../account-requests';

const properties: INodeProperties[] = [organizationLocator];

export const description = updateDisplayOptions(
	{ show: { resource: ['organization'], operation: ['get'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const organizationId = getOrganizationId(this, itemIndex);

	const organization = await peakaApiRequest.call(this, {
		method: 'GET',
		path: organizationPath(organizationId),
		describeFailure: describePartnerOnly('Reading an organization'),
		itemIndex,
	});

	return [{ json: asObject(organization), pairedItem: { item: itemIndex } }];
}
