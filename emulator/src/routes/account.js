'use strict';

const { PeakaError } = require('../errors');

/**
 * Account routes: GET /info (undocumented, read by Peaka's own clients), organizations,
 * workspaces, projects and project API keys. All but /info are partner-only. Creating, updating
 * and deleting organizations, workspaces and projects is not emulated, so those operations return 501.
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

/**
 * @param {import('fastify').FastifyInstance} app
 * @param {{ state: ReturnType<typeof import('../state').createState> }} ctx
 */
function register(app, ctx) {
	const { state } = ctx;

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

	app.get('/organizations/:organizationId/workspaces/:workspaceId/projects', { config: PARTNER_ONLY }, async (request) => {
		const workspace = findWorkspace(state, request.params.organizationId, request.params.workspaceId);
		return state.projects.filter((project) => project.workspaceId === workspace.id);
	});

	app.get('/organizations/:organizationId/workspaces/:workspaceId/projects/:projectId', { config: PARTNER_ONLY }, async (request) => {
		const { organizationId, workspaceId, projectId } = request.params;
		const workspace = findWorkspace(state, organizationId, workspaceId);
		const project = state.findProject(projectId);
		if (!project || project.workspaceId !== workspace.id) {
			throw PeakaError.notFound(`Project not found: ${projectId}`);
		}
		return project;
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
