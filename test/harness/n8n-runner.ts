/**
 * Runs an n8n node in tests through n8n-core's own execution code, not a hand-made
 * IExecuteFunctions mock. Action nodes run in WorkflowExecute, list search and load options in
 * LoadOptionsContext, a credential type's test request in RoutingNode, and polling triggers in
 * PollContext with PollTriggerExecutor. Parameter resolution, request helpers, credential
 * authentication, paired items, retries and error outputs are therefore n8n's own, in the
 * versions package.json pins (n8n-core 2.40.3 and n8n-workflow 2.40.1, which n8n 2.40.7 ships).
 *
 * Expressions run in n8n's legacy evaluator unless N8N_HARNESS_EXPRESSION_ENGINE=quickjs (see
 * initExpressionEngine). The harness writes only to one directory under the OS temp folder,
 * removed after each jest test file. It sends no request itself: requests go wherever the node
 * under test sends them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Logger } from '@n8n/backend-common';
import { InstanceSettingsConfig, SsrfProtectionConfig } from '@n8n/config';
import { Container } from '@n8n/di';
import {
	BinaryDataConfig,
	BinaryDataService,
	CredentialTestContext,
	Credentials,
	DirectoryLoader,
	ExecuteContext,
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	InstanceSettings,
	LoadOptionsContext,
	PollContext,
	PollTriggerExecutor,
	RoutingNode,
	WorkflowExecute,
	getAdditionalKeys,
} from 'n8n-core';
import {
	Expression,
	ICredentialsHelper,
	LoggerProxy,
	NodeHelpers,
	UnexpectedError,
	Workflow,
	createEmptyRunExecutionData,
	deepCopy,
	isExpression,
} from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunction,
	ICredentialTestRequest,
	ICredentialType,
	ICredentialsDecrypted,
	ICredentialsExpressionResolveValues,
	IDataObject,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialTestResult,
	INodeCredentials,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodeProperties,
	INodePropertyOptions,
	INodeType,
	INodeTypes,
	IPollFunctions,
	IRequestOptionsSimplified,
	IRun,
	IRunData,
	ITaskData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	LogMetadata,
	NodeExecutionHint,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

/** Package name used for node type names when the repository's package.json cannot be read. */
const FALLBACK_PACKAGE_NAME = 'n8n-nodes-harness';

/** Type name of the internal node that emits the input items of `runNode`. */
const ITEMS_SOURCE_TYPE = 'n8n-nodes-harness.itemsSource';
const ITEMS_SOURCE_NODE_NAME = 'Input Items';

/** Node name and type the credential tester of n8n's CLI gives its temporary node. */
const CREDENTIAL_TEST_NODE_NAME = 'Temp-Node';
const CREDENTIAL_TEST_NODE_TYPE = 'n8n-nodes-base.noOp';

/** Node name n8n's CLI gives the temporary node of a load options or list search request. */
const LOAD_OPTIONS_NODE_NAME = 'Temp-Node';

const WORKFLOW_ID = 'harness-workflow';

/** Encryption key of the test instance, fixed so that n8n never generates a random one. */
const TEST_ENCRYPTION_KEY = 'n8n-nodes-harness-test-encryption-key';

/** Base of the URLs n8n puts into `$execution.resumeUrl` and the like. Nothing contacts it. */
const INSTANCE_BASE_URL = 'http://127.0.0.1:5678';

/** Maximum number of log entries kept for `getHarnessLogs()`. */
const MAX_LOG_ENTRIES = 500;

/** Environment variable that selects the expression engine: `legacy` (default) or `quickjs`. */
const EXPRESSION_ENGINE_VARIABLE = 'N8N_HARNESS_EXPRESSION_ENGINE';

/** Limits n8n's own tests use for a VM expression engine (n8n-workflow test setup). */
const EXPRESSION_BRIDGE_TIMEOUT_MS = 5_000;
const EXPRESSION_BRIDGE_MEMORY_LIMIT_MB = 128;
const EXPRESSION_CODE_CACHE_SIZE = 1_024;

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export type NodeTypeClass = new () => INodeType | IVersionedNodeType;
export type NodeTypeInput = INodeType | IVersionedNodeType | NodeTypeClass;
export type CredentialTypeInput = ICredentialType | (new () => ICredentialType);

/** Credential data by credential type name, as a user would enter it (defaults are applied). */
export type CredentialDataByType = Record<string, ICredentialDataDecryptedObject>;

export type OnErrorSetting = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

/** What every harness call needs to build a node: its type, its credentials and parameters. */
export interface NodeSetup {
	/** The node class, or an instance of it. */
	nodeType: NodeTypeInput;
	/** Credential types the node uses, whose `authenticate`, `test` and defaults apply. */
	credentialTypes?: CredentialTypeInput[];
	/** Credential data by type name. Each entry becomes the node's credential of that type. */
	credentials?: CredentialDataByType;
	/** Node parameters as stored in a workflow, expressions included (`'={{ $json.sql }}'`). */
	parameters?: INodeParameters;
	/** Defaults to the newest version the node type declares. */
	typeVersion?: number;
	/** Defaults to the `name` field of package.json at the repository root. */
	packageName?: string;
}

export interface RunNodeOptions extends NodeSetup {
	/** Items that reach the node's first input. A plain object becomes `{ json: object }`. */
	inputItems?: Array<IDataObject | INodeExecutionData>;
	/** Node setting "On Error", `stopWorkflow` by default as in n8n. */
	onError?: OnErrorSetting;
	retryOnFail?: boolean;
	/** n8n clamps this to 2..5. */
	maxTries?: number;
	/** n8n clamps this to 0..5000 ms and turns 0 into 1000 ms, so pass 1 for a quick test. */
	waitBetweenTries?: number;
	alwaysOutputData?: boolean;
	executeOnce?: boolean;
	/** Defaults to `manual`, an execution started from the editor. */
	mode?: WorkflowExecuteMode;
	/** Cancels the execution when this promise settles, as the editor's stop button does. */
	cancelWhen?: Promise<unknown>;
	/** Node static data by key (`node:<node name>` or `global`), as stored with the workflow. */
	staticData?: IDataObject;
	workflowSettings?: IWorkflowSettings;
}

