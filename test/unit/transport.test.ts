import { checkApiKey, CredentialSettingError, resolveBaseUrl } from '../../nodes/Peaka/transport/base-url';
import { describeFailure, excerpt, readFailureBody } from '../../nodes/Peaka/transport/errors';
import { parseRetryAfter } from '../../nodes/Peaka/transport';

describe('resolveBaseUrl', () => {
	it('maps the zones to Peaka hosts', () => {
		expect(resolveBaseUrl({ zone: 'us' })).toBe('https://partner.peaka.studio/api/v1');
		expect(resolveBaseUrl({ zone: 'eu' })).toBe('https://partner.eu.peaka.studio/api/v1');
		expect(resolveBaseUrl({})).toBe('https://partner.peaka.studio/api/v1');
	});

	it('accepts https and loopback http custom URLs, trimming the slash', () => {
		expect(resolveBaseUrl({ zone: 'custom', baseUrl: 'https://peaka.example.com/api/v1/' })).toBe(
			'https://peaka.example.com/api/v1',
		);
		expect(resolveBaseUrl({ zone: 'custom', baseUrl: 'http://127.0.0.1:4010/api/v1' })).toBe('http://127.0.0.1:4010/api/v1');
		expect(resolveBaseUrl({ zone: 'custom', baseUrl: 'http://[::1]:4010/api/v1' })).toBe('http://[::1]:4010/api/v1');
	});

	it('rejects plain http elsewhere unless allowed', () => {
		expect(() => resolveBaseUrl({ zone: 'custom', baseUrl: 'http://peaka.internal/api/v1' })).toThrow(/unencrypted/);
		expect(resolveBaseUrl({ zone: 'custom', baseUrl: 'http://peaka.internal/api/v1', allowUnencryptedHttp: true })).toBe(
			'http://peaka.internal/api/v1',
		);
	});

	it('names the Base URL field when it is not a URL', () => {
		expect(() => resolveBaseUrl({ zone: 'custom', baseUrl: 'peaka.example.com' })).toThrow(
			"The Peaka credential's Base URL 'peaka.example.com' is not a valid URL",
		);
		expect(() => resolveBaseUrl({ zone: 'custom', baseUrl: 'ftp://peaka.example.com' })).toThrow(/'ftp:'/);
	});
});

describe('checkApiKey', () => {
	it('rejects empty keys and keys with whitespace without echoing them', () => {
		expect(() => checkApiKey('')).toThrow(/API Key is empty/);
		let caught: unknown;
		try {
			checkApiKey('TtgGcQFq.Zq9X\nwV7pLm');
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(CredentialSettingError);
		expect((caught as Error).message).toMatch(/a line break inside it/);
		expect(JSON.stringify(caught) + (caught as Error).message).not.toContain('wV7pLm');
		expect(() => checkApiKey('TtgGcQFq.s3fz')).not.toThrow();
		expect(() => checkApiKey(' TtgGcQFq.s3fz\n')).not.toThrow();
	});
});

describe('readFailureBody', () => {
	it.each([
		[{ errorCode: 100, message: 'There is no query with id: 7' }, { peakaMessage: 'There is no query with id: 7', errorCode: '100', errorName: undefined }],
		[{ error: 'WrongRequestException', message: 'Cache settings not found', errorCode: null }, { peakaMessage: 'Cache settings not found', errorCode: undefined, errorName: 'WrongRequestException' }],
		[{ errorCode: 'TABLE_NOT_CACHEABLE', message: 'no' }, { peakaMessage: 'no', errorCode: 'TABLE_NOT_CACHEABLE', errorName: undefined }],
		[{ code: 7, reason: 'quota' }, { peakaMessage: 'quota', errorCode: '7', errorName: undefined }],
		[{ error: 'Bad Request' }, { peakaMessage: 'Bad Request', errorCode: undefined, errorName: 'Bad Request' }],
	])('reads %j', (body, expected) => {
		expect(readFailureBody(body)).toEqual(expected);
	});

	it('reduces an HTML page to its text', () => {
		const html = '<html><head><style>p{}</style></head><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>';
		expect(readFailureBody(html).peakaMessage).toBe('502 Bad Gateway nginx');
		expect(excerpt('x'.repeat(400))).toHaveLength(301);
	});
});

describe('describeFailure', () => {
	const base = { method: 'POST', path: '/data/projects/p/queries/execute', host: 'partner.peaka.studio', attempts: 1, notRepeated: false };

	it('explains a refused write statement', () => {
		const { message, description } = describeFailure({
			...base,
			status: 400,
			peakaMessage: "Statement type 'Insert' is not allowed",
			errorCode: '100',
		});
		expect(message).toBe("Peaka runs only queries here: Statement type 'Insert' is not allowed");
		expect(description).toMatch(/only through its import endpoint/);
		expect(description).toContain('answered 400 (errorCode 100)');
	});

	it('names the host on a 401', () => {
		expect(describeFailure({ ...base, status: 401, peakaMessage: '' }).message).toBe(
			'Peaka rejected the API key (401) at partner.peaka.studio',
		);
	});

	it('says a write was not repeated after a 5xx', () => {
		expect(describeFailure({ ...base, status: 503, peakaMessage: 'down', notRepeated: true }).description).toMatch(
			/not repeated because Peaka may already have applied it/,
		);
	});
});

describe('parseRetryAfter', () => {
	it('reads seconds and HTTP dates', () => {
		expect(parseRetryAfter('2')).toBe(2000);
		expect(parseRetryAfter('0.5')).toBe(500);
		expect(parseRetryAfter('Fri, 04 Dec 2026 20:00:10 GMT', Date.parse('Fri, 04 Dec 2026 20:00:00 GMT'))).toBe(10_000);
		expect(parseRetryAfter('soon')).toBeUndefined();
		expect(parseRetryAfter(undefined)).toBeUndefined();
	});
});
