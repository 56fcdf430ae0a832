import {
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type JsonObject,
	NodeApiError,
	NodeOperationError,
	sleep,
} from 'n8n-workflow';

import { parseJsonLossless } from '../helpers/lossless-json';
import { checkApiKey, checkCustomUrl, CredentialSettingError, type PeakaCredentialData } from './base-url';
import { excerpt, withExactMessage } from './errors';

/**
 * A client for Peaka's Trino-protocol endpoint, the Streaming engine's transport.
 *
 * The statement is sent with POST /v1/statement. Each response carries a `nextUri` for the next
 * page until the query ends, and a DELETE on the current `nextUri` cancels the query. Requests go
 * through n8n's httpRequestWithAuthentication, so the Peaka credential's `authenticate` puts the
 * key in the `X-Trino-Extra-Credential: peakaKey=...` header for these paths.
 */

export const TRINO_ZONE_URLS = {
	us: 'https://dbc.peaka.studio:4567',
	eu: 'https://dbc.eu.peaka.studio:4567',
} as const;

const CREDENTIAL_TYPE = 'peakaApi';
const STATEMENT_PATH = '/v1/statement';
const USER_AGENT_SOURCE = 'n8n-nodes-peaka';
// Peaka identifies the caller by the key; Trino's protocol still expects a user name.
const TRINO_USER = 'n8n';

/** Max wait for one page request. Trino returns a page, with or without rows, within about a second. */
const PAGE_REQUEST_TIMEOUT_MS = 60_000;
const CANCEL_TIMEOUT_MS = 5_000;
const MAX_ATTEMPTS = 4;
const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 4_000;
/** Pause after a page without rows that came back at once, so a server without long polling is not hammered. */
const EMPTY_PAGE_PAUSE_MS = 50;
// Trino's client protocol has clients retry these statuses. A 429 comes from gateways in front of it.
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

export interface TrinoCredentialData extends PeakaCredentialData {
	trinoUrl?: string;
}

export interface TrinoTypeSignature {
	rawType: string;
	arguments?: Array<{ kind: string; value: unknown }>;
}

export interface TrinoColumn {
	name: string;
	type: string;
	typeSignature?: TrinoTypeSignature;
}

interface TrinoError {
	message?: string;
	errorCode?: number;
	errorName?: string;
	errorType?: string;
}

interface TrinoResponse {
	id?: string;
	nextUri?: string;
	columns?: TrinoColumn[];
	data?: unknown[][];
	stats?: { state?: string };
	error?: TrinoError;
}

export interface StreamingRequest {
	sql: string;
	timeoutMs: number;
	itemIndex: number;
	/**
	 * Receives each page's rows with the result's columns. Returning false stops the query: the
	 * node cancels it on Peaka instead of reading the rest.
	 */
	onPage: (columns: TrinoColumn[], rows: unknown[][]) => boolean;
}

export interface StreamingOutcome {
	queryId: string;
	columns: TrinoColumn[];
	/** Whether the node cancelled the query before its last page, because onPage asked to stop. */
	stoppedEarly: boolean;
}

/** Resolves the Trino endpoint for the credential's zone, checking a custom one like the REST base URL. */
export function resolveTrinoUrl(credential: TrinoCredentialData): string {
	const zone = credential.zone ?? 'us';
	if (zone === 'us' || zone === 'eu') return TRINO_ZONE_URLS[zone];

	const raw = String(credential.trinoUrl ?? '').trim();
	if (raw === '') {
		throw new CredentialSettingError(
			"The Peaka credential's Trino Endpoint is empty, and the Streaming engine needs it for the Custom zone",
			'Enter the root URL of the Trino endpoint in the credential, e.g. https://dbc.peaka.example.com:4567, or set Engine to REST.',
		);
	}
	return checkCustomUrl(raw, credential.allowUnencryptedHttp === true, {
		field: 'Trino Endpoint',
		example: 'https://dbc.peaka.example.com:4567',
		fixInvalid: 'Enter the full root URL, e.g. https://dbc.peaka.example.com:4567.',
	});
}

