import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { PeakaApi } from '../../credentials/PeakaApi.credentials';
import { Peaka } from '../../nodes/Peaka/Peaka.node';
import { getHarnessLogs, listSearch, type RunNodeResult } from '../harness/n8n-runner';
import { credentialsFor, type Emulator, jsonOf, pairedItemsOf, projectParameter, runPeaka, startPeaka } from './support';

const ANALYTICS_WORKSPACE_ID = '8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const SANDBOX_WORKSPACE_ID = '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d';
/** Peaka's key form: an 8-character prefix, a dot and the secret. */
const ANY_API_KEY = /[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}/;

interface AccountState {
	workspaces: Array<{ id: string; name: string; description: string | null }>;
	projects: Array<{ id: string; name: string; description: string | null; workspaceId: string }>;
	findWorkspace(id: string): { name: string; description: string | null } | null;
	findProject(id: string): { name: string; description: string | null } | null;
	listProjectKeys(projectId: string): Array<{ name: string; apiKeyId: string; expiresAt: string | null }>;
	authenticate(key: string): { keyKind: string; projectId?: string } | null;
}

type AdminEmulator = Emulator & { state: AccountState; organizationId: string; engine: { projectIds: string[] } };

const locator = (value: string): INodeParameters => ({ __rl: true, mode: 'id', value });

