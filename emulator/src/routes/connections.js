'use strict';

const crypto = require('node:crypto');

const { PeakaError, frameworkBody } = require('../errors');

/**
 * Connection routes. GET /connections/config and /connections/config/{connectionType} serve the
 * connector catalogue: both key kinds may call them and they need no project id, which makes the
 * list the credential test. The catalogue is a small fixed subset of Peaka's; the field names of
 * Postgres and HubSpot are the ones live Peaka listed. No response carries the caller's key.
 *
 * The connection CRUD routes under /connections/{projectId} keep connections in
 * `state.connections`. Credentials are checked against the type's configuration on create and
 * update in both behaviours, as live Peaka was measured to do, and no response carries a secret
 * field back.
 */

const DOCUMENTATION_URL = 'https://docs.peaka.com';

function field(fieldName, fieldType, required, description) {
	return { fieldName, fieldType, required, description };
}

const CONNECTION_CONFIGURATIONS = [
	{
		connectionType: 'stripe',
		connectionTypeLabel: 'Stripe',
		name: 'Stripe',
		authorizationType: 'api_key',
		credentialSchemaType: 'stripe_credential_schema',
		redirectRequired: false,
		category: 'Payment',
		configuration: [
			field('token', 'text', true, 'Stripe secret or restricted API key'),
		],
		documentationUrl: DOCUMENTATION_URL,
	},
	{
		connectionType: 'POSTGRES',
		connectionTypeLabel: 'PostgreSQL',
		name: 'PostgreSQL',
		authorizationType: 'custom',
		credentialSchemaType: 'postgres_credential_schema',
		redirectRequired: false,
		category: 'Database',
		configuration: [
			field('url', 'text', true, 'Host name or address of the database server'),
			field('port', 'number', true, 'Port of the database server'),
			field('user', 'text', true, 'Database user'),
			field('password', 'text', true, 'Password of the database user'),
			field('databaseName', 'text', true, 'Database to connect to'),
			field('useSsl', 'boolean', false, 'Whether to connect over SSL'),
		],
		documentationUrl: DOCUMENTATION_URL,
	},
	{
		connectionType: 'hubspot',
		connectionTypeLabel: 'HubSpot',
		name: 'HubSpot',
		authorizationType: 'oauth2',
		credentialSchemaType: 'hubspot_credential_schema',
		redirectRequired: true,
		category: 'CRM',
		configuration: [
			field('accessToken', 'text', false, 'Access token or private app token'),
			field('refreshToken', 'text', false, 'OAuth2 refresh token'),
			field('clientId', 'text', false, 'Client ID of your own OAuth2 app'),
			field('clientSecret', 'text', false, 'Client secret of your own OAuth2 app'),
			field('redirectUrl', 'text', false, 'Redirect URL registered with your own OAuth2 app'),
		],
		documentationUrl: DOCUMENTATION_URL,
	},
	{
		connectionType: 'airtable',
		connectionTypeLabel: 'Airtable',
		name: 'Airtable',
		authorizationType: 'bearer_token',
		credentialSchemaType: 'airtable_credential_schema',
		redirectRequired: false,
		category: 'Database',
		configuration: [
			field('personalAccessToken', 'text', true, 'Airtable personal access token'),
		],
		documentationUrl: DOCUMENTATION_URL,
	},
	{
		connectionType: 'google_analytics',
		connectionTypeLabel: 'Google Analytics',
		name: 'Google Analytics',
		authorizationType: 'oauth2',
		credentialSchemaType: 'google_analytics_credential_schema',
		redirectRequired: true,
		category: 'Marketing',
		configuration: [
			field('clientId', 'text', false, 'Client ID of your own OAuth2 app'),
			field('clientSecret', 'text', false, 'Client secret of your own OAuth2 app'),
		],
		documentationUrl: DOCUMENTATION_URL,
	},
];

/**
 * Credential fields Peaka treats as secret, by connection type. The configuration does not flag
 * them, and the spec's Bullhorn detail example shows `corpToken`, so secrecy is not a naming rule.
 * NOTE: which fields live Peaka keeps out of the detail response was measured only for Stripe.
 */
const SECRET_FIELDS = {
	stripe: ['token'],
	POSTGRES: ['password'],
	hubspot: ['accessToken', 'refreshToken', 'clientSecret'],
	airtable: ['personalAccessToken'],
	google_analytics: ['clientSecret'],
};

/** OAuth2 credential fields that make the browser step unnecessary (tokens already obtained). */
const TOKEN_FIELDS = ['accessToken', 'refreshToken'];

/** A Stripe key the emulator accepts: secret or restricted, test or live mode. */
const STRIPE_KEY_PATTERN = /^(sk|rk)_(test|live)_[A-Za-z0-9]+$/;

/** Where the emulator's OAuth2 consent URLs point. The emulator never serves or calls this host. */
const CONSENT_URL_BASE = 'https://oauth.provider.example/authorize';

/**
 * Connections that exist when the emulator starts, behind the first project's seeded `datasets`
 * and `stripe` catalogs. Their ids are the ones catalogs.js accepts for catalog creation.
 */
