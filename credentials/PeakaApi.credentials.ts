import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

// The credential test runs as an n8n expression, so the zone-to-URL rule and the
// plain-http guard are written out here as well as in the node's transport
// (nodes/Peaka/transport/base-url.ts), which applies the same rule to every request.
const TEST_BASE_URL_EXPRESSION = `={{ (() => {
	if (/\\s/.test(String($credentials.apiKey || '').trim())) {
		throw new Error('API Key contains a space or a line break inside it. Paste the key again as one line');
	}
	const zone = $credentials.zone || 'us';
	if (zone === 'us') return 'https://partner.peaka.studio/api/v1';
	if (zone === 'eu') return 'https://partner.eu.peaka.studio/api/v1';
	const raw = String($credentials.baseUrl || '').trim().replace(/\\/+$/, '');
	if (!/^https?:\\/\\/[^\\s/]+/i.test(raw)) {
		throw new Error('Base URL must be a full http(s) URL, e.g. https://peaka.example.com/api/v1');
	}
	const host = raw.replace(/^https?:\\/\\//i, '').split(/[/:?#]/)[0].replace(/^\\[|\\]$/g, '');
	const loopback = host === 'localhost' || host === '::1' || /^127\\./.test(host);
	if (/^http:/i.test(raw) && !loopback && !$credentials.allowUnencryptedHttp) {
		throw new Error('Base URL uses plain http, which would send the API key unencrypted. Use https, or turn on Allow Unencrypted HTTP');
	}
	return raw;
})() }}`;

export class PeakaApi implements ICredentialType {
	name = 'peakaApi';

	displayName = 'Peaka API';

	icon: Icon = { light: 'file:../icons/peaka.svg', dark: 'file:../icons/peaka.dark.svg' };

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased -- a community credential links to its service's docs, not to an n8n docs slug
	documentationUrl = 'https://docs.peaka.com/api-reference/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'A partner key (Peaka Studio → Developer) reaches the whole account; a project key (project Settings → API Keys) reaches one project',
		},
		{
			displayName: 'Zone',
			name: 'zone',
			type: 'options',
			options: [
				{
					name: 'US',
					value: 'us',
					description: 'https://partner.peaka.studio/api/v1',
				},
				{
					name: 'EU',
					value: 'eu',
					description: 'https://partner.eu.peaka.studio/api/v1',
				},
				{
					name: 'Custom',
					value: 'custom',
					description: 'A dedicated or on-premises Peaka, or a local emulator',
				},
			],
			default: 'us',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://peaka.example.com/api/v1',
			description: 'The REST API root, ending in /api/v1',
			displayOptions: { show: { zone: ['custom'] } },
		},
		{
			displayName: 'Trino Endpoint',
			name: 'trinoUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://dbc.peaka.example.com:4567',
			description:
				"The root URL of Peaka's Trino-protocol endpoint, used by the Streaming engine. The US and EU zones use https://dbc.peaka.studio:4567 and https://dbc.eu.peaka.studio:4567.",
			displayOptions: { show: { zone: ['custom'] } },
		},
		{
			displayName: 'Allow Unencrypted HTTP',
			name: 'allowUnencryptedHttp',
			type: 'boolean',
			default: false,
			description:
				'Whether to allow a plain http Base URL on a host other than this machine. The API key then crosses the network unencrypted.',
			displayOptions: { show: { zone: ['custom'] } },
		},
	];

	// The REST API takes the key as a Bearer token; the Trino protocol takes it as the extra
	// credential peakaKey, as Peaka's own @peaka/client sends it, and gets no Authorization header
	// because a Trino coordinator may read one as its own login. Choosing the header here keeps the
	// key inside n8n's credential handling: the node sends every request, the Streaming ones too,
	// through httpRequestWithAuthentication and never reads the key itself.
	authenticate: IAuthenticate = async (credentials, requestOptions) =>
		await Promise.resolve(addKeyHeader(credentials, requestOptions));

	// GET /connections/config is documented, open to both key kinds, needs no project
	// id and does not echo the key back.
	test: ICredentialTestRequest = {
		request: {
			baseURL: TEST_BASE_URL_EXPRESSION,
			url: '/connections/config',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Peaka rejected the API key (401). Copy the key again from Peaka Studio, and check that it belongs to the selected zone.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Peaka accepted the key but refused access (403). A project key works only within its own project; use a partner key for account-wide access.',
				},
			},
		],
	};
}

// Paths of Trino's client protocol: statements, their result pages, and query cancellation.
const TRINO_PROTOCOL_PATH = /\/v1\/(statement|query)(\/|$)/;

function requestPath(requestOptions: IHttpRequestOptions): string {
	// n8n's older request helpers (used by the HTTP Request node) name the address `uri`.
	const target = requestOptions.url ?? (requestOptions as unknown as { uri?: string }).uri ?? '';
	try {
		return new URL(target, requestOptions.baseURL).pathname;
	} catch {
		return target;
	}
}

function addKeyHeader(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): IHttpRequestOptions {
	// Spaces or a line break pasted around the key are dropped, as the node's transport does.
	const apiKey = String(credentials.apiKey ?? '').trim();
	const headers = { ...(requestOptions.headers ?? {}) };
	if (TRINO_PROTOCOL_PATH.test(requestPath(requestOptions))) {
		// Trino URL-decodes extra credential values; Peaka keys are letters, digits and a dot.
		headers['X-Trino-Extra-Credential'] = `peakaKey=${encodeURIComponent(apiKey)}`;
	} else {
		headers.Authorization = `Bearer ${apiKey}`;
	}
	return { ...requestOptions, headers };
}
