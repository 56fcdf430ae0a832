'use strict';

const { PeakaError } = require('../errors');

/**
 * Supported Drivers: connection URLs for Peaka's Trino endpoint that embed the caller's own API
 * key, as Peaka's examples show. The host is Peaka's US endpoint `dbc.peaka.studio:4567` even
 * here, because the URLs are for external tools and the emulator only returns them.
 */

const TRINO_HOST = 'dbc.peaka.studio:4567';
/** Placeholder Peaka leaves in the SQLAlchemy URL when no catalog is named. */
const CATALOG_PLACEHOLDER = '{catalogName}';

function jdbcUrl(key) {
	return `jdbc:peaka://${TRINO_HOST}/?extraCredentials=peakaKey:${key}`;
}

function sqlAlchemyUrl(key, catalogName) {
	return `peaka://${TRINO_HOST}/${catalogName}?http_scheme=https&extra_credential=[["peakaKey","${key}"]]&access_token=true`;
}

/** Returns the bearer key of an authenticated request; the server checked its form already. */
function callerKey(request) {
	return /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization)[1];
}

function readCatalogName(request, { required }) {
	const value = request.query.catalogName;
	if (value === undefined || value === '') {
		if (required) throw PeakaError.badRequest('catalogName is required: SQLAlchemy reaches one catalog at a time, e.g. ?catalogName=datasets.');
		return CATALOG_PLACEHOLDER;
	}
	if (Array.isArray(value)) throw PeakaError.badRequest('Send catalogName once.');
	return value;
}

/** @param {import('fastify').FastifyInstance} app */
function register(app) {
	app.get('/supportedDrivers', async (request) => ({
		JDBC: jdbcUrl(callerKey(request)),
		SQL_ALCHEMY: sqlAlchemyUrl(callerKey(request), readCatalogName(request, { required: false })),
	}));

	app.get('/supportedDrivers/jdbc', async (request) => ({ JDBC: jdbcUrl(callerKey(request)) }));

	app.get('/supportedDrivers/sql_alchemy', async (request) => ({
		SQL_ALCHEMY: sqlAlchemyUrl(callerKey(request), readCatalogName(request, { required: true })),
	}));
}

module.exports = { register, TRINO_HOST };