const SEEDED_CONNECTIONS = [
	{
		id: '3f6b2c1d-8e4a-4b7c-9d2e-1a5f6c7b8d90',
		name: 'Datasets',
		type: 'POSTGRES',
		credential: { url: 'datasets.db.internal', port: 5432, user: 'reader', password: 'seeded-not-a-secret', databaseName: 'datasets', useSsl: true },
	},
	{
		id: '7c2d4e6f-1a3b-4c5d-8e9f-0a1b2c3d4e5f',
		name: 'Stripe',
		type: 'stripe',
		credential: { token: 'sk_test_seededNotASecret' },
	},
];

const FIELD_TYPE_CHECKS = {
	text: (value) => typeof value === 'string',
	number: (value) => typeof value === 'number' && Number.isFinite(value),
	boolean: (value) => typeof value === 'boolean',
};

function findConfiguration(connectionType) {
	return CONNECTION_CONFIGURATIONS.find((entry) => entry.connectionType === connectionType) || null;
}

/** The connection as Peaka returns it: `url` only while an OAuth2 consent is pending. */
function toConnection(record) {
	const connection = { id: record.id, name: record.name, type: record.type };
	if (record.consentUrl) connection.url = record.consentUrl;
	return connection;
}

/**
 * Returns the connection store of a project, seeding the first project's connections on first use.
 * @param {object} state
 * @param {string} projectId
 * @returns {Map<string, object>}
 */
function projectConnections(state, projectId) {
	let connections = state.connections.get(projectId);
	if (!connections) {
		connections = new Map();
		if (projectId === state.projectId) {
			for (const seeded of SEEDED_CONNECTIONS) {
				connections.set(seeded.id, { ...seeded, credential: { ...seeded.credential }, consentUrl: null, oauthState: null });
			}
		}
		state.connections.set(projectId, connections);
	}
	return connections;
}

/**
 * @param {import('fastify').FastifyInstance} app
 * @param {{ state: object, behaviour: 'spec'|'observed' }} ctx
 */
