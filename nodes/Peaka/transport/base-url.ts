/** The REST base URL of a Peaka credential, and the rule that keeps the key off plain http. */

export const ZONE_BASE_URLS = {
	us: 'https://partner.peaka.studio/api/v1',
	eu: 'https://partner.eu.peaka.studio/api/v1',
} as const;

export interface PeakaCredentialData {
	apiKey?: string;
	zone?: 'us' | 'eu' | 'custom';
	baseUrl?: string;
	allowUnencryptedHttp?: boolean;
}

/** A credential setting that cannot work; the message names the field and the fix. */
export class CredentialSettingError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
	}
}

export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Resolves the base URL for the credential's zone, checking a custom one. */
export function resolveBaseUrl(credential: PeakaCredentialData): string {
	const zone = credential.zone ?? 'us';
	if (zone === 'us' || zone === 'eu') return ZONE_BASE_URLS[zone];

	const raw = String(credential.baseUrl ?? '').trim();
	const url = parseUrl(raw);
	if (!url) {
		throw new CredentialSettingError(
			`The Peaka credential's Base URL '${raw}' is not a valid URL`,
			'Enter the full REST API root, e.g. https://peaka.example.com/api/v1, or pick the US or EU zone.',
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new CredentialSettingError(
			`The Peaka credential's Base URL uses '${url.protocol}', not http or https`,
			'Enter an https URL, e.g. https://peaka.example.com/api/v1.',
		);
	}
	if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !credential.allowUnencryptedHttp) {
		throw new CredentialSettingError(
			`The Peaka credential's Base URL uses plain http on ${url.hostname}, which would send the API key unencrypted`,
			"Use an https URL, or turn on 'Allow Unencrypted HTTP' in the credential if this network is trusted.",
		);
	}
	return raw.replace(/\/+$/, '');
}

/** Rejects keys that cannot be right, without ever echoing the key. */
export function checkApiKey(apiKey: unknown): void {
	const key = typeof apiKey === 'string' ? apiKey : '';
	if (key.length === 0) {
		throw new CredentialSettingError(
			"The Peaka credential's API Key is empty",
			'Paste a partner or project API key from Peaka Studio into the credential.',
		);
	}
	if (/\s/.test(key)) {
		throw new CredentialSettingError(
			"The Peaka credential's API Key contains a space or a line break",
			'Paste the key again without surrounding spaces or line breaks; Peaka keys are one word like abcd1234.secret.',
		);
	}
}

function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}
