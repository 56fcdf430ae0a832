import {
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
	type JsonObject,
	NodeApiError,
	NodeOperationError,
	sleep,
} from 'n8n-workflow';

import { parseJsonLossless } from '../helpers/lossless-json';
import { normalizeApiKey, type PeakaCredentialData, redactApiKey, resolveBaseUrl } from './base-url';
import {
	createApiError,
	excerpt,
	type FailureDescriber,
	type PeakaFailure,
	readFailureBody,
	withExactMessage,
} from './errors';

export type PeakaContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export const CREDENTIAL_TYPE = 'peakaApi';

export const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_ATTEMPTS = 4;
const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 8_000;
// A Retry-After longer than this fails the request instead of holding the execution.
const MAX_RETRY_AFTER_MS = 60_000;
// A REST response is read whole into memory. Past this size the node stops with advice,
// because a larger body risks the worker's heap and V8's maximum string length (about 512 MiB).
export const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

const RETRYABLE_STATUSES = new Set([500, 502, 503, 504]);
const EXECUTE_PATH = /\/queries\/execute$/;
// Node.js codes for a certificate it cannot verify; repeating the request cannot help.
const TLS_FAILURE = /CERT|SIGNATURE|SELF_SIGNED|ERR_TLS|ERR_SSL/;
const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'EPIPE',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ETIMEDOUT',
	'ECONNABORTED',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
	// axios reports a body that ended before its Content-Length this way.
	'ERR_BAD_RESPONSE',
]);

export interface PeakaRequest {
	method: IHttpRequestMethods;
	/** Path below the base URL, e.g. `/data/projects/mtKDhe1U/queries`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject | IDataObject[];
	timeoutMs?: number;
	/**
	 * Whether sending the request twice cannot change anything twice. Reads are; creates
	 * and job triggers are not, so a 5xx or a dropped connection is not retried for them.
	 * Defaults to true for GET and HEAD.
	 */
	idempotent?: boolean;
	itemIndex?: number;
	describeFailure?: FailureDescriber;
	maxResponseBytes?: number;
	/**
	 * Whether a successful response carries a secret (a new API key, a URL with the caller's
	 * key). Errors about such a response then never quote its body.
	 */
	secretInResponse?: boolean;
	/**
	 * Whether a successful response must have a body. An empty 200 is then treated like a
	 * response cut off on the way. Defaults to true for GET and for Peaka's execute endpoint.
	 */
	expectBody?: boolean;
	/** A body sent as given with its content type (a multipart upload), in place of a JSON `body`. */
	rawBody?: { data: Buffer; contentType: string };
	/** Whether to return a successful response's bytes unparsed (a CSV download). */
	rawResponse?: boolean;
}

