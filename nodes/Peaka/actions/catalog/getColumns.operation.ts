import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { catalogLocator, schemaLocator, tableLocator } from '../catalog.descriptions';
import { projectLocator } from '../common.descriptions';
import { unwrapList } from '../parameters';
import { describeMissing, getTableTarget, tablePath } from './catalog';

// Peaka names the request-parameter columns of API-backed tables with this prefix; they are
// always NULL in results and carry no flag of their own.
const PARAMETER_COLUMN_PREFIX = '_q_';

const properties: INodeProperties[] = [
	projectLocator,
	catalogLocator,
	schemaLocator,
	tableLocator,
	{
		displayName: 'Include Request-Parameter Columns',
		name: 'includeParameterColumns',
		type: 'boolean',
		default: true,
		description:
			'Whether to keep the _q_* columns. API-backed tables (Google Ads, for example) use them to take request parameters in WHERE; they hold no data.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['catalog'], operation: ['getColumns'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getTableTarget(this, itemIndex, 'table');
	const includeParameterColumns = this.getNodeParameter('includeParameterColumns', itemIndex, true) as boolean;
	const body = await peakaApiRequest.call(this, {
		method: 'GET',
		path: `${tablePath(target.projectId, target.catalogId, target.schemaName as string, target.tableName)}/columns`,
		describeFailure: describeMissing(target),
		itemIndex,
	});
	let columns = unwrapList(body) as IDataObject[];
	if (!includeParameterColumns) {
		columns = columns.filter((column) => !String(column.name ?? '').startsWith(PARAMETER_COLUMN_PREFIX));
	}
	return columns.map((column) => ({ json: column, pairedItem: { item: itemIndex } }));
}
