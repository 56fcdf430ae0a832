import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { normalizeStatus } from '../../helpers/wait';
import { peakaApiRequest } from '../../transport';
import { catalogLocator } from '../catalog.descriptions';
import { describeMissing, getTableTarget } from '../catalog/catalog';
import { projectLocator } from '../common.descriptions';
import { metadataPath } from './metadata';

const properties: INodeProperties[] = [projectLocator, catalogLocator];

export const description = updateDisplayOptions({ show: { resource: ['metadata'], operation: ['getRefreshStatus'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getTableTarget(this, itemIndex, 'catalog');
	const body = (await peakaApiRequest.call(this, {
		method: 'GET',
		path: metadataPath(target.projectId, 'refresh', target.catalogId),
		describeFailure: describeMissing(target),
		itemIndex,
	})) as IDataObject | undefined;
	// The spec's enum is upper case (NOT_ACTIVE), but live Peaka sent lower-kebab (not-active).
	// `status` is normalized so that workflows compare one spelling, and `rawStatus` keeps Peaka's.
	return [
		{
			json: { catalogId: target.catalogId, status: normalizeStatus(body?.status), rawStatus: (body?.status as string | undefined) ?? null },
			pairedItem: { item: itemIndex },
		},
	];
}
