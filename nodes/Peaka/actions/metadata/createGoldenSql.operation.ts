import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { projectLocator } from '../common.descriptions';
import { getProjectId, getRequiredText } from '../parameters';
import { goldenSqlItem } from './getGoldenSqls.operation';
import { asObject, metadataPath } from './metadata';

const properties: INodeProperties[] = [
	projectLocator,
	{
		displayName: 'Question',
		name: 'question',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Which airports had the most delayed departures?',
		description: "A question in plain language that the SQL answers; Peaka's AI uses the pair as an example",
	},
	{
		displayName: 'SQL',
		name: 'sql',
		type: 'string',
		typeOptions: { editor: 'sqlEditor', sqlDialect: 'StandardSQL' },
		required: true,
		default: '',
		placeholder: 'e.g. SELECT origin, count(*) FROM datasets.public.flights WHERE delay > 60 GROUP BY origin',
		description: 'The Trino SQL that answers the question',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['metadata'], operation: ['createGoldenSql'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const projectId = getProjectId(this, itemIndex);
	const prompt = getRequiredText(this, 'question', 'Question', 'Enter the question the SQL answers.', itemIndex);
	const sql = getRequiredText(this, 'sql', 'SQL', 'Enter the SQL that answers the question.', itemIndex);
	const body = await peakaApiRequest.call(this, {
		method: 'POST',
		path: metadataPath(projectId, 'golden-sqls'),
		body: { prompt, sql },
		itemIndex,
	});
	const created = asObject(body);
	return [{ json: created.metadata ? goldenSqlItem(created) : created, pairedItem: { item: itemIndex } }];
}
