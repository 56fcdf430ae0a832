import { type IDataObject, type IExecuteFunctions, type JsonObject, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { unwrapList } from '../parameters';
import { columnsPath, describeMissingTable, type InternalTableTarget, internalTablesPath } from './table';

/**
 * Reads a Peaka Table's columns by name. When the table is missing and a BI Table of that name
 * exists, the error names it as a BI Table, because BI Tables cannot be written through Peaka's API.
 * @returns the columns' data types by name, or undefined when `allowMissing` is set and the table is missing
 */
export async function readTableColumns(
	context: IExecuteFunctions,
	target: InternalTableTarget,
	itemIndex: number,
	allowMissing: true,
): Promise<Map<string, string> | undefined>;
export async function readTableColumns(
	context: IExecuteFunctions,
	target: InternalTableTarget,
	itemIndex: number,
	allowMissing?: false,
): Promise<Map<string, string>>;
export async function readTableColumns(
	context: IExecuteFunctions,
	target: InternalTableTarget,
	itemIndex: number,
	allowMissing = false,
): Promise<Map<string, string> | undefined> {
	try {
		const body = await peakaApiRequest.call(context, {
			method: 'GET',
			path: columnsPath({ ...target, kind: 'table' }),
			describeFailure: describeMissingTable({ ...target, kind: 'table' }),
			itemIndex,
		});
		return new Map((unwrapList(body) as IDataObject[]).map((column) => [String(column.name), String(column.dataType ?? '')]));
	} catch (error) {
		const missing = error instanceof NodeApiError && /was not found/.test(error.message);
		// NodeApiError hands an existing NodeApiError back unchanged.
		if (!missing) throw new NodeApiError(context.getNode(), error as JsonObject);
		if (allowMissing) return undefined;
		const biTables = unwrapList(
			await peakaApiRequest.call(context, { method: 'GET', path: internalTablesPath(target.projectId, 'bitable'), itemIndex }),
		) as IDataObject[];
		if (biTables.some((table) => table.tableName === target.tableName)) {
			throw new NodeOperationError(context.getNode(), `'${target.tableName}' is a Peaka BI Table, which cannot be written through Peaka's API`, {
				description:
					"Peaka's import exists only for Peaka Tables (the BI route returns 404), and SQL INSERT is refused. Load the rows into a Peaka Table instead.",
				itemIndex,
			});
		}
		throw new NodeApiError(context.getNode(), error as unknown as JsonObject);
	}
}
