'use strict';

const crypto = require('node:crypto');

/**
 * The account the emulator serves: one organization, two workspaces, two projects (more can be
 * created and deleted at run time), the partner key and the project API keys. Ids and default keys are fixed so that the README, the demo and
 * tests can name them.
 */

/** Default partner key. It is printed at start and documented, so it is no secret. */
const DEFAULT_PARTNER_KEY = 'EmuPrtnr.emulatorPartnerKeyNotASecret0001';
/** Default project key, bound to the first project. */
const DEFAULT_PROJECT_KEY = 'EmuProj1.emulatorProjectKeyNotASecret0001';

const USER = {
	userId: '0b7e4c2a-6f1d-4e8b-9a3c-5d2f1e0a9b8c',
	email: 'owner@acme-data.example',
};

const ORGANIZATION = {
	id: '5f0c1a8e-2d4b-4c6a-9e1f-3a7b8c9d0e1f',
	name: 'Acme Data',
	owner: USER.userId,
	createdAt: '2025-03-25T12:28:48.737355Z',
	iconFileId: null,
	description: 'Default Organization',
};

const WORKSPACES = [
	{
		id: '8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
		name: 'Analytics',
		createdBy: USER.userId,
		organizationId: ORGANIZATION.id,
		description: 'Default Workspace',
		createdAt: '2025-03-25T12:28:51.147125Z',
		defaultWorkspace: true,
	},
	{
		id: '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d',
		name: 'Sandbox',
		createdBy: USER.userId,
		organizationId: ORGANIZATION.id,
		description: 'Scratch projects',
		createdAt: '2025-04-17T08:08:15.687751Z',
		defaultWorkspace: false,
	},
];

const PROJECTS = [
	{
		id: 'mtKDhe1U',
		name: 'Flights Demo',
		description: 'Public datasets for the n8n Peaka nodes',
		domain: 'flightsdemo-k3xq',
		webhookBaseUrl: 'https://flightsdemo-k3xq--test.api.peaka.host',
		createdAt: '2025-03-25T12:30:04.699714310Z',
		owner: USER.userId,
		workspaceId: WORKSPACES[0].id,
	},
	{
		id: 'SksnYuxH',
		name: 'Other Project',
		description: null,
		domain: 'otherproject-rfto',
		webhookBaseUrl: 'https://otherproject-rfto--test.api.peaka.host',
		createdAt: '2025-04-17T08:10:44.025274418Z',
		owner: USER.userId,
		workspaceId: WORKSPACES[1].id,
	},
];

const DEFAULT_PROJECT_KEY_ID = '21fd1a8d-88d5-4295-b792-5b2113138057';
const DEFAULT_PROJECT_KEY_NAME = 'emulator';

const KEY_PREFIX_LENGTH = 8;
const KEY_SECRET_LENGTH = 32;
/** Random letters after the dash of a new project's domain, e.g. `cdcn`. */
const DOMAIN_SUFFIX_LENGTH = 4;
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomText(length) {
	const bytes = crypto.randomBytes(length);
	let text = '';
	for (const byte of bytes) text += KEY_ALPHABET[byte % KEY_ALPHABET.length];
	return text;
}

/** Returns a new key in Peaka's `<8-character prefix>.<secret>` form. */
function generateApiKey() {
	return `${randomText(KEY_PREFIX_LENGTH)}.${randomText(KEY_SECRET_LENGTH)}`;
}

function validateKey(name, key) {
	if (typeof key !== 'string' || key.length === 0 || /\s/.test(key)) {
		throw new TypeError(`Invalid ${name}: it must be a non-empty string without spaces, e.g. '${DEFAULT_PARTNER_KEY}'.`);
	}
}

/**
 * Creates the account state.
 * @param {{ partnerKey?: string, projectKey?: string, now?: () => Date }} [options]
 */
