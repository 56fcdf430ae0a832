import type { INodeProperties } from 'n8n-workflow';

import * as ask from './ask.operation';
import * as deleteThread from './deleteThread.operation';
import * as getThread from './getThread.operation';
import * as getThreads from './getThreads.operation';
import * as renameThread from './renameThread.operation';

export const operations = { ask, deleteThread, getThread, getThreads, renameThread };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['aiAgent'] } },
		options: [
			{
				name: 'Ask',
				value: 'ask',
				description:
					"Ask Peaka's AI agent a question about the project's data in plain language; returns its answer, the SQL it wrote and the rows when it ran the SQL",
				action: 'Ask the AI agent a question',
			},
			{
				name: 'Delete Thread',
				value: 'deleteThread',
				description: 'Delete a conversation with the AI agent',
				action: 'Delete an AI agent thread',
			},
			{
				name: 'Get Thread',
				value: 'getThread',
				description: 'Get a conversation with the AI agent, with its messages',
				action: 'Get an AI agent thread',
			},
			{
				name: 'Get Threads',
				value: 'getThreads',
				description: 'List the conversations with the AI agent in a project',
				action: 'Get AI agent threads',
			},
			{
				name: 'Rename Thread',
				value: 'renameThread',
				description: 'Change the name of a conversation with the AI agent',
				action: 'Rename an AI agent thread',
			},
		],
		default: 'ask',
	},
	...ask.description,
	...getThreads.description,
	...getThread.description,
	...renameThread.description,
	...deleteThread.description,
];
