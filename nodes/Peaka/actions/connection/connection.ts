import { type IDataObject, type IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import type { FailureDescriber } from '../../transport/errors';
import { getLocatorValue } from '../parameters';

export const CONNECTION_CONFIG_PATH = '/connections/config';

export const CREDENTIAL_PARAMETER = 'Credential (JSON)';

/** One credential field of a connector, as GET /connections/config/{connectionType} lists it. */
export interface ConnectionConfigurationItem {
	fieldName: string;
	fieldType: 'text' | 'number' | 'boolean' | string;
	required?: boolean;
	description?: string;
}

export interface ConnectionConfiguration {
	connectionType: string;
	authorizationType?: string;
	redirectRequired?: boolean;
	configuration?: ConnectionConfigurationItem[];
}

const JSON_TYPE_EXAMPLES: Record<string, string> = {
	text: '"some text" in double quotes',
	number: 'a number without quotes, e.g. 5432',
	boolean: 'true or false without quotes',
};

// Connections live under /connections/{projectId}, not under /data/projects like the data groups.
export function connectionsPath(projectId: string, connectionId?: string): string {
	const base = `/connections/${encodeURIComponent(projectId)}`;
	return connectionId === undefined ? base : `${base}/${encodeURIComponent(connectionId)}`;
}

export function connectionTypePath(connectionType: string): string {
	return `${CONNECTION_CONFIG_PATH}/${encodeURIComponent(connectionType)}`;
}

export function getConnectionId(context: IExecuteFunctions, itemIndex: number): string {
	return getLocatorValue(context, 'connection', 'Connection', itemIndex);
}

/**
 * Rewords an unknown connection as "not found". The spec documents no error for it; live Peaka
 * returned 400 with `error: "INVALID_CONNECTION_ID"` (errorCode cn004) for a deleted connection.
 */
export function describeMissingConnection(projectId: string, connectionId: string): FailureDescriber {
	return (failure) => {
		const missing = failure.status === 404 || failure.errorName === 'INVALID_CONNECTION_ID';
		if (!missing) return undefined;
		return {
			message: `Connection '${connectionId}' was not found in project '${projectId}'`,
			description: `Pick the connection from the list, or check that it was not deleted. Peaka's message: ${failure.peakaMessage || `HTTP ${failure.status}`}`,
		};
	};
}

/**
 * Rewords Peaka's rejection of a credential. Peaka checks the credential itself (a wrong password,
 * an unreachable host, a revoked token) on create and update and returns 400 INVALID_CREDENTIALS.
 */
export function describeCredentialRejection(connectionType: string): FailureDescriber {
	return (failure) => {
		if (failure.status !== 400 || failure.errorName !== 'INVALID_CREDENTIALS') return undefined;
		return {
			message: `Peaka rejected the credential for connection type '${connectionType}'`,
			description: `Check the values in '${CREDENTIAL_PARAMETER}': Peaka tried them against the data source and they did not work. Peaka's message: ${failure.peakaMessage}`,
		};
	};
}

/** Reads a connector's configuration, failing with advice when Peaka does not know the type. */
export async function fetchConnectionConfiguration(
	context: IExecuteFunctions,
	connectionType: string,
	itemIndex: number,
): Promise<ConnectionConfiguration> {
	const body = await peakaApiRequest.call(context, {
		method: 'GET',
		path: connectionTypePath(connectionType),
		describeFailure: (failure) => {
			if (failure.status !== 404 && failure.status !== 400) return undefined;
			return {
				message: `Connection type '${connectionType}' is not known to Peaka`,
				description: `Pick the 'Connection Type' from the list, or run Get Types to see the valid values; case matters (POSTGRES, stripe). Peaka's message: ${failure.peakaMessage || `HTTP ${failure.status}`}`,
			};
		},
		itemIndex,
	});
	return body as ConnectionConfiguration;
}

/** Parses the 'Credential (JSON)' parameter into an object. */
export function parseCredential(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const raw = context.getNodeParameter('credential', itemIndex, '{}') as unknown;
	let value: unknown = raw;
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw.trim() === '' ? '{}' : raw);
		} catch (error) {
			// The parser's message quotes part of the text, which may hold a password.
			throw new NodeOperationError(context.getNode(), `'${CREDENTIAL_PARAMETER}' is not valid JSON`, {
				description: `Enter a JSON object such as {"token": "..."}. The parser stopped at: ${jsonErrorPosition(error as Error)}.`,
				itemIndex,
			});
		}
	}
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		throw new NodeOperationError(context.getNode(), `'${CREDENTIAL_PARAMETER}' is not a JSON object`, {
			description: 'Enter the credential fields in braces, e.g. {"url": "db.example.com", "port": 5432}.',
			itemIndex,
		});
	}
	return value as IDataObject;
}

function jsonErrorPosition(error: Error): string {
	const position = /position \d+(?: \(line \d+ column \d+\))?/.exec(error.message);
	return position ? position[0] : 'an unexpected character';
}

function jsonTypeOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'string') return 'text';
	return `a ${typeof value}`;
}

/**
 * Checks a credential against the connector's configuration before anything is written: every
 * required field is present, each field has its declared type, and no field is unknown to the
 * type. Messages name fields and JSON types but never quote a value, since values are secrets.
 */
export function checkCredential(
	context: IExecuteFunctions,
	configuration: ConnectionConfiguration,
	credential: IDataObject,
	itemIndex: number,
): void {
	const fail = (message: string, description: string) => {
		throw new NodeOperationError(context.getNode(), message, { description, itemIndex });
	};
	const connectionType = configuration.connectionType;
	const items = configuration.configuration ?? [];
	const known = items.map((item) => item.fieldName);
	const required = items.filter((item) => item.required === true).map((item) => item.fieldName);

	for (const item of items) {
		const value = credential[item.fieldName];
		if (value === undefined || value === null || value === '') {
			if (item.required === true) {
				fail(
					`Field '${item.fieldName}' is missing from '${CREDENTIAL_PARAMETER}'`,
					`Connection type '${connectionType}' requires ${required.join(', ')}. Add "${item.fieldName}" (${item.description ?? item.fieldType}) to the JSON object.`,
				);
			}
			continue;
		}
		const expected = JSON_TYPE_EXAMPLES[item.fieldType];
		const fits =
			(item.fieldType === 'text' && typeof value === 'string') ||
			(item.fieldType === 'number' && typeof value === 'number' && Number.isFinite(value)) ||
			(item.fieldType === 'boolean' && typeof value === 'boolean') ||
			expected === undefined;
		if (!fits) {
			fail(
				`Field '${item.fieldName}' in '${CREDENTIAL_PARAMETER}' must be ${item.fieldType}, not ${jsonTypeOf(value)}`,
				`Connection type '${connectionType}' declares '${item.fieldName}' as ${item.fieldType}: write ${expected}.`,
			);
		}
	}

	const unknown = Object.keys(credential).filter((key) => !known.includes(key));
	if (unknown.length > 0) {
		fail(
			`Field '${unknown[0]}' in '${CREDENTIAL_PARAMETER}' is not a field of connection type '${connectionType}'`,
			`The fields of '${connectionType}' are ${known.join(', ') || 'none'}. Check the spelling; field names are case-sensitive.`,
		);
	}
}
