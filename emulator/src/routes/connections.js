'use strict';

const { PeakaError } = require('../errors');

/**
 * GET /connections/config and /connections/config/{connectionType}: the connector catalogue.
 * Both key kinds may call them and they need no project id, which makes the list the credential
 * test. The catalogue is a small fixed subset of Peaka's; the field names of Postgres and HubSpot
 * are the ones live Peaka listed. No response carries the caller's key.
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

/** @param {import('fastify').FastifyInstance} app */
function register(app) {
	app.get('/connections/config', async () => CONNECTION_CONFIGURATIONS);

	app.get('/connections/config/:connectionType', async (request) => {
		const { connectionType } = request.params;
		const configuration = CONNECTION_CONFIGURATIONS.find((entry) => entry.connectionType === connectionType);
		if (!configuration) {
			const known = CONNECTION_CONFIGURATIONS.map((entry) => entry.connectionType).join(', ');
			throw PeakaError.notFound(`Connection type not found: ${connectionType}. The emulator knows ${known}.`);
		}
		return configuration;
	});
}

module.exports = { register, CONNECTION_CONFIGURATIONS };