interface Session {
	context: IExecuteFunctions;
	baseUrl: string;
	host: string;
	itemIndex: number;
	signal?: AbortSignal;
	deadline: number;
	timeoutMs: number;
	/** Replaces the key wherever a server's text might echo it. */
	scrub: (text: string) => string;
}

/** Runs one SQL statement on Peaka's Trino endpoint and hands its rows to `onPage` page by page. */
export async function runTrinoStatement(this: IExecuteFunctions, request: StreamingRequest): Promise<StreamingOutcome> {
	const credential = await this.getCredentials<TrinoCredentialData>(CREDENTIAL_TYPE);
	let baseUrl: string;
	try {
		checkApiKey(credential.apiKey);
		baseUrl = resolveTrinoUrl(credential);
	} catch (error) {
		// A CredentialSettingError's description names the credential field to fix.
		throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: request.itemIndex });
	}
	const apiKey = String(credential.apiKey ?? '').trim();
	const session: Session = {
		context: this,
		baseUrl,
		host: new URL(baseUrl).host,
		itemIndex: request.itemIndex,
		signal: this.getExecutionCancelSignal?.(),
		deadline: Date.now() + request.timeoutMs,
		timeoutMs: request.timeoutMs,
		scrub: (text) => (apiKey.length > 0 ? text.split(apiKey).join('[API key]') : text),
	};

	const submitted = await send(session, 'POST', `${baseUrl}${STATEMENT_PATH}`, request.sql);
	if (submitted === TIMEOUT_PASSED) throw timeoutError(session);
	if (submitted === EXECUTION_CANCELLED) throw cancelledError(session);
	let response: TrinoResponse = submitted;
	const queryId = response.id ?? '(unknown)';
	let columns: TrinoColumn[] = [];
	for (;;) {
		if (response.error) throw queryError(session, queryId, response.error);
		if (response.columns) columns = response.columns;
		const rows = response.data;
		const nextUri = response.nextUri ? sameEndpoint(session, response.nextUri) : undefined;
		if (rows && rows.length > 0) {
			let wanted = true;
			let conversionFailure: unknown;
			try {
				wanted = request.onPage(columns, rows);
			} catch (error) {
				conversionFailure = error;
			}
			if (conversionFailure !== undefined) {
				if (nextUri) await cancel(session, nextUri, queryId, 'a value could not be converted');
				throw conversionFailure;
			}
			if (!wanted) {
				if (nextUri) await cancel(session, nextUri, queryId, 'the node has the rows it needs');
				return { queryId, columns, stoppedEarly: nextUri !== undefined };
			}
		}
		if (!nextUri) return { queryId, columns, stoppedEarly: false };

		if (session.signal?.aborted) {
			await cancel(session, nextUri, queryId, 'the execution was cancelled');
			throw cancelledError(session, queryId);
		}
		if (Date.now() >= session.deadline) {
			await cancel(session, nextUri, queryId, 'the Timeout passed');
			throw timeoutError(session, queryId);
		}
		const startedAt = Date.now();
		const next = await send(session, 'GET', nextUri, undefined, queryId);
		if (next === TIMEOUT_PASSED) {
			await cancel(session, nextUri, queryId, 'the Timeout passed');
			throw timeoutError(session, queryId);
		}
		if (next === EXECUTION_CANCELLED) {
			await cancel(session, nextUri, queryId, 'the execution was cancelled');
			throw cancelledError(session, queryId);
		}
		response = next;
		if (!response.data?.length && response.nextUri && Date.now() - startedAt < EMPTY_PAGE_PAUSE_MS) {
			await sleep(EMPTY_PAGE_PAUSE_MS);
		}
	}
}

/**
 * Points a server-given nextUri at the configured endpoint. A Trino coordinator behind a proxy can
 * name an internal host or scheme in it, and following that host would send the key elsewhere.
 */