export interface RunNodeResult {
	/** Item lists per main output: index 0 is the regular output, 1 the error output if any. */
	outputs: INodeExecutionData[][];
	/** The error n8n recorded for the node (a plain copy of the thrown error's fields). */
	error?: ITaskData['error'];
	hints: NodeExecutionHint[];
	status: IRun['status'];
	/** False when n8n did not run the node, for example because its input was empty. */
	executed: boolean;
	nodeName: string;
	runData: IRunData;
	run: IRun;
	/** Credential data that n8n stored back during the run (a refreshed preAuthentication token). */
	updatedCredentials: CredentialDataByType;
}

export interface CredentialTestOptions {
	credentialType: CredentialTypeInput;
	/** The data a user entered into the credential. */
	data: ICredentialDataDecryptedObject;
	/** Further credential types that `credentialType` extends. */
	credentialTypes?: CredentialTypeInput[];
	/** Node whose `credentials[].testedBy` tests the credential, used when it has no `test`. */
	nodeType?: NodeTypeInput;
}

export interface LoadOptionsRequest extends NodeSetup {
	methodName: string;
	/** Path of the parameter being filled, such as `parameters.catalog`, for `&name` lookups. */
	parameterPath?: string;
}

export interface ListSearchRequest extends LoadOptionsRequest {
	filter?: string;
	paginationToken?: string;
}

export type PollMode = 'trigger' | 'manual';

/**
 * How a trigger-mode poll keeps node static data. `staged`: the poll works on a copy that n8n
 * keeps only when the poll emits items or returns null, and drops when the poll throws (durable
 * poll cursors of n8n 2.x). `inPlace`: the poll changes the stored static data directly and a
 * change survives a thrown error in memory (n8n 1.x).
 */
export type StaticDataMode = 'staged' | 'inPlace';

export interface PollerOptions extends NodeSetup {
	/** Stored node static data to start from (what `getWorkflowStaticData('node')` returns). */
	staticData?: IDataObject;
	staticDataMode?: StaticDataMode;
	/** Value of the poll context's `getPollBudgetMs()` (PollContext's default: five minutes). */
	pollBudgetMs?: number;
	/** What `getActivationMode()` returns in trigger mode: how the workflow became active. */
	activation?: WorkflowActivateMode;
}

export interface PollOptions {
	/** `trigger` for a scheduled poll of an active workflow, `manual` for the editor's test run. */
	mode?: PollMode;
}

export interface PollResult {
	/** What the node returned, or null when it found nothing new. */
	items: INodeExecutionData[][] | null;
	/** The error of a failed poll: what n8n hands to its error workflow (trigger mode). */
	error?: Error | ITaskData['error'];
	/** Node static data as stored after the poll. */
	staticData: IDataObject;
	/** Node static data as the node left it during the poll, kept or not. */
	stagedStaticData: IDataObject;
	/** Whether n8n would store `stagedStaticData`: always in `inPlace` mode, never when manual. */
	staticDataStored: boolean;
	/** The manual execution, for `mode: 'manual'`. */
	run?: IRun;
}

export interface Poller {
	/**
	 * Runs the poll n8n runs once when the workflow is activated. A thrown error propagates (n8n
	 * then refuses the activation), and static data is stored only if the poll emits items.
	 */
	activate(): Promise<PollResult>;
	/** Runs one scheduled poll (`trigger`, the default) or one manual test run. */
	poll(options?: PollOptions): Promise<PollResult>;
	/** Node static data as currently stored. */
	readonly staticData: IDataObject;
}

export interface HarnessLogEntry {
	level: 'error' | 'warn' | 'info' | 'debug';
	message: string;
	metadata?: LogMetadata;
}

// ---------------------------------------------------------------------------------------------
// One-time setup of n8n-core's services
// ---------------------------------------------------------------------------------------------

const logEntries: HarnessLogEntry[] = [];

/** Returns what n8n logged during this test file (errors reported by the engine included). */
export function getHarnessLogs(): readonly HarnessLogEntry[] {
	return logEntries;
}

function recordLog(level: HarnessLogEntry['level'], message: string, metadata?: LogMetadata) {
	if (logEntries.length >= MAX_LOG_ENTRIES) logEntries.shift();
	logEntries.push({ level, message, metadata });
}

/** A Logger that keeps messages in memory instead of writing to the console. */
const memoryLogger = {
	error: (message: string, metadata?: LogMetadata) => recordLog('error', message, metadata),
	warn: (message: string, metadata?: LogMetadata) => recordLog('warn', message, metadata),
	info: (message: string, metadata?: LogMetadata) => recordLog('info', message, metadata),
	debug: (message: string, metadata?: LogMetadata) => recordLog('debug', message, metadata),
	scoped: () => memoryLogger,
};

let setupDone: Promise<void> | undefined;

let tempDirectory: string | undefined;

function removeTempDir() {
	if (tempDirectory !== undefined) rmSync(tempDirectory, { recursive: true, force: true });
	tempDirectory = undefined;
}

// jest gives each test file its own module registry, so each file has its own n8n-core services
// and temp directory. The directory is removed after the file's tests, or at exit outside jest.
try {
	afterAll(removeTempDir);
} catch {
	// Outside jest, or imported inside a running test where jest accepts no new hooks.
	process.once('exit', removeTempDir);
}

