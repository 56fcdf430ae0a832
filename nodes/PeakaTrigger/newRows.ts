import {
	type IDataObject,
	type INodeExecutionData,
	type INodeProperties,
	type IPollFunctions,
	NodeOperationError,
} from 'n8n-workflow';

import { catalogLocator, schemaLocator, tableLocator } from '../Peaka/actions/catalog.descriptions';
import { savedQueryLocator } from '../Peaka/actions/common.descriptions';
import { checkPlaceholderCount } from '../Peaka/helpers/execute-request';
import { convertExecuteResponse, type ExecuteResponse } from '../Peaka/helpers/rows';
import type { LargeNumbersAs } from '../Peaka/helpers/values';
import { peakaApiRequest } from '../Peaka/transport';
import {
	type CursorPosition,
	CursorColumnError,
	cursorPositions,
	cursorToStaticData,
	isCursorFor,
	latestRowsQuery,
	newRowsQuery,
	type NewRowsColumns,
	qualifiedTable,
	type Statement,
} from './new-rows-query';
import { getPollLocatorValue, getPollProjectId, getPollText } from './parameters';

const DEFAULT_MAX_ROWS_PER_POLL = 100;
const MAX_ROWS_PER_POLL_LIMIT = 10_000;
const QUERY_TIMEOUT_SECONDS = 120;
// The HTTP request waits longer than Peaka's own timeout, so Peaka's message arrives first.
const HTTP_GRACE_MS = 15_000;
/** Rows a manual run shows as a sample. */
const SAMPLE_ROWS = 1;
/** Key of the cursor in the node's static data. */
const CURSOR_KEY = 'newRowsCursor';

type RowSource = 'table' | 'savedQuery';

interface NewRowsOptions {
	largeNumbersAs?: LargeNumbersAs;
	excludeSystemColumns?: boolean;
}

const show = { event: ['newRows'] };

export const newRowsProperties: INodeProperties[] = [
	{
		displayName:
			'Each poll reads only rows after the last row it emitted, ordered by the watermark column and then the tie-breaker column. The watermark must only grow for new rows (an increasing ID or a creation time); the tie-breaker must be unique. Rows whose watermark or tie-breaker is NULL are never emitted.',
		name: 'newRowsNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	{
		displayName: 'Rows From',
		name: 'source',
		type: 'options',
		options: [
			{ name: 'Table', value: 'table', description: 'A table of a catalog' },
			{ name: 'Saved Query', value: 'savedQuery', description: 'The rows of a query saved in the project' },
		],
		default: 'table',
		displayOptions: { show },
	},
	{ ...catalogLocator, displayOptions: { show: { ...show, source: ['table'] } } },
	{ ...schemaLocator, displayOptions: { show: { ...show, source: ['table'] } } },
	{ ...tableLocator, displayOptions: { show: { ...show, source: ['table'] } } },
	{ ...savedQueryLocator, displayOptions: { show: { ...show, source: ['savedQuery'] } } },
	{
		displayName: 'Watermark Column',
		name: 'watermarkColumn',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. created_at',
		description:
			'A column whose value only grows for new rows: an increasing ID, or a creation timestamp. Rows are emitted in its order.',
		displayOptions: { show },
	},
	{
		displayName: 'Tie-Breaker Column',
		name: 'tieBreakerColumn',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. event_id',
		description:
			'A column with a unique value per row, which orders rows that share a watermark value so none is lost or repeated. When the watermark is itself a unique ID, enter it here too.',
		displayOptions: { show },
	},
	{
		displayName: 'Include Existing Rows',
		name: 'includeExistingRows',
		type: 'boolean',
		default: false,
		description:
			'Whether to emit the rows already there when the trigger starts, oldest first and Max Rows per Poll at a time. Off: the first poll notes where the rows end and emits only rows added after it.',
		displayOptions: { show },
	},
	{
		displayName: 'Max Rows per Poll',
		name: 'maxRowsPerPoll',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_ROWS_PER_POLL_LIMIT },
		default: DEFAULT_MAX_ROWS_PER_POLL,
		description:
			'Max number of rows one poll emits. Further new rows follow in the next polls, none is skipped.',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'newRowsOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Exclude System Columns',
				name: 'excludeSystemColumns',
				type: 'boolean',
				default: false,
				description:
					"Whether to drop Peaka's system columns (_id, _version, _q_*, _cache_* and the like) from the items",
			},
			{
				displayName: 'Large Numbers As',
				name: 'largeNumbersAs',
				type: 'options',
				options: [
					{ name: 'Text', value: 'text', description: 'BIGINT and DECIMAL values as exact text' },
					{
						name: 'Number',
						value: 'number',
						description: 'Numbers; the poll fails on a value a JavaScript number cannot hold exactly',
					},
				],
				default: 'text',
				description:
					'How to return BIGINT and DECIMAL values. A JavaScript number holds integers exactly only up to 9,007,199,254,740,991.',
			},
		],
	},
];

