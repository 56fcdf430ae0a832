import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeApiError,
	NodeOperationError,
	updateDisplayOptions,
} from 'n8n-workflow';

import { buildCsv } from '../../helpers/csv';
import { peakaApiRequest } from '../../transport';
import { projectLocator } from '../common.descriptions';
import { importCsv } from './import-request';
import { type ColumnMapping, describeInvalid, encodeRows, type EncodedRows, type PlannedColumn, planColumns } from './insert-plan';
import { columnsPath, getInternalTableTarget, type InternalTableTarget, internalTableLocator, internalTablesPath } from './table';
import { readTableColumns } from './table-columns';

export const DEFAULT_BATCH_SIZE = 1000;
/**
 * Maximum rows in one import request. Peaka documents no limit. The cap bounds the rows at stake
 * when a batch's outcome is unknown. It also keeps a request's CSV to about 10 MB for rows of
 * 200 bytes, an estimate that wide rows exceed.
 */
export const MAX_BATCH_SIZE = 50_000;

export const OUTCOME_UNKNOWN_MESSAGE = 'Outcome unknown: check the table before re-running';
const LIMITS_HINT =
	"Peaka's import stores empty text as NULL, and does not keep columns' Unique and Not Null settings.";

const properties: INodeProperties[] = [
	{
		displayName:
			'Insert Rows sends all input items in batches, and reads its parameters once, from the first item. Each item gets one output item with its batch outcome.',
		name: 'insertRowsNotice',
		type: 'notice',
		default: '',
	},
	projectLocator,
	{
		...internalTableLocator,
		description:
			"The Peaka Table to load. Rows are appended. BI Tables cannot be written through Peaka's API. With 'Create Table and Missing Columns', a new name creates the table.",
	},
	{
		displayName: 'Mapping Column Mode',
		name: 'mappingMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Map Automatically',
				value: 'autoMapInputData',
				description: 'Fill each column from the item field of the same name; every field needs a column',
			},
			{
				name: 'Map Each Column Below',
				value: 'defineBelow',
				description: 'List the columns to fill and the item field for each',
			},
		],
		default: 'autoMapInputData',
	},
	{
		displayName: 'Column Mappings',
		name: 'mappings',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Mapping',
		default: {},
		displayOptions: { show: { mappingMode: ['defineBelow'] } },
		options: [
			{
				displayName: 'Mapping',
				name: 'mapping',
				values: [
					{ displayName: 'Column', name: 'column', type: 'string', default: '', placeholder: 'e.g. amount' },
					{
						displayName: 'Field',
						name: 'field',
						type: 'string',
						default: '',
						placeholder: 'e.g. total',
						description: 'The top-level field of the input items that fills the column',
					},
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_BATCH_SIZE },
				default: DEFAULT_BATCH_SIZE,
				description: `Rows per import request, from 1 to ${MAX_BATCH_SIZE.toLocaleString('en-US')}. Peaka stores each request all-or-nothing.`,
			},
			{
				displayName: 'Create Table and Missing Columns',
				name: 'createMissing',
				type: 'boolean',
				default: false,
				description:
					'Whether to create the table when it does not exist, and add columns that items have but the table lacks. Types come from the values: BIGINT, DECIMAL, BOOLEAN, else VARCHAR.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['internalTable'], operation: ['insertRows'] } },
	properties,
);

type BatchOutcome =
	| { status: 'inserted'; job: IDataObject }
	| { status: 'rejected'; error: NodeApiError }
	| { status: 'unknown'; error: NodeApiError; reason: string };

/**
 * Statuses a gateway sends when it lost Peaka's response or gave up waiting for it. Peaka may
 * have stored the batch behind them, unlike after its own 4xx and 500 responses.
 */
const GATEWAY_STATUSES = new Set([502, 504]);

interface Batch {
	number: number;
	rows: EncodedRows['rows'];
}

/**
 * Loads all input items into a Peaka Table through Peaka's CSV import, in batches. The node runs
 * operations once per item, so this one does all its work at item 0 and returns nothing for the
 * other items: a batch carries many items.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	if (itemIndex > 0) return [];
	const items = this.getInputData();
	const node = this.getNode();

	// 1. Read and check the parameters, before any request.
	const target = getInternalTableTarget(this, 0, 'table');
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
	if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
		throw new NodeOperationError(node, `The 'Batch Size' option must be a whole number from 1 to ${MAX_BATCH_SIZE}, not ${JSON.stringify(batchSize)}`, {
			description: `Set Batch Size to the rows per import request, e.g. ${DEFAULT_BATCH_SIZE}.`,
			itemIndex: 0,
		});
	}
	const createMissing = options.createMissing === true;
	const mode = this.getNodeParameter('mappingMode', 0, 'autoMapInputData') as 'autoMapInputData' | 'defineBelow';
	const mappings: ColumnMapping[] =
		mode === 'defineBelow'
			? (this.getNodeParameter('mappings.mapping', 0, []) as IDataObject[]).map((entry) => ({
					column: String(entry.column ?? '').trim(),
					field: String(entry.field ?? '').trim(),
				}))
			: [];
	// Fields are checked before the table is read, so a misspelt field costs no request.
	if (mode === 'defineBelow') {
		const mappedColumns = new Map(mappings.map((entry) => [entry.column, 'VARCHAR']));
		planColumns(node, items, mappedColumns, mode, mappings, true, target.tableName);
	}

	// 2. Read the table's columns and match them to the items' fields.
	const columns = createMissing
		? await readTableColumns(this, target, 0, true)
		: await readTableColumns(this, target, 0);
	const { planned, ignoredFields } = planColumns(node, items, columns ?? new Map(), mode, mappings, createMissing, target.tableName);

	// 3. Check every value against its column's type.
	const encoded = encodeRows(items, planned);
	const continueOnFail = this.continueOnFail();
	if (encoded.invalid.length > 0 && !continueOnFail) {
		const first = encoded.invalid[0];
		throw new NodeOperationError(node, describeInvalid(first), {
			description: `${encoded.invalid.length} item${encoded.invalid.length === 1 ? '' : 's'} hold values that do not fit their column, so no row was sent. Fix the values, or turn on Continue On Fail to load the other items and send these to the error output.`,
			itemIndex: first.itemIndex,
		});
	}

	// 4. Create what is missing, only now that the data is known to fit.
	if (columns === undefined && encoded.rows.length > 0) {
		await peakaApiRequest.call(this, { method: 'POST', path: internalTablesPath(target.projectId, 'table', target.tableName), itemIndex: 0 });
	}
	const newColumns = planned.filter((column) => column.isNew);
	if (newColumns.length > 0 && encoded.rows.length > 0) {
		await peakaApiRequest.call(this, {
			method: 'POST',
			path: columnsPath(target),
			body: newColumns.map((column) => ({
				name: column.column,
				dataType: column.type,
				displayName: column.column,
				defaultValue: null,
				isNotNull: false,
				isUnique: false,
			})),
			itemIndex: 0,
		});
	}

	// 5. Send the batches, each as one CSV import.
	const batches: Batch[] = [];
	for (let start = 0; start < encoded.rows.length; start += batchSize) {
		batches.push({ number: batches.length + 1, rows: encoded.rows.slice(start, start + batchSize) });
	}
	const outcomes = new Map<number, { batch: Batch; outcome: BatchOutcome }>();
	const loaded: Batch[] = [];
	for (const batch of batches) {
		const outcome = await sendBatch(this, target, planned, batch);
		if (outcome.status !== 'inserted' && !continueOnFail) {
			throw batchError(node, outcome, batch, loaded, batches.length);
		}
		if (outcome.status === 'inserted') loaded.push(batch);
		for (const row of batch.rows) outcomes.set(row.itemIndex, { batch, outcome });
	}

	// 6. One output item per input item, paired to it, in input order.
	const emptyText = new Map(encoded.rows.map((row) => [row.itemIndex, row.emptyTextFields]));
	const invalidByItem = new Map(encoded.invalid.map((invalid) => [invalid.itemIndex, invalid]));
	const output: INodeExecutionData[] = [];
	const rejectedErrors = new Map<number, NodeOperationError>();
	let unknownBatches = 0;
	let emptyTextValues = 0;
	for (let index = 0; index < items.length; index++) {
		const pairedItem = { item: index };
		const invalid = invalidByItem.get(index);
		if (invalid) {
			const details = 'The item was not sent. Fix the value and run the item again.';
			const error = new NodeOperationError(node, describeInvalid(invalid), { description: details, itemIndex: index });
			output.push({ json: { error: error.message, details }, error, pairedItem });
			continue;
		}
		const entry = outcomes.get(index);
		if (!entry) continue;
		const { batch, outcome } = entry;
		const range = itemRange(batch);
		if (outcome.status === 'rejected') {
			// n8n replaces an error item's JSON with { error: message }, so the message carries the whole outcome.
			const error = rejectedErrors.get(batch.number) ?? rejectedError(node, batch, outcome.error);
			rejectedErrors.set(batch.number, error);
			output.push({ json: { error: error.message, details: error.description }, error, pairedItem });
			continue;
		}
		const json: IDataObject = { table: target.tableName, batch: batch.number };
		if (outcome.status === 'unknown') {
			json.status = 'outcomeUnknown';
			json.message = `${OUTCOME_UNKNOWN_MESSAGE}: ${outcome.reason} for batch ${batch.number} (items ${range}), and Peaka may have stored it.`;
			if (batch.rows[0].itemIndex === index) unknownBatches++;
		} else {
			json.status = 'inserted';
			const fields = emptyText.get(index) ?? [];
			if (fields.length > 0) {
				json.storedAsNull = fields;
				emptyTextValues += fields.length;
			}
		}
		output.push({ json, pairedItem });
	}

	addInsertHints(this, { unknownBatches, emptyTextValues, ignoredFields });
	return output;
}

async function sendBatch(context: IExecuteFunctions, target: InternalTableTarget, planned: PlannedColumn[], batch: Batch): Promise<BatchOutcome> {
	const header = planned.map((column) => column.column);
	const csv = Buffer.from(buildCsv(header, batch.rows.map((row) => row.fields)), 'utf8');
	try {
		const job = await importCsv(context, target, {
			csv,
			fileName: `${target.tableName}-batch-${batch.number}.csv`,
			mappings: header.map((name) => ({ name, csvColumnName: name })),
			containsHeader: true,
			itemIndex: batch.rows[0].itemIndex,
		});
		return { status: 'inserted', job };
	} catch (error) {
		if (!(error instanceof NodeApiError)) throw new NodeOperationError(context.getNode(), error as Error);
		// Peaka's import is synchronous and all-or-nothing: a 2xx means stored, and an error status
		// from Peaka means nothing was stored. Without a status the connection failed first, and a
		// gateway status may hide Peaka's response, so the batch may or may not have been stored.
		const status = Number(error.httpCode ?? NaN);
		if (!Number.isInteger(status)) return { status: 'unknown', error, reason: 'the connection failed before Peaka responded' };
		if (status >= 200 && status < 300) return { status: 'inserted', job: {} };
		if (GATEWAY_STATUSES.has(status)) return { status: 'unknown', error, reason: `a gateway returned HTTP ${status} in place of Peaka's response` };
		return { status: 'rejected', error };
	}
}

function rejectedError(node: ReturnType<IExecuteFunctions['getNode']>, batch: Batch, error: NodeApiError): NodeOperationError {
	return new NodeOperationError(node, `Peaka rejected batch ${batch.number} (items ${itemRange(batch)}) ${rejection(error)}`, {
		description: `No row of this batch was stored, because Peaka stores an import all-or-nothing. Fix the data and run only these items again. ${error.description ?? ''}`.trim(),
		itemIndex: batch.rows[0].itemIndex,
	});
}

function capitalize(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Returns "with HTTP 400: <Peaka's message>", keeping Peaka's own words. */
function rejection(error: NodeApiError): string {
	const response = (error.errorResponse ?? {}) as IDataObject;
	const peakaMessage = typeof response.message === 'string' && response.message !== '' ? response.message : error.message;
	return `with HTTP ${error.httpCode}: ${peakaMessage}`;
}

function itemRange(batch: Batch): string {
	const first = batch.rows[0].itemIndex;
	const last = batch.rows[batch.rows.length - 1].itemIndex;
	return first === last ? String(first) : `${first}-${last}`;
}

function batchError(
	node: ReturnType<IExecuteFunctions['getNode']>,
	outcome: Exclude<BatchOutcome, { status: 'inserted' }>,
	batch: Batch,
	loaded: Batch[],
	batchCount: number,
): NodeOperationError {
	const range = itemRange(batch);
	const before =
		loaded.length === 0
			? 'No batch was stored before it.'
			: `Batches 1-${loaded.length} (items ${loaded[0].rows[0].itemIndex}-${batch.rows[0].itemIndex - 1}) were stored before it.`;
	const after = batch.number < batchCount ? ` Batches ${batch.number + 1}-${batchCount} were not sent.` : '';
	const message =
		outcome.status === 'rejected'
			? `Peaka rejected batch ${batch.number} (items ${range}) ${rejection(outcome.error)}`
			: `${OUTCOME_UNKNOWN_MESSAGE}: batch ${batch.number} (items ${range}) may or may not be stored`;
	const next =
		outcome.status === 'rejected'
			? `Fix the data, then run again only the items from ${batch.rows[0].itemIndex} on, so no row is stored twice.`
			: `${capitalize(outcome.reason)} (${outcome.error.description ?? outcome.error.message}). Count the table's rows before running these items again, because imports append.`;
	return new NodeOperationError(node, message, { description: `${before}${after} ${next}`, itemIndex: batch.rows[0].itemIndex });
}

const HINTED = new WeakMap<IExecuteFunctions, Set<string>>();

function addInsertHints(
	context: IExecuteFunctions,
	facts: { unknownBatches: number; emptyTextValues: number; ignoredFields: string[] },
): void {
	const messages = [LIMITS_HINT];
	if (facts.emptyTextValues > 0) {
		const values = facts.emptyTextValues === 1 ? '1 empty text value was' : `${facts.emptyTextValues} empty text values were`;
		messages.push(`${values} stored as NULL (listed in storedAsNull).`);
	}
	if (facts.unknownBatches > 0) {
		messages.push(`${facts.unknownBatches} batch${facts.unknownBatches === 1 ? '' : 'es'}: ${OUTCOME_UNKNOWN_MESSAGE.toLowerCase()} (items with status outcomeUnknown).`);
	}
	if (facts.ignoredFields.length > 0) messages.push(`Fields named like Peaka's system columns were left out: ${facts.ignoredFields.join(', ')}.`);
	let shown = HINTED.get(context);
	if (!shown) {
		shown = new Set();
		HINTED.set(context, shown);
	}
	const fresh = messages.filter((message) => !shown.has(message));
	fresh.forEach((message) => shown.add(message));
	if (fresh.length > 0) context.addExecutionHints(...fresh.map((message) => ({ message, location: 'outputPane' as const })));
}
