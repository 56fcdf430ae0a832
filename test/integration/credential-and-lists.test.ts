import { PeakaApi } from '../../credentials/PeakaApi.credentials';
import { Peaka } from '../../nodes/Peaka/Peaka.node';
import { listSearch, testCredential } from '../harness/n8n-runner';
import { credentialsFor, type Emulator, startPeaka } from './support';

describe('Peaka API credential and pickers', () => {
	let emulator: Emulator;

	beforeAll(async () => {
		emulator = await startPeaka('spec');
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => emulator.faults.clearRequests());

	it('passes the credential test with a partner key and a project key', async () => {
		for (const apiKey of [emulator.partnerKey, emulator.projectKey]) {
			const result = await testCredential({ credentialType: PeakaApi, data: credentialsFor(emulator, apiKey) });
			expect(result.status).toBe('OK');
		}
		const requests = emulator.faults.requests();
		expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			'GET /connections/config',
			'GET /connections/config',
		]);
	});

	it('explains a rejected key', async () => {
		const result = await testCredential({
			credentialType: PeakaApi,
			data: credentialsFor(emulator, 'Unknown1.notAKeyThisEmulatorKnows'),
		});
		expect(result).toEqual({
			status: 'Error',
			message:
				'Peaka rejected the API key (401). Copy the key again from Peaka Studio, and check that it belongs to the selected zone.',
		});
	});

	it('sends nothing when the base URL would expose the key over plain http', async () => {
		const result = await testCredential({
			credentialType: PeakaApi,
			data: { apiKey: emulator.partnerKey, zone: 'custom', baseUrl: 'http://peaka.example.com/api/v1' },
		});
		expect(result.status).toBe('Error');
		expect(JSON.stringify(result)).not.toContain(emulator.partnerKey);
	});

	it('lists every project for a partner key', async () => {
		const result = await listSearch({
			nodeType: Peaka,
			credentialTypes: [PeakaApi],
			credentials: { peakaApi: credentialsFor(emulator) },
			methodName: 'searchProjects',
		});
		expect(result.results).toEqual([
			{ name: 'Flights Demo (Analytics)', value: 'mtKDhe1U' },
			{ name: 'Other Project (Sandbox)', value: 'SksnYuxH' },
		]);
	});

	it("offers a project key's own project from /info", async () => {
		const result = await listSearch({
			nodeType: Peaka,
			credentialTypes: [PeakaApi],
			credentials: { peakaApi: credentialsFor(emulator, emulator.projectKey) },
			methodName: 'searchProjects',
		});
		expect(result.results).toEqual([{ name: "Flights Demo (this key's project)", value: 'mtKDhe1U' }]);
		expect(emulator.faults.requests().map((request) => request.path)).toEqual(['/info']);
	});

	it('asks a project key user for the project ID when /info is missing', async () => {
		emulator.faults.add({ method: 'GET', path: '/info', status: 404, body: { status: 404, error: 'Not Found', path: '/api/v1/info' } });
		await expect(
			listSearch({
				nodeType: Peaka,
				credentialTypes: [PeakaApi],
				credentials: { peakaApi: credentialsFor(emulator, emulator.projectKey) },
				methodName: 'searchProjects',
			}),
		).rejects.toThrow('This API key cannot list projects');
	});

	it('lists and filters the saved queries of the chosen project', async () => {
		const store = (emulator.engine as { savedQueries: { create: (p: string, r: object) => Promise<unknown> } }).savedQueries;
		await store.create(emulator.projectId, { displayName: 'Weekly Delays', inputQuery: 'SELECT 1', queryType: 'PLAIN' });
		await store.create(emulator.projectId, { displayName: 'Airport List', inputQuery: 'SELECT 2', queryType: 'PLAIN' });
		const result = await listSearch({
			nodeType: Peaka,
			credentialTypes: [PeakaApi],
			credentials: { peakaApi: credentialsFor(emulator) },
			parameters: { resource: 'query', operation: 'execute', source: 'savedQuery', project: { __rl: true, mode: 'id', value: emulator.projectId } },
			methodName: 'searchSavedQueries',
			filter: 'delay',
		});
		expect(result.results).toHaveLength(1);
		expect(result.results[0]).toMatchObject({ name: 'Weekly Delays', description: '"peaka"."query"."weeklydelays"' });
	});
});
