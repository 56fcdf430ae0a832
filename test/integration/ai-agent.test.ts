import type { IDataObject, INodeParameters, INodeType } from 'n8n-workflow';

import { Peaka } from '../../nodes/Peaka/Peaka.node';
import { listSearch, runNode } from '../harness/n8n-runner';
import { PeakaApi } from '../../credentials/PeakaApi.credentials';
import { expectRequestsMatchSpec, type LoggedRequest } from '../contract/openapi';
import { credentialsFor, type Emulator, executeRequests, executeSql, jsonOf, pairedItemsOf, projectParameter, type RequestRecord, runPeaka, startPeaka } from './support';

const GOLDEN_QUESTION = 'Which were the first three events?';
const GOLDEN_SQL = 'SELECT id, payload FROM "datasets"."public"."events" WHERE id <= 3 ORDER BY id';
const FIRST_EVENTS = [
	{ id: '1', payload: '{"seq":1,"kind":"signup"}' },
	{ id: '2', payload: '{"seq":2,"kind":"click"}' },
	{ id: '3', payload: '{"seq":3,"kind":"purchase"}' },
];

/** The node as n8n registers it for an AI agent: its type name with `Tool` appended. */
function peakaTool(): INodeType {
	const node = new Peaka();
	return Object.assign(node, { description: { ...node.description, name: 'peakaTool', displayName: 'Peaka Tool' } });
}

describe('AI Agent resource against the emulator', () => {
	let emulator: Emulator;

	beforeAll(async () => {
		emulator = await startPeaka('spec', { eventsRows: 10 });
		const response = await fetch(`${emulator.baseUrl}/metadata/${emulator.projectId}/golden-sqls`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${emulator.partnerKey}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ prompt: GOLDEN_QUESTION, sql: GOLDEN_SQL }),
		});
		expect(response.status).toBe(200);
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => emulator.faults.clearRequests());
	afterEach(() => {
		// Every request the node sent must be one Peaka's OpenAPI file documents, body and all.
		expectRequestsMatchSpec(emulator.faults.requests() as Array<RequestRecord & LoggedRequest>);
	});

	const ask = (message: string, extra: INodeParameters = {}): INodeParameters => ({
		resource: 'aiAgent',
		operation: 'ask',
		project: projectParameter(emulator.projectId),
		message,
		...extra,
	});
	const agentRequests = () => emulator.faults.requests().filter((request) => request.path.startsWith('/ai-agent/'));

	it('answers a question with the SQL it ran and the rows, exact', async () => {
		const result = await runPeaka(emulator, ask('which were the first three events'));

		expect(result.error).toBeUndefined();
		const [answer] = jsonOf(result.outputs[0]);
		expect(answer).toMatchObject({
			sql: GOLDEN_SQL,
			intent: 'TEXT_TO_SQL',
			ran: true,
			rowCount: 3,
			rows: FIRST_EVENTS,
		});
		expect(typeof answer.answer).toBe('string');
		expect(String(answer.threadId)).toMatch(/^[0-9a-f-]{36}$/);
		expect(agentRequests().map((request) => request.body)).toEqual([{ message: 'which were the first three events', noExecute: false }]);
	});

	it('emits the rows as items paired to their question with One Item per Row', async () => {
		const result = await runPeaka(emulator, ask('={{ $json.question }}', { options: { output: 'rows' } }), {
			inputItems: [{ question: 'the first three events?' }, { question: 'first three events, please' }],
		});

		expect(jsonOf(result.outputs[0])).toEqual([...FIRST_EVENTS, ...FIRST_EVENTS]);
		expect(pairedItemsOf(result.outputs[0])).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }, { item: 1 }, { item: 1 }, { item: 1 }]);
	});

	it('generates the SQL without running it', async () => {
		const result = await runPeaka(emulator, ask('first three events', { noExecute: true, options: { output: 'rows' } }));

		expect(jsonOf(result.outputs[0])).toEqual([
			expect.objectContaining({ sql: GOLDEN_SQL, ran: false, rowCount: 0, rows: [] }),
		]);
		expect(agentRequests()[0].body).toEqual({ message: 'first three events', noExecute: true });
	});

	it('says when it cannot tell what is asked, with no SQL and no rows', async () => {
		const result = await runPeaka(emulator, ask('tell me a joke about penguins'));

		expect(jsonOf(result.outputs[0])).toEqual([
			expect.objectContaining({ sql: null, intent: 'USER_INTENT_NOT_CLEAR', ran: false, rowCount: 0, rows: [] }),
		]);
	});

	it('lists, reads, renames and deletes threads', async () => {
		const asked = jsonOf((await runPeaka(emulator, ask('first three events'))).outputs[0])[0];
		const threadId = String(asked.threadId);
		const followUp = await runPeaka(emulator, ask('the first three events again', { options: { threadId } }));
		expect(jsonOf(followUp.outputs[0])[0].threadId).toBe(threadId);

		const thread = { __rl: true, mode: 'id', value: threadId };
		const threadOperation = (operation: string, extra: INodeParameters = {}): INodeParameters => ({
			resource: 'aiAgent',
			operation,
			project: projectParameter(emulator.projectId),
			...extra,
		});

		const listed = jsonOf((await runPeaka(emulator, threadOperation('getThreads'))).outputs[0]);
		expect(listed.map((entry) => entry.threadId)).toContain(threadId);

		await runPeaka(emulator, threadOperation('renameThread', { thread, displayName: 'Event questions' }));
		const read = jsonOf((await runPeaka(emulator, threadOperation('getThread', { thread }))).outputs[0])[0];
		expect(read.displayName).toBe('Event questions');
		expect((read.messages as IDataObject[]).map((message) => message.content).filter((_, index) => index % 2 === 0)).toEqual([
			'first three events',
			'the first three events again',
		]);

		const found = await listSearch({
			nodeType: Peaka,
			credentialTypes: [PeakaApi],
			credentials: { peakaApi: credentialsFor(emulator) },
			parameters: threadOperation('getThread'),
			methodName: 'searchAgentThreads',
			filter: 'event q',
		});
		expect(found.results).toEqual([{ name: 'Event questions', value: threadId }]);

		const deleted = jsonOf((await runPeaka(emulator, threadOperation('deleteThread', { thread }))).outputs[0]);
		expect(deleted[0]).toMatchObject({ threadId, deleted: true });
		const after = jsonOf((await runPeaka(emulator, threadOperation('getThreads'))).outputs[0]);
		expect(after.map((entry) => entry.threadId)).not.toContain(threadId);
		const missing = await runPeaka(emulator, threadOperation('getThread', { thread }));
		expect((missing.error as { httpCode?: string }).httpCode).toBe('404');
	});
});