function harnessTempDir(): string {
	tempDirectory ??= mkdtempSync(path.join(tmpdir(), 'n8n-nodes-harness-'));
	return tempDirectory;
}

/**
 * Registers what n8n-core takes from its dependency container: a quiet logger, instance
 * settings in a temp folder (so no ~/.n8n is created), and binary data storage in that folder.
 */
async function ensureN8nCore(): Promise<void> {
	setupDone ??= (async () => {
		Container.set(Logger, memoryLogger as unknown as Logger);
		LoggerProxy.init(memoryLogger);
		await initExpressionEngine();

		const userHome = harnessTempDir();
		Object.assign(Container.get(InstanceSettingsConfig), {
			userHome,
			n8nFolder: path.join(userHome, '.n8n'),
			encryptionKey: TEST_ENCRYPTION_KEY,
			enforceSettingsFilePermissions: false,
		});
		Container.get(InstanceSettings);

		// n8n's SSRF guard is off by default, and an N8N_SSRF_PROTECTION_ENABLED in the developer's
		// environment must not block the loopback servers that tests talk to.
		Container.get(SsrfProtectionConfig).enabled = false;

		// Binary data goes to the filesystem, n8n's default for a single instance.
		const binaryDataConfig = Container.get(BinaryDataConfig);
		binaryDataConfig.mode = 'filesystem';
		binaryDataConfig.localStoragePath = path.join(userHome, 'binary-data');
		await Container.get(BinaryDataService).init();
	})();
	await setupDone;
}

/**
 * Starts the expression engine that N8N_HARNESS_EXPRESSION_ENGINE selects. n8n 2.40 evaluates
 * expressions in isolated-vm by default (@n8n/config 2.38.0 sets N8N_EXPRESSION_ENGINE to `vm`),
 * but isolated-vm needs a native build. So the harness offers n8n's legacy evaluator (default)
 * and QuickJS, a WebAssembly engine behind the same evaluator and error mapping as `vm`. QuickJS
 * needs jest under `NODE_OPTIONS=--experimental-vm-modules`, because n8n-workflow loads it with
 * a dynamic import.
 */
async function initExpressionEngine() {
	const engine = process.env[EXPRESSION_ENGINE_VARIABLE] ?? 'legacy';
	if (engine === 'legacy') return;
	if (engine !== 'quickjs') {
		throw new UnexpectedError(
			`${EXPRESSION_ENGINE_VARIABLE}="${engine}" is not supported. Use "legacy" or "quickjs".`,
		);
	}

	try {
		await Expression.initExpressionEngine({
			engine,
			poolSize: 1,
			maxCodeCacheSize: EXPRESSION_CODE_CACHE_SIZE,
			bridgeTimeout: EXPRESSION_BRIDGE_TIMEOUT_MS,
			bridgeMemoryLimit: EXPRESSION_BRIDGE_MEMORY_LIMIT_MB,
		});
	} catch (error) {
		throw new UnexpectedError(
			`The QuickJS expression engine failed to start: ${(error as Error).message}. Run jest with NODE_OPTIONS=--experimental-vm-modules.`,
			{ cause: error },
		);
	}
}

/** Reads the bytes of a binary property of an output item, wherever n8n stored them. */
export async function readBinary(item: INodeExecutionData, propertyName = 'data'): Promise<Buffer> {
	const binary = item.binary?.[propertyName];
	if (!binary) {
		const available = Object.keys(item.binary ?? {}).join(', ') || 'none';
		throw new UnexpectedError(
			`Item has no binary property "${propertyName}" (available: ${available}).`,
		);
	}
	await ensureN8nCore();
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}

// ---------------------------------------------------------------------------------------------
// Node and credential types
// ---------------------------------------------------------------------------------------------

let repositoryPackageName: string | undefined;

function defaultPackageName(): string {
	if (repositoryPackageName === undefined) {
		try {
			const manifestPath = path.resolve(__dirname, '..', '..', 'package.json');
			const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name?: string };
			repositoryPackageName = manifest.name ?? FALLBACK_PACKAGE_NAME;
		} catch {
			repositoryPackageName = FALLBACK_PACKAGE_NAME;
		}
	}
	return repositoryPackageName;
}

function instantiate<T extends object>(input: T | (new () => T)): T {
	return typeof input === 'function' ? new (input as new () => T)() : input;
}

function isVersionedNodeType(type: INodeType | IVersionedNodeType): type is IVersionedNodeType {
	return 'nodeVersions' in type;
}

/** Description objects already given n8n's loader treatment, which mutates them. */
const preparedDescriptions = new WeakSet<object>();

type LoaderInternals = {
	applySpecialNodeParameters(nodeType: INodeType): void;
	addLoadOptionsMethods(nodeType: INodeType): void;
};

/**
 * Applies what n8n's DirectoryLoader does to every node it loads: polling nodes gain the "Poll
 * Times" parameter, declarative nodes the request options, and load-options method names are
 * recorded. Both methods are private in n8n-core 2.40 but use no instance state.
 */
function prepareLikeLoader(nodeType: INodeType) {
	if (preparedDescriptions.has(nodeType.description)) return;

	const loader = DirectoryLoader.prototype as unknown as Partial<LoaderInternals>;
	if (typeof loader.applySpecialNodeParameters !== 'function' || !loader.addLoadOptionsMethods) {
		throw new UnexpectedError(
			'n8n-core no longer has DirectoryLoader.applySpecialNodeParameters. Update the test harness for this n8n-core version.',
		);
	}
	loader.addLoadOptionsMethods.call(undefined, nodeType);
	loader.applySpecialNodeParameters.call(undefined, nodeType);
	preparedDescriptions.add(nodeType.description);
}

