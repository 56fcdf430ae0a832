import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { organizationLocator } from '../account.descriptions';
import { describePartnerOnly, getOrganizationId, workspacePath } from '../account-requests';
import { limitProperty, returnAllProperty } from '../common.descriptions';
import { applyReturnLimit, checkReturnLimit, unwrapList } from '../parameters';

const properties: INodeProperties[] = [organizationLocator, returnAllProperty, limitProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['workspace'], operation: ['getMany'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	checkReturnLimit(this, itemIndex);
	const organizationId = getOrganizationId(this, itemIndex);

	const body = await peakaApiRequest.call(this, {
		method: 'GET',
		path: workspacePath(organizationId),
		describeFailure: describePartnerOnly('Listing workspaces'),
		itemIndex,
	});

	return applyReturnLimit(this, itemIndex, unwrapList(body) as IDataObject[]).map((workspace) => ({
		json: workspace,
		pairedItem: { item: itemIndex },
	}));
}
