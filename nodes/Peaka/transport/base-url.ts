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

	return checkCustomUrl(String(credential.baseUrl ?? '').trim(), credential.allowUnencryptedHttp === true, {
		field: 'Base URL',
		example: 'https://peaka.example.com/api/v1',
		fixInvalid: 'Enter the full REST API root, e.g. https://peaka.example.com/api/v1, or pick the US or EU zone.',
	});
}

/**
 * Checks a URL entered in the credential for a custom Peaka (the REST root or the Trino endpoint)
 * and returns it without trailing slashes. Plain http is allowed on loopback, or elsewhere only
 * behind the credential's explicit switch, because the key would cross the network in clear.
 */
export function checkCustomUrl(
	raw: string,
	allowUnencryptedHttp: boolean,
	{ field, example, fixInvalid }: { field: string; example: string; fixInvalid: string },
): string {
	const url = parseUrl(raw);
	if (!url) {
		throw new CredentialSettingError(`The Peaka credential's ${field} '${raw}' is not a valid URL`, fixInvalid);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new CredentialSettingError(
			`The Peaka credential's ${field} uses '${url.protocol}', not http or https`,
			`Enter an https URL, e.g. ${example}.`,
		);
	}
	if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !allowUnencryptedHttp) {
		throw new CredentialSettingError(
			`The Peaka credential's ${field} uses plain http on ${url.hostname}, which would send the API key unencrypted`,
			"Use an https URL, or turn on 'Allow Unencrypted HTTP' in the credential if this network is trusted.",
		);
	}
	return raw.replace(/\/+$/, '');
}

/**
 * Returns the key as it is sent: surrounding spaces and line breaks, which a paste often
 * brings along, are dropped. A key that is empty or has whitespace inside is rejected, and
 * the message never echoes the key.
 */
export function normalizeApiKey(apiKey: unknown): string {
	const key = typeof apiKey === 'string' ? apiKey.trim() : '';
	if (key.length === 0) {
		throw new CredentialSettingError(
			"The Peaka credential's API Key is empty",
			'Paste a partner or project API key from Peaka Studio into the credential.',
		);
	}
	if (/\s/.test(key)) {
		const what = /[\r\n]/.test(key) ? 'a line break' : 'a space';
		throw new CredentialSettingError(
			`The Peaka credential's API Key contains ${what} inside it`,
			'Paste the key again as one line without spaces; Peaka keys look like abcd1234.secret.',
		);
	}
	return key;
}

/** Rejects keys that cannot be right, without ever echoing the key. */
export function checkApiKey(apiKey: unknown): void {
	normalizeApiKey(apiKey);
}

/** Replaces every copy of the key (and of its secret part) in a text with a masked form. */
export function redactApiKey(text: string, apiKey: string): string {
	if (apiKey.length < 8 || !text) return text;
	const [prefix, secret] = apiKey.includes('.') ? [apiKey.slice(0, apiKey.indexOf('.')), apiKey.slice(apiKey.indexOf('.') + 1)] : ['', apiKey];
	const masked = prefix ? `${prefix}.****` : '****';
	let result = text.split(apiKey).join(masked).split(encodeURIComponent(apiKey)).join(masked);
	if (secret.length >= 8) result = result.split(secret).join('****');
	return result;
}

function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}