function newestVersion(type: INodeType | IVersionedNodeType): number {
	if (isVersionedNodeType(type)) return type.currentVersion;
	const { version } = type.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

/** INodeTypes over a fixed set of node types, keyed by their full type name. */
class HarnessNodeTypes implements INodeTypes {
	private readonly types = new Map<string, INodeType | IVersionedNodeType>();

	/** `asLoaded`: give the type the treatment of n8n's loader, as for a package's own nodes. */
	register(typeName: string, type: INodeType | IVersionedNodeType, asLoaded = true) {
		if (asLoaded) {
			const versions = isVersionedNodeType(type) ? Object.values(type.nodeVersions) : [type];
			versions.forEach(prepareLikeLoader);
		}
		this.types.set(typeName, type);
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types.get(nodeType);
		if (type === undefined) {
			const known = [...this.types.keys()].join(', ');
			throw new UnexpectedError(
				`Node type "${nodeType}" is not registered in the test harness (registered: ${known}).`,
			);
		}
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

/** Credential types by name, with the parent chain that `extends` declares. */
class HarnessCredentialTypes {
	private readonly types = new Map<string, ICredentialType>();

	constructor(inputs: CredentialTypeInput[]) {
		for (const input of inputs) {
			const type = instantiate(input);
			this.types.set(type.name, type);
		}
	}

	recognizes(name: string): boolean {
		return this.types.has(name);
	}

	getByName(name: string): ICredentialType {
		const type = this.types.get(name);
		if (type === undefined) {
			const known = [...this.types.keys()].join(', ') || 'none';
			throw new UnexpectedError(
				`Credential type "${name}" is not registered in the test harness (registered: ${known}). Pass it in credentialTypes.`,
			);
		}
		return type;
	}

	getParentTypes(name: string): string[] {
		const parents = this.types.get(name)?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}
}

// ---------------------------------------------------------------------------------------------
// Credentials helper
// ---------------------------------------------------------------------------------------------

/** The node and type n8n's mock workflow uses to resolve credential expressions. */
const CREDENTIAL_EXPRESSION_NODE: INode = {
	id: 'credential-expressions',
	name: '',
	type: 'mock',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const NO_NODE_TYPES: INodeTypes = {
	getByName: () => undefined as unknown as INodeType,
	getByNameAndVersion: () => undefined as unknown as INodeType,
	getKnownTypes: () => ({}),
};

/**
 * ICredentialsHelper for tests. Credential data comes from memory instead of n8n's database.
 * Defaults, expressions, declarative `authenticate` blocks and `preAuthentication` are handled
 * as n8n's CLI CredentialsHelper handles them. Not covered: credential overwrites, external
 * secrets providers, dynamic credentials, OAuth, and the domain allowlist of preAuthentication
 * requests.
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	private readonly stored = new Map<string, ICredentialDataDecryptedObject>();

	/** Credential types whose data n8n stored back (preAuthentication, OAuth token updates). */
	readonly updated = new Set<string>();

	constructor(
		private readonly credentialTypes: HarnessCredentialTypes,
		credentials: CredentialDataByType = {},
	) {
		super();
		for (const [type, data] of Object.entries(credentials)) {
			this.stored.set(type, deepCopy(data));
		}
	}

	/** Returns the stored data of a credential type, as n8n would have saved it. */
	storedData(type: string): ICredentialDataDecryptedObject | undefined {
		const data = this.stored.get(type);
		return data === undefined ? undefined : deepCopy(data);
	}

	getParentTypes(name: string): string[] {
		return this.credentialTypes.getParentTypes(name);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		if (!this.credentialTypes.recognizes(credentialType)) return true;
		const typeDefinition = this.credentialTypes.getByName(credentialType);
		if (typeDefinition.restrictToSupportedNodes !== true) return true;
		const supported = typeDefinition.supportedNodes ?? [];
		return supported.some((name) => nodeType === name || nodeType.endsWith(`.${name}`));
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions;
		const { authenticate } = this.credentialTypes.getByName(typeName);
		if (authenticate === undefined) return requestOptions;

		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions);
		}

		if (authenticate.type !== 'generic') return requestOptions;
		if (!workflow || !node) {
			throw new UnexpectedError(
				'Workflow and node are required for declarative credential authentication',
			);
		}

		requestOptions.headers ??= {};
		const target = requestOptions as unknown as Record<string, Record<string, string>>;
		for (const [section, entries] of Object.entries(authenticate.properties)) {
			for (const [key, value] of Object.entries(entries as Record<string, string>)) {
				const resolvedKey = this.resolveValue(key, credentials, workflow, node);
				target[section] ??= {};
				target[section][resolvedKey] = this.resolveValue(value, credentials, workflow, node);
			}
		}
		return requestOptions;
	}

	private resolveValue(
		value: string,
		credentials: ICredentialDataDecryptedObject,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(value)) return value;
		const resolved = workflow.expression.getSimpleParameterValue(
			node,
			value,
			'internal',
			{ $credentials: credentials },
			undefined,
			'',
		);
		return resolved ? resolved.toString() : '';
	}

	/**
	 * Runs the credential type's `preAuthentication` when its expirable hidden property is empty,
	 * when the server rejected the stored value, or during a credential test, and stores the
	 * result as n8n stores it in its database.
	 */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		const expirableProperty = credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirableProperty === undefined || typeof credentialType.preAuthentication !== 'function') {
			return undefined;
		}

		// n8n recognises a credential test by the temporary node its credential tester builds.
		const isCredentialTest =
			node.parameters?.temp === '' && node.type === CREDENTIAL_TEST_NODE_TYPE;
		const isEmpty = credentials[expirableProperty.name] === '';
		if (!isEmpty && !credentialsExpired && !isCredentialTest) return undefined;

		const output = await credentialType.preAuthentication.call(helpers, credentials);
		if (output[expirableProperty.name] === undefined) return undefined;

		if (node.credentials?.[typeName]) {
			const stored = this.stored.get(typeName) ?? {};
			const toStore: ICredentialDataDecryptedObject = { ...stored };
			for (const [key, value] of Object.entries(output)) {
				if (key === expirableProperty.name || !isExpression(stored[key])) {
					toStore[key] = value as ICredentialDataDecryptedObject[string];
				}
			}
			await this.updateCredentials(node.credentials[typeName], typeName, toStore);
			return Object.assign(credentials, output);
		}
		return undefined;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const { preAuthentication } = this.credentialTypes.getByName(typeName);
		if (typeof preAuthentication !== 'function') return undefined;
		return (await preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
	}

	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<Credentials> {
		const { id, name } = nodeCredentials;
		const credentials = new Credentials({ id, name }, type);
		await credentials.setData(this.requireStored(type));
		return credentials;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.requireStored(type);
		if (raw === true) return data;
		return await this.applyDefaultsAndExpressions(
			additionalData,
			data,
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/** Fills in the credential type's defaults and resolves expressions in credential fields. */
	async applyDefaultsAndExpressions(
		additionalData: IWorkflowExecuteAdditionalData,
		data: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const withDefaults = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			data as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (data.oauthTokenData !== undefined) withDefaults.oauthTokenData = data.oauthTokenData;

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
		if (expressionResolveValues) {
			return expressionResolveValues.workflow.expression.getParameterValue(
				withDefaults as INodeParameters,
				expressionResolveValues.runExecutionData,
				expressionResolveValues.runIndex,
				expressionResolveValues.itemIndex,
				expressionResolveValues.node.name,
				expressionResolveValues.connectionInputData,
				mode,
				additionalKeys,
				executeData,
				false,
				withDefaults,
			) as ICredentialDataDecryptedObject;
		}

		const workflow = new Workflow({
			nodes: [{ ...CREDENTIAL_EXPRESSION_NODE }],
			connections: {},
			active: false,
			nodeTypes: NO_NODE_TYPES,
		});
		return await workflow.expression.withIsolate(
			async () =>
				workflow.expression.getComplexParameterValue(
					CREDENTIAL_EXPRESSION_NODE,
					withDefaults as INodeParameters,
					mode,
					additionalKeys,
					undefined,
					undefined,
					withDefaults,
				) as ICredentialDataDecryptedObject,
		);
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.stored.set(type, deepCopy(data));
		this.updated.add(type);
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const stored = this.requireStored(type);
		this.stored.set(type, { ...stored, oauthTokenData: deepCopy(data.oauthTokenData) });
		this.updated.add(type);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.credentialTypes.getByName(type);
		if (credentialType.extends === undefined) return credentialType.properties;

		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}

	private requireStored(type: string): ICredentialDataDecryptedObject {
		const data = this.stored.get(type);
		if (data === undefined) {
			const known = [...this.stored.keys()].join(', ') || 'none';
			throw new UnexpectedError(
				`No test credential of type "${type}" was given (given: ${known}). Pass credentials: { ${type}: { ... } }.`,
			);
		}
		return deepCopy(data);
	}
}

// ---------------------------------------------------------------------------------------------
// Workflow building blocks
// ---------------------------------------------------------------------------------------------

let executionCounter = 0;

function nextExecutionId(): string {
	executionCounter += 1;
	return `harness-${executionCounter}`;
}

function unsupported(feature: string) {
	return () => {
		throw new UnexpectedError(`${feature} is not available in the test harness.`);
	};
}

function buildAdditionalData(
	credentialsHelper: HarnessCredentialsHelper,
	executionId: string,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	const additionalData: Partial<IWorkflowExecuteAdditionalData> = {
		credentialsHelper,
		executionId,
		hooks,
		externalSecretsProxy: new ExternalSecretsProxy(),
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: `${INSTANCE_BASE_URL}/rest`,
		instanceBaseUrl: `${INSTANCE_BASE_URL}/`,
		formBaseUrl: `${INSTANCE_BASE_URL}/form`,
		formWaitingBaseUrl: `${INSTANCE_BASE_URL}/form-waiting`,
		formTestBaseUrl: `${INSTANCE_BASE_URL}/form-test`,
		webhookBaseUrl: `${INSTANCE_BASE_URL}/webhook`,
		webhookWaitingBaseUrl: `${INSTANCE_BASE_URL}/webhook-waiting`,
		webhookTestBaseUrl: `${INSTANCE_BASE_URL}/webhook-test`,
		mcpBaseUrl: `${INSTANCE_BASE_URL}/mcp`,
		mcpTestBaseUrl: `${INSTANCE_BASE_URL}/mcp-test`,
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		executeWorkflow: unsupported('Running a sub-workflow'),
		startRunnerTask: unsupported('The task runner (Code node)'),
	};
	return additionalData as IWorkflowExecuteAdditionalData;
}

interface NodeEnvironment {
	nodeTypes: HarnessNodeTypes;
	credentialsHelper: HarnessCredentialsHelper;
	node: INode;
	nodeType: INodeType | IVersionedNodeType;
}

function nodeCredentialsFor(credentials: CredentialDataByType | undefined): INodeCredentials {
	const details: INodeCredentials = {};
	for (const type of Object.keys(credentials ?? {})) {
		details[type] = { id: `harness-${type}`, name: `${type} (test)` };
	}
	return details;
}

function buildNodeEnvironment(setup: NodeSetup, nodeName?: string): NodeEnvironment {
	const nodeType = instantiate(setup.nodeType);
	const typeVersion = setup.typeVersion ?? newestVersion(nodeType);
	const { description } = NodeHelpers.getVersionedNodeType(nodeType, typeVersion);
	const typeName = `${setup.packageName ?? defaultPackageName()}.${description.name}`;

	const nodeTypes = new HarnessNodeTypes();
	nodeTypes.register(typeName, nodeType);

	const credentialTypes = new HarnessCredentialTypes(setup.credentialTypes ?? []);
	const credentialsHelper = new HarnessCredentialsHelper(credentialTypes, setup.credentials);

	const node: INode = {
		id: 'node-under-test',
		name: nodeName ?? description.defaults.name ?? description.displayName,
		type: typeName,
		typeVersion,
		position: [200, 0],
		parameters: deepCopy(setup.parameters ?? {}),
		credentials: nodeCredentialsFor(setup.credentials),
	};
	return { nodeTypes, credentialsHelper, node, nodeType };
}

function workflowData(workflow: Workflow): IWorkflowBase {
	return {
		id: workflow.id,
		name: workflow.name ?? 'Harness workflow',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(0),
		updatedAt: new Date(0),
		nodes: Object.values(workflow.nodes),
		connections: workflow.connectionsBySourceNode,
		settings: workflow.settings,
	};
}

function toExecutionData(item: IDataObject | INodeExecutionData): INodeExecutionData {
	const candidate = item as Partial<INodeExecutionData>;
	const isExecutionData =
		typeof candidate.json === 'object' && candidate.json !== null && !Array.isArray(candidate.json);
	if (isExecutionData) return deepCopy(item as INodeExecutionData);
	return { json: deepCopy(item as IDataObject) };
}

/** Builds a node type that emits the given items, as a Manual Trigger and later nodes would. */
function itemsSourceType(items: INodeExecutionData[]): INodeType {
	return {
		description: {
			displayName: 'Input Items',
			name: 'itemsSource',
			group: ['input'],
			version: 1,
			description: 'Emits the input items of the test',
			defaults: { name: ITEMS_SOURCE_NODE_NAME },
			inputs: ['main'],
			outputs: ['main'],
			properties: [],
		},
		async execute() {
			return [items.map((item) => ({ ...item, pairedItem: { item: 0 } }))];
		},
	};
}

/**
 * Runs a workflow and waits for n8n's `workflowExecuteAfter` hook, which also fires when the
 * execution is cancelled (the returned promise of a cancelled execution never settles).
 */
async function runToCompletion(
	workflow: Workflow,
	startNode: INode,
	mode: WorkflowExecuteMode,
	credentialsHelper: HarnessCredentialsHelper,
	cancelWhen?: Promise<unknown>,
): Promise<IRun> {
	const executionId = nextExecutionId();
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData(workflow));
	const finished = new Promise<IRun>((resolve) => {
		hooks.addHandler('workflowExecuteAfter', (run) => resolve(run));
	});

	const additionalData = buildAdditionalData(credentialsHelper, executionId, hooks);
	const execution = new WorkflowExecute(additionalData, mode).run({ workflow, startNode });
	const failed = execution.then(
		() => new Promise<never>(() => {}),
		(error: unknown) => Promise.reject(error),
	);

	const cancel = () => execution.cancel();
	void cancelWhen?.then(cancel, cancel);
	return await Promise.race([finished, failed]);
}