function sameEndpoint(session: Session, nextUri: string): string {
	const next = new URL(nextUri, session.baseUrl);
	return `${new URL(session.baseUrl).origin}${next.pathname}${next.search}`;
}

const TIMEOUT_PASSED = 'timeout passed';
const EXECUTION_CANCELLED = 'execution cancelled';
type Interruption = typeof TIMEOUT_PASSED | typeof EXECUTION_CANCELLED;

interface RawResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

function bodyText(body: unknown): string {
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
	if (typeof body === 'string') return body;
	return body === undefined || body === null ? '' : JSON.stringify(body);
}

function backoffMs(attempt: number): number {
	return Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (attempt - 1));
}

function isCancelError(error: unknown): boolean {
	const candidates = [error, (error as { cause?: unknown })?.cause];
	return candidates.some((candidate) => {
		const fields = (candidate ?? {}) as { name?: unknown; code?: unknown };
		return fields.name === 'AbortError' || fields.name === 'CanceledError' || fields.code === 'ERR_CANCELED';
	});
}

function isTimeoutError(error: unknown): boolean {
	const candidates = [error, (error as { cause?: unknown })?.cause];
	return candidates.some((candidate) => {
		const fields = (candidate ?? {}) as { code?: unknown; message?: unknown };
		return fields.code === 'ECONNABORTED' || fields.code === 'ETIMEDOUT' || /timeout/i.test(String(fields.message ?? ''));
	});
}

function networkCode(error: unknown): string {
	const candidates = [error, (error as { cause?: unknown })?.cause];
	for (const candidate of candidates) {
		const code = (candidate as { code?: unknown })?.code;
		if (typeof code === 'string') return code;
	}
	return 'connection error';
}

/**
 * Sends one protocol request and returns the parsed body. Pages are parsed with the lossless
 * parser because Trino sends BIGINT values as bare JSON numbers.
 */
async function send(
	session: Session,
	method: IHttpRequestMethods,
	url: string,
	sql?: string,
	queryId?: string,
): Promise<TrinoResponse | Interruption> {
	const { context } = session;
	for (let attempt = 1; ; attempt++) {
		const remainingMs = session.deadline - Date.now();
		if (remainingMs <= 0) return TIMEOUT_PASSED;
		const options: IHttpRequestOptions = {
			method,
			url,
			headers: {
				Accept: 'application/json',
				'X-Trino-User': TRINO_USER,
				'X-Trino-Source': USER_AGENT_SOURCE,
				...(sql !== undefined && { 'Content-Type': 'text/plain; charset=utf-8' }),
			},
			body: sql,
			json: false,
			encoding: 'arraybuffer',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: Math.min(remainingMs, PAGE_REQUEST_TIMEOUT_MS),
			abortSignal: session.signal,
		};
		let response: RawResponse | undefined;
		let failure: unknown;
		try {
			response = (await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, options)) as RawResponse;
		} catch (error) {
			failure = error;
		}
		if (response === undefined) {
			if (isCancelError(failure) || session.signal?.aborted) return EXECUTION_CANCELLED;
			if (isTimeoutError(failure) && session.deadline - Date.now() <= 0) return TIMEOUT_PASSED;
			// A page request is a read that Trino returns again for the same token. A statement is
			// not sent again, since Peaka may have started the query before the connection failed.
			if (method === 'GET' && attempt < MAX_ATTEMPTS) {
				await sleep(backoffMs(attempt));
				continue;
			}
			throw networkError(session, method, url, failure, attempt, queryId);
		}

		const { statusCode } = response;
		const text = bodyText(response.body);
		if (statusCode === 200) {
			const parsed = parsePage(text);
			if (typeof parsed !== 'string') return parsed;
			if (attempt < MAX_ATTEMPTS && method === 'GET') {
				await sleep(backoffMs(attempt));
				continue;
			}
			throw httpError(session, statusCode, method, url, `the response is not JSON (${session.scrub(parsed)})`, queryId);
		}
		if (RETRYABLE_STATUSES.has(statusCode) && attempt < MAX_ATTEMPTS) {
			await sleep(backoffMs(attempt));
			continue;
		}
		throw httpError(session, statusCode, method, url, excerpt(session.scrub(text)), queryId);
	}
}

