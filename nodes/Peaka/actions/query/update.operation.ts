import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator, savedQueryLocator } from '../common.descriptions';
import { asNodeError, buildSchedule, materializedUpdateOptions } from '../materializedQuery/materialized';
import { getLocatorValue, getProjectId } from '../parameters';
import { asQueryItem, describeMissingQuery, savedQueryPath } from './saved-query';

const properties: INodeProperties[] = [
	projectLocator,
	savedQueryLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Display Name',
				name: 'displayName',
				type: 'string',
				default: '',
				description: 'The new name shown in Peaka',
			},
			{
				displayName: 'SQL',
				name: 'inputQuery',
				type: 'string',
				typeOptions: { editor: 'sqlEditor', sqlDialect: 'StandardSQL' },
				default: '',
				description: 'The new query text, in Trino SQL',
			},
			...materializedUpdateOptions,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['query'], operation: ['update'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const queryId = getLocatorValue(this, 'savedQuery', 'Saved Query', itemIndex);
	const updateFields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;

	// Peaka's PUT is partial: fields left out keep their stored values.
	const body: IDataObject = {};
	if (typeof updateFields.displayName === 'string' && updateFields.displayName.trim() !== '') {
		body.displayName = updateFields.displayName.trim();
	}
	if (typeof updateFields.inputQuery === 'string' && updateFields.inputQuery.trim() !== '') {
		body.inputQuery = updateFields.inputQuery;
	}
	if (typeof updateFields.queryType === 'string') body.queryType = updateFields.queryType;
	if (typeof updateFields.inputQueryRefId === 'string' && updateFields.inputQueryRefId.trim() !== '') {
		body.inputQueryRefId = updateFields.inputQueryRefId.trim();
	}
	const scheduleFields = ['scheduleType', 'repeatDuration', 'cronExpression', 'timezone'];
	if (scheduleFields.some((name) => updateFields[name] !== undefined)) {
		// Checked before sending; the schedule type decides which of the other fields apply.
		try {
			body.schedule = buildSchedule({ scheduleType: 'interval', ...updateFields });
		} catch (error) {
			throw asNodeError(this, error, itemIndex);
		}
	}
	if (Object.keys(body).length === 0) {
		throw new NodeOperationError(this.getNode(), "'Update Fields' has nothing to change", {
			description: 'Add Display Name or SQL with a non-empty value, or a Query Type or refresh schedule field.',
			itemIndex,
		});
	}

	const updated = await peakaApiRequest.call(this, {
		method: 'PUT',
		path: savedQueryPath(projectId, queryId),
		body,
		idempotent: true,
		describeFailure: describeMissingQuery(projectId, queryId),
		itemIndex,
	});

	return [{ json: asQueryItem(updated), pairedItem: { item: itemIndex } }];
}