function taskOutputs(task: ITaskData | undefined): INodeExecutionData[][] {
	return (task?.data?.main ?? []).map((items) => items ?? []);
}

// ---------------------------------------------------------------------------------------------
// runNode
// ---------------------------------------------------------------------------------------------

/**
 * Runs a node once in a two-node workflow, "Input Items" → node under test, through n8n's
 * WorkflowExecute, and returns the node's outputs with their paired items as n8n recorded them.
 */
export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	await ensureN8nCore();

	const { nodeTypes, credentialsHelper, node } = buildNodeEnvironment(options);
	Object.assign(node, {
		onError: options.onError,
		retryOnFail: options.retryOnFail,
		maxTries: options.maxTries,
		waitBetweenTries: options.waitBetweenTries,
		alwaysOutputData: options.alwaysOutputData,
		executeOnce: options.executeOnce,
	});

	const inputItems = (options.inputItems ?? [{ json: {} }]).map(toExecutionData);
	nodeTypes.register(ITEMS_SOURCE_TYPE, itemsSourceType(inputItems), false);
	const sourceNode: INode = {
		id: 'input-items',
		name: ITEMS_SOURCE_NODE_NAME,
		type: ITEMS_SOURCE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};

	const workflow = new Workflow({
		id: WORKFLOW_ID,
		name: 'Harness workflow',
		nodes: [sourceNode, node],
		connections: {
			[sourceNode.name]: { main: [[{ node: node.name, type: 'main', index: 0 }]] },
		},
		active: false,
		nodeTypes,
		staticData: deepCopy(options.staticData ?? {}),
		settings: { executionOrder: 'v1', ...options.workflowSettings },
	});

	const run = await runToCompletion(
		workflow,
		sourceNode,
		options.mode ?? 'manual',
		credentialsHelper,
		options.cancelWhen,
	);

	const { runData } = run.data.resultData;
	const task = runData[node.name]?.[0];
	const updatedCredentials: CredentialDataByType = {};
	for (const type of credentialsHelper.updated) {
		updatedCredentials[type] = credentialsHelper.storedData(type) ?? {};
	}

	return {
		outputs: taskOutputs(task),
		error: task?.error ?? (task === undefined ? run.data.resultData.error : undefined),
		hints: task?.hints ?? [],
		status: run.status,
		executed: task !== undefined,
		nodeName: node.name,
		runData,
		run,
		updatedCredentials,
	};
}

