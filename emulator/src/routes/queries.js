'use strict';

const { PeakaError, frameworkBody, peakaBody } = require('../errors');

/**
 * Saved queries (list, create, read, update, delete, move to a folder path) and the query folders
 * they live in. A saved query is stored SQL that the engine exposes as the view
 * `peaka.query.<name>`; see the engine's saved-query store.
 *
 * Differences between the behaviours, as live Peaka was measured:
 * - an unknown or deleted query id: spec 404, observed 400 "There is no query with id: <id>";
 * - a query at the root folder: spec `path: null`, observed `path: "/"`.
 */

const QUERY_TYPES = ['PLAIN', 'MATERIALIZED'];
const SCHEDULE_TYPES = ['interval', 'cron', 'none'];
const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const CRON_FIELD_COUNT = 5;

function requestPath(request) {
	return request.url.split('?')[0];
}

/**
 * Returns the error for a query id that does not exist. The spec documents none, and live Peaka
 * sent 400 with errorCode 100.
 */
function queryNotFound(behaviour, queryId) {
	const status = behaviour === 'observed' ? 400 : 404;
	return new PeakaError(status, peakaBody(`There is no query with id: ${queryId}`));
}

function renderQuery(record, behaviour) {
	return {
		id: record.id,
		displayName: record.displayName,
		name: record.name,
		inputQuery: record.inputQuery,
		queryType: record.queryType,
		schedule: record.schedule,
		// The spec gives null for a query at the root; live Peaka sent "/".
		path: record.path ?? (behaviour === 'observed' ? '/' : null),
		folderId: record.folderId,
	};
}

function readCheckSchemaExists(request) {
	const value = request.query.checkSchemaExists;
	if (value === undefined || value === 'true') return true;
	if (value === 'false') return false;
	throw new PeakaError(400, frameworkBody(400, requestPath(request), `Invalid checkSchemaExists '${value}': use true or false.`));
}

function readSchedule(schedule, request) {
	if (schedule === undefined || schedule === null) return schedule;
	const path = requestPath(request);
	if (typeof schedule !== 'object' || Array.isArray(schedule)) {
		throw new PeakaError(400, frameworkBody(400, path, `Invalid schedule ${JSON.stringify(schedule)}: send an object such as {"type": "interval", "repeatDuration": "PT6H"}.`));
	}
	if (schedule.type !== undefined && !SCHEDULE_TYPES.includes(schedule.type)) {
		throw new PeakaError(400, frameworkBody(400, path, `Invalid schedule type '${schedule.type}': use one of ${SCHEDULE_TYPES.join(', ')}.`));
	}
	if (schedule.type === 'interval' && (typeof schedule.repeatDuration !== 'string' || !ISO_DURATION.test(schedule.repeatDuration))) {
		throw PeakaError.badRequest(`Invalid repeatDuration ${JSON.stringify(schedule.repeatDuration)}: an interval schedule needs an ISO-8601 duration such as "PT6H".`);
	}
	if (schedule.type === 'cron' && (typeof schedule.cronExpression !== 'string' || schedule.cronExpression.trim().split(/\s+/).length !== CRON_FIELD_COUNT)) {
		throw PeakaError.badRequest(`Invalid cronExpression ${JSON.stringify(schedule.cronExpression)}: a cron schedule needs five fields, e.g. "0 0 * * *".`);
	}
	// The spec's schedule type is an enum without null, so a schedule sent without a type is
	// returned without one.
	const result = {};
	if (schedule.type !== undefined) result.type = schedule.type;
	if (schedule.type === 'interval') result.repeatDuration = schedule.repeatDuration;
	if (schedule.type === 'cron') {
		result.cronExpression = schedule.cronExpression;
		result.timezone = schedule.timezone ?? 'UTC';
	}
	return result;
}

/**
 * Reads a QueryRequest body. On create, displayName and either inputQuery or inputQueryRefId
 * are required; on update every field is optional.
 */
