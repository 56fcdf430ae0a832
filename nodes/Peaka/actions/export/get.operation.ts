import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { projectLocator } from '../common.descriptions';
import { getProjectId, getRequiredText } from '../parameters';
import { readExport, toOutputItem } from './export';

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'Export ID',
		name: 'exportId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 4c9fcb44-126a-45f8-99a0-f1d245083d78',
		description: 'The ID that Export Query or Export Table returned',
	},
	{
		displayName: 'Download Files',
		name: 'download',
		type: 'boolean',
		default: false,
		description:
			'Whether to download the files of a SUCCEEDED export as binary data. When off, the item lists the files with their short-lived download URLs.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { download: [true] } },
		options: [
			{
				displayName: 'Binary Property',
				name: 'binaryProperty',
				type: 'string',
				default: 'data',
				description: 'Name of the binary property for the file. Further files of the same export get _1, _2 and so on.',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['export'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const exportId = getRequiredText(this, 'exportId', 'Export ID', 'Enter the ID that Export Query or Export Table returned.', itemIndex);
	const job = await readExport(this, projectId, exportId, itemIndex);
	const download = this.getNodeParameter('download', itemIndex, false) as boolean;
	if (!download) return [{ json: job, pairedItem: { item: itemIndex } }];
	return [await toOutputItem(this, projectId, job, itemIndex)];
}
