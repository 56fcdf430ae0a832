import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeApiError,
	NodeOperationError,
	updateDisplayOptions,
} from 'n8n-workflow';

import {
	checkPlaceholderCount,
	checkQualifiedName,
	InvalidParameterError,
	parseBuilder,
	streamingStatement,
	toBindings,
} from '../../helpers/execute-request';
import { convertExecuteResponse, type ExecuteResponse } from '../../helpers/rows';
import { allowWritesAsToolOption, guardToolStatement } from '../../helpers/tool-guard';
import type { LargeNumbersAs } from '../../helpers/values';
import { peakaApiRequest } from '../../transport';
import { limitProperty, projectLocator, returnAllProperty, savedQueryLocator } from '../common.descriptions';
import { checkWholeNumber, getLimit, getLocatorValue, getProjectId } from '../parameters';
import { executeStreaming } from './execute-streaming';

const DEFAULT_QUERY_TIMEOUT_SECONDS = 300;
// The HTTP request waits this much longer than Peaka's own query timeout, so Peaka's
// timeout message (which names the query) arrives before the connection gives up.
const HTTP_GRACE_MS = 15_000;
// Live uncached reads of Stripe-backed tables stopped at 100 rows without any signal.
const SUSPECTED_CONNECTOR_CAP_ROWS = 100;
// A REST result of this many rows arrived as one response held whole in memory. The hint then
// points to the Streaming engine, which reads pages and stops Peaka at Limit.
const LARGE_REST_RESULT_ROWS = 100_000;

const HINTS_SHOWN = new WeakMap<IExecuteFunctions, Set<string>>();

type Source = 'statement' | 'savedQuery' | 'qualifiedName' | 'builder';

interface ExecuteOptions {
	outputMode?: 'itemPerRow' | 'singleItem';
	largeNumbersAs?: LargeNumbersAs;
	timeout?: number;
	excludeSystemColumns?: boolean;
	engine?: 'rest' | 'streaming';
}

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		options: [
			{
				name: 'SQL Statement',
				value: 'statement',
				description: 'A Trino SQL query, with ? placeholders for values',
			},
			{
				name: 'Saved Query',
				value: 'savedQuery',
				description: 'A query saved in the project',
			},
			{
				name: 'Qualified Name',
				value: 'qualifiedName',
				description: 'A table or saved query by catalog.schema.name',
			},
			{
				name: 'Query Builder (JSON)',
				value: 'builder',
				description: "Peaka's structured query: from, columns, filters, orderBy, limit, offset",
			},
		],
		default: 'statement',
	},
	{
		displayName: 'SQL',
		name: 'sql',
		type: 'string',
		typeOptions: { editor: 'sqlEditor', sqlDialect: 'StandardSQL' },
		default: '',
		required: true,
		placeholder: 'e.g. SELECT * FROM "datasets"."public"."flights" WHERE origin = ?',
		hint: 'Put values in Query Parameters with ? placeholders rather than {{ }} in the SQL',
		description:
			'A Trino SQL query. Peaka runs only queries here: INSERT, UPDATE, DELETE and CREATE TABLE AS are refused. Page with OFFSET before LIMIT, as Trino requires.',
		displayOptions: { show: { source: ['statement'] } },
	},
	{
		displayName: 'Query Parameters',
		name: 'queryParameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Parameter',
		default: {},
		description:
			'Values for the ? placeholders, in order. They travel as text and Peaka casts them; NULL cannot be sent this way, write NULL in the SQL.',
		displayOptions: { show: { source: ['statement'] } },
		options: [
			{
				displayName: 'Parameter',
				name: 'parameters',
				values: [
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'The value for the next ? placeholder',
					},
				],
			},
		],
	},
	{
		...savedQueryLocator,
		displayOptions: { show: { source: ['savedQuery'] } },
	},
	{
		displayName: 'Qualified Name',
		name: 'qualifiedName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. peaka.query.samplequery',
		description: 'Catalog, schema and table (or saved query) separated by dots',
		displayOptions: { show: { source: ['qualifiedName'] } },
	},
	{
		displayName: 'Query Builder JSON',
		name: 'builder',
		type: 'json',
		default:
			'{\n  "from": [{ "catalogName": "peaka", "schemaName": "query", "tableName": "samplequery" }],\n  "limit": 100\n}',
		required: true,
		description:
			'A JSON object with from (required), columns, filters, orderBy, limit and offset; the builder is the only form Peaka pages itself',
		displayOptions: { show: { source: ['builder'] } },
	},
	{
		...returnAllProperty,
		description:
			'Whether to emit every row. On the REST engine Peaka computes and sends the whole result either way; add LIMIT to the SQL, or use the Streaming engine, to make Peaka stop early.',
	},
	{
		...limitProperty,
		description:
			'Max number of rows to emit per input item. On the REST engine Peaka still computes and sends the whole result; the Streaming engine cancels the query once it has these rows.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			allowWritesAsToolOption,
			{
				displayName: 'Engine',
				name: 'engine',
				type: 'options',
				options: [
					{
						name: 'REST',
						value: 'rest',
						description: "Peaka's execute endpoint: the whole result in one response",
					},
					{
						name: 'Streaming',
						value: 'streaming',
						description:
							"Peaka's Trino endpoint: pages of rows, cancelled at Limit, on Timeout and when the execution is cancelled",
					},
				],
				default: 'rest',
				description:
					"How the query runs. Streaming suits large results; it takes a SQL statement or a qualified name without query parameters, and runs in the API key's project, so use a project key.",
			},
			{
				displayName: 'Exclude System Columns',
				name: 'excludeSystemColumns',
				type: 'boolean',
				default: false,
				description:
					"Whether to drop Peaka's system columns (_id, _version, _q_*, _cache_* and the like) from the rows",
			},
			{
				displayName: 'Large Numbers As',
				name: 'largeNumbersAs',
				type: 'options',
				options: [
					{
						name: 'Text',
						value: 'text',
						description: 'BIGINT and DECIMAL values as exact text',
					},
					{
						name: 'Number',
						value: 'number',
						description: 'Numbers; the node fails on a value a JavaScript number cannot hold exactly',
					},
				],
				default: 'text',
				description:
					'How to return BIGINT and DECIMAL values. A JavaScript number holds integers exactly only up to 9,007,199,254,740,991.',
			},
			{
				displayName: 'Output',
				name: 'outputMode',
				type: 'options',
				options: [
					{
						name: 'One Item per Row',
						value: 'itemPerRow',
					},
					{
						name: 'One Item with All Rows',
						value: 'singleItem',
						description: 'A single item whose rows field contains every row',
					},
				],
				default: 'itemPerRow',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_QUERY_TIMEOUT_SECONDS,
				description:
					'How long Peaka may run the query before giving up. On the Streaming engine the node cancels the query on Peaka at this time.',
			},
		],
	},
];

