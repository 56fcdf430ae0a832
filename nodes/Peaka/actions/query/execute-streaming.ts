import { type IDataObject, type IExecuteFunctions, type INodeExecutionData, NodeOperationError } from 'n8n-workflow';

import { type ColumnPlan as RowsColumnPlan, planColumns } from '../../helpers/rows';
import { convertValue, type LargeNumbersAs, UnsafeNumber } from '../../helpers/values';
import { runTrinoStatement, type TrinoColumn, type TrinoTypeSignature } from '../../transport/trino';

/**
 * Query → Execute on the Streaming engine: the statement runs on Peaka's Trino endpoint and its
 * pages become items as they arrive, with the same value rules as the REST engine. The node
 * stops Peaka once it has Limit rows.
 */

export interface StreamingParameters {
	sql: string;
	timeoutSeconds: number;
	limit?: number;
	largeNumbersAs: LargeNumbersAs;
	excludeSystemColumns: boolean;
	singleItem: boolean;
}

export interface StreamingResult {
	items: INodeExecutionData[];
	/** Rows Peaka sent in all, or undefined when the node stopped the query before its end. */
	totalRows?: number;
	renamedColumns: Array<{ from: string; to: string }>;
	excludedColumns: string[];
}

interface ColumnPlan extends RowsColumnPlan {
	/** Set only for types that contain a row, whose values need field names. */
	rowSignature?: TrinoTypeSignature;
}

interface NamedField {
	fieldName?: { name?: string };
	typeSignature?: TrinoTypeSignature;
}

export async function executeStreaming(
	context: IExecuteFunctions,
	itemIndex: number,
	parameters: StreamingParameters,
): Promise<StreamingResult> {
	const pairedItem = { item: itemIndex };
	const valueOptions = { largeNumbersAs: parameters.largeNumbersAs };
	const items: INodeExecutionData[] = [];
	const singleItemRows: IDataObject[] = [];
	const renamedColumns: Array<{ from: string; to: string }> = [];
	const excludedColumns: string[] = [];
	const maxRows = parameters.limit ?? Number.POSITIVE_INFINITY;
	let plan: ColumnPlan[] | undefined;
	let emitted = 0;

	const onPage = (columns: TrinoColumn[], rows: unknown[][]): boolean => {
		plan ??= planStreamingColumns(columns, parameters.excludeSystemColumns, renamedColumns, excludedColumns);
		const count = Math.min(rows.length, maxRows - emitted);
		for (let rowIndex = 0; rowIndex < count; rowIndex++) {
			const row = rows[rowIndex];
			const json: IDataObject = {};
			for (const column of plan) {
				let raw = row[column.sourceIndex];
				if (column.rowSignature) raw = withFieldNames(raw, column.rowSignature);
				const value = convertValue(raw, column.kind, column.dataType, valueOptions);
				if (value instanceof UnsafeNumber) {
					throw new NodeOperationError(
						context.getNode(),
						`Column '${column.key}' holds ${value.value}, which a JavaScript number cannot hold exactly`,
						{
							description: `Set 'Large Numbers As' to Text to keep ${value.dataType} values exact, or cast the column to DOUBLE in the SQL if rounding is acceptable.`,
							itemIndex,
						},
					);
				}
				json[column.key] = value as IDataObject[string];
			}
			if (parameters.singleItem) singleItemRows.push(json);
			else items.push({ json, pairedItem });
		}
		emitted += count;
		return emitted < maxRows;
	};

	const outcome = await runTrinoStatement.call(context, {
		sql: parameters.sql,
		timeoutMs: parameters.timeoutSeconds * 1000,
		itemIndex,
		onPage,
	});

	if (parameters.singleItem && singleItemRows.length > 0) {
		items.push({ json: { rows: singleItemRows, rowCount: singleItemRows.length }, pairedItem });
	}
	return {
		items,
		totalRows: outcome.stoppedEarly ? undefined : emitted,
		renamedColumns,
		excludedColumns,
	};
}

function planStreamingColumns(
	columns: TrinoColumn[],
	excludeSystemColumns: boolean,
	renamedColumns: Array<{ from: string; to: string }>,
	excludedColumns: string[],
): ColumnPlan[] {
	const planning = planColumns(
		columns.map((column) => column.name),
		columns.map((column) => column.typeSignature?.rawType ?? column.type),
		excludeSystemColumns,
	);
	renamedColumns.push(...planning.renamedColumns);
	excludedColumns.push(...planning.excludedColumns);
	return planning.plan.map((column) => {
		const { type, typeSignature } = columns[column.sourceIndex];
		return { ...column, dataType: type, rowSignature: typeSignature && containsRow(typeSignature) ? typeSignature : undefined };
	});
}

function typeArguments(signature: TrinoTypeSignature): TrinoTypeSignature[] {
	return (signature.arguments ?? [])
		.filter((argument) => argument.kind === 'TYPE')
		.map((argument) => argument.value as TrinoTypeSignature);
}

function rowFields(signature: TrinoTypeSignature): NamedField[] {
	return (signature.arguments ?? [])
		.filter((argument) => argument.kind === 'NAMED_TYPE')
		.map((argument) => argument.value as NamedField);
}

function containsRow(signature: TrinoTypeSignature): boolean {
	const rawType = signature.rawType.toLowerCase();
	if (rawType === 'row') return true;
	return typeArguments(signature).some(containsRow);
}

/**
 * Names the values of each ROW. Trino sends a ROW as an array of its field values, and the REST
 * engine's items contain it as an object keyed by field name, which this gives both engines.
 */
function withFieldNames(value: unknown, signature: TrinoTypeSignature): unknown {
	if (value === null || value === undefined) return value;
	const rawType = signature.rawType.toLowerCase();
	if (rawType === 'row' && Array.isArray(value)) {
		const fields = rowFields(signature);
		const result: IDataObject = {};
		fields.forEach((field, index) => {
			const fieldValue = value[index];
			result[field.fieldName?.name ?? `field${index}`] = (
				field.typeSignature ? withFieldNames(fieldValue, field.typeSignature) : fieldValue
			) as IDataObject[string];
		});
		return result;
	}
	if (rawType === 'array' && Array.isArray(value)) {
		const [elementType] = typeArguments(signature);
		return elementType ? value.map((element) => withFieldNames(element, elementType)) : value;
	}
	if (rawType === 'map' && typeof value === 'object' && !Array.isArray(value)) {
		const [, valueType] = typeArguments(signature);
		if (!valueType) return value;
		const result: IDataObject = {};
		for (const [key, entry] of Object.entries(value as IDataObject)) {
			result[key] = withFieldNames(entry, valueType) as IDataObject[string];
		}
		return result;
	}
	return value;
}
