'use strict';

const { PeakaError } = require('../errors');

/**
 * Account routes: GET /info (undocumented, read by Peaka's own clients), organizations,
 * workspaces, projects and project API keys. All but /info are partner-only. Workspaces and the
 * projects of a workspace can be created, updated and deleted; the deprecated POST, PUT and
 * DELETE on /projects are not emulated and return 501.
 *
 * Where the spec is silent, the emulator chooses (not measured on live Peaka): a workspace or
 * project name is required, PUT changes only the fields it sends, and a workspace that still
 * holds projects, or the default workspace, cannot be deleted (400).
 */

const PARTNER_ONLY = { partnerOnly: true };

/** ISO-8601 date-time with an explicit zone, as Peaka's ApiKeyRequest documents `expiresAt`. */
const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function findOrganization(state, organizationId) {
	if (organizationId !== state.organization.id) {
		throw PeakaError.notFound(`Organization not found: ${organizationId}`);
	}
	return state.organization;
}

function findWorkspace(state, organizationId, workspaceId) {
	findOrganization(state, organizationId);
	const workspace = state.findWorkspace(workspaceId);
	if (!workspace || workspace.organizationId !== organizationId) {
		throw PeakaError.notFound(`Workspace not found: ${workspaceId}`);
	}
	return workspace;
}

/** Validates a Create API Key body and returns `{ name, expiresAt }`. */
function parseApiKeyRequest(body) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		throw PeakaError.badRequest('The request body must be a JSON object such as {"name": "reporting", "expiresAt": "2027-09-10T10:11:00Z"}.');
	}
	if (typeof body.name !== 'string' || body.name.trim() === '') {
		throw PeakaError.badRequest(`API key name is required, got ${JSON.stringify(body.name)}.`);
	}
	const expiresAt = body.expiresAt ?? null;
	if (expiresAt !== null) {
		if (typeof expiresAt !== 'string' || !DATE_TIME_PATTERN.test(expiresAt) || Number.isNaN(Date.parse(expiresAt))) {
			throw PeakaError.badRequest(`Invalid expiresAt ${JSON.stringify(expiresAt)}: use an ISO-8601 date-time with a zone, e.g. 2027-09-10T10:11:00Z.`);
		}
	}
	return { name: body.name, expiresAt };
}

function findWorkspaceProject(state, organizationId, workspaceId, projectId) {
	const workspace = findWorkspace(state, organizationId, workspaceId);
	const project = state.findProject(projectId);
	if (!project || project.workspaceId !== workspace.id) {
		throw PeakaError.notFound(`Project not found: ${projectId}`);
	}
	return project;
}

/**
 * Validates a WorkspaceRequest or ProjectRequest body and returns the fields it sends.
 * @param {unknown} body
 * @param {{ creating: boolean, kind: 'workspace'|'project' }} options
 */
function parseNameRequest(body, { creating, kind }) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		throw PeakaError.badRequest(`The request body must be a JSON object such as {"name": "Sales", "description": "Sales ${kind}"}.`);
	}
	const fields = {};
	if (body.name !== undefined || creating) {
		if (typeof body.name !== 'string' || body.name.trim() === '') {
			throw PeakaError.badRequest(`The ${kind} name is required, got ${JSON.stringify(body.name)}.`);
		}
		fields.name = body.name.trim();
	}
	if (body.description !== undefined && body.description !== null) {
		if (typeof body.description !== 'string') {
			throw PeakaError.badRequest(`Invalid ${kind} description ${JSON.stringify(body.description)}: send a string.`);
		}
		fields.description = body.description;
	}
	return fields;
}

/**
 * @param {import('fastify').FastifyInstance} app
 * @param {{ state: ReturnType<typeof import('../state').createState>, engine: object }} ctx
 */
