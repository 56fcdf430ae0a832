'use strict';

const crypto = require('node:crypto');

const { PeakaError, frameworkBody } = require('../errors');

/**
 * Embedded Peaka: `POST /ui/initSession` returns a one-time session URL for an iframe. The
 * emulator's URL points at its own host (`/api/v1/ui/session?code=<64 hex digits>`) but serves no
 * page there, since the embedded studio is a browser application outside the REST API.
 */

const SESSION_MODES = ['FULL_STUDIO', 'CONNECTOR_MODAL_ONLY'];
const SESSION_CODE_BYTES = 32;

function readInitSessionRequest(body) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		throw PeakaError.badRequest('The request body must be a JSON object such as {"projectId": "mtKDhe1U", "sessionMode": "FULL_STUDIO"}.');
	}
	if (typeof body.projectId !== 'string' || body.projectId.trim() === '') {
		throw PeakaError.badRequest(`projectId is required, got ${JSON.stringify(body.projectId)}.`);
	}
	if (body.sessionMode !== undefined && !SESSION_MODES.includes(body.sessionMode)) {
		throw PeakaError.badRequest(`Invalid sessionMode ${JSON.stringify(body.sessionMode)}: use ${SESSION_MODES.join(' or ')}.`);
	}
	if (body.timeoutInSeconds !== undefined && !(Number.isInteger(body.timeoutInSeconds) && body.timeoutInSeconds > 0)) {
		throw PeakaError.badRequest(`Invalid timeoutInSeconds ${JSON.stringify(body.timeoutInSeconds)}: send a whole number of seconds, e.g. 300.`);
	}
	return body;
}

/** @param {import('fastify').FastifyInstance} app */
function register(app, ctx) {
	const { state } = ctx;

	app.post('/ui/initSession', async (request) => {
		const { projectId } = readInitSessionRequest(request.body);
		const identity = request.peaka;
		if (identity.keyKind === 'project' && identity.projectId !== projectId) {
			throw new PeakaError(403, frameworkBody(403, request.url.split('?')[0], `The project API key belongs to project '${identity.projectId}' and cannot open a session for project '${projectId}'.`));
		}
		if (!state.findProject(projectId)) throw PeakaError.notFound(`Project not found: ${projectId}`);
		const code = crypto.randomBytes(SESSION_CODE_BYTES).toString('hex');
		return { sessionUrl: `${request.protocol}://${request.headers.host}/api/v1/ui/session?code=${code}` };
	});
}

module.exports = { register };
