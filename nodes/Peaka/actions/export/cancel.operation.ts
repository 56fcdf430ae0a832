import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator } from '../common.descriptions';
import { getProjectId, getRequiredText } from '../parameters';
import { describeMissingExport, exportsPath } from './export';

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'Export ID',
		name: 'exportId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 4c9fcb44-126a-45f8-99a0-f1d245083d78',
		description: 'The export to cancel. Cancelling a finished export changes nothing.',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['export'], operation: ['cancel'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const exportId = getRequiredText(this, 'exportId', 'Export ID', 'Enter the ID that Export Query or Export Table returned.', itemIndex);
	// Peaka documents cancelling as idempotent (204), so a repeat after a dropped connection is safe.
	await peakaApiRequest.call(this, {
		method: 'DELETE',
		path: exportsPath(projectId, exportId),
		idempotent: true,
		describeFailure: describeMissingExport(exportId),
		itemIndex,
	});
	return [{ json: { id: exportId, cancelRequested: true }, pairedItem: { item: itemIndex } }];
}
