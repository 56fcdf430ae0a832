import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { catalogLocator, schemaLocator, tableLocator } from '../catalog.descriptions';
import { describeMissing, getTableTarget } from '../catalog/catalog';
import { projectLocator } from '../common.descriptions';
import { metadataPath, singleItem } from './metadata';

const DEFAULT_SAMPLE_ROWS = 10;

const properties: INodeProperties[] = [
	projectLocator,
	catalogLocator,
	schemaLocator,
	tableLocator,
	{
		displayName: 'Instructions',
		name: 'initialPrompt',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		placeholder: 'e.g. Amounts are in cents; describe columns for a finance team',
		description: "What Peaka's AI should know or stress when it describes the table",
	},
	{
		displayName: 'Sample Rows',
		name: 'sampleRows',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: DEFAULT_SAMPLE_ROWS,
		description: 'How many rows of the table the AI reads as examples',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Thread ID',
				name: 'threadId',
				type: 'string',
				default: '',
				description: 'Continue an earlier generation: the threadId a previous run returned',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['metadata'], operation: ['generateSemantics'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getTableTarget(this, itemIndex, 'table');
	const options = this.getNodeParameter('options', itemIndex, {}) as { threadId?: string };
	const body: IDataObject = {
		initialPrompt: this.getNodeParameter('initialPrompt', itemIndex, '') as string,
		limit: this.getNodeParameter('sampleRows', itemIndex, DEFAULT_SAMPLE_ROWS) as number,
	};
	if (options.threadId?.trim()) body.threadId = options.threadId.trim();
	// Peaka returns suggested descriptions; Update Table Metadata stores the ones to keep.
	return await singleItem(this, itemIndex, {
		method: 'POST',
		path: metadataPath(target.projectId, 'semantics', target.catalogId, target.schemaName as string, target.tableName as string),
		body,
		describeFailure: describeMissing(target),
	});
}
