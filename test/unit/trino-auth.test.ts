import type { IHttpRequestOptions } from 'n8n-workflow';

import { PeakaApi } from '../../credentials/PeakaApi.credentials';
import { streamingStatement } from '../../nodes/Peaka/helpers/execute-request';
import { resolveTrinoUrl } from '../../nodes/Peaka/transport/trino';

const KEY = 'TtgGcQFq.s3fzROFoop8uHG4pS2LYhoqn1rLb6oW6';

async function authenticated(request: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const { authenticate } = new PeakaApi();
	if (typeof authenticate !== 'function') throw new Error('PeakaApi.authenticate must be a function');
	return await authenticate({ apiKey: ` ${KEY}\n` }, request);
}

describe('Peaka credential headers', () => {
	it('sends REST requests a Bearer token only', async () => {
		const request = await authenticated({ baseURL: 'https://partner.peaka.studio/api/v1', url: '/data/projects/mtKDhe1U/catalogs' });
		expect(request.headers).toEqual({ Authorization: `Bearer ${KEY}` });
	});

	it('sends Trino requests the peakaKey extra credential only', async () => {
		const submit = await authenticated({ url: 'https://dbc.peaka.studio:4567/v1/statement', headers: { 'X-Trino-User': 'n8n' } });
		expect(submit.headers).toEqual({ 'X-Trino-User': 'n8n', 'X-Trino-Extra-Credential': `peakaKey=${KEY}` });

		const page = await authenticated({ url: 'https://dbc.peaka.studio:4567/v1/statement/executing/q1/xabc/2' });
		expect(page.headers).toEqual({ 'X-Trino-Extra-Credential': `peakaKey=${KEY}` });
	});

	it("reads the older helpers' uri field", async () => {
		const legacy = { uri: 'https://dbc.peaka.studio:4567/v1/statement' } as unknown as IHttpRequestOptions;
		expect((await authenticated(legacy)).headers).toEqual({ 'X-Trino-Extra-Credential': `peakaKey=${KEY}` });
		const rest = { uri: 'https://partner.peaka.studio/api/v1/info' } as unknown as IHttpRequestOptions;
		expect((await authenticated(rest)).headers).toEqual({ Authorization: `Bearer ${KEY}` });
	});

	it('encodes characters Trino would split on', async () => {
		const { authenticate } = new PeakaApi();
		if (typeof authenticate !== 'function') throw new Error('PeakaApi.authenticate must be a function');
		const request = await authenticate({ apiKey: 'a,b=c' }, { url: 'http://127.0.0.1:1/v1/statement' });
		expect(request.headers).toEqual({ 'X-Trino-Extra-Credential': 'peakaKey=a%2Cb%3Dc' });
	});
});

describe('resolveTrinoUrl', () => {
	it('follows the US and EU zones', () => {
		expect(resolveTrinoUrl({ zone: 'us' })).toBe('https://dbc.peaka.studio:4567');
		expect(resolveTrinoUrl({})).toBe('https://dbc.peaka.studio:4567');
		expect(resolveTrinoUrl({ zone: 'eu' })).toBe('https://dbc.eu.peaka.studio:4567');
	});

	it('takes the Custom zone endpoint without a trailing slash', () => {
		expect(resolveTrinoUrl({ zone: 'custom', trinoUrl: ' https://dbc.peaka.example.com:4567/ ' })).toBe(
			'https://dbc.peaka.example.com:4567',
		);
		expect(resolveTrinoUrl({ zone: 'custom', trinoUrl: 'http://127.0.0.1:4568' })).toBe('http://127.0.0.1:4568');
	});

	it('rejects a missing, invalid or plain-http Custom endpoint', () => {
		expect(() => resolveTrinoUrl({ zone: 'custom' })).toThrow("The Peaka credential's Trino Endpoint is empty");
		expect(() => resolveTrinoUrl({ zone: 'custom', trinoUrl: 'dbc:4567' })).toThrow("uses 'dbc:', not http or https");
		expect(() => resolveTrinoUrl({ zone: 'custom', trinoUrl: 'not a url' })).toThrow("Trino Endpoint 'not a url' is not a valid URL");
		expect(() => resolveTrinoUrl({ zone: 'custom', trinoUrl: 'http://10.0.0.5:4567' })).toThrow('plain http on 10.0.0.5');
		expect(resolveTrinoUrl({ zone: 'custom', trinoUrl: 'http://10.0.0.5:4567', allowUnencryptedHttp: true })).toBe(
			'http://10.0.0.5:4567',
		);
	});
});

describe('streamingStatement', () => {
	const base = { sql: '', qualifiedName: '', parameterValues: [] as unknown[] };

	it('sends SQL as written and a qualified name as SELECT *', () => {
		expect(streamingStatement({ ...base, source: 'statement', sql: "SELECT '?' AS q -- ?" })).toBe("SELECT '?' AS q -- ?");
		expect(streamingStatement({ ...base, source: 'qualifiedName', qualifiedName: ' peaka."query".x ' })).toBe(
			'SELECT * FROM peaka."query".x',
		);
	});

	it('rejects parameters, placeholders and sources without SQL', () => {
		expect(() => streamingStatement({ ...base, source: 'statement', sql: 'SELECT ?' })).toThrow(
			'The Streaming engine does not take query parameters or ? placeholders',
		);
		expect(() => streamingStatement({ ...base, source: 'statement', sql: 'SELECT 1', parameterValues: [1] })).toThrow(
			'does not take query parameters',
		);
		expect(() => streamingStatement({ ...base, source: 'savedQuery' })).toThrow('cannot run a saved query source');
		expect(() => streamingStatement({ ...base, source: 'builder' })).toThrow('cannot run a query-builder JSON source');
		expect(() => streamingStatement({ ...base, source: 'statement', sql: '  ' })).toThrow("The 'SQL' parameter is empty");
	});
});