function register(app, ctx) {
	const { state, behaviour } = ctx;

	app.get('/connections/config', async () => CONNECTION_CONFIGURATIONS);

	app.get('/connections/config/:connectionType', async (request) => {
		const { connectionType } = request.params;
		const configuration = findConfiguration(connectionType);
		if (!configuration) {
			const known = CONNECTION_CONFIGURATIONS.map((entry) => entry.connectionType).join(', ');
			throw PeakaError.notFound(`Connection type not found: ${connectionType}. The emulator knows ${known}.`);
		}
		return configuration;
	});

	/** Finds a connection of the project, or throws Peaka's error for an unknown id. */
	function findConnection(projectId, connectionId) {
		const record = projectConnections(state, projectId).get(connectionId);
		if (record) return record;
		if (behaviour === 'observed') {
			// Live Peaka returned this 400 for a read of a deleted connection.
			throw new PeakaError(400, { error: 'INVALID_CONNECTION_ID', message: 'invalid connection id', errorCode: 'cn004' });
		}
		// The spec documents no error here; 404 is what its other not-found responses use.
		throw PeakaError.notFound(`Connection not found: ${connectionId}`);
	}

	/**
	 * Checks a ConnectionRequest: schema first (a missing credential gives "Bad Request"), then the
	 * credential against the type's configuration (INVALID_CREDENTIALS), as live Peaka did.
	 */
	function checkConnectionRequest(request, projectId) {
		const body = request.body && typeof request.body === 'object' ? request.body : {};
		const pathOnly = request.url.split('?')[0];
		const name = typeof body.name === 'string' ? body.name.trim() : '';
		if (name === '') {
			throw new PeakaError(400, frameworkBody(400, pathOnly, 'name is missing: send {"name": "sales db", "type": "POSTGRES", "credential": {...}}.'));
		}
		const configuration = typeof body.type === 'string' ? findConfiguration(body.type) : null;
		if (!configuration) {
			throw PeakaError.badRequest(`Connection type not found: ${JSON.stringify(body.type)}. List the types with GET /connections/config.`);
		}
		if (!body.credential || typeof body.credential !== 'object' || Array.isArray(body.credential)) {
			throw new PeakaError(400, frameworkBody(400, pathOnly, 'Required property credential is missing: send the credential object of the connection type.'));
		}
		const problem = credentialProblem(configuration, body.credential);
		if (problem) {
			// Live Peaka's message carried the path of its internal secret store; spec behaviour leaves it out.
			const detail = behaviour === 'observed' ? ` (/internal/connection-secret/${projectId}/${crypto.randomUUID()})` : '';
			throw new PeakaError(400, { error: 'INVALID_CREDENTIALS', message: `Invalid credentials: ${problem}${detail}` });
		}
		const connectionCallback = typeof body.connectionCallback === 'string' && body.connectionCallback !== '' ? body.connectionCallback : null;
		return { name, type: configuration.connectionType, credential: { ...body.credential }, configuration, connectionCallback };
	}

	/** Sets the consent URL of an OAuth2 connection that has no token yet; clears it otherwise. */
	function applyAuthorization(record, checked) {
		const hasToken = TOKEN_FIELDS.some((key) => typeof checked.credential[key] === 'string' && checked.credential[key] !== '');
		if (checked.configuration.redirectRequired && !hasToken) {
			record.oauthState = crypto.randomBytes(16).toString('hex');
			const query = new URLSearchParams({ state: record.oauthState });
			if (checked.connectionCallback) query.set('redirect_uri', checked.connectionCallback);
			record.consentUrl = `${CONSENT_URL_BASE}/${encodeURIComponent(checked.type)}?${query}`;
		} else {
			record.oauthState = null;
			record.consentUrl = null;
		}
	}

	app.get('/connections/:projectId', async (request) => {
		return [...projectConnections(state, request.params.projectId).values()].map(toConnection);
	});

	app.post('/connections/:projectId', async (request) => {
		const { projectId } = request.params;
		const checked = checkConnectionRequest(request, projectId);
		const record = { id: crypto.randomUUID(), name: checked.name, type: checked.type, credential: checked.credential, consentUrl: null, oauthState: null };
		applyAuthorization(record, checked);
		projectConnections(state, projectId).set(record.id, record);
		if (behaviour === 'observed' && !record.consentUrl) {
			// Live Peaka returned only the id and type of a created connection.
			return { id: record.id, type: record.type };
		}
		return toConnection(record);
	});

	app.post('/connections/:projectId/oauth2', async (request) => {
		const { projectId } = request.params;
		const body = request.body && typeof request.body === 'object' ? request.body : {};
		if (typeof body.queryParameters !== 'string' || body.queryParameters.trim() === '') {
			throw PeakaError.badRequest('queryParameters is missing: send the query string your redirect URL received, e.g. "code=1234&state=xyz".');
		}
		const query = new URLSearchParams(body.queryParameters.trim().replace(/^[^?]*\?/, ''));
		const code = query.get('code');
		const oauthState = query.get('state');
		if (!code || !oauthState) {
			const error = query.get('error');
			throw PeakaError.badRequest(error
				? `The provider refused the authorization: ${error}`
				: 'queryParameters must contain code and state, as the provider sent them to the redirect URL.');
		}
		const record = [...projectConnections(state, projectId).values()].find((entry) => entry.oauthState === oauthState);
		if (!record) {
			throw PeakaError.badRequest(`No connection of project ${projectId} waits for OAuth2 state ${oauthState}.`);
		}
		record.oauthState = null;
		record.consentUrl = null;
		record.credential = { ...record.credential, accessToken: `emulated-access-${code}` };
		return toConnection(record);
	});

	app.get('/connections/:projectId/:connectionId', async (request) => {
		const { projectId, connectionId } = request.params;
		return toConnection(findConnection(projectId, connectionId));
	});

	app.put('/connections/:projectId/:connectionId', async (request) => {
		const { projectId, connectionId } = request.params;
		const record = findConnection(projectId, connectionId);
		const checked = checkConnectionRequest(request, projectId);
		// Peaka replaces the whole credential on update: fields left out are gone.
		record.name = checked.name;
		record.type = checked.type;
		record.credential = checked.credential;
		applyAuthorization(record, checked);
		return toConnection(record);
	});

	app.delete('/connections/:projectId/:connectionId', async (request, reply) => {
		const { projectId, connectionId } = request.params;
		findConnection(projectId, connectionId);
		// Catalogs built on the connection stay, as in live Peaka, where they then fail to read.
		projectConnections(state, projectId).delete(connectionId);
		return reply.code(200).send();
	});

	app.get('/connections/:projectId/:connectionId/detail', async (request) => {
		const { projectId, connectionId } = request.params;
		const record = findConnection(projectId, connectionId);
		const secret = new Set(SECRET_FIELDS[record.type] || []);
		const detail = { type: record.type };
		for (const [key, value] of Object.entries(record.credential)) {
			if (!secret.has(key) && !TOKEN_FIELDS.includes(key)) detail[key] = value;
		}
		return detail;
	});
}

/** Returns what is wrong with a credential for a configuration, or undefined when it fits. */
function credentialProblem(configuration, credential) {
	for (const item of configuration.configuration) {
		const value = credential[item.fieldName];
		const missing = value === undefined || value === null || value === '';
		if (missing) {
			if (item.required) return `required field ${item.fieldName} is missing`;
			continue;
		}
		const fits = FIELD_TYPE_CHECKS[item.fieldType];
		if (fits && !fits(value)) return `field ${item.fieldName} must be a ${item.fieldType}`;
	}
	if (configuration.connectionType === 'stripe' && !STRIPE_KEY_PATTERN.test(credential.token)) {
		return 'the Stripe API key was rejected';
	}
	return undefined;
}

module.exports = { register, projectConnections, CONNECTION_CONFIGURATIONS, SECRET_FIELDS, SEEDED_CONNECTIONS };
