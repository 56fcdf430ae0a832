import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { asObject } from '../account-requests';

/** Peaka names its dialects as the sqlglot library does (`postgres`, not `postgresql`). */
const TRINO = 'trino';

const properties: INodeProperties[] = [
	{
		displayName: 'Direction',
		name: 'direction',
		type: 'options',
		options: [
			{
				name: 'From Trino to Another Dialect',
				value: 'fromTrino',
				description: 'Rewrite Peaka SQL for another database',
			},
			{
				name: 'From Another Dialect to Trino',
				value: 'toTrino',
				description: 'Rewrite SQL written for another database so that Peaka can run it',
			},
		],
		default: 'fromTrino',
	},
	{
		displayName: 'Dialect',
		name: 'dialect',
		type: 'options',
		displayOptions: { show: { direction: ['fromTrino'] } },
		options: [
			{ name: 'BigQuery', value: 'bigquery' },
			{ name: 'MySQL', value: 'mysql' },
			{ name: 'Other', value: 'other' },
			{ name: 'PostgreSQL', value: 'postgres' },
		],
		default: 'mysql',
		description: 'The dialect to write the SQL in',
	},
	{
		displayName: 'Dialect Name',
		name: 'dialectName',
		type: 'string',
		displayOptions: { show: { direction: ['fromTrino'], dialect: ['other'] } },
		default: '',
		placeholder: 'e.g. snowflake',
		description: "The dialect's name as Peaka expects it in the URL, in lower case",
	},
	{
		displayName: 'SQL',
		name: 'query',
		type: 'string',
		typeOptions: { editor: 'sqlEditor', sqlDialect: 'StandardSQL' },
		default: '',
		required: true,
		placeholder: 'e.g. SELECT origin, count(*) FROM "datasets"."public"."flights" GROUP BY origin',
		description: 'The SQL to convert. Peaka converts it without running it.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['sql'], operation: ['transpile'] } },
	properties,
);

function targetDialect(context: IExecuteFunctions, itemIndex: number): string {
	const direction = context.getNodeParameter('direction', itemIndex, 'fromTrino') as string;
	if (direction === 'toTrino') return TRINO;
	const dialect = context.getNodeParameter('dialect', itemIndex, 'mysql') as string;
	if (dialect !== 'other') return dialect;
	const name = String(context.getNodeParameter('dialectName', itemIndex, '') ?? '').trim().toLowerCase();
	if (!/^[a-z0-9_]+$/.test(name)) {
		throw new NodeOperationError(context.getNode(), `'Dialect Name' value '${name}' is not a dialect name`, {
			description: 'Enter one lower-case word, e.g. snowflake, tsql or duckdb.',
			itemIndex,
		});
	}
	return name;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const dialect = targetDialect(this, itemIndex);
	const query = String(this.getNodeParameter('query', itemIndex) ?? '');
	if (query.trim() === '') {
		throw new NodeOperationError(this.getNode(), "The 'SQL' parameter is empty", {
			description: 'Enter the SQL to convert, e.g. SELECT 1.',
			itemIndex,
		});
	}

	// Transpiling is a pure conversion, so repeating the request is harmless.
	const body = asObject(
		await peakaApiRequest.call(this, {
			method: 'POST',
			path: `/sql/transpile/${encodeURIComponent(dialect)}`,
			body: { query },
			idempotent: true,
			itemIndex,
		}),
	);

	// The spec's example answers `result`; live Peaka answered `query`.
	const converted = typeof body.result === 'string' ? body.result : body.query;
	if (typeof converted !== 'string') {
		throw new NodeOperationError(this.getNode(), 'Peaka\'s transpile response has no SQL in it', {
			description: `Expected a text field 'result' or 'query'; the response had the fields: ${Object.keys(body).join(', ') || 'none'}.`,
			itemIndex,
		});
	}
	return [{ json: { query: converted, dialect }, pairedItem: { item: itemIndex } }];
}