describe('Query → Execute as an AI tool', () => {
	let emulator: Emulator;
	const runTool = async (parameters: INodeParameters) =>
		await runNode({
			nodeType: peakaTool(),
			credentialTypes: [PeakaApi],
			credentials: { peakaApi: credentialsFor(emulator) },
			parameters,
		});

	beforeAll(async () => {
		emulator = await startPeaka('spec', { eventsRows: 10 });
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => emulator.faults.clearRequests());
	afterEach(() => {
		// Every request the node sent must be one Peaka's OpenAPI file documents, body and all.
		expectRequestsMatchSpec(emulator.faults.requests() as Array<RequestRecord & LoggedRequest>);
	});

	it.each([
		['DELETE FROM "datasets"."public"."events" WHERE id = 1', 'DELETE'],
		['WITH old AS (SELECT id FROM "datasets"."public"."events" WHERE id < 3) DELETE FROM "datasets"."public"."events" WHERE id IN (SELECT id FROM old)', 'DELETE'],
		['-- just a look\nDROP TABLE "datasets"."public"."events"', 'DROP'],
		['SELECT 1; DELETE FROM "datasets"."public"."events"', 'DELETE'],
	])('refuses %j before sending anything', async (sql, keyword) => {
		const result = await runTool(executeSql(emulator, sql));

		expect(result.error?.message).toBe(
			`Refused to run a ${keyword} statement as an AI tool: only queries that read data may run this way`,
		);
		expect(String(result.error?.description)).toContain("'Allow Writes When Used as a Tool'");
		expect(executeRequests(emulator)).toEqual([]);
	});

	it('runs WITH ... SELECT as a tool', async () => {
		const sql = 'WITH firsts AS (SELECT id FROM "datasets"."public"."events" WHERE id <= 2) SELECT id FROM firsts ORDER BY id';
		const result = await runTool(executeSql(emulator, sql));

		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputs[0])).toEqual([{ id: '1' }, { id: '2' }]);
		expect(executeRequests(emulator)).toHaveLength(1);
	});

	it('sends a write when the user allowed writes, and Peaka itself refuses it', async () => {
		const sql = 'DELETE FROM "datasets"."public"."events" WHERE id = 1';
		const result = await runTool(executeSql(emulator, sql, [], { options: { allowWritesAsTool: true } }));

		expect(executeRequests(emulator)).toHaveLength(1);
		expect((result.error as { httpCode?: string }).httpCode).toBe('400');
	});

	it('does not guard the node outside an agent', async () => {
		const result = await runPeaka(emulator, executeSql(emulator, 'DELETE FROM "datasets"."public"."events" WHERE id = 1'));

		expect(executeRequests(emulator)).toHaveLength(1);
		expect((result.error as { httpCode?: string }).httpCode).toBe('400');
	});
});
