import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
	NodeOperationError,
} from 'n8n-workflow';

import { InvalidParameterError } from '../../helpers/execute-request';
import { checkCron, checkDuration, checkTimeZone } from '../../helpers/schedule';
import type { FailureDescriber } from '../../transport/errors';
import { searchableLocator } from '../common.descriptions';

export const materializedQueryLocator = searchableLocator({
	displayName: 'Materialized Query',
	name: 'materializedQuery',
	description: 'A saved query of type MATERIALIZED',
	searchListMethod: 'searchMaterializedQueries',
	manual: {
		placeholder: 'e.g. 709922802836177297',
		regex: '^\\d+$',
		errorMessage: 'A query ID is a number, e.g. 709922802836177297',
	},
});

export function materializedPath(projectId: string, queryId?: string): string {
	const base = `/data/projects/${encodeURIComponent(projectId)}/materialized-queries`;
	return queryId === undefined ? `${base}/status` : `${base}/${encodeURIComponent(queryId)}`;
}

/**
 * Rewords a missing materialized query as "not found". The spec documents no error here; live
 * Peaka returned 400 "There is no query with id" for deleted queries.
 */
export function describeMissingMaterialized(projectId: string, queryId: string): FailureDescriber {
	return (failure) => {
		const missing = failure.status === 404 || (failure.status === 400 && /there is no query/i.test(failure.peakaMessage));
		if (missing) {
			return {
				message: `Materialized query '${queryId}' was not found in project '${projectId}'`,
				description: `Pick the query from the list, or check that it was not deleted. Peaka's message: ${failure.peakaMessage || `HTTP ${failure.status}`}`,
			};
		}
		if (failure.status === 400 && /not a materialized/i.test(failure.peakaMessage)) {
			return {
				message: `Saved query '${queryId}' is not a materialized query`,
				description: `Set its Query Type to Materialized with Query → Update first. Peaka's message: ${failure.peakaMessage}`,
			};
		}
		return undefined;
	};
}

// ---------------------------------------------------------------------------------------------
// Query Type and refresh schedule of saved queries (Query → Create and Query → Update)

const MATERIALIZED = { queryType: ['MATERIALIZED'] };

/** Parameters that Query → Create adds for a MATERIALIZED query. */
export const materializedCreateProperties: INodeProperties[] = [
	{
		displayName: 'Query Type',
		name: 'queryType',
		type: 'options',
		options: [
			{ name: 'Plain', value: 'PLAIN', description: 'Stored SQL that runs each time it is read' },
			{
				name: 'Materialized',
				value: 'MATERIALIZED',
				description: 'Stored SQL whose result Peaka keeps as a table and refreshes on a schedule',
			},
		],
		default: 'PLAIN',
	},
	{
		displayName: 'Materialize From',
		name: 'materializeFrom',
		type: 'options',
		options: [
			{ name: 'SQL', value: 'sql' },
			{
				name: 'Existing Query',
				value: 'existingQuery',
				description: "A copy of another saved query's SQL, taken now; later edits to it do not carry over",
			},
		],
		default: 'sql',
		displayOptions: { show: MATERIALIZED },
	},
	{
		...searchableLocator({
			displayName: 'Source Query',
			name: 'sourceQuery',
			description: 'The saved query whose SQL to materialize',
			searchListMethod: 'searchSavedQueries',
			manual: {
				placeholder: 'e.g. 709922802836177297',
				regex: '^\\d+$',
				errorMessage: 'A query ID is a number, e.g. 709922802836177297',
			},
		}),
		displayOptions: { show: { ...MATERIALIZED, materializeFrom: ['existingQuery'] } },
	},
	...scheduleProperties({ show: MATERIALIZED }),
];