const displayOptions = { show: { resource: ['query'], operation: ['execute'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** Runs one query for input item `itemIndex` and returns its rows as items paired to it. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const source = this.getNodeParameter('source', itemIndex) as Source;
	const options = this.getNodeParameter('options', itemIndex, {}) as ExecuteOptions;
	const returnAll = this.getNodeParameter('returnAll', itemIndex, true) as boolean;
	const limit = returnAll ? undefined : getLimit(this, itemIndex);
	const timeoutSeconds = checkWholeNumber(this, options.timeout ?? DEFAULT_QUERY_TIMEOUT_SECONDS, 'Timeout (Seconds)', 1, itemIndex);

	if (options.engine === 'streaming') {
		return await executeOnStreamingEngine(this, itemIndex, source, options, limit, timeoutSeconds);
	}

	let body: IDataObject;
	try {
		body = { ...buildRequestBody(this, source, itemIndex), timeout: timeoutSeconds };
	} catch (error) {
		// An InvalidParameterError's description explains how to fix the parameter it names.
		throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
	}

	let response: ExecuteResponse;
	try {
		response = (await peakaApiRequest.call(this, {
			method: 'POST',
			path: `/data/projects/${encodeURIComponent(projectId)}/queries/execute`,
			qs: { format: 'CELL_TYPED' },
			body,
			// Peaka's execute endpoint runs only queries, so repeating it cannot write twice.
			idempotent: true,
			expectBody: true,
			timeoutMs: timeoutSeconds * 1000 + HTTP_GRACE_MS,
			itemIndex,
		})) as ExecuteResponse;
	} catch (error) {
		throw withStreamingAdvice(error);
	}

	const converted = convertExecuteResponse(response ?? {}, {
		largeNumbersAs: options.largeNumbersAs ?? 'text',
		excludeSystemColumns: options.excludeSystemColumns ?? false,
		maxRows: limit,
	});
	if (converted.unsafeValue) {
		const { column, value, dataType } = converted.unsafeValue;
		throw new NodeOperationError(
			this.getNode(),
			`Column '${column}' holds ${value}, which a JavaScript number cannot hold exactly`,
			{
				description: `Set 'Large Numbers As' to Text to keep ${dataType} values exact, or cast the column to DOUBLE in the SQL if rounding is acceptable.`,
				itemIndex,
			},
		);
	}

	addResultHints(this, converted, limit);

	const pairedItem = { item: itemIndex };
	if (options.outputMode === 'singleItem') {
		if (converted.rows.length === 0) return [];
		return [{ json: { rows: converted.rows, rowCount: converted.rows.length }, pairedItem }];
	}
	const items: INodeExecutionData[] = new Array(converted.rows.length);
	for (let index = 0; index < converted.rows.length; index++) {
		items[index] = { json: converted.rows[index], pairedItem };
	}
	return items;
}

function buildRequestBody(context: IExecuteFunctions, source: Source, itemIndex: number): IDataObject {
	if (source === 'savedQuery') {
		// Peaka takes the saved query id as a string; 18-digit ids do not fit a JS number.
		return { id: getLocatorValue(context, 'savedQuery', 'Saved Query', itemIndex) };
	}
	if (source === 'qualifiedName') {
		return { qualifiedName: checkQualifiedName(context.getNodeParameter('qualifiedName', itemIndex) as string) };
	}
	if (source === 'builder') {
		return parseBuilder(context.getNodeParameter('builder', itemIndex));
	}

	const sql = String(context.getNodeParameter('sql', itemIndex) ?? '');
	if (sql.trim() === '') {
		throw new InvalidParameterError('SQL', "The 'SQL' parameter is empty", 'Enter a query, e.g. SELECT 1.');
	}
	guardToolStatement(context, sql, itemIndex);
	const parameterEntries = context.getNodeParameter('queryParameters.parameters', itemIndex, []) as Array<{
		value?: unknown;
	}>;
	const bindings = toBindings(parameterEntries.map((entry) => entry.value));
	checkPlaceholderCount(sql, bindings);
	return bindings.length > 0 ? { statement: sql, bindings } : { statement: sql };
}

async function executeOnStreamingEngine(
	context: IExecuteFunctions,
	itemIndex: number,
	source: Source,
	options: ExecuteOptions,
	limit: number | undefined,
	timeoutSeconds: number,
): Promise<INodeExecutionData[]> {
	let sql: string;
	try {
		const statement = source === 'statement' ? String(context.getNodeParameter('sql', itemIndex) ?? '') : '';
		if (source === 'statement' && statement.trim() !== '') guardToolStatement(context, statement, itemIndex);
		sql = streamingStatement({
			source,
			sql: statement,
			qualifiedName: source === 'qualifiedName' ? (context.getNodeParameter('qualifiedName', itemIndex) as string) : '',
			parameterValues:
				source === 'statement'
					? (context.getNodeParameter('queryParameters.parameters', itemIndex, []) as Array<{ value?: unknown }>).map(
							(entry) => entry.value,
						)
					: [],
		});
	} catch (error) {
		throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
	}

	const result = await executeStreaming(context, itemIndex, {
		sql,
		timeoutSeconds,
		limit,
		largeNumbersAs: options.largeNumbersAs ?? 'text',
		excludeSystemColumns: options.excludeSystemColumns ?? false,
		singleItem: options.outputMode === 'singleItem',
	});
	addResultHints(context, result, limit, 'streaming');
	return result.items;
}

/** Adds the Streaming engine to the advice of a REST response too large to read in one piece. */
function withStreamingAdvice(error: unknown): unknown {
	if (error instanceof NodeApiError && /MiB, more than the/.test(error.message)) {
		error.description = `Set Options → Engine to Streaming, which reads the result page by page. ${error.description ?? ''}`.trim();
	}
	return error;
}

interface ResultSummary {
	/** Rows Peaka sent, or undefined when the Streaming engine stopped the query early. */
	totalRows?: number;
	renamedColumns: Array<{ from: string; to: string }>;
	excludedColumns: string[];
}

function addResultHints(
	context: IExecuteFunctions,
	converted: ResultSummary,
	limit: number | undefined,
	engine: 'rest' | 'streaming' = 'rest',
): void {
	const hints: string[] = [];
	if (engine === 'rest' && converted.totalRows !== undefined && converted.totalRows >= LARGE_REST_RESULT_ROWS) {
		hints.push(
			`Peaka sent ${converted.totalRows} rows in one response. For results this large, set Options → Engine to Streaming: it reads pages and stops Peaka at Limit.`,
		);
	}
	if (converted.totalRows === SUSPECTED_CONNECTOR_CAP_ROWS) {
		hints.push(
			'The result has exactly 100 rows. Uncached reads of some API connectors (Stripe was measured) stop at 100 rows silently; cache the table in Peaka to read every row.',
		);
	}
	if (engine === 'rest' && limit !== undefined && converted.totalRows !== undefined && converted.totalRows > limit) {
		hints.push(
			`Peaka returned ${converted.totalRows} rows and the node emitted the first ${limit}. Add LIMIT ${limit} to the SQL, or set Options → Engine to Streaming, so Peaka stops early.`,
		);
	}
	if (converted.renamedColumns.length > 0) {
		hints.push(
			`Columns with repeated names were kept under new keys: ${converted.renamedColumns.map(({ from, to }) => `${from} → ${to}`).join(', ')}. Alias them in the SQL to choose the names.`,
		);
	}
	if (converted.excludedColumns.length > 0) {
		hints.push(`System columns left out: ${converted.excludedColumns.join(', ')}.`);
	}
	// The operation runs once per input item with the same context, so a hint that several items
	// trigger is shown once.
	let shown = HINTS_SHOWN.get(context);
	if (!shown) {
		shown = new Set();
		HINTS_SHOWN.set(context, shown);
	}
	const newHints = hints.filter((message) => !shown.has(message));
	newHints.forEach((message) => shown.add(message));
	if (newHints.length > 0) {
		context.addExecutionHints(...newHints.map((message) => ({ message, location: 'outputPane' as const })));
	}
}
