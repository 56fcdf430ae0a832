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
import {
	asNodeError,
	buildSchedule,
	materializedCreateProperties,
	readScheduleFields,
} from '../materializedQuery/materialized';
import { getLocatorValue, getProjectId } from '../parameters';
import { asQueryItem, savedQueryPath } from './saved-query';

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'Display Name',
		name: 'displayName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Delayed Departures',
		description:
			'The name shown in Peaka. Peaka derives the SQL name from it, readable as "peaka"."query"."&lt;name&gt;".',
	},
	{
		displayName: 'SQL',
		name: 'inputQuery',
		type: 'string',
		typeOptions: { editor: 'sqlEditor', sqlDialect: 'StandardSQL' },
		default: '',
		required: true,
		placeholder: 'e.g. SELECT origin, count(*) AS flights FROM "datasets"."public"."flights" GROUP BY origin',
		description: 'The query to save, in Trino SQL',
		displayOptions: { hide: { materializeFrom: ['existingQuery'] } },
	},
	...materializedCreateProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['query'], operation: ['create'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const displayName = String(this.getNodeParameter('displayName', itemIndex) ?? '').trim();
	const queryType = this.getNodeParameter('queryType', itemIndex, 'PLAIN') as string;
	const fromExistingQuery =
		queryType === 'MATERIALIZED' && this.getNodeParameter('materializeFrom', itemIndex, 'sql') === 'existingQuery';
	const inputQuery = fromExistingQuery ? '' : String(this.getNodeParameter('inputQuery', itemIndex) ?? '');
	if (displayName === '') {
		throw new NodeOperationError(this.getNode(), "The 'Display Name' parameter is empty", {
			description: 'Give the saved query a name, e.g. Delayed Departures.',
			itemIndex,
		});
	}
	if (!fromExistingQuery && inputQuery.trim() === '') {
		throw new NodeOperationError(this.getNode(), "The 'SQL' parameter is empty", {
			description: 'Enter the query to save, e.g. SELECT 1.',
			itemIndex,
		});
	}

	const body: IDataObject = { displayName, inputQuery, queryType: 'PLAIN' };
	if (queryType === 'MATERIALIZED') {
		// Checked before sending: Peaka accepted malformed schedules elsewhere and never ran them.
		try {
			body.schedule = buildSchedule(readScheduleFields(this, itemIndex));
		} catch (error) {
			throw asNodeError(this, error, itemIndex);
		}
		body.queryType = 'MATERIALIZED';
		if (fromExistingQuery) {
			delete body.inputQuery;
			body.inputQueryRefId = getLocatorValue(this, 'sourceQuery', 'Source Query', itemIndex);
		}
	}

	const created = await peakaApiRequest.call(this, {
		method: 'POST',
		path: savedQueryPath(projectId),
		body,
		expectBody: true,
		itemIndex,
	});

	return [{ json: asQueryItem(created), pairedItem: { item: itemIndex } }];
}
