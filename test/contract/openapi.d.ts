/** Types of openapi.js, the contract validator over Peaka's OpenAPI file. */

export interface ValidationResult {
	valid: boolean;
	/** One message per problem, naming the operation, the field (as a JSON pointer) and the value. */
	errors: string[];
}

/** A request as the emulator logs it: `path` is the part after /api/v1. */
export interface LoggedRequest {
	method: string;
	path: string;
	query?: Record<string, string | string[]>;
	body?: unknown;
}

export interface OperationRef {
	method: string;
	template: string;
	operationId?: string;
}

export interface SpecExample {
	kind: 'response' | 'request' | 'parameter' | 'schema';
	pointer: string;
	name: string;
	value: unknown;
	method?: string;
	template?: string;
	status?: number;
}

export interface Contract {
	/** The spec with the errata applied. */
	document: Record<string, unknown>;
	operations: OperationRef[];
	findOperation(method: string, pathTemplate: string): OperationRef | null;
	matchOperation(method: string, concretePath: string): OperationRef | null;
	validateResponse(
		method: string,
		pathTemplate: string,
		status: number,
		body: unknown,
		options?: { strict?: boolean; example?: string },
	): ValidationResult;
	validateRequest(
		method: string,
		pathTemplate: string,
		body: unknown,
		options?: { query?: Record<string, string | string[]>; strict?: boolean },
	): ValidationResult;
	checkRequests(requests: LoggedRequest[]): string[];
	listExamples(): SpecExample[];
	validateExample(example: SpecExample): ValidationResult;
}

export interface OpenApiLocation {
	path: string;
	fromEnv: boolean;
	found: boolean;
}

export interface Erratum {
	id: string;
	operations: string[];
	target: string;
	correction: string;
	reason: string;
	fields?: Array<{ field: string; evidence: string }>;
	patch?: Array<{ op: 'test' | 'add' | 'replace' | 'remove'; path: string; value?: unknown }>;
	expectedFailures?: string[];
}

export const OPENAPI_ENV: 'PEAKA_OPENAPI';
export const REQUIRE_OPENAPI_ENV: 'PEAKA_REQUIRE_OPENAPI';
export const DEFAULT_OPENAPI_PATH: string;
export const ERRATA_PATH: string;

export function locateOpenApi(env?: NodeJS.ProcessEnv): OpenApiLocation;
export function isOpenApiRequired(env?: NodeJS.ProcessEnv): boolean;
export function readErrata(file?: string): { errata: Erratum[] };
export function applyErrata(spec: object, errata: { errata: Erratum[] }): Record<string, unknown>;
export function createContract(spec: object, errata: { errata: Erratum[] }): Contract;
export function loadContract(env?: NodeJS.ProcessEnv): { contract: Contract | null; location: OpenApiLocation };
export function contractForTests(env?: NodeJS.ProcessEnv): { contract: Contract | null; requiredError: Error | null };
/**
 * Throws one error listing every logged request that does not match the spec. Returns false
 * when the OpenAPI file is missing (nothing checked), true when it checked.
 */
export function expectRequestsMatchSpec(requests: LoggedRequest[]): boolean;
export function shapeOfExamples(values: unknown[]): Record<string, unknown>;
export function toTemplate(pathText: string): string;
export function pointerOf(...tokens: Array<string | number>): string;
export function readPointer(document: unknown, pointer: string): unknown;
