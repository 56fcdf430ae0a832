'use strict';

const axios = require('axios');

const { startEmulator } = require('../../emulator/src/index.js');

const EVENTS_ROWS = 10;
const DATASETS_CONNECTION_ID = '3f6b2c1d-8e4a-4b7c-9d2e-1a5f6c7b8d90';
const STRIPE_CONNECTION_ID = '7c2d4e6f-1a3b-4c5d-8e9f-0a1b2c3d4e5f';
const POSTGRES_PASSWORD = 'pg-Secret-42';
const POSTGRES_CREDENTIAL = { url: 'db.example.com', port: 5432, user: 'analyst', password: POSTGRES_PASSWORD, databaseName: 'sales', useSsl: false };

describe.each(['spec', 'observed'])('connection routes in %s behaviour', (behaviour) => {
	let emulator;
	let http;

	const asPartner = () => ({ headers: { Authorization: `Bearer ${emulator.partnerKey}` } });
	const asProject = () => ({ headers: { Authorization: `Bearer ${emulator.projectKey}` } });
	const connectionsPath = (suffix = '', projectId = emulator.projectId) => `/connections/${projectId}${suffix}`;
	const stored = () => emulator.state.connections.get(emulator.projectId);

	beforeAll(async () => {
		emulator = await startEmulator({ behaviour, eventsRows: EVENTS_ROWS });
		http = axios.create({ baseURL: emulator.baseUrl, validateStatus: () => true });
	});
	afterAll(async () => {
		await emulator.close();
	});

	test('lists the seeded connections', async () => {
		const listed = await http.get(connectionsPath(), asProject());
		expect(listed.status).toBe(200);
		expect(listed.data).toEqual([
			{ id: DATASETS_CONNECTION_ID, name: 'Datasets', type: 'POSTGRES' },
			{ id: STRIPE_CONNECTION_ID, name: 'Stripe', type: 'stripe' },
		]);
		const other = await http.get(connectionsPath('', emulator.otherProjectId), asPartner());
		expect(other.data).toEqual([]);
		const outOfScope = await http.get(connectionsPath('', emulator.otherProjectId), asProject());
		expect(outOfScope.status).toBe(403);
	});

	test('create stores and answers without secrets', async () => {
		const created = await http.post(connectionsPath(), { name: 'Sales PG', type: 'POSTGRES', credential: POSTGRES_CREDENTIAL }, asPartner());
		expect(created.status).toBe(200);
		const id = created.data.id;
		expect(id).toMatch(/^[0-9a-f-]{36}$/);
		// Live Peaka returned only the id and type.
		expect(created.data).toEqual(behaviour === 'spec' ? { id, name: 'Sales PG', type: 'POSTGRES' } : { id, type: 'POSTGRES' });
		expect(stored().get(id)).toMatchObject({ name: 'Sales PG', type: 'POSTGRES', credential: POSTGRES_CREDENTIAL });

		const read = await http.get(connectionsPath(`/${id}`), asPartner());
		expect(read.data).toEqual({ id, name: 'Sales PG', type: 'POSTGRES' });
		const detail = await http.get(connectionsPath(`/${id}/detail`), asPartner());
		expect(detail.data).toEqual({ type: 'POSTGRES', url: 'db.example.com', port: 5432, user: 'analyst', databaseName: 'sales', useSsl: false });
		for (const response of [created, read, detail]) expect(JSON.stringify(response.data)).not.toContain(POSTGRES_PASSWORD);
	});

	test('credential checks name the field', async () => {
		const before = stored().size;
		const cases = [
			[{ ...POSTGRES_CREDENTIAL, password: undefined }, 'required field password is missing'],
			[{ ...POSTGRES_CREDENTIAL, port: '5432' }, 'field port must be a number'],
			[{ ...POSTGRES_CREDENTIAL, useSsl: 'no' }, 'field useSsl must be a boolean'],
		];
		for (const [credential, problem] of cases) {
			const response = await http.post(connectionsPath(), { name: 'X', type: 'POSTGRES', credential }, asPartner());
			expect(response.status).toBe(400);
			expect(response.data.error).toBe('INVALID_CREDENTIALS');
			expect(response.data.message).toContain(`Invalid credentials: ${problem}`);
			// Only observed behaviour carries the internal path live Peaka leaked.
			expect(response.data.message.includes('/internal/connection-secret/')).toBe(behaviour === 'observed');
		}
		const badStripe = await http.post(connectionsPath(), { name: 'X', type: 'stripe', credential: { token: 'nope' } }, asPartner());
		expect(badStripe.data).toMatchObject({ error: 'INVALID_CREDENTIALS' });
		const noCredential = await http.post(connectionsPath(), { name: 'X', type: 'stripe' }, asPartner());
		expect(noCredential.status).toBe(400);
		expect(noCredential.data.error).toBe('Bad Request');
		const unknownType = await http.post(connectionsPath(), { name: 'X', type: 'oracle', credential: {} }, asPartner());
		expect(unknownType.status).toBe(400);
		expect(unknownType.data.message).toContain('Connection type not found: "oracle"');
		expect(stored().size).toBe(before);
	});

	test('update replaces the credential', async () => {
		const created = await http.post(connectionsPath(), { name: 'Billing', type: 'stripe', credential: { token: 'sk_test_abc' } }, asPartner());
		const id = created.data.id;
		const updated = await http.put(connectionsPath(`/${id}`), { name: 'Billing EU', type: 'stripe', credential: { token: 'rk_live_def' } }, asPartner());
		expect(updated.status).toBe(200);
		expect(updated.data).toEqual({ id, name: 'Billing EU', type: 'stripe' });
		expect(stored().get(id).credential).toEqual({ token: 'rk_live_def' });
		const rejected = await http.put(connectionsPath(`/${id}`), { name: 'Billing EU', type: 'stripe', credential: { token: 'bad' } }, asPartner());
		expect(rejected.status).toBe(400);
		expect(stored().get(id).credential).toEqual({ token: 'rk_live_def' });
	});

	test('delete and reading a deleted connection', async () => {
		const created = await http.post(connectionsPath(), { name: 'Temp', type: 'airtable', credential: { personalAccessToken: 'pat123' } }, asPartner());
		const id = created.data.id;
		const deleted = await http.delete(connectionsPath(`/${id}`), asPartner());
		expect(deleted.status).toBe(200);
		expect(deleted.data).toBe('');
		expect(stored().has(id)).toBe(false);
		for (const suffix of [`/${id}`, `/${id}/detail`]) {
			const read = await http.get(connectionsPath(suffix), asPartner());
			if (behaviour === 'observed') {
				expect(read.status).toBe(400);
				expect(read.data).toEqual({ error: 'INVALID_CONNECTION_ID', message: 'invalid connection id', errorCode: 'cn004' });
			} else {
				expect(read.status).toBe(404);
				expect(read.data).toEqual({ errorCode: 100, message: `Connection not found: ${id}` });
			}
		}
	});

	test('OAuth2 consent and callback', async () => {
		const created = await http.post(
			connectionsPath(),
			{ name: 'GA', type: 'google_analytics', credential: { clientId: 'c1', clientSecret: 'shh' }, connectionCallback: 'https://example.com/done' },
			asPartner(),
		);
		expect(created.status).toBe(200);
		const consent = new URL(created.data.url);
		expect(consent.searchParams.get('redirect_uri')).toBe('https://example.com/done');
		const oauthState = consent.searchParams.get('state');
		expect(stored().get(created.data.id).oauthState).toBe(oauthState);
		const listed = await http.get(connectionsPath(), asPartner());
		expect(listed.data.find((connection) => connection.id === created.data.id).url).toBe(created.data.url);

		const missingCode = await http.post(connectionsPath('/oauth2'), { queryParameters: `state=${oauthState}` }, asPartner());
		expect(missingCode.status).toBe(400);
		const refused = await http.post(connectionsPath('/oauth2'), { queryParameters: 'error=access_denied' }, asPartner());
		expect(refused.data.message).toBe('The provider refused the authorization: access_denied');

		const completed = await http.post(connectionsPath('/oauth2'), { queryParameters: `code=123&state=${oauthState}` }, asPartner());
		expect(completed.status).toBe(200);
		expect(completed.data).toEqual({ id: created.data.id, name: 'GA', type: 'google_analytics' });
		expect(stored().get(created.data.id)).toMatchObject({ oauthState: null, consentUrl: null });
		const detail = await http.get(connectionsPath(`/${created.data.id}/detail`), asPartner());
		expect(detail.data).toEqual({ type: 'google_analytics', clientId: 'c1' });

		const replay = await http.post(connectionsPath('/oauth2'), { queryParameters: `code=123&state=${oauthState}` }, asPartner());
		expect(replay.status).toBe(400);
	});

	test('OAuth2 with tokens needs no consent', async () => {
		const created = await http.post(connectionsPath(), { name: 'CRM', type: 'hubspot', credential: { accessToken: 'pat-na1-x' } }, asPartner());
		expect(created.status).toBe(200);
		expect(created.data.url).toBeUndefined();
		expect(stored().get(created.data.id).consentUrl).toBeNull();
	});
});