// ---------------------------------------------------------------------------------------------
// Credential test
// ---------------------------------------------------------------------------------------------

function findTestedBy(
	nodeType: INodeType | IVersionedNodeType,
	credentialName: string,
): ICredentialTestFunction | ICredentialTestRequest | undefined {
	const versions = isVersionedNodeType(nodeType)
		? Object.keys(nodeType.nodeVersions)
				.map(Number)
				.sort((a, b) => b - a)
				.map((version) => nodeType.nodeVersions[version])
		: [nodeType];
	for (const version of versions) {
		const entry = version.description.credentials?.find(({ name }) => name === credentialName);
		if (entry?.testedBy === undefined) continue;
		if (typeof entry.testedBy !== 'string') return entry.testedBy;
		const testFunction = version.methods?.credentialTest?.[entry.testedBy];
		if (testFunction) return testFunction;
	}
	return undefined;
}

/** Turns an error of the test request into n8n's result, applying the `responseCode` rules. */
function credentialTestFailure(
	error: Error,
	rules: ICredentialTestRequest['rules'],
): INodeCredentialTestResult {
	const cause = error.cause as
		| { response?: { status: number; statusText?: string }; code?: string }
		| undefined;
	const response = cause?.response;
	if (response) {
		for (const rule of rules ?? []) {
			if (rule.type === 'responseCode' && rule.properties.value === response.status) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
		if (response.status < 199 || response.status > 299) {
			return {
				status: 'Error',
				message: response.statusText || `Received HTTP status code: ${response.status}`,
			};
		}
	} else if (cause?.code) {
		return { status: 'Error', message: cause.code };
	}
	return { status: 'Error', message: error.message.toString() };
}

/**
 * Tests credential data the way n8n's credential tester does when a user clicks "Save" or
 * "Retry": the credential type's `test` request (or the node's `testedBy`) runs through
 * RoutingNode with the credential's authentication, and `rules` turn failures into messages.
 */
export async function testCredential(
	options: CredentialTestOptions,
): Promise<INodeCredentialTestResult> {
	await ensureN8nCore();

	const credentialType = instantiate(options.credentialType);
	const credentialTypes = new HarnessCredentialTypes([
		...(options.credentialTypes ?? []),
		credentialType,
	]);
	const credentialsHelper = new HarnessCredentialsHelper(credentialTypes, {
		[credentialType.name]: options.data,
	});

	const nodeType = options.nodeType ? instantiate(options.nodeType) : undefined;
	const testedBy =
		credentialType.test ??
		(nodeType === undefined ? undefined : findTestedBy(nodeType, credentialType.name));
	if (testedBy === undefined) {
		return { status: 'Error', message: 'No testing function found for this credential.' };
	}

	const additionalData = buildAdditionalData(credentialsHelper, nextExecutionId());
	const credentialsDecrypted: ICredentialsDecrypted = {
		id: `harness-${credentialType.name}`,
		name: `${credentialType.name} (test)`,
		type: credentialType.name,
		data: await credentialsHelper.applyDefaultsAndExpressions(
			additionalData,
			deepCopy(options.data),
			credentialType.name,
			'internal',
		),
	};

	if (typeof testedBy === 'function') {
		// NOTE: no harness test covers a `testedBy` function, because the fixtures test by request.
		return await testedBy.call(new CredentialTestContext(), credentialsDecrypted);
	}
	return await runCredentialTestRequest(testedBy, credentialsDecrypted, additionalData);
}

async function runCredentialTestRequest(
	testRequest: ICredentialTestRequest,
	credentialsDecrypted: ICredentialsDecrypted,
	additionalData: IWorkflowExecuteAdditionalData,
): Promise<INodeCredentialTestResult> {
	const credentialName = credentialsDecrypted.type;
	const testNodeType: INodeType = {
		description: {
			displayName: 'No Operation, do nothing',
			name: CREDENTIAL_TEST_NODE_TYPE,
			group: ['organization'],
			version: 1,
			description: 'Stands in for the node n8n uses to test credentials',
			defaults: { name: CREDENTIAL_TEST_NODE_NAME },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credentialName, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	};
	const nodeTypes = new HarnessNodeTypes();
	nodeTypes.register(CREDENTIAL_TEST_NODE_TYPE, testNodeType, false);

	const node: INode = {
		id: 'temp',
		name: CREDENTIAL_TEST_NODE_NAME,
		type: CREDENTIAL_TEST_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: {
			[credentialName]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name },
		},
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const executeData: IExecuteData = { node, data: {}, source: null };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createEmptyRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		executeData,
		[],
	);

	let response: INodeExecutionData[][] | null | undefined;
	try {
		const routingNode = new RoutingNode(context, testNodeType, credentialsDecrypted);
		response = await workflow.expression.withIsolate(async () => await routingNode.runNode());
	} catch (error) {
		recordLog('debug', 'Credential test failed', { error });
		return credentialTestFailure(error as Error, testRequest.rules);
	}

	for (const rule of testRequest.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const body = response?.[0]?.[0]?.json;
		if (valueAtPath(body, rule.properties.key) === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/** Reads a dotted path such as `data.status` (lodash `get` semantics for plain objects). */
function valueAtPath(value: unknown, dottedPath: string): unknown {
	return dottedPath
		.split('.')
		.reduce<unknown>(
			(current, key) =>
				current !== null && typeof current === 'object'
					? (current as Record<string, unknown>)[key]
					: undefined,
			value,
		);
}

// ---------------------------------------------------------------------------------------------
// Load options and list search
// ---------------------------------------------------------------------------------------------

function loadOptionsContext(request: LoadOptionsRequest): {
	context: LoadOptionsContext;
	nodeType: INodeType;
	workflow: Workflow;
} {
	const { nodeTypes, credentialsHelper, node } = buildNodeEnvironment(
		request,
		LOAD_OPTIONS_NODE_NAME,
	);
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = buildAdditionalData(credentialsHelper, nextExecutionId());
	// The editor sends the node's parameters, defaults included, with every request.
	additionalData.currentNodeParameters = node.parameters;

	const context = new LoadOptionsContext(
		workflow,
		node,
		additionalData,
		request.parameterPath ?? 'parameters',
	);
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	return { context, nodeType, workflow };
}

function missingMethod(nodeType: INodeType, kind: string, methodName: string): never {
	const methods = (nodeType.methods as Record<string, object | undefined> | undefined)?.[kind];
	const known = Object.keys(methods ?? {}).join(', ') || 'none';
	throw new UnexpectedError(
		`Node type "${nodeType.description.name}" has no methods.${kind}.${methodName} (has: ${known}).`,
	);
}

/** Calls `methods.loadOptions.<methodName>` as the editor does for an options parameter. */
export async function loadOptions(request: LoadOptionsRequest): Promise<INodePropertyOptions[]> {
	await ensureN8nCore();
	const { context, nodeType, workflow } = loadOptionsContext(request);
	const method = nodeType.methods?.loadOptions?.[request.methodName];
	if (typeof method !== 'function') missingMethod(nodeType, 'loadOptions', request.methodName);
	return await workflow.expression.withIsolate(async () => await method.call(context));
}

/** Calls `methods.listSearch.<methodName>` as the editor does for a resource locator's list. */
export async function listSearch(request: ListSearchRequest): Promise<INodeListSearchResult> {
	await ensureN8nCore();
	const { context, nodeType, workflow } = loadOptionsContext(request);
	const method = nodeType.methods?.listSearch?.[request.methodName];
	if (typeof method !== 'function') missingMethod(nodeType, 'listSearch', request.methodName);
	const { filter, paginationToken } = request;
	return await workflow.expression.withIsolate(
		async () => await method.call(context, filter, paginationToken),
	);
}

// ---------------------------------------------------------------------------------------------
// Polling triggers
// ---------------------------------------------------------------------------------------------

function staticDataKey(node: INode): string {
	return `node:${node.name}`;
}

/**
 * Creates a poller for a polling trigger node. Node static data persists between its calls as
 * n8n stores it: trigger-mode polls store it (see StaticDataMode), manual runs never do.
 */
export function createPoller(options: PollerOptions): Poller {
	let stored: IDataObject = deepCopy(options.staticData ?? {});
	const staticDataMode = options.staticDataMode ?? 'staged';

	const pollTriggerMode = async (testingTrigger: boolean): Promise<PollResult> => {
		await ensureN8nCore();
		const { nodeTypes, credentialsHelper, node } = buildNodeEnvironment(options);
		const workflow = new Workflow({
			id: WORKFLOW_ID,
			name: 'Harness workflow',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes,
			staticData: { [staticDataKey(node)]: deepCopy(stored) },
		});
		const additionalData = buildAdditionalData(credentialsHelper, nextExecutionId());

		let staged: IDataObject | undefined;
		let lastStaged: IDataObject = deepCopy(stored);
		let emitted: INodeExecutionData[][] | null = null;
		let emittedError: Error | undefined;
		let staticDataStored = false;

		const storeStaged = () => {
			stored = deepCopy(staged ?? lastStaged);
			staticDataStored = true;
		};
		const inPlaceData = () => workflow.getStaticData('node', node);

		const context = new PollContext(
			workflow,
			node,
			additionalData,
			'trigger',
			options.activation ?? 'activate',
			(data) => {
				emitted = data;
				storeStaged();
			},
			(error) => {
				emittedError = error;
			},
			async () => storeStaged(),
			async (poll) => {
				staged = staticDataMode === 'staged' ? deepCopy(stored) : inPlaceData();
				try {
					return await poll();
				} finally {
					lastStaged = deepCopy(staged);
					staged = undefined;
				}
			},
			() => {
				if (staged === undefined) {
					throw new UnexpectedError(
						'The node read its node static data outside of a poll, which n8n rejects too. Read it inside poll().',
					);
				}
				return staged;
			},
			options.pollBudgetMs === undefined ? undefined : () => options.pollBudgetMs as number,
		);

		// A scheduled poll takes an expression isolate itself. The activation poll relies on its
		// caller for one, as n8n's activation code holds one while it activates the workflow.
		const executePoll = Container.get(PollTriggerExecutor).create(
			workflow,
			node,
			context as IPollFunctions,
			() => true,
		);
		await workflow.expression.withIsolate(async () => await executePoll(testingTrigger));

		if (staticDataMode === 'inPlace') {
			// A change made in place stays in the workflow's memory even when nothing stored it.
			stored = deepCopy(lastStaged);
		}
		return {
			items: emitted,
			error: emittedError,
			staticData: deepCopy(stored),
			stagedStaticData: lastStaged,
			staticDataStored: staticDataMode === 'inPlace' || staticDataStored,
		};
	};

	const pollManualMode = async (): Promise<PollResult> => {
		await ensureN8nCore();
		const { nodeTypes, credentialsHelper, node } = buildNodeEnvironment(options);
		const workflow = new Workflow({
			id: WORKFLOW_ID,
			name: 'Harness workflow',
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes,
			staticData: { [staticDataKey(node)]: deepCopy(stored) },
			settings: { executionOrder: 'v1' },
		});

		const run = await runToCompletion(workflow, node, 'manual', credentialsHelper);
		const task = run.data.resultData.runData[node.name]?.[0];
		const outputs = taskOutputs(task);
		return {
			items: outputs.length > 0 ? outputs : null,
			error: task?.error ?? run.data.resultData.error,
			staticData: deepCopy(stored),
			stagedStaticData: deepCopy(workflow.getStaticData('node', node)),
			staticDataStored: false,
			run,
		};
	};

	return {
		activate: async () => await pollTriggerMode(true),
		poll: async (pollOptions = {}) =>
			pollOptions.mode === 'manual' ? await pollManualMode() : await pollTriggerMode(false),
		get staticData() {
			return deepCopy(stored);
		},
	};
}
