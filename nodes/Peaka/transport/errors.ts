import { type INode, type JsonObject, NodeApiError } from 'n8n-workflow';

/** Peaka's response (or a gateway's) to a failed request. */
export interface PeakaFailure {
	status: number;
	method: string;
	path: string;
	host: string;
	/** Peaka's own message, or the text of an HTML or plain body. */
	peakaMessage: string;
	/** `errorCode` (number, string or null) or `code` from the body, as text. */
	errorCode?: string;
	/** The `error` field of the body, such as `WrongRequestException`. */
	errorName?: string;
	attempts: number;
	/** Whether the request was held back from a repeat because Peaka may have applied it. */
	notRepeated: boolean;
}

/** Lets an operation reword a failure it understands better, such as a missing saved query. */
export type FailureDescriber = (failure: PeakaFailure) => { message: string; description: string } | undefined;

const MAX_BODY_EXCERPT_CHARS = 300;

/** Reads Peaka's message and codes from a body of any shape: JSON, HTML, text or nothing. */
export function readFailureBody(body: unknown): Pick<PeakaFailure, 'peakaMessage' | 'errorCode' | 'errorName'> {
	if (body && typeof body === 'object' && !Array.isArray(body)) {
		const fields = body as Record<string, unknown>;
		const nested = fields.error && typeof fields.error === 'object' ? (fields.error as Record<string, unknown>) : undefined;
		const message = firstText(fields.message, fields.reason, nested?.message, fields.detail, fields.title);
		const errorName = typeof fields.error === 'string' ? fields.error : undefined;
		const code = fields.errorCode ?? fields.code ?? nested?.code;
		return {
			peakaMessage: message ?? errorName ?? '',
			errorCode: code === undefined || code === null ? undefined : String(code),
			errorName,
		};
	}
	if (typeof body === 'string') {
		return { peakaMessage: excerpt(body) };
	}
	return { peakaMessage: '' };
}

function firstText(...candidates: unknown[]): string | undefined {
	for (const candidate of candidates) {
		if (typeof candidate === 'string' && candidate.trim() !== '') return candidate.trim();
	}
	return undefined;
}

/** Turns an HTML error page or a long text body into one short line. */
export function excerpt(text: string): string {
	const plain = /<[a-z!/][^>]*>/i.test(text)
		? text
				.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
				.replace(/<[^>]+>/g, ' ')
				.replace(/&nbsp;/g, ' ')
				.replace(/&amp;/g, '&')
				.replace(/&lt;/g, '<')
				.replace(/&gt;/g, '>')
		: text;
	const line = plain.replace(/\s+/g, ' ').trim();
	return line.length > MAX_BODY_EXCERPT_CHARS ? `${line.slice(0, MAX_BODY_EXCERPT_CHARS)}…` : line;
}

const STATEMENT_NOT_ALLOWED = /Statement type '([A-Za-z]+)' is not allowed/;

/** Builds the message and the advice for a failed request from its status and Peaka's message. */
export function describeFailure(failure: PeakaFailure): { message: string; description: string } {
	const peakaSuffix = failure.peakaMessage ? `: ${failure.peakaMessage}` : '';
	const codes = [
		failure.errorName ? `error ${failure.errorName}` : '',
		failure.errorCode ? `errorCode ${failure.errorCode}` : '',
	]
		.filter(Boolean)
		.join(', ');
	const detail = `${failure.method} ${failure.path} answered ${failure.status}${codes ? ` (${codes})` : ''}.`;
	const { status } = failure;

	const refusedStatement = STATEMENT_NOT_ALLOWED.exec(failure.peakaMessage);
	if (status === 400 && refusedStatement) {
		return {
			message: `Peaka runs only queries here${peakaSuffix}`,
			description: `Peaka's execute endpoint rejects ${refusedStatement[1]} and every other statement that writes. Peaka adds rows to its tables only through its import endpoint (POST /data/projects/{projectId}/table/{tableName}/import): use this node's Internal Table → Insert Rows operation. ${detail}`,
		};
	}
	if (status === 401) {
		return {
			message: `Peaka rejected the API key (401) at ${failure.host}${peakaSuffix}`,
			description: `Check the API key in the Peaka credential and that its zone (or Base URL) is the one the key was created in. ${detail}`,
		};
	}
	if (status === 403) {
		return {
			message: `Peaka denied access (403)${peakaSuffix}`,
			description: `A project key reaches only its own project and cannot call organization, workspace, project or API key endpoints. Use a partner key, or pick the key's own project. ${detail}`,
		};
	}
	if (status === 404) {
		return {
			message: `Peaka could not find the resource (404)${peakaSuffix}`,
			description: `Check the IDs and names in the node's parameters; pick them from the list to be sure they exist in this project. ${detail}`,
		};
	}
	if (status === 407) {
		return {
			message: `The proxy between n8n and Peaka requires authentication (407)${peakaSuffix}`,
			description: `The request did not reach Peaka. Add the proxy's user and password to n8n's proxy setting (e.g. HTTPS_PROXY=http://user:password@proxy:3128), or ask the proxy's administrator to allow ${failure.host}. ${detail}`,
		};
	}
	if (status === 409) {
		return {
			message: `Peaka reported a conflict (409)${peakaSuffix}`,
			description: `The resource is in a state that does not allow this operation, or it already exists. Check its current state in Peaka before running again. ${detail}`,
		};
	}
	if (status === 429) {
		return {
			message: `Peaka is limiting requests (429)${peakaSuffix}`,
			description: `The node waited and tried ${failure.attempts} times. Run the workflow later, or lower how often it calls Peaka. ${detail}`,
		};
	}
	if (status >= 500) {
		const repeatNote = failure.notRepeated
			? 'The request was not repeated because Peaka may already have applied it: check the result in Peaka before running it again.'
			: `The node tried ${failure.attempts} times.`;
		return {
			message: `Peaka failed to process the request (${status})${peakaSuffix}`,
			description: `${repeatNote} If it keeps failing, Peaka may be unavailable. ${detail}`,
		};
	}
	return {
		message: `Peaka rejected the request (${status})${peakaSuffix}`,
		description: `Check the parameters named in Peaka's message. ${detail}`,
	};
}

/** Builds the NodeApiError for a failed request; it carries no header and no key. */
export function createApiError(
	node: INode,
	failure: PeakaFailure,
	describe: FailureDescriber | undefined,
	itemIndex: number | undefined,
): NodeApiError {
	const { message, description } = describe?.(failure) ?? describeFailure(failure);
	const errorResponse: JsonObject = {
		httpCode: String(failure.status),
		method: failure.method,
		path: failure.path,
		message: failure.peakaMessage,
		...(failure.errorCode !== undefined && { errorCode: failure.errorCode }),
		...(failure.errorName !== undefined && { peakaError: failure.errorName }),
	};
	return withExactMessage(
		new NodeApiError(node, errorResponse, { message, description, httpCode: String(failure.status), itemIndex }),
		message,
	);
}

/**
 * Restores the message NodeApiError was given. Its constructor swaps any message that
 * mentions a Node.js error code (ECONNRESET, ENOENT and the like) for a generic sentence,
 * which would hide Peaka's own words.
 */
export function withExactMessage(error: NodeApiError, message: string): NodeApiError {
	error.message = message;
	return error;
}
