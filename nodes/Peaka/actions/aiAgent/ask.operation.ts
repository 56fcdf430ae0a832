import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
	updateDisplayOptions,
} from 'n8n-workflow';

import { convertExecuteResponse } from '../../helpers/rows';
import type { LargeNumbersAs } from '../../helpers/values';
import { peakaApiRequest } from '../../transport';
import { projectLocator } from '../common.descriptions';
import { getProjectId, getRequiredText } from '../parameters';
import { parseChatResponse } from './agent-response';

// The agent plans, writes SQL and runs it before it answers; Peaka's own clients allow it minutes.
const ASK_TIMEOUT_MS = 300_000;

interface AskOptions {
	threadId?: string;
	output?: 'answer' | 'rows';
	largeNumbersAs?: LargeNumbersAs;
}

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'Question',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		placeholder: 'e.g. How many flights left Seattle in January?',
		description: "A question about the project's data, in plain language. The agent turns it into SQL.",
	},
	{
		displayName: 'Generate SQL Only',
		name: 'noExecute',
		type: 'boolean',
		default: false,
		description: 'Whether to have the agent write the SQL without running it. The answer then has SQL and no rows.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Large Numbers As',
				name: 'largeNumbersAs',
				type: 'options',
				options: [
					{ name: 'Text', value: 'text', description: 'BIGINT and DECIMAL values as exact text' },
					{ name: 'Number', value: 'number', description: 'Numbers; the node fails on a value a JavaScript number cannot hold exactly' },
				],
				default: 'text',
				description: 'How to return BIGINT and DECIMAL values of the rows',
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				options: [
					{
						name: 'Answer',
						value: 'answer',
						description: 'One item with the answer, the SQL, the thread ID and the rows',
					},
					{
						name: 'One Item per Row',
						value: 'rows',
						description: 'The rows of the query the agent ran; one answer item when there are none',
					},
				],
				default: 'answer',
			},
			{
				displayName: 'Thread ID',
				name: 'threadId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 0f8fad5b-d9cb-469f-a165-70867728950e',
				description: "Continue this conversation, so the agent knows the earlier questions. Empty: start a new one; the answer's threadId continues it.",
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['aiAgent'], operation: ['ask'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const message = getRequiredText(this, 'message', 'Question', 'Enter a question, e.g. How many flights left Seattle?', itemIndex);
	const noExecute = this.getNodeParameter('noExecute', itemIndex, false) as boolean;
	const options = this.getNodeParameter('options', itemIndex, {}) as AskOptions;

	const body: IDataObject = { message, noExecute };
	const threadId = options.threadId?.trim();
	if (threadId) body.threadId = threadId;
	const response = await peakaApiRequest.call(this, {
		method: 'POST',
		path: `/ai-agent/${encodeURIComponent(projectId)}/chat`,
		body,
		// Each call adds a turn to the thread, so a retry could ask twice.
		idempotent: false,
		timeoutMs: ASK_TIMEOUT_MS,
		itemIndex,
	});

	const parsed = parseChatResponse(response);
	let rows: IDataObject[] = [];
	if (Array.isArray(parsed.result)) rows = parsed.result;
	else if (parsed.result) {
		const converted = convertExecuteResponse(parsed.result, {
			largeNumbersAs: options.largeNumbersAs ?? 'text',
			excludeSystemColumns: false,
		});
		if (converted.unsafeValue) {
			const { column, value, dataType } = converted.unsafeValue;
			throw new NodeOperationError(this.getNode(), `Column '${column}' holds ${value}, which a JavaScript number cannot hold exactly`, {
				description: `Set 'Large Numbers As' to Text to keep ${dataType} values exact.`,
				itemIndex,
			});
		}
		rows = converted.rows;
	}

	const pairedItem = { item: itemIndex };
	if (options.output === 'rows' && rows.length > 0) {
		return rows.map((json) => ({ json, pairedItem }));
	}
	return [
		{
			json: {
				answer: parsed.answer ?? null,
				sql: parsed.sql ?? null,
				threadId: parsed.threadId ?? null,
				intent: parsed.intent ?? null,
				ran: parsed.result !== undefined,
				rowCount: rows.length,
				rows,
				...(parsed.queryError !== undefined && { queryError: parsed.queryError }),
				response: parsed.details,
			},
			pairedItem,
		},
	];
}