function register(app, ctx) {
	const { state, engine } = ctx;

	app.get('/info', async (request) => {
		const info = {};
		if (request.peaka.keyKind === 'project') {
			const project = state.findProject(request.peaka.projectId);
			info.projectId = project.id;
			info.projectName = project.name;
		}
		info.userId = state.user.userId;
		info.email = state.user.email;
		return info;
	});

	app.get('/organizations', { config: PARTNER_ONLY }, async () => [state.organization]);

	app.get('/organizations/:organizationId', { config: PARTNER_ONLY }, async (request) => (
		findOrganization(state, request.params.organizationId)
	));

	app.get('/organizations/:organizationId/workspaces', { config: PARTNER_ONLY }, async (request) => {
		const organization = findOrganization(state, request.params.organizationId);
		return state.workspaces.filter((workspace) => workspace.organizationId === organization.id);
	});

	app.get('/organizations/:organizationId/workspaces/:workspaceId', { config: PARTNER_ONLY }, async (request) => (
		findWorkspace(state, request.params.organizationId, request.params.workspaceId)
	));

	app.post('/organizations/:organizationId/workspaces', { config: PARTNER_ONLY }, async (request) => {
		findOrganization(state, request.params.organizationId);
		return state.createWorkspace(parseNameRequest(request.body, { creating: true, kind: 'workspace' }));
	});

	app.put('/organizations/:organizationId/workspaces/:workspaceId', { config: PARTNER_ONLY }, async (request) => {
		const workspace = findWorkspace(state, request.params.organizationId, request.params.workspaceId);
		return state.updateWorkspace(workspace, parseNameRequest(request.body, { creating: false, kind: 'workspace' }));
	});

	app.delete('/organizations/:organizationId/workspaces/:workspaceId', { config: PARTNER_ONLY }, async (request, reply) => {
		const workspace = findWorkspace(state, request.params.organizationId, request.params.workspaceId);
		if (workspace.defaultWorkspace) {
			throw PeakaError.badRequest(`Workspace ${workspace.id} is the organization's default workspace and cannot be deleted.`);
		}
		const projectIds = state.projects.filter((project) => project.workspaceId === workspace.id).map((project) => project.id);
		if (projectIds.length > 0) {
			throw PeakaError.badRequest(`Workspace ${workspace.id} still holds projects ${projectIds.join(', ')}. Delete them first.`);
		}
		state.deleteWorkspace(workspace.id);
		return reply.code(200).send();
	});

	app.get('/organizations/:organizationId/workspaces/:workspaceId/projects', { config: PARTNER_ONLY }, async (request) => {
		const workspace = findWorkspace(state, request.params.organizationId, request.params.workspaceId);
		return state.projects.filter((project) => project.workspaceId === workspace.id);
	});

	app.post('/organizations/:organizationId/workspaces/:workspaceId/projects', { config: PARTNER_ONLY }, async (request) => {
		const workspace = findWorkspace(state, request.params.organizationId, request.params.workspaceId);
		const fields = parseNameRequest(request.body, { creating: true, kind: 'project' });
		const project = state.createProject(workspace.id, fields);
		try {
			await engine.addProject(project.id);
		} catch (error) {
			state.deleteProject(project.id);
			throw error;
		}
		return project;
	});

	app.get('/organizations/:organizationId/workspaces/:workspaceId/projects/:projectId', { config: PARTNER_ONLY }, async (request) => {
		const { organizationId, workspaceId, projectId } = request.params;
		return findWorkspaceProject(state, organizationId, workspaceId, projectId);
	});

	app.put('/organizations/:organizationId/workspaces/:workspaceId/projects/:projectId', { config: PARTNER_ONLY }, async (request) => {
		const { organizationId, workspaceId, projectId } = request.params;
		const project = findWorkspaceProject(state, organizationId, workspaceId, projectId);
		// ProjectRequest marks name as required, so a PUT without it is refused like a create.
		return state.updateProject(project, parseNameRequest(request.body, { creating: true, kind: 'project' }));
	});

	app.delete('/organizations/:organizationId/workspaces/:workspaceId/projects/:projectId', { config: PARTNER_ONLY }, async (request, reply) => {
		const { organizationId, workspaceId, projectId } = request.params;
		const project = findWorkspaceProject(state, organizationId, workspaceId, projectId);
		state.deleteProject(project.id);
		await engine.removeProject(project.id);
		return reply.code(200).send();
	});

	// Deprecated in the spec, yet the only single call that lists every project of the account.
	app.get('/projects', { config: PARTNER_ONLY }, async () => state.projects);

	app.get('/projects/:projectId', { config: PARTNER_ONLY }, async (request) => state.findProject(request.params.projectId));

	app.get('/projects/:projectId/apiKeys', { config: PARTNER_ONLY }, async (request) => (
		state.listProjectKeys(request.params.projectId)
	));

	app.post('/projects/:projectId/apiKeys', { config: PARTNER_ONLY }, async (request) => (
		state.createProjectKey(request.params.projectId, parseApiKeyRequest(request.body))
	));

	app.delete('/projects/:projectId/apiKeys/:apiKeyId', { config: PARTNER_ONLY }, async (request, reply) => {
		const { projectId, apiKeyId } = request.params;
		if (!state.deleteProjectKey(projectId, apiKeyId)) {
			throw PeakaError.notFound(`API key not found: ${apiKeyId}`);
		}
		return reply.code(200).send();
	});
}

module.exports = { register, parseApiKeyRequest };