interface RawResponse {
	statusCode: number;
	statusMessage?: string;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

/** Sends one request to Peaka's REST API with retries, and returns the parsed body. */
export async function peakaApiRequest(this: PeakaContext, request: PeakaRequest): Promise<unknown> {
	const node = this.getNode();
	const credential = await this.getCredentials<PeakaCredentialData>(CREDENTIAL_TYPE);
	let baseUrl: string;
	let apiKey: string;
	try {
		apiKey = normalizeApiKey(credential.apiKey);
		baseUrl = resolveBaseUrl(credential);
	} catch (error) {
		// A CredentialSettingError's description names the credential field to fix.
		throw new NodeOperationError(node, error as Error, { itemIndex: request.itemIndex });
	}

	const idempotent = request.idempotent ?? (request.method === 'GET' || request.method === 'HEAD');
	// Peaka's execute endpoint always returns a body with a success, for every caller.
	const expectBody = request.expectBody ?? (request.method === 'GET' || EXECUTE_PATH.test(request.path));
	const host = new URL(baseUrl).host;
	const options: IHttpRequestOptions = {
		method: request.method,
		baseURL: baseUrl,
		url: request.path,
		qs: request.qs,
		body: request.body,
		headers: { Accept: 'application/json' },
		json: false,
		encoding: 'arraybuffer',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
	};
	if (request.body !== undefined) {
		options.headers = { ...options.headers, 'Content-Type': 'application/json' };
		options.body = JSON.stringify(request.body);
	}
	if (request.rawBody !== undefined) {
		options.headers = { ...options.headers, 'Content-Type': request.rawBody.contentType };
		options.body = request.rawBody.data;
	}

	for (let attempt = 1; ; attempt++) {
		let response: RawResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_TYPE,
				{ ...options },
			)) as RawResponse;
		} catch (error) {
			const failure = classifyNetworkError(error);
			// n8n cancelled the execution: the wrapped error is handed back, minus the request
			// headers that axios keeps on it, which carry the key.
			if (failure.cancelled) throw new NodeApiError(node, withoutRequestConfig(error) as JsonObject);
			if (failure.retryable && idempotent && attempt < MAX_ATTEMPTS) {
				await sleep(backoffMs(attempt));
				continue;
			}
			throw networkError(node, request, host, failure, attempt, idempotent, options.timeout as number);
		}

		const { statusCode } = response;
		if (statusCode >= 200 && statusCode < 300) {
			if (request.rawResponse === true) return bodyBytes(response.body);
			const parsed = parseBody(response, request.maxResponseBytes ?? MAX_RESPONSE_BYTES, request.secretInResponse === true, expectBody);
			if (parsed.ok) return parsed.value;
			if (parsed.retryable && idempotent && attempt < MAX_ATTEMPTS) {
				await sleep(backoffMs(attempt));
				continue;
			}
			const message = redactApiKey(parsed.message, apiKey);
			const description = idempotent
				? `${parsed.description} The node tried ${attempt} time${attempt === 1 ? '' : 's'}.`
				: `${parsed.description} The request was not repeated because Peaka may already have applied it: check its result in Peaka before running it again.`;
			throw withExactMessage(
				new NodeApiError(
					node,
					{ httpCode: String(statusCode), method: request.method, path: request.path },
					{
						message,
						description,
						httpCode: String(statusCode),
						itemIndex: request.itemIndex,
					},
				),
				message,
			);
		}

		const retryAfterMs = statusCode === 429 ? parseRetryAfter(response.headers['retry-after']) : undefined;
		const mayRetry =
			statusCode === 429 || (RETRYABLE_STATUSES.has(statusCode) && idempotent);
		if (mayRetry && attempt < MAX_ATTEMPTS && (retryAfterMs ?? 0) <= MAX_RETRY_AFTER_MS) {
			await sleep(retryAfterMs ?? backoffMs(attempt));
			continue;
		}

		const body = readFailureBody(decodeBodyForError(response));
		const failure: PeakaFailure = {
			status: statusCode,
			method: request.method,
			path: request.path,
			host,
			...body,
			// Peaka's messages are shown to the user; one that quotes the key must not repeat it.
			peakaMessage: redactApiKey(body.peakaMessage, apiKey),
			attempts: attempt,
			notRepeated: statusCode >= 500 && !idempotent,
		};
		throw createApiError(node, failure, request.describeFailure, request.itemIndex);
	}
}

function backoffMs(attempt: number): number {
	const exponential = FIRST_BACKOFF_MS * 2 ** (attempt - 1);
	const jitter = Math.floor(Math.random() * FIRST_BACKOFF_MS);
	return Math.min(MAX_BACKOFF_MS, exponential + jitter);
}