interface NewRowsSettings {
	projectId: string;
	source: RowSource;
	columns: NewRowsColumns;
	includeExistingRows: boolean;
	maxRowsPerPoll: number;
	options: NewRowsOptions;
	/** Identifies the watched rows, so a cursor of another table or column pair is not reused. */
	sourceKey: string;
	sourceIds: string[];
}

function readSettings(context: IPollFunctions): NewRowsSettings {
	const projectId = getPollProjectId(context);
	const source = context.getNodeParameter('source', 'table') as RowSource;
	const sourceIds =
		source === 'savedQuery'
			? [getPollLocatorValue(context, 'savedQuery', 'Saved Query')]
			: [
					getPollLocatorValue(context, 'catalog', 'Catalog'),
					getPollLocatorValue(context, 'schema', 'Schema'),
					getPollLocatorValue(context, 'table', 'Table'),
				];
	const columns: NewRowsColumns = {
		watermark: getPollText(context, 'watermarkColumn', 'Watermark Column', 'Enter a column whose value grows for new rows, e.g. created_at or id.'),
		tieBreaker: getPollText(context, 'tieBreakerColumn', 'Tie-Breaker Column', 'Enter a column with a unique value per row, e.g. id.'),
	};
	const maxRowsPerPoll = Number(context.getNodeParameter('maxRowsPerPoll', DEFAULT_MAX_ROWS_PER_POLL));
	if (!Number.isInteger(maxRowsPerPoll) || maxRowsPerPoll < 1 || maxRowsPerPoll > MAX_ROWS_PER_POLL_LIMIT) {
		throw new NodeOperationError(context.getNode(), `'Max Rows per Poll' is ${maxRowsPerPoll}`, {
			description: `Enter a whole number from 1 to ${MAX_ROWS_PER_POLL_LIMIT}.`,
		});
	}
	return {
		projectId,
		source,
		columns,
		includeExistingRows: context.getNodeParameter('includeExistingRows', false) as boolean,
		maxRowsPerPoll,
		options: context.getNodeParameter('newRowsOptions', {}) as NewRowsOptions,
		sourceKey: JSON.stringify([projectId, source, ...sourceIds, columns.watermark, columns.tieBreaker]),
		sourceIds,
	};
}

/** Returns the watched rows as SQL: a quoted table name, or the saved query's name in the peaka catalog. */
async function resolveFrom(context: IPollFunctions, settings: NewRowsSettings): Promise<string> {
	const project = encodeURIComponent(settings.projectId);
	if (settings.source === 'savedQuery') {
		const query = (await peakaApiRequest.call(context, {
			method: 'GET',
			path: `/data/projects/${project}/queries/${encodeURIComponent(settings.sourceIds[0])}`,
		})) as IDataObject;
		if (typeof query?.name !== 'string' || query.name === '') {
			throw new NodeOperationError(context.getNode(), `Saved query ${settings.sourceIds[0]} has no SQL name`, {
				description: 'Peaka returned the query without its name. Pick the saved query again from the list.',
			});
		}
		return qualifiedTable('peaka', 'query', query.name);
	}

	const [catalogId, schemaName, tableName] = settings.sourceIds;
	const catalog = (await peakaApiRequest.call(context, {
		method: 'GET',
		path: `/data/projects/${project}/catalogs/${encodeURIComponent(catalogId)}`,
	})) as IDataObject;
	if (typeof catalog?.name !== 'string' || catalog.name === '') {
		throw new NodeOperationError(context.getNode(), `Catalog ${catalogId} has no SQL name`, {
			description: 'Peaka returned the catalog without its name. Pick the catalog again from the list.',
		});
	}
	return qualifiedTable(catalog.name, schemaName, tableName);
}

