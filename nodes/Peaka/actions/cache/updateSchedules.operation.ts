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
import { cacheLocator, cachePath, describeMissingCache, getCacheTarget, rethrowParameterError, scheduleFrom } from './cache';

type Change = 'keep' | 'set' | 'off';

function scheduleProperties(kind: 'incremental' | 'fullRefresh', label: string, example: string): INodeProperties[] {
	return [
		{
			displayName: `${label} Schedule`,
			name: `${kind}Change`,
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Keep Current', value: 'keep' },
				{ name: 'Set Interval', value: 'set' },
				{ name: 'Turn Off', value: 'off' },
			],
			default: 'keep',
		},
		{
			displayName: `${label} Interval`,
			name: `${kind}Interval`,
			type: 'string',
			default: '',
			required: true,
			placeholder: `e.g. ${example}`,
			description: 'An ISO-8601 duration: PT15M, PT1H, PT6H, P1D or P7D',
			displayOptions: { show: { [`${kind}Change`]: ['set'] } },
		},
	];
}

const properties: INodeProperties[] = [
	projectLocator,
	cacheLocator,
	...scheduleProperties('incremental', 'Incremental Sync', 'PT1H'),
	...scheduleProperties('fullRefresh', 'Full Refresh', 'P1D'),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['cache'], operation: ['updateSchedules'] } },
	properties,
);

function nextSchedule(
	context: IExecuteFunctions,
	itemIndex: number,
	kind: 'incremental' | 'fullRefresh',
	label: string,
	current: unknown,
): IDataObject {
	const change = context.getNodeParameter(`${kind}Change`, itemIndex, 'keep') as Change;
	if (change === 'off') return { type: 'NONE' };
	if (change === 'set') {
		const parameter = `${label} Interval`;
		const schedule = scheduleFrom(context.getNodeParameter(`${kind}Interval`, itemIndex, ''), parameter);
		if (!schedule) {
			throw new NodeOperationError(context.getNode(), `The '${parameter}' parameter is empty`, {
				description: "Enter an ISO-8601 duration such as PT6H, or choose 'Turn Off'.",
				itemIndex,
			});
		}
		return schedule;
	}
	return current && typeof current === 'object' ? (current as IDataObject) : { type: 'NONE' };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getCacheTarget(this, itemIndex);
	const incrementalChange = this.getNodeParameter('incrementalChange', itemIndex, 'keep') as Change;
	const fullRefreshChange = this.getNodeParameter('fullRefreshChange', itemIndex, 'keep') as Change;
	if (incrementalChange === 'keep' && fullRefreshChange === 'keep') {
		throw new NodeOperationError(this.getNode(), 'Both schedules are set to Keep Current, so there is nothing to update', {
			description: "Choose 'Set Interval' or 'Turn Off' for at least one schedule.",
			itemIndex,
		});
	}
	// Checked before the first request, so a bad interval sends nothing.
	try {
		if (incrementalChange === 'set') nextSchedule(this, itemIndex, 'incremental', 'Incremental Sync', undefined);
		if (fullRefreshChange === 'set') nextSchedule(this, itemIndex, 'fullRefresh', 'Full Refresh', undefined);
	} catch (error) {
		rethrowParameterError(this, error, itemIndex);
	}

	// The spec says a PUT changes only the schedules it sends, while Peaka's own MCP server treats
	// it as replacing both. Sending both, with the unchanged one as read, is right either way.
	const current = (await peakaApiRequest.call(this, {
		method: 'GET',
		path: cachePath(target.projectId, target.cacheId),
		describeFailure: describeMissingCache(target),
		itemIndex,
	})) as IDataObject;
	const body: IDataObject = {
		incrementalCacheSchedule: nextSchedule(this, itemIndex, 'incremental', 'Incremental Sync', current.incrementalCacheSchedule),
		fullRefreshCacheSchedule: nextSchedule(this, itemIndex, 'fullRefresh', 'Full Refresh', current.fullRefreshCacheSchedule),
	};

	const updated = (await peakaApiRequest.call(this, {
		method: 'PUT',
		path: cachePath(target.projectId, target.cacheId),
		body,
		idempotent: true,
		describeFailure: describeMissingCache(target),
		itemIndex,
	})) as IDataObject;
	return [{ json: updated, pairedItem: { item: itemIndex } }];
}
