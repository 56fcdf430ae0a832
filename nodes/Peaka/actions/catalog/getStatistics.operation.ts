import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { catalogLocator, schemaLocator, tableLocator } from '../catalog.descriptions';
import { projectLocator } from '../common.descriptions';
import { asItem, describeMissing, getTableTarget, tablePath } from './catalog';

const properties: INodeProperties[] = [
	projectLocator,
	catalogLocator,
	schemaLocator,
	{
		...tableLocator,
		description:
			'A table of the schema above. Live Peaka computed statistics for Postgres tables and rejected Stripe, HubSpot, MongoDB and Google Ads tables.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['catalog'], operation: ['getStatistics'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getTableTarget(this, itemIndex, 'table');
	const describeMissingTable = describeMissing(target);
	const statistics = await peakaApiRequest.call(this, {
		method: 'GET',
		path: `${tablePath(target.projectId, target.catalogId, target.schemaName as string, target.tableName)}/statistics`,
		describeFailure: (failure) => {
			const unsupported = /catalog type: *(\S+) is not being supported/i.exec(failure.peakaMessage);
			if (failure.status === 400 && unsupported) {
				return {
					message: `Peaka does not compute statistics for tables of '${unsupported[1]}' catalogs`,
					description: `Table statistics work for database catalogs such as Postgres. Peaka's message: ${failure.peakaMessage}`,
				};
			}
			return describeMissingTable(failure);
		},
		itemIndex,
	});
	return [{ json: asItem(statistics), pairedItem: { item: itemIndex } }];
}