/** Reads Retry-After as seconds or as an HTTP date. */
export function parseRetryAfter(header: string | string[] | undefined, now = Date.now()): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (!value) return undefined;
	if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.ceil(Number(value) * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

type ParsedBody =
	| { ok: true; value: unknown }
	| { ok: false; retryable: boolean; message: string; description: string };

function bodyText(body: unknown): string {
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
	if (typeof body === 'string') return body;
	return '';
}

function bodyBytes(body: unknown): Buffer {
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	return Buffer.from(bodyText(body), 'utf8');
}

function contentTypeOf(response: RawResponse): string {
	const header = response.headers['content-type'];
	return (Array.isArray(header) ? header[0] : (header ?? '')).toLowerCase();
}

function parseBody(response: RawResponse, maxBytes: number, secret: boolean, expectBody: boolean): ParsedBody {
	const { body } = response;
	if (body !== null && typeof body === 'object' && !Buffer.isBuffer(body) && !(body instanceof ArrayBuffer)) {
		return { ok: true, value: body };
	}
	let size = bodyText(body).length;
	if (Buffer.isBuffer(body)) size = body.length;
	else if (body instanceof ArrayBuffer) size = body.byteLength;
	if (size > maxBytes) {
		return {
			ok: false,
			retryable: false,
			message: `Peaka's response is ${Math.round(size / 1024 / 1024)} MiB, more than the ${Math.round(maxBytes / 1024 / 1024)} MiB this node reads in one piece`,
			description:
				"Narrow the query with WHERE or LIMIT, select fewer columns, or export the result with Peaka's Export operation and download the file.",
		};
	}
	const text = bodyText(body);
	if (text.trim() === '') {
		if (!expectBody) return { ok: true, value: undefined };
		return {
			ok: false,
			retryable: true,
			message: `Peaka's response (${response.statusCode}) has an empty body where data was expected`,
			description: 'The response may have been cut off on the way, or a proxy replaced it. Run the node again; if it keeps happening, check the network path to Peaka.',
		};
	}

	const contentType = contentTypeOf(response);
	const looksJson = /^\s*[[{"]/.test(text) || /^\s*(-?\d|true|false|null)/.test(text);
	if (contentType.includes('html') || (!contentType.includes('json') && !looksJson)) {
		return {
			ok: false,
			retryable: true,
			message: `Peaka's response (${response.statusCode}) is ${contentType || 'of an unknown content type'} instead of JSON${secret ? '' : `: ${excerpt(text)}`}`,
			description: 'A proxy or gateway between n8n and Peaka may have sent this response. Check the Base URL and any proxy settings.',
		};
	}
	try {
		return { ok: true, value: parseJsonLossless(text) };
	} catch (error) {
		return {
			ok: false,
			retryable: true,
			// JSON.parse quotes part of the text in its message, so a secret body keeps it out.
			message: `Peaka's response could not be read as JSON${secret ? '' : ` (${(error as Error).message})`}`,
			description: 'The response may have been cut off on the way. Run the node again; if it keeps happening, check the network path to Peaka.',
		};
	}
}

function decodeBodyForError(response: RawResponse): unknown {
	const { body } = response;
	if (body !== null && typeof body === 'object' && !Buffer.isBuffer(body) && !(body instanceof ArrayBuffer)) {
		return body;
	}
	const text = bodyText(body);
	if (text.trim() === '') return response.statusMessage ?? '';
	if (contentTypeOf(response).includes('json') || /^\s*[[{]/.test(text)) {
		try {
			return parseJsonLossless(text);
		} catch {
			return text;
		}
	}
	return text;
}

interface NetworkFailure {
	code: string;
	reason: string;
	retryable: boolean;
	timedOut: boolean;
	cancelled: boolean;
}

function classifyNetworkError(error: unknown): NetworkFailure {
	const candidates = [error, (error as { cause?: unknown })?.cause, (error as { cause?: { cause?: unknown } })?.cause?.cause];
	let code = '';
	let reason = '';
	for (const candidate of candidates) {
		if (!candidate || typeof candidate !== 'object') continue;
		const fields = candidate as { code?: unknown; message?: unknown; name?: unknown };
		if (!code && typeof fields.code === 'string') code = fields.code;
		if (!reason && typeof fields.message === 'string') reason = fields.message;
		if (fields.name === 'AbortError' || fields.name === 'CanceledError' || fields.code === 'ERR_CANCELED') {
			return { code: 'ERR_CANCELED', reason, retryable: false, timedOut: false, cancelled: true };
		}
	}
	const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(reason);
	return {
		code,
		reason,
		retryable: !timedOut && (RETRYABLE_NETWORK_CODES.has(code) || /socket hang up|ECONNRESET/i.test(reason)),
		timedOut,
		cancelled: false,
	};
}

function networkError(
	node: ReturnType<PeakaContext['getNode']>,
	request: PeakaRequest,
	host: string,
	failure: NetworkFailure,
	attempts: number,
	idempotent: boolean,
	timeoutMs: number,
): NodeApiError {
	const where = `${request.method} ${request.path} on ${host}`;
	let message: string;
	let description: string;
	if (TLS_FAILURE.test(failure.code)) {
		message = `n8n does not trust the TLS certificate of ${host}`;
		description = `${where} failed (${failure.code}): the certificate is self-signed or from a private CA. If this Peaka uses a private CA, start n8n with NODE_EXTRA_CA_CERTS set to that CA's PEM file; otherwise check the Base URL.`;
	} else if (failure.timedOut) {
		message = `The request to Peaka timed out after ${Math.round(timeoutMs / 1000)} seconds`;
		// Only operations with a Timeout option pass their own timeout; the others use the default.
		const advice =
			request.timeoutMs === undefined
				? 'Run it again later; if it keeps timing out, check that Peaka is reachable and responding.'
				: 'Raise the Timeout option, add a LIMIT or WHERE to the query, or export large results instead.';
		description = idempotent
			? `${where} timed out. ${advice}`
			: `${where} timed out and was not repeated because Peaka may still apply it: check its result in Peaka before running it again.`;
	} else {
		const cause = failure.code || failure.reason || 'connection error';
		message =
			failure.code === 'ERR_BAD_RESPONSE'
				? 'Peaka\'s response was cut off before it was complete'
				: 'The request to Peaka failed before an answer arrived';
		description = idempotent
			? `${where} failed ${attempts} times (${cause}). Check that ${host} is reachable from n8n, including any proxy.`
			: `${where} failed (${cause}) and was not repeated because Peaka may already have applied it: check its result in Peaka before running it again.`;
	}
	return withExactMessage(
		new NodeApiError(
			node,
			{ networkCode: failure.code, method: request.method, path: request.path },
			{ message, description, itemIndex: request.itemIndex },
		),
		message,
	);
}

/** Returns a copy of an axios error without its request config, whose headers carry the key. */
function withoutRequestConfig(error: unknown): unknown {
	if (!error || typeof error !== 'object') return error;
	const copy = Object.assign(Object.create(Object.getPrototypeOf(error) as object) as object, error) as Record<string, unknown>;
	delete copy.config;
	delete copy.request;
	return copy;
}