function createState(options = {}) {
	const partnerKey = options.partnerKey ?? DEFAULT_PARTNER_KEY;
	const projectKey = options.projectKey ?? DEFAULT_PROJECT_KEY;
	const now = options.now || (() => new Date());
	validateKey('partner key', partnerKey);
	validateKey('project key', projectKey);
	if (partnerKey === projectKey) {
		throw new TypeError('The partner key and the project key must differ: the emulator tells the key kinds apart by the key.');
	}

	/** @type {Map<string, { apiKeyId: string, name: string, projectId: string, expiresAt: string|null, key: string }>} */
	const projectKeys = new Map();
	projectKeys.set(DEFAULT_PROJECT_KEY_ID, {
		apiKeyId: DEFAULT_PROJECT_KEY_ID,
		name: DEFAULT_PROJECT_KEY_NAME,
		projectId: PROJECTS[0].id,
		expiresAt: null,
		key: projectKey,
	});

	// Copies, so that workspaces and projects created or deleted in one emulator stay out of
	// another one started in the same process.
	const workspaces = WORKSPACES.map((workspace) => ({ ...workspace }));
	const projects = PROJECTS.map((project) => ({ ...project }));

	function findProject(projectId) {
		return projects.find((project) => project.id === projectId) || null;
	}

	function findWorkspace(workspaceId) {
		return workspaces.find((workspace) => workspace.id === workspaceId) || null;
	}

	function timestamp() {
		return now().toISOString();
	}

	/**
	 * Creates a workspace in the organization. Live Peaka returned `createdAt: null` right after
	 * creation in its examples; the emulator sets it, as a later read would show.
	 * @param {{ name: string, description?: string|null }} request
	 */
	function createWorkspace(request) {
		const workspace = {
			id: crypto.randomUUID(),
			name: request.name,
			createdBy: USER.userId,
			organizationId: ORGANIZATION.id,
			description: request.description ?? null,
			createdAt: timestamp(),
			defaultWorkspace: false,
		};
		workspaces.push(workspace);
		return workspace;
	}

	/** Applies the fields a request sends; fields left out keep their values. */
	function updateRecord(record, request) {
		if (request.name !== undefined) record.name = request.name;
		if (request.description !== undefined) record.description = request.description;
		return record;
	}

	/** Removes a workspace. The caller has checked that it contains no project. */
	function deleteWorkspace(workspaceId) {
		const index = workspaces.findIndex((workspace) => workspace.id === workspaceId);
		if (index === -1) return false;
		workspaces.splice(index, 1);
		return true;
	}

	/** Returns a new project id: 8 letters and digits, as Peaka's ids look. */
	function newProjectId() {
		let id;
		do id = randomText(KEY_PREFIX_LENGTH);
		while (findProject(id));
		return id;
	}

	/**
	 * Creates a project record in a workspace. Its domain is the lower-cased name without other
	 * characters plus a random 4-letter suffix, as in Peaka's examples (`sampleprojectname-cdcn`).
	 * @param {string} workspaceId
	 * @param {{ name: string, description?: string|null }} request
	 */
	function createProject(workspaceId, request) {
		const stem = request.name.toLowerCase().replace(/[^a-z0-9]/g, '') || 'project';
		const domain = `${stem}-${randomText(DOMAIN_SUFFIX_LENGTH).toLowerCase()}`;
		const project = {
			id: newProjectId(),
			name: request.name,
			description: request.description ?? null,
			domain,
			webhookBaseUrl: `https://${domain}--test.api.peaka.host`,
			createdAt: timestamp(),
			owner: USER.userId,
			workspaceId,
		};
		projects.push(project);
		return project;
	}

	/** Removes a project and its API keys, which stop working at once. */
	function deleteProject(projectId) {
		const index = projects.findIndex((project) => project.id === projectId);
		if (index === -1) return false;
		projects.splice(index, 1);
		for (const [apiKeyId, record] of projectKeys) {
			if (record.projectId === projectId) projectKeys.delete(apiKeyId);
		}
		return true;
	}

	/**
	 * Resolves the bearer key of a request.
	 * @returns {{ keyKind: 'partner' } | { keyKind: 'project', projectId: string, apiKeyId: string } | { keyKind: 'expired' } | null}
	 */
	function authenticate(key) {
		if (typeof key !== 'string' || key.length === 0) return null;
		if (key === partnerKey) return { keyKind: 'partner' };
		for (const record of projectKeys.values()) {
			if (record.key !== key) continue;
			if (record.expiresAt !== null && Date.parse(record.expiresAt) <= now().getTime()) {
				return { keyKind: 'expired' };
			}
			return { keyKind: 'project', projectId: record.projectId, apiKeyId: record.apiKeyId };
		}
		return null;
	}

	function publicKey(record, withSecret) {
		return {
			name: record.name,
			apiKey: withSecret ? record.key : null,
			apiKeyId: record.apiKeyId,
			expiresAt: record.expiresAt,
		};
	}

	/** Lists a project's API keys; the secret is never part of a listing. */
	function listProjectKeys(projectId) {
		return [...projectKeys.values()]
			.filter((record) => record.projectId === projectId)
			.map((record) => publicKey(record, false));
	}

	/**
	 * Creates a project API key. The returned object is the only one that carries the key.
	 * @param {string} projectId
	 * @param {{ name: string, expiresAt?: string|null }} request `expiresAt` already validated as ISO-8601
	 */
	function createProjectKey(projectId, request) {
		const record = {
			apiKeyId: crypto.randomUUID(),
			name: request.name,
			projectId,
			expiresAt: request.expiresAt ?? null,
			key: generateApiKey(),
		};
		projectKeys.set(record.apiKeyId, record);
		return publicKey(record, true);
	}

	/** Deletes a project API key; returns false when the project has no key with that id. */
	function deleteProjectKey(projectId, apiKeyId) {
		const record = projectKeys.get(apiKeyId);
		if (!record || record.projectId !== projectId) return false;
		projectKeys.delete(apiKeyId);
		return true;
	}

	return {
		user: USER,
		organization: ORGANIZATION,
		workspaces,
		projects,
		/**
		 * Golden SQLs (question and SQL pairs that guide Peaka's AI) per project id, written by
		 * routes/metadata.js and read by the AI agent routes. Each entry:
		 * `{ id: string (UUID), question: string (the prompt sent), sql: string, projectId: string,
		 * createdAt: string (ISO-8601) }`.
		 * @type {Map<string, Array<{ id: string, question: string, sql: string, projectId: string, createdAt: string }>>}
		 */
		goldenSqls: new Map(),
		/** Metadata edits, relations, AI usage and refresh callbacks per project id (routes/metadata.js). */
		metadata: new Map(),
		/** Export jobs per project id, and their files by download token (routes/exports.js). */
		exports: { byProject: new Map(), files: new Map() },
		partnerKey,
		projectKey,
		projectId: PROJECTS[0].id,
		otherProjectId: PROJECTS[1].id,
		projectIds: () => projects.map((project) => project.id),
		findProject,
		findWorkspace,
		createWorkspace,
		updateWorkspace: updateRecord,
		deleteWorkspace,
		createProject,
		updateProject: updateRecord,
		deleteProject,
		authenticate,
		listProjectKeys,
		createProjectKey,
		deleteProjectKey,
		/** Connections by project id, then by connection id (routes/connections.js). */
		connections: new Map(),
		/** Semantic tables by project id, then by table id (routes/semantic.js). */
		semanticTables: new Map(),
		/** Parametric tables by "projectId/catalogId", in creation order (routes/parametric.js). */
		parametricTables: new Map(),
	};
}

module.exports = {
	DEFAULT_PARTNER_KEY,
	DEFAULT_PROJECT_KEY,
	DEFAULT_PROJECT_KEY_ID,
	createState,
	generateApiKey,
};
