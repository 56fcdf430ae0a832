'use strict';

const { PeakaError } = require('../errors');
const tables = require('../engine/internal-tables');

/**
 * Internal table routes: Peaka Tables under /table and BI Tables under /bitable, their columns,
 * and, for Peaka Tables only, the sample CSV and the CSV import. BI Tables have no import route,
 * so a POST to one gets the framework 404, as live Peaka returned.
 */

const MULTIPART = 'multipart/form-data';

/**
 * Route options for the create routes, which take no body. Clients such as axios label an empty
 * POST as a form; Peaka (Spring) ignores the label, so the emulator drops it before body parsing.
 */
const NO_BODY_ROUTE = {
	onRequest: async (request) => {
		const length = request.headers['content-length'];
		if (length === undefined || length === '0') delete request.headers['content-type'];
	},
};
const SCHEMAS = ['table', 'bitable'];

/**
 * Splits a multipart/form-data body into its named parts (text for fields, a Buffer for files).
 * @returns {Record<string, { data: Buffer, fileName?: string }>}
 */
function parseMultipart(body, contentType) {
	const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType || '');
	if (!match) throw PeakaError.badRequest('Invalid multipart request: the Content-Type names no boundary.');
	const delimiter = Buffer.from(`--${match[1] || match[2]}`);
	const parts = {};
	let position = body.indexOf(delimiter);
	while (position !== -1) {
		const start = position + delimiter.length;
		if (body.subarray(start, start + 2).toString() === '--') break;
		const next = body.indexOf(delimiter, start);
		if (next === -1) break;
		// Each part is CRLF, headers, CRLF CRLF, content, CRLF, then the next delimiter.
		const part = body.subarray(start + 2, next - 2);
		const headerEnd = part.indexOf('\r\n\r\n');
		if (headerEnd !== -1) {
			const headers = part.subarray(0, headerEnd).toString('utf8');
			const name = /name="([^"]*)"/i.exec(headers);
			const fileName = /filename="([^"]*)"/i.exec(headers);
			if (name) parts[name[1]] = { data: part.subarray(headerEnd + 4), fileName: fileName ? fileName[1] : undefined };
		}
		position = next;
	}
	return parts;
}

/**
 * @param {import('fastify').FastifyInstance} app
 * @param {{ engine: object, behaviour: 'spec'|'observed' }} ctx
 */
function register(app, ctx) {
	const { engine, behaviour } = ctx;

	if (!app.hasContentTypeParser(MULTIPART)) {
		app.addContentTypeParser(MULTIPART, { parseAs: 'buffer' }, (request, body, done) => {
			try {
				const parts = parseMultipart(body, request.headers['content-type']);
				// The parts are handed over beside the body, not as it: the request log keeps bodies,
				// and contract checks read a logged body as JSON, which a multipart body is not. The
				// log gets the part names and sizes instead.
				request.multipartParts = {};
				for (const [name, part] of Object.entries(parts)) request.multipartParts[name] = part.data.toString('utf8');
				if (request.emulatorLogEntry) {
					request.emulatorLogEntry.multipart = Object.fromEntries(Object.entries(parts).map(([name, part]) => [name, part.data.length]));
				}
				done(null, undefined);
			} catch (error) {
				done(error);
			}
		});
	}

	for (const schema of SCHEMAS) {
		const base = `/data/projects/:projectId/${schema}`;

		app.get(base, async (request) => tables.listTables(engine, request.params.projectId, schema));

		app.post(`${base}/:tableName`, NO_BODY_ROUTE, async (request) => {
			const { projectId, tableName } = request.params;
			return tables.createTable(engine, projectId, schema, tableName);
		});

		app.delete(`${base}/:tableName`, async (request, reply) => {
			const { projectId, tableName } = request.params;
			await tables.dropTable(engine, projectId, schema, tableName);
			return reply.code(200).send();
		});

		app.get(`${base}/:tableName/columns`, async (request) => {
			const { projectId, tableName } = request.params;
			return tables.listColumns(engine, projectId, schema, tableName);
		});

		app.post(`${base}/:tableName/columns`, async (request) => {
			const { projectId, tableName } = request.params;
			return tables.addColumns(engine, projectId, schema, tableName, request.body);
		});

		app.put(`${base}/:tableName/columns/:columnName`, async (request) => {
			const { projectId, tableName, columnName } = request.params;
			const columns = await tables.updateColumn(engine, projectId, schema, tableName, columnName, request.body);
			if (schema === 'bitable' && behaviour === 'observed') {
				// Live Peaka echoed a BI column update with id "-1"; a later read showed the stored
				// column, whose display name stays its name.
				return [{ ...request.body, name: tables.storedName(schema, request.body.name), id: '-1', desc: null }];
			}
			return columns;
		});

		app.delete(`${base}/:tableName/columns/:columnName`, async (request, reply) => {
			const { projectId, tableName, columnName } = request.params;
			await tables.deleteColumn(engine, projectId, schema, tableName, columnName);
			return reply.code(200).send();
		});
	}

	app.get('/data/projects/:projectId/table/:tableName/sample', async (request, reply) => {
		const { projectId, tableName } = request.params;
		const csv = await tables.sampleCsv(engine, projectId, tableName);
		return reply
			.type('text/csv')
			.header('content-disposition', 'attachment; filename="sample.csv"')
			.send(csv);
	});

	app.post('/data/projects/:projectId/table/:tableName/import', async (request) => {
		const { projectId, tableName } = request.params;
		const body = request.multipartParts;
		if (!body || typeof body.file !== 'string' || typeof body.request !== 'string') {
			throw PeakaError.badRequest("Required request part 'file' or 'request' is not present.");
		}
		return tables.importCsv(engine, projectId, tableName, body.file, body.request);
	});
}

module.exports = { register, parseMultipart };