/** Parses a response page, or returns the parser's message when the text is not JSON. */
function parsePage(text: string): TrinoResponse | string {
	try {
		return parseJsonLossless(text) as TrinoResponse;
	} catch (error) {
		return (error as Error).message;
	}
}

/** Asks Peaka to stop the query; a failure here is logged, since the query then ends on its own. */
async function cancel(session: Session, nextUri: string, queryId: string, reason: string): Promise<void> {
	const { context } = session;
	const options: IHttpRequestOptions = {
		method: 'DELETE',
		url: nextUri,
		headers: { 'X-Trino-User': TRINO_USER, 'X-Trino-Source': USER_AGENT_SOURCE },
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: CANCEL_TIMEOUT_MS,
	};
	let status: number | undefined;
	try {
		// n8n attaches the execution's cancel signal to every authenticated request, so once the
		// execution is cancelled only a request without the key can still reach Peaka. Trino's
		// nextUri carries a secret slug that names this one query, which is what the cancel needs.
		// NOTE: whether live Peaka accepts a cancel without the peakaKey credential was not measured;
		// if it does not, Peaka abandons the query when nobody fetches its pages.
		const response = session.signal?.aborted
			? ((await context.helpers.httpRequest(options)) as RawResponse)
			: ((await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, options)) as RawResponse);
		status = response.statusCode;
	} catch (error) {
		// Trino abandons a query whose client stops fetching pages, so an unanswered cancel only
		// keeps the query running for a few minutes more.
		context.logger.warn(`Cancelling Peaka query ${queryId} (${reason}) failed: ${session.scrub((error as Error).message)}`);
		return;
	}
	if (status !== undefined && status >= 300) {
		context.logger.warn(`Cancelling Peaka query ${queryId} (${reason}) returned status ${status}`);
	}
}

function pathOf(url: string): string {
	try {
		return new URL(url).pathname;
	} catch {
		return url;
	}
}

function httpError(
	session: Session,
	status: number,
	method: string,
	url: string,
	serverText: string,
	queryId: string | undefined,
): NodeApiError {
	const where = `${method} ${pathOf(url)} on ${session.host} answered ${status}`;
	const queryNote = queryId ? ` Query ID ${queryId}.` : '';
	let message: string;
	let description: string;
	if (status === 401) {
		message = `Peaka's Trino endpoint rejected the API key (401) at ${session.host}`;
		description = `Check the API key in the Peaka credential, and that its zone (or Trino Endpoint) is the one the key was created in. ${where}${serverText ? `: ${serverText}` : ''}.`;
	} else if (status === 403) {
		message = `Peaka's Trino endpoint denied access (403) at ${session.host}`;
		description = `The Streaming engine runs in the project of the API key; use a project API key. ${where}${serverText ? `: ${serverText}` : ''}.`;
	} else if (status === 404 || status === 410) {
		message = `Peaka no longer has the results of query ${queryId ?? '(unknown)'} (${status})`;
		description = `The query may have been cancelled or abandoned on Peaka. Run the node again. ${where}.`;
	} else {
		message = `Peaka's Trino endpoint failed to process the request (${status})${serverText ? `: ${serverText}` : ''}`;
		description = `${where}.${queryNote} If it keeps failing, Peaka may be unavailable, or the Trino Endpoint may point at another service.`;
	}
	return withExactMessage(
		new NodeApiError(
			session.context.getNode(),
			{ httpCode: String(status), method, path: pathOf(url), message: serverText } as JsonObject,
			{ message, description, httpCode: String(status), itemIndex: session.itemIndex },
		),
		message,
	);
}