describe('account administration through the node', () => {
	let emulator: AdminEmulator;

	beforeAll(async () => {
		emulator = (await startPeaka('spec', { eventsRows: 20 })) as AdminEmulator;
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => emulator.faults.clearRequests());

	const organization = () => locator(emulator.organizationId);
	const run = (parameters: INodeParameters, options: { apiKey?: string; inputItems?: IDataObject[] } = {}) =>
		runPeaka(emulator, parameters, options);
	const ok = (result: RunNodeResult) => {
		expect(result.error).toBeUndefined();
		return jsonOf(result.outputs[0]);
	};

	describe('organizations', () => {
		it('lists and reads the organization', async () => {
			const listed = ok(await run({ resource: 'organization', operation: 'getMany', returnAll: true }));
			expect(listed.map((entry) => entry.id)).toEqual([emulator.organizationId]);
			const read = ok(await run({ resource: 'organization', operation: 'get', organization: organization() }));
			expect(read).toEqual([expect.objectContaining({ id: emulator.organizationId, name: 'Acme Data' })]);
		});

		it('lists organizations in the picker', async () => {
			const result = await listSearch({
				nodeType: Peaka,
				credentialTypes: [PeakaApi],
				credentials: { peakaApi: credentialsFor(emulator) },
				methodName: 'searchOrganizations',
			});
			expect(result.results).toEqual([{ name: 'Acme Data', value: emulator.organizationId, description: undefined }]);
		});
	});

	describe('workspaces', () => {
		it('creates, reads, lists, updates and deletes a workspace, as stored', async () => {
			const created = ok(await run({
				resource: 'workspace',
				operation: 'create',
				organization: organization(),
				name: 'Marketing',
				additionalFields: { description: 'Campaigns' },
			}))[0];
			const id = String(created.id);
			expect(emulator.state.findWorkspace(id)).toMatchObject({ name: 'Marketing', description: 'Campaigns' });

			const read = ok(await run({ resource: 'workspace', operation: 'get', organization: organization(), workspace: locator(id) }));
			expect(read[0]).toMatchObject({ id, name: 'Marketing' });
			const listed = ok(await run({ resource: 'workspace', operation: 'getMany', organization: organization(), returnAll: false, limit: 2 }));
			expect(listed.map((entry) => entry.name)).toEqual(['Analytics', 'Sandbox']);

			const updated = ok(await run({
				resource: 'workspace',
				operation: 'update',
				organization: organization(),
				workspace: locator(id),
				updateFields: { name: 'Growth' },
			}));
			expect(updated[0]).toMatchObject({ id, name: 'Growth', description: 'Campaigns' });
			expect(emulator.state.findWorkspace(id)).toMatchObject({ name: 'Growth', description: 'Campaigns' });
			const updateBody = emulator.faults.requests().find((request) => request.method === 'PUT')?.body;
			expect(updateBody).toEqual({ name: 'Growth', description: 'Campaigns' });

			const deleted = ok(await run({ resource: 'workspace', operation: 'delete', organization: organization(), workspace: locator(id) }));
			expect(deleted).toEqual([{ id, deleted: true }]);
			expect(emulator.state.findWorkspace(id)).toBeNull();
		});

		it('lists workspaces of the chosen organization in the picker', async () => {
			const result = await listSearch({
				nodeType: Peaka,
				credentialTypes: [PeakaApi],
				credentials: { peakaApi: credentialsFor(emulator) },
				parameters: { resource: 'workspace', operation: 'get', organization: organization() },
				methodName: 'searchWorkspaces',
				filter: 'sand',
			});
			expect(result.results.map((entry) => entry.value)).toEqual([SANDBOX_WORKSPACE_ID]);
		});

		it('says a partner key is needed when a project key creates one', async () => {
			const before = emulator.state.workspaces.length;
			const result = await run(
				{ resource: 'workspace', operation: 'create', organization: organization(), name: 'Denied' },
				{ apiKey: emulator.projectKey },
			);
			expect(result.error?.message).toBe('Creating a workspace needs a partner API key');
			expect(result.error?.description).toMatch(/^Peaka answered 403: only a partner key/);
			expect(emulator.state.workspaces).toHaveLength(before);
		});

		it('rejects an update without fields before sending', async () => {
			const result = await run({
				resource: 'workspace',
				operation: 'update',
				organization: organization(),
				workspace: locator(SANDBOX_WORKSPACE_ID),
				updateFields: { name: '  ' },
			});
			expect(result.error?.message).toBe("'Update Fields' has nothing to change");
			expect(emulator.faults.requests()).toEqual([]);
		});
	});

	describe('projects', () => {
		it('creates, reads, updates and deletes a project, as stored', async () => {
			const created = ok(await run({
				resource: 'project',
				operation: 'create',
				organization: organization(),
				workspace: locator(SANDBOX_WORKSPACE_ID),
				name: 'Customer 360',
			}))[0];
			const id = String(created.id);
			expect(emulator.state.findProject(id)).toMatchObject({ name: 'Customer 360', description: null });
			expect(emulator.engine.projectIds).toContain(id);

			const where = { organization: organization(), workspace: locator(SANDBOX_WORKSPACE_ID), workspaceProject: locator(id) };
			const read = ok(await run({ resource: 'project', operation: 'get', ...where }));
			expect(read[0]).toMatchObject({ id, workspaceId: SANDBOX_WORKSPACE_ID });

			const updated = ok(await run({ resource: 'project', operation: 'update', ...where, updateFields: { description: 'CRM and billing' } }));
			expect(updated[0]).toMatchObject({ id, name: 'Customer 360', description: 'CRM and billing' });
			expect(emulator.state.findProject(id)?.description).toBe('CRM and billing');

			const deleted = ok(await run({ resource: 'project', operation: 'delete', ...where }));
			expect(deleted).toEqual([{ id, deleted: true }]);
			expect(emulator.state.findProject(id)).toBeNull();
			expect(emulator.engine.projectIds).not.toContain(id);
		});

		it('lists projects across the account and in one workspace', async () => {
			const account = await run({ resource: 'project', operation: 'getMany', scope: 'account', returnAll: true });
			expect(ok(account).map((entry) => entry.id)).toEqual([emulator.projectId, emulator.otherProjectId]);
			expect(emulator.faults.requests().map((request) => request.path)).toEqual([
				'/organizations',
				`/organizations/${emulator.organizationId}/workspaces`,
				`/organizations/${emulator.organizationId}/workspaces/${ANALYTICS_WORKSPACE_ID}/projects`,
				`/organizations/${emulator.organizationId}/workspaces/${SANDBOX_WORKSPACE_ID}/projects`,
			]);

			const one = await run({
				resource: 'project',
				operation: 'getMany',
				scope: 'workspace',
				organization: organization(),
				workspace: locator(SANDBOX_WORKSPACE_ID),
				returnAll: true,
			});
			expect(ok(one).map((entry) => entry.id)).toEqual([emulator.otherProjectId]);
		});

		it('pairs each listing with its input item', async () => {
			const result = await run(
				{ resource: 'project', operation: 'getMany', scope: 'account', returnAll: false, limit: 1 },
				{ inputItems: [{}, {}] },
			);
			expect(ok(result).map((entry) => entry.id)).toEqual([emulator.projectId, emulator.projectId]);
			expect(pairedItemsOf(result.outputs[0])).toEqual([{ item: 0 }, { item: 1 }]);
		});

		it('says a partner key is needed for listing', async () => {
			const result = await run({ resource: 'project', operation: 'getMany', scope: 'account' }, { apiKey: emulator.projectKey });
			expect(result.error?.message).toBe('Listing projects needs a partner API key');
		});

		it('lists the projects of a workspace in the picker', async () => {
			const result = await listSearch({
				nodeType: Peaka,
				credentialTypes: [PeakaApi],
				credentials: { peakaApi: credentialsFor(emulator) },
				parameters: { resource: 'project', operation: 'get', organization: organization(), workspace: locator(ANALYTICS_WORKSPACE_ID) },
				methodName: 'searchWorkspaceProjects',
			});
			expect(result.results.map((entry) => entry.value)).toEqual([emulator.projectId]);
		});
	});

	describe('project API keys', () => {
		const keyOperation = (operation: string, extra: INodeParameters = {}): INodeParameters => ({
			resource: 'projectApiKey',
			operation,
			project: projectParameter(emulator.projectId),
			...extra,
		});

		it('shows a created key once, in the Create output only', async () => {
			const seen: unknown[] = [];
			const created = await run(keyOperation('create', { name: 'reporting', additionalFields: { expiresAt: '2031-05-06T07:08:09Z' } }));
			const item = ok(created)[0];
			const secret = String(item.apiKey);
			expect(secret).toMatch(/^[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}$/);
			expect(item).toMatchObject({ name: 'reporting', expiresAt: '2031-05-06T07:08:09Z' });
			expect(emulator.state.authenticate(secret)).toEqual(expect.objectContaining({ keyKind: 'project', projectId: emulator.projectId }));
			expect(created.hints).toEqual([]);

			const listed = await run(keyOperation('getMany', { returnAll: true }));
			expect(ok(listed).map((entry) => [entry.name, entry.apiKey])).toEqual([['emulator', null], ['reporting', null]]);
			seen.push(listed.outputs, listed.hints);

			const deleted = await run(keyOperation('delete', { apiKeyId: String(item.apiKeyId) }));
			expect(ok(deleted)).toEqual([{ apiKeyId: item.apiKeyId, deleted: true }]);
			expect(emulator.state.authenticate(secret)).toBeNull();
			seen.push(deleted.outputs, deleted.hints);

			const again = await run(keyOperation('delete', { apiKeyId: String(item.apiKeyId) }));
			expect(again.error?.message).toBe(`Peaka could not find the resource (404): API key not found: ${String(item.apiKeyId)}`);
			seen.push(again.error, again.hints);

			seen.push(emulator.faults.requests(), getHarnessLogs(), created.hints, created.error ?? null);
			expect(JSON.stringify(seen)).not.toContain(secret);
			expect(JSON.stringify(seen)).not.toContain(secret.split('.')[1]);
		});

		it.each([
			['an HTML content type', { contentType: 'text/html' }],
			['a cut-off body', { truncate: 60 }],
		])('keeps the key out of the error for %s', async (_label, fault) => {
			emulator.faults.add({ method: 'POST', path: '/projects/*/apiKeys', ...fault });
			const result = await run(keyOperation('create', { name: `broken ${_label}` }));
			emulator.faults.reset();
			expect(result.error).toBeDefined();
			expect(result.outputs[0] ?? []).toEqual([]);
			// The key was created: Peaka applied the request before the response broke.
			expect(emulator.state.listProjectKeys(emulator.projectId).map((key) => key.name)).toContain(`broken ${_label}`);
			const everything = JSON.stringify([result.error, result.hints, getHarnessLogs(), emulator.faults.requests()]);
			expect(everything).not.toMatch(ANY_API_KEY);
		});

		it('reads a zone-less expiry in the workflow time zone', async () => {
			const result = await runPeaka(emulator, keyOperation('create', { name: 'berlin', additionalFields: { expiresAt: '2031-01-01T12:00:00' } }), {
				workflowSettings: { timezone: 'Europe/Berlin' },
			});
			expect(ok(result)[0].expiresAt).toBe('2031-01-01T11:00:00Z');
			const sent = emulator.faults.requests().find((request) => request.method === 'POST')?.body;
			expect(sent).toEqual({ name: 'berlin', expiresAt: '2031-01-01T11:00:00Z' });
		});

		it('refuses a non-UUID key id without echoing it', async () => {
			const result = await run(keyOperation('delete', { apiKeyId: emulator.projectKey }));
			expect(result.error?.message).toBe("'API Key ID' is not a UUID");
			// n8n copies the node's parameters into the error; the node's own words must not quote them.
			expect(`${result.error?.message} ${result.error?.description}`).not.toContain(emulator.projectKey);
			expect(emulator.faults.requests()).toEqual([]);
		});

		it('says a partner key is needed when a project key lists keys', async () => {
			const result = await run(keyOperation('getMany'), { apiKey: emulator.projectKey });
			expect(result.error?.message).toBe('Listing project API keys needs a partner API key');
			expect((result.error as { httpCode?: string }).httpCode).toBe('403');
		});
	});
});
