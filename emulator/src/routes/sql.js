'use strict';

const { PeakaError } = require('../errors');
const { transpile, SUPPORTED_DIALECTS } = require('../engine/transpile');

/**
 * SQL transpile: `POST /sql/transpile/{dialect}` with `{query}`. The spec's example answers
 * `{result}`; live Peaka answered `{query}` for mysql and postgres, which the observed behaviour
 * returns. What the emulator's transpiler changes is listed in engine/transpile.js.
 */

/** @param {import('fastify').FastifyInstance} app */
function register(app, ctx) {
	const { behaviour } = ctx;

	app.post('/sql/transpile/:dialect', async (request) => {
		const dialect = request.params.dialect.toLowerCase();
		if (!SUPPORTED_DIALECTS.includes(dialect)) {
			throw PeakaError.badRequest(`Unsupported dialect '${request.params.dialect}': the emulator transpiles only to ${SUPPORTED_DIALECTS.join(', ')}.`);
		}
		const body = request.body;
		const query = body && typeof body === 'object' ? body.query : undefined;
		if (typeof query !== 'string' || query.trim() === '') {
			throw PeakaError.badRequest(`Invalid query ${JSON.stringify(query)}: send {"query": "SELECT ..."}.`);
		}
		const transpiled = transpile(query, dialect);
		return behaviour === 'observed' ? { query: transpiled } : { result: transpiled };
	});
}

module.exports = { register };
