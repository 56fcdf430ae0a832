import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { asItem } from '../catalog/catalog';
import { projectLocator } from '../common.descriptions';
import { getProjectId, getRequiredText } from '../parameters';
import { getTableKind, internalTablesPath, TABLE_KIND_LABELS, tableKindProperty } from './table';

const properties: INodeProperties[] = [
	projectLocator,
	tableKindProperty,
	{
		displayName: 'Name',
		name: 'tableName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. orders',
		description:
			'The table name, used in SQL as "peaka"."table"."orders" for a table named orders. Peaka removes every underscore from BI Table names, so the node returns the stored name.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['internalTable'], operation: ['create'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const kind = getTableKind(this, itemIndex);
	const tableName = getRequiredText(this, 'tableName', 'Name', 'Enter a table name, e.g. orders.', itemIndex);
	if (tableName.includes('/')) {
		throw new NodeOperationError(this.getNode(), `The table name '${tableName}' contains '/'`, {
			description: 'Peaka takes the name as a path segment: use letters, digits and underscores.',
			itemIndex,
		});
	}

	const created = asItem(
		await peakaApiRequest.call(this, {
			method: 'POST',
			path: internalTablesPath(projectId, kind, tableName),
			itemIndex,
		}),
	);
	// Live Peaka stored "e2e_probe" as "e2eprobe" for BI Tables and returned 200 again, with the
	// existing table, when a second name stripped to the same text.
	if (kind === 'bitable' && created.tableName !== undefined && created.tableName !== tableName) {
		created.requestedName = tableName;
	}
	return [{ json: { ...created, kind: TABLE_KIND_LABELS[kind] }, pairedItem: { item: itemIndex } }];
}