async function runStatement(context: IPollFunctions, projectId: string, query: Statement): Promise<ExecuteResponse> {
	checkPlaceholderCount(query.statement, query.bindings);
	const body: IDataObject = { statement: query.statement, timeout: QUERY_TIMEOUT_SECONDS };
	if (query.bindings.length > 0) body.bindings = query.bindings;
	const response = (await peakaApiRequest.call(context, {
		method: 'POST',
		path: `/data/projects/${encodeURIComponent(projectId)}/queries/execute`,
		qs: { format: 'CELL_TYPED' },
		body,
		// Only a query is sent, so repeating it cannot write twice.
		idempotent: true,
		timeoutMs: QUERY_TIMEOUT_SECONDS * 1000 + HTTP_GRACE_MS,
	})) as ExecuteResponse | undefined;
	return response ?? {};
}

function toItems(context: IPollFunctions, response: ExecuteResponse, options: NewRowsOptions): INodeExecutionData[] {
	const converted = convertExecuteResponse(response, {
		largeNumbersAs: options.largeNumbersAs ?? 'text',
		excludeSystemColumns: options.excludeSystemColumns ?? false,
	});
	if (converted.unsafeValue) {
		const { column, value, dataType } = converted.unsafeValue;
		throw new NodeOperationError(context.getNode(), `Column '${column}' holds ${value}, which a JavaScript number cannot hold exactly`, {
			description: `Set 'Large Numbers As' to Text to keep ${dataType} values exact. The trigger emitted nothing and will read the same rows again.`,
		});
	}
	return converted.rows.map((json) => ({ json }));
}

function positionsOf(context: IPollFunctions, response: ExecuteResponse, columns: NewRowsColumns): CursorPosition[] {
	try {
		return cursorPositions(response, columns);
	} catch (error) {
		const description = error instanceof CursorColumnError ? error.description : undefined;
		throw new NodeOperationError(context.getNode(), error as Error, { description });
	}
}

/**
 * One poll of the New Rows event. The cursor in the node's static data moves only past rows
 * this poll returns: n8n stores it with the execution those rows start, and a poll that throws
 * stores nothing, so a failure repeats the same rows rather than losing them.
 */
export async function pollNewRows(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const settings = readSettings(this);
	const from = await resolveFrom(this, settings);

	if (this.getMode() === 'manual') {
		// A test run from the editor shows the newest rows and never touches the cursor, so
		// the active workflow's next poll still emits every new row.
		const sample = await runStatement(this, settings.projectId, latestRowsQuery(from, settings.columns, SAMPLE_ROWS, true));
		positionsOf(this, sample, settings.columns);
		const items = toItems(this, sample, settings.options);
		return items.length > 0 ? [items] : null;
	}

	const staticData = this.getWorkflowStaticData('node');
	const stored = staticData[CURSOR_KEY];
	let start: CursorPosition | undefined;
	if (isCursorFor(stored, settings.sourceKey)) {
		start = stored.position;
	} else if (!settings.includeExistingRows) {
		// Start from now: note where the rows end and emit nothing. The cursor of another
		// source or column pair, or of an older node version, is replaced the same way.
		const latest = positionsOf(
			this,
			await runStatement(this, settings.projectId, latestRowsQuery(from, settings.columns)),
			settings.columns,
		);
		staticData[CURSOR_KEY] = cursorToStaticData(settings.sourceKey, latest[0]);
		return null;
	}

	const response = await runStatement(this, settings.projectId, newRowsQuery(from, settings.columns, start, settings.maxRowsPerPoll));
	const positions = positionsOf(this, response, settings.columns);
	if (positions.length === 0) {
		staticData[CURSOR_KEY] = cursorToStaticData(settings.sourceKey, start);
		return null;
	}
	const items = toItems(this, response, settings.options);

	staticData[CURSOR_KEY] = cursorToStaticData(settings.sourceKey, positions[positions.length - 1]);
	return [items];
}
