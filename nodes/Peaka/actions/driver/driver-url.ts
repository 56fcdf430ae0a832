import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../transport';
import type { PeakaCredentialData } from '../../transport/base-url';

export const includeApiKeyProperty: INodeProperties = {
	displayName: 'Include API Key',
	name: 'includeApiKey',
	type: 'boolean',
	default: false,
	description:
		"Whether to return the URL with the credential's API key in it. Off, the key's secret part is masked (e.g. TtgGcQFq.****), because anyone who can read the execution data could use the key.",
};

// Peaka embeds the key as `peakaKey:<key>` (JDBC) and `["peakaKey","<key>"]` (SQLAlchemy). These
// patterns also catch a key other than the credential's, should Peaka ever embed one.
const EMBEDDED_KEY_PATTERNS = [/(peakaKey:)([^&\s"\]]+)/g, /("peakaKey"\s*,\s*")([^"]+)/g];

/** Returns the key with its secret replaced: `TtgGcQFq.****`. */
export function maskKey(key: string): string {
	const dot = key.indexOf('.');
	return dot > 0 ? `${key.slice(0, dot)}.****` : '****';
}

/**
 * Masks the API key inside every string of a Supported Drivers response: the credential's own key
 * wherever it appears (as sent or URL-encoded), and any key in Peaka's two embedding forms.
 */
export function maskDriverUrls(body: IDataObject, apiKey: string): IDataObject {
	const masked: IDataObject = {};
	for (const [name, value] of Object.entries(body)) {
		if (typeof value !== 'string') {
			masked[name] = value;
			continue;
		}
		let text = value;
		if (apiKey !== '') {
			text = text.split(apiKey).join(maskKey(apiKey)).split(encodeURIComponent(apiKey)).join(maskKey(apiKey));
		}
		for (const pattern of EMBEDDED_KEY_PATTERNS) {
			text = text.replace(pattern, (_match, before: string, key: string) => `${before}${key.endsWith('.****') ? key : maskKey(key)}`);
		}
		masked[name] = text;
	}
	return masked;
}

/** Reads the credential's key, only to find and mask it in Peaka's response. */
export async function credentialApiKey(context: IExecuteFunctions): Promise<string> {
	const credential = await context.getCredentials<PeakaCredentialData>(CREDENTIAL_TYPE);
	return String(credential.apiKey ?? '');
}