function networkError(
	session: Session,
	method: string,
	url: string,
	error: unknown,
	attempts: number,
	queryId: string | undefined,
): NodeApiError {
	const code = networkCode(error);
	const message = `The request to Peaka's Trino endpoint failed before an answer arrived`;
	const description = `${method} ${pathOf(url)} on ${session.host} failed ${attempts === 1 ? 'once' : `${attempts} times`} (${code}).${queryId ? ` Query ID ${queryId}.` : ''} Check that ${session.host} is reachable from n8n, including any proxy.`;
	return withExactMessage(
		new NodeApiError(
			session.context.getNode(),
			{ networkCode: code, method, path: pathOf(url) } as JsonObject,
			{ message, description, itemIndex: session.itemIndex },
		),
		message,
	);
}

const ADVICE_BY_ERROR_NAME: Record<string, string> = {
	SYNTAX_ERROR: 'Check the SQL at the line and column the message names. Peaka uses Trino SQL.',
	TABLE_NOT_FOUND: 'Check the catalog, schema and table names, and that the table exists in the project of the API key.',
	COLUMN_NOT_FOUND: 'Check the column names against the table, quoting names with capitals or spaces.',
	CATALOG_NOT_FOUND: 'Check the catalog name, and that the catalog belongs to the project of the API key.',
	SCHEMA_NOT_FOUND: 'Check the schema name in the SQL.',
	PERMISSION_DENIED: 'The Streaming engine runs in the project of the API key; use a project API key, or set Engine to REST.',
	NOT_SUPPORTED: 'Peaka runs only queries; it adds rows to tables through its import endpoint.',
	EXCEEDED_TIME_LIMIT: "Peaka stopped the query at its own time limit. Add a LIMIT or WHERE to the SQL, or use Peaka's Export.",
	USER_CANCELED: 'Someone cancelled the query on Peaka. Run the node again.',
};

function queryError(session: Session, queryId: string, error: TrinoError): NodeOperationError {
	const trinoMessage = session.scrub(error.message ?? 'no message');
	const codes = [error.errorName, error.errorType, error.errorCode !== undefined ? `code ${error.errorCode}` : '']
		.filter(Boolean)
		.join(', ');
	const advice = ADVICE_BY_ERROR_NAME[error.errorName ?? ''] ?? 'Check the SQL and the names it uses.';
	return new NodeOperationError(session.context.getNode(), `Peaka query ${queryId} failed: ${trinoMessage}`, {
		description: `Trino error ${codes || 'without a name'}, query ID ${queryId}. ${advice}`,
		itemIndex: session.itemIndex,
	});
}

function timeoutError(session: Session, queryId?: string): NodeOperationError {
	const seconds = Math.round(session.timeoutMs / 1000);
	if (queryId === undefined) {
		return new NodeOperationError(session.context.getNode(), `Peaka did not accept the query within the Timeout of ${seconds} seconds`, {
			description: `POST ${STATEMENT_PATH} on ${session.host} got no answer in time. Raise the Timeout option, or check that ${session.host} is reachable from n8n.`,
			itemIndex: session.itemIndex,
		});
	}
	return new NodeOperationError(
		session.context.getNode(),
		`Peaka query ${queryId} did not finish within the Timeout of ${seconds} seconds and was cancelled`,
		{
			description: `The node asked Peaka to cancel query ${queryId}. Raise the Timeout option, add a LIMIT or WHERE to the SQL, or export large results with Peaka's Export.`,
			itemIndex: session.itemIndex,
		},
	);
}

function cancelledError(session: Session, queryId?: string): NodeOperationError {
	if (queryId === undefined) {
		return new NodeOperationError(session.context.getNode(), 'The execution was cancelled before Peaka accepted the query', {
			itemIndex: session.itemIndex,
		});
	}
	return new NodeOperationError(session.context.getNode(), `The execution was cancelled, so Peaka query ${queryId} was cancelled too`, {
		description: `The node asked Peaka to cancel query ${queryId}.`,
		itemIndex: session.itemIndex,
	});
}
