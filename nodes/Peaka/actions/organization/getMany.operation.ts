import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { describePartnerOnly, organizationPath } from '../account-requests';
import { limitProperty, returnAllProperty } from '../common.descriptions';
import { applyReturnLimit, checkReturnLimit, unwrapList } from '../parameters';

const properties: INodeProperties[] = [returnAllProperty, limitProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['organization'], operation: ['getMany'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	checkReturnLimit(this, itemIndex);
	const body = await peakaApiRequest.call(this, {
		method: 'GET',
		path: organizationPath(),
		describeFailure: describePartnerOnly('Listing organizations'),
		itemIndex,
	});

	return applyReturnLimit(this, itemIndex, unwrapList(body) as IDataObject[]).map((organization) => ({
		json: organization,
		pairedItem: { item: itemIndex },
	}));
}