function scheduleProperties(displayOptions: INodeProperties['displayOptions']): INodeProperties[] {
	const show = displayOptions?.show ?? {};
	return [
		{
			displayName: 'Refresh Schedule',
			name: 'scheduleType',
			type: 'options',
			options: [
				{ name: 'None', value: 'none', description: 'Refresh only when asked (Materialized Query → Refresh)' },
				{ name: 'Interval', value: 'interval', description: 'Refresh every given duration' },
				{ name: 'Cron', value: 'cron', description: 'Refresh on a five-field cron schedule in a time zone' },
			],
			default: 'none',
			displayOptions,
		},
		{
			displayName: 'Refresh Interval',
			name: 'repeatDuration',
			type: 'string',
			default: 'PT6H',
			required: true,
			placeholder: 'e.g. PT6H',
			description: 'An ISO-8601 duration between refreshes: PT6H (every 6 hours), PT12H, P1D (daily)',
			displayOptions: { show: { ...show, scheduleType: ['interval'] } },
		},
		{
			displayName: 'Cron Expression',
			name: 'cronExpression',
			type: 'string',
			default: '0 0 * * *',
			required: true,
			placeholder: 'e.g. 0 2 * * *',
			description: 'Five fields: minute hour day-of-month month day-of-week. Peaka takes no seconds field.',
			displayOptions: { show: { ...show, scheduleType: ['cron'] } },
		},
		{
			displayName: 'Time Zone',
			name: 'timezone',
			type: 'string',
			default: 'UTC',
			placeholder: 'e.g. Europe/Istanbul',
			description: 'The IANA time zone the cron expression is read in',
			displayOptions: { show: { ...show, scheduleType: ['cron'] } },
		},
	];
}

/** Options that Query → Update adds to its Update Fields collection. */
export const materializedUpdateOptions: INodeProperties[] = [
	{
		displayName: 'Query Type',
		name: 'queryType',
		type: 'options',
		options: [
			{ name: 'Plain', value: 'PLAIN' },
			{ name: 'Materialized', value: 'MATERIALIZED' },
		],
		default: 'MATERIALIZED',
		description: 'Changing a plain query to Materialized converts it in place',
	},
	{
		displayName: 'Refresh Schedule',
		name: 'scheduleType',
		type: 'options',
		options: [
			{ name: 'None', value: 'none' },
			{ name: 'Interval', value: 'interval' },
			{ name: 'Cron', value: 'cron' },
		],
		default: 'interval',
		description: 'The refresh schedule of a materialized query; Interval uses Refresh Interval, Cron uses Cron Expression and Time Zone',
	},
	{
		displayName: 'Refresh Interval',
		name: 'repeatDuration',
		type: 'string',
		default: 'PT6H',
		placeholder: 'e.g. PT6H',
		description: 'An ISO-8601 duration between refreshes, used when Refresh Schedule is Interval',
	},
	{
		displayName: 'Cron Expression',
		name: 'cronExpression',
		type: 'string',
		default: '0 0 * * *',
		placeholder: 'e.g. 0 2 * * *',
		description: 'Five fields, used when Refresh Schedule is Cron',
	},
	{
		displayName: 'Time Zone',
		name: 'timezone',
		type: 'string',
		default: 'UTC',
		placeholder: 'e.g. Europe/Istanbul',
		description: 'The IANA time zone of the cron expression',
	},
	{
		displayName: 'Re-Copy SQL From Query ID',
		name: 'inputQueryRefId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 709922802836177297',
		description: "The saved query whose current SQL replaces this query's SQL",
	},
];

/** Builds a MaterializedQuerySchedule, checked locally. Throws InvalidParameterError naming the parameter. */
export function buildSchedule(fields: IDataObject): IDataObject {
	const type = String(fields.scheduleType ?? 'none');
	if (type === 'interval') {
		return { type: 'interval', repeatDuration: checkDuration(fields.repeatDuration, 'Refresh Interval') };
	}
	if (type === 'cron') {
		return {
			type: 'cron',
			cronExpression: checkCron(fields.cronExpression, 'Cron Expression'),
			timezone: checkTimeZone(fields.timezone ?? 'UTC', 'Time Zone'),
		};
	}
	if (type === 'none') return { type: 'none' };
	throw new InvalidParameterError('Refresh Schedule', `The 'Refresh Schedule' parameter has an unknown value '${type}'`, 'Choose None, Interval or Cron.');
}

/** Reads the schedule parameters that the chosen Refresh Schedule shows. */
export function readScheduleFields(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const scheduleType = context.getNodeParameter('scheduleType', itemIndex, 'none') as string;
	const fields: IDataObject = { scheduleType };
	if (scheduleType === 'interval') fields.repeatDuration = context.getNodeParameter('repeatDuration', itemIndex, '');
	if (scheduleType === 'cron') {
		fields.cronExpression = context.getNodeParameter('cronExpression', itemIndex, '');
		fields.timezone = context.getNodeParameter('timezone', itemIndex, 'UTC');
	}
	return fields;
}

/** Converts an InvalidParameterError into the node's error for the item; other errors pass. */
export function asNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof InvalidParameterError) {
		return new NodeOperationError(context.getNode(), error.message, { description: error.description, itemIndex });
	}
	return error as Error;
}
