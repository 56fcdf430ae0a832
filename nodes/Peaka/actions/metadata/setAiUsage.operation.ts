import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { catalogLocator, schemaLocator } from '../catalog.descriptions';
import { describeMissing, getTableTarget } from '../catalog/catalog';
import { projectLocator } from '../common.descriptions';
import { metadataPath, singleItem } from './metadata';

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'Level',
		name: 'level',
		type: 'options',
		options: [
			{ name: 'Catalog', value: 'catalog', description: 'Every table of a catalog' },
			{ name: 'Schema', value: 'schema', description: 'Every table of one schema of a catalog' },
		],
		default: 'catalog',
	},
	catalogLocator,
	{ ...schemaLocator, displayOptions: { show: { level: ['schema'] } } },
	{
		displayName: 'Use with AI',
		name: 'useWithAI',
		type: 'boolean',
		default: true,
		description: "Whether Peaka's AI may read the tables at this level",
	},
];

export const description = updateDisplayOptions({ show: { resource: ['metadata'], operation: ['setAiUsage'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const level = this.getNodeParameter('level', itemIndex, 'catalog') as 'catalog' | 'schema';
	const target = getTableTarget(this, itemIndex, level);
	const useWithAI = this.getNodeParameter('useWithAI', itemIndex, true) as boolean;
	const segments = level === 'schema' ? [target.catalogId, target.schemaName as string] : [target.catalogId];
	return await singleItem(
		this,
		itemIndex,
		{
			method: 'PUT',
			path: metadataPath(target.projectId, ...segments),
			body: { useWithAI },
			idempotent: true,
			describeFailure: describeMissing(target),
		},
		{ catalogId: target.catalogId, ...(level === 'schema' && { schemaName: target.schemaName }), useWithAI },
	);
}
