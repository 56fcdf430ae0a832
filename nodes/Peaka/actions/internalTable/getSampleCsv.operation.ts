import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator } from '../common.descriptions';
import { describeMissingTable, getInternalTableTarget, internalTableLocator, internalTablesPath } from './table';

const properties: INodeProperties[] = [
	projectLocator,
	{ ...internalTableLocator, description: 'A Peaka Table. BI Tables have no sample route, because Peaka offers no import for them.' },
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['internalTable'], operation: ['getSampleCsv'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getInternalTableTarget(this, itemIndex, 'table');
	const binaryPropertyName = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim() || 'data';
	const csv = (await peakaApiRequest.call(this, {
		method: 'GET',
		path: `${internalTablesPath(target.projectId, 'table', target.tableName)}/sample`,
		rawResponse: true,
		describeFailure: describeMissingTable(target),
		itemIndex,
	})) as Buffer;

	const text = csv.toString('utf8');
	const lines = text.split(/\r?\n/);
	// Live Peaka returned 200 with only line breaks for a table that does not exist.
	const empty = text.trim() === '';
	const binary = await this.helpers.prepareBinaryData(csv, `${target.tableName}-sample.csv`, 'text/csv');
	return [
		{
			json: {
				tableName: target.tableName,
				header: empty ? [] : lines[0].split(','),
				sampleRows: empty ? 0 : lines.slice(1).filter((line) => line.trim() !== '').length,
				note: empty
					? `Peaka returned no header: table '${target.tableName}' may not exist.`
					: 'The rows are placeholders. Importing the file as it is adds them to the table.',
			},
			binary: { [binaryPropertyName]: binary },
			pairedItem: { item: itemIndex },
		},
	];
}