function readQueryRequest(request, { creating }) {
	const body = request.body;
	const path = requestPath(request);
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		throw new PeakaError(400, frameworkBody(400, path, 'The request body must be a JSON object such as {"displayName": "daily revenue", "inputQuery": "SELECT 1"}.'));
	}
	const fields = {};
	for (const [field, value] of Object.entries({ displayName: body.displayName, inputQuery: body.inputQuery, inputQueryRefId: body.inputQueryRefId, path: body.path })) {
		if (value !== undefined && value !== null && typeof value !== 'string') {
			throw new PeakaError(400, frameworkBody(400, path, `Invalid ${field} ${JSON.stringify(value)}: send a string.`));
		}
		fields[field] = value;
	}
	if (body.queryType !== undefined && !QUERY_TYPES.includes(body.queryType)) {
		throw new PeakaError(400, frameworkBody(400, path, `Invalid queryType ${JSON.stringify(body.queryType)}: use PLAIN or MATERIALIZED.`));
	}
	fields.queryType = body.queryType;
	fields.schedule = readSchedule(body.schedule, request);

	if (creating) {
		if (typeof fields.displayName !== 'string' || fields.displayName.trim() === '') {
			throw PeakaError.badRequest('displayName is required, e.g. "daily revenue".');
		}
		const hasSql = typeof fields.inputQuery === 'string' && fields.inputQuery.trim() !== '';
		if (!hasSql && !fields.inputQueryRefId) {
			throw PeakaError.badRequest('inputQuery is required unless inputQueryRefId names a query to materialize.');
		}
	} else if (fields.displayName !== undefined && fields.displayName !== null && fields.displayName.trim() === '') {
		throw PeakaError.badRequest('displayName cannot be empty.');
	}
	if (fields.inputQueryRefId && (fields.queryType ?? 'PLAIN') !== 'MATERIALIZED') {
		throw PeakaError.badRequest('inputQueryRefId is valid only with queryType MATERIALIZED.');
	}
	return fields;
}

function readFolderName(request, field = 'folderName') {
	const body = request.body;
	const name = body && typeof body === 'object' ? body[field] : undefined;
	if (typeof name !== 'string' || name.trim() === '' || name.includes('/')) {
		throw PeakaError.badRequest(`Invalid ${field} ${JSON.stringify(name)}: send a non-empty name without '/', e.g. "Reports".`);
	}
	return name.trim();
}

function folderNotFound(folderId) {
	return PeakaError.notFound(`Query folder not found: ${folderId}`);
}

/**
 * @param {import('fastify').FastifyInstance} app
 * @param {{ engine: object, behaviour: 'spec'|'observed' }} ctx
 */
function register(app, ctx) {
	const { engine, behaviour } = ctx;
	const store = engine.savedQueries;
	const base = '/data/projects/:projectId/queries';

	app.get(base, async (request) => store.list(request.params.projectId).map((record) => renderQuery(record, behaviour)));

	app.post(base, async (request) => {
		const checkSchemaExists = readCheckSchemaExists(request);
		const fields = readQueryRequest(request, { creating: true });
		const record = await store.create(request.params.projectId, fields, { checkSchemaExists });
		return renderQuery(record, behaviour);
	});

	app.get(`${base}/:queryId`, async (request) => {
		const { projectId, queryId } = request.params;
		const record = store.get(projectId, queryId);
		if (!record) throw queryNotFound(behaviour, queryId);
		return renderQuery(record, behaviour);
	});

	app.put(`${base}/:queryId`, async (request) => {
		const { projectId, queryId } = request.params;
		const checkSchemaExists = readCheckSchemaExists(request);
		if (!store.get(projectId, queryId)) throw queryNotFound(behaviour, queryId);
		const fields = readQueryRequest(request, { creating: false });
		const record = await store.update(projectId, queryId, fields, { checkSchemaExists });
		if (!record) throw queryNotFound(behaviour, queryId);
		return renderQuery(record, behaviour);
	});

	app.delete(`${base}/:queryId`, async (request, reply) => {
		const { projectId, queryId } = request.params;
		if (!(await store.remove(projectId, queryId))) throw queryNotFound(behaviour, queryId);
		return reply.code(200).send();
	});

	app.patch(`${base}/:queryId/path`, async (request, reply) => {
		const { projectId, queryId } = request.params;
		if (!store.get(projectId, queryId)) throw queryNotFound(behaviour, queryId);
		const body = request.body;
		const folderPath = body && typeof body === 'object' ? body.path : undefined;
		if (typeof folderPath !== 'string') {
			throw PeakaError.badRequest(`Invalid path ${JSON.stringify(folderPath)}: send {"path": "/reports/monthly"}, or {"path": "/"} for the root.`);
		}
		store.move(projectId, queryId, folderPath);
		return reply.code(200).send();
	});

	registerFolderRoutes(app, ctx);
}

/**
 * Query folders: the listing, creation, reading, the tree, adding and removing queries, renaming,
 * moving and deletion. A query id that does not exist in an add or remove list gets 400 "There is
 * no query with id", the answer live Peaka gave for a deleted query (not measured on this route).
 */
function registerFolderRoutes(app, ctx) {
	const { engine, behaviour } = ctx;
	const store = engine.savedQueries;
	const base = '/data/projects/:projectId/queries/folders';

	const contents = (projectId, folder) => ({
		...folder,
		folders: store.listFolders(projectId).filter((candidate) => candidate.parentId === folder.id),
		queries: store.list(projectId).filter((record) => record.folderId === folder.id).map((record) => renderQuery(record, behaviour)),
	});

	const createFolder = (projectId, parentId, name) => {
		const folder = store.createFolder(projectId, parentId, name);
		if (!folder) throw new PeakaError(409, peakaBody(`A folder named '${name}' already exists there.`));
		return folder;
	};

	app.get(base, async (request) => ({ items: store.listFolders(request.params.projectId) }));

	app.post(base, async (request, reply) => {
		const folder = createFolder(request.params.projectId, null, readFolderName(request));
		return reply.code(201).send(folder);
	});

	app.post(`${base}/:parentFolderId`, async (request, reply) => {
		const { projectId, parentFolderId } = request.params;
		if (!store.getFolder(projectId, parentFolderId)) throw folderNotFound(parentFolderId);
		const folder = createFolder(projectId, parentFolderId, readFolderName(request));
		return reply.code(201).send(folder);
	});

	app.get(`${base}/tree`, async (request) => {
		const { projectId } = request.params;
		const includeQueries = request.query.includeQueries === 'true';
		const rootFolderId = request.query.rootFolderId;
		const folders = store.listFolders(projectId);
		const queries = includeQueries ? store.list(projectId) : [];
		const node = (folder) => {
			const result = {
				id: folder.id,
				name: folder.name,
				path: folder.path,
				children: folders.filter((candidate) => candidate.parentId === folder.id).map(node),
			};
			if (includeQueries) result.queries = queries.filter((record) => record.folderId === folder.id).map((record) => renderQuery(record, behaviour));
			return result;
		};
		if (rootFolderId !== undefined) {
			const root = folders.find((folder) => folder.id === rootFolderId);
			if (!root) throw folderNotFound(rootFolderId);
			return { tree: [node(root)] };
		}
		return { tree: folders.filter((folder) => folder.parentId === null).map(node) };
	});

	app.get(`${base}/:folderId`, async (request) => {
		const { projectId, folderId } = request.params;
		const folder = store.getFolder(projectId, folderId);
		if (!folder) throw folderNotFound(folderId);
		return contents(projectId, folder);
	});

	app.put(`${base}/:folderId`, async (request) => {
		const { projectId, folderId } = request.params;
		const body = request.body && typeof request.body === 'object' ? request.body : {};
		const lists = {};
		// Peaka documents both arrays as part of the request; null or a missing one is refused.
		for (const field of ['queryIdsAdded', 'queryIdsRemoved']) {
			const value = body[field];
			if (!Array.isArray(value) || value.some((id) => typeof id !== 'string' || !/^\d+$/.test(id))) {
				throw PeakaError.badRequest(`Invalid ${field} ${JSON.stringify(value)}: send an array of query ids as strings, [] when there are none.`);
			}
			lists[field] = value;
		}
		const outcome = store.moveQueriesToFolder(projectId, folderId, lists.queryIdsAdded, lists.queryIdsRemoved);
		if (outcome === 'not-found') throw folderNotFound(folderId);
		if (outcome.missingQueryId) throw PeakaError.badRequest(`There is no query with id: ${outcome.missingQueryId}`);
		return contents(projectId, outcome);
	});

	app.patch(`${base}/:folderId/name`, async (request) => {
		const { projectId, folderId } = request.params;
		const name = readFolderName(request, 'name');
		const outcome = store.renameFolder(projectId, folderId, name);
		if (outcome === 'not-found') throw folderNotFound(folderId);
		if (outcome === 'conflict') throw new PeakaError(409, peakaBody(`A folder named '${name}' already exists at the same level.`));
		return outcome;
	});

	app.patch(`${base}/:folderId/path`, async (request) => {
		const { projectId, folderId } = request.params;
		const body = request.body;
		const folderPath = body && typeof body === 'object' ? body.path : undefined;
		if (typeof folderPath !== 'string' || !folderPath.trim().startsWith('/')) {
			throw PeakaError.badRequest(`Invalid path ${JSON.stringify(folderPath)}: send the folder's new full path, e.g. {"path": "/Archive/Reports"}.`);
		}
		const outcome = store.moveFolder(projectId, folderId, folderPath);
		if (outcome === 'not-found') throw folderNotFound(folderId);
		if (outcome === 'conflict') throw new PeakaError(409, peakaBody(`A folder already exists at ${folderPath}.`));
		if (outcome === 'circular') throw new PeakaError(409, peakaBody(`Query folder ${folderId} cannot move into itself or one of its sub-folders (${folderPath}).`));
		return outcome;
	});

	app.delete(`${base}/:folderId`, async (request, reply) => {
		const { projectId, folderId } = request.params;
		const force = request.query.force === 'true';
		const outcome = await store.deleteFolder(projectId, folderId, { force });
		if (outcome === 'not-found') throw folderNotFound(folderId);
		if (outcome === 'not-empty') {
			throw new PeakaError(409, peakaBody(`Query folder ${folderId} is not empty. Move its queries and folders out, or delete with force=true.`));
		}
		return reply.code(204).send();
	});
}

module.exports = { register, renderQuery, queryNotFound };
