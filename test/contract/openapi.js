'use strict';

/**
 * Checks requests and responses against Peaka's published OpenAPI 3.0.1 file, after applying
 * the corrections in errata.json (see README.md in this folder).
 *
 * The file is not part of the repository. It is read from the path in PEAKA_OPENAPI, or else
 * from ../shared/peaka-api/peaka-openapi.json beside the repository root. When it is missing,
 * the contract suites are skipped with a warning, unless PEAKA_REQUIRE_OPENAPI=1 makes them fail.
 *
 * Responses are checked against the spec's schema where it has one. Where it has only examples,
 * a body is checked against the fields and types the examples show. Every field that appears in
 * both must have the example's JSON type, and arrays and objects must nest as in the examples.
 * Fields the examples do not show are not checked.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const Ajv = require('ajv').default;
const addFormats = require('ajv-formats').default;

const OPENAPI_ENV = 'PEAKA_OPENAPI';
const REQUIRE_OPENAPI_ENV = 'PEAKA_REQUIRE_OPENAPI';
const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');
const DEFAULT_OPENAPI_PATH = path.resolve(REPOSITORY_ROOT, '..', 'shared', 'peaka-api', 'peaka-openapi.json');
const ERRATA_PATH = path.join(__dirname, 'errata.json');

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
/** Media types read as JSON. Spring Boot declares many JSON responses as `*\/*`. */
const JSON_MEDIA_TYPES = ['application/json', '*/*'];
/** Ajv document ids of the patched spec: as published, and with unknown object fields rejected. */
const LENIENT_DOCUMENT = 'peaka-openapi';
const STRICT_DOCUMENT = 'peaka-openapi-strict';
/** Maximum length, in characters, of an offending value quoted in an error message. */
const MAX_VALUE_EXCERPT_CHARS = 80;

// ---------------------------------------------------------------------------------------------
// Locating the file

/**
 * Returns where the OpenAPI file is expected and whether it is there.
 * @param {NodeJS.ProcessEnv} [env]
 */
function locateOpenApi(env = process.env) {
	const fromEnv = typeof env[OPENAPI_ENV] === 'string' && env[OPENAPI_ENV].trim() !== '';
	const file = fromEnv ? path.resolve(env[OPENAPI_ENV].trim()) : DEFAULT_OPENAPI_PATH;
	return { path: file, fromEnv, found: fs.existsSync(file) };
}

function isOpenApiRequired(env = process.env) {
	return env[REQUIRE_OPENAPI_ENV] === '1';
}

function missingMessage(location) {
	const origin = location.fromEnv ? `${OPENAPI_ENV}` : `the default location (set ${OPENAPI_ENV} to use another path)`;
	return `Peaka's OpenAPI file was not found at ${location.path}, taken from ${origin}.`;
}

// ---------------------------------------------------------------------------------------------
// JSON pointers and errata

function decodePointer(pointer) {
	if (pointer === '') return [];
	if (!pointer.startsWith('/')) throw new Error(`Invalid JSON pointer '${pointer}': it must start with '/'.`);
	return pointer.slice(1).split('/').map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function encodePointerToken(token) {
	return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

function pointerOf(...tokens) {
	return tokens.map((token) => `/${encodePointerToken(token)}`).join('');
}

/** Returns the value at a JSON pointer, or undefined when a step is missing. */
function readPointer(document, pointer) {
	let current = document;
	for (const token of decodePointer(pointer)) {
		if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, token)) return undefined;
		current = current[token];
	}
	return current;
}

function isDeepEqual(left, right) {
	return JSON.stringify(canonical(left)) === JSON.stringify(canonical(right));
}

function canonical(value) {
	if (Array.isArray(value)) return value.map(canonical);
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical(value[key])]));
	}
	return value;
}

/**
 * Applies one JSON Patch operation (RFC 6902: test, add, replace, remove) to `document` in place.
 * A failed `test` means the spec no longer has the error the erratum corrects.
 */
function applyPatchOperation(document, operation, erratumId) {
	const tokens = decodePointer(operation.path);
	const parentTokens = tokens.slice(0, -1);
	const last = tokens[tokens.length - 1];
	const where = `erratum '${erratumId}', ${operation.op} ${operation.path}`;
	const parent = readPointer(document, parentTokens.map((token) => `/${encodePointerToken(token)}`).join(''));

	if (operation.op === 'test') {
		const actual = readPointer(document, operation.path);
		if (!isDeepEqual(actual, operation.value)) {
			throw new Error(`Stale ${where}: the spec now has ${excerpt(actual)} there, not ${excerpt(operation.value)}. `
				+ 'Peaka may have fixed this part of the spec: check the erratum and remove or update it.');
		}
		return;
	}
	if (parent === null || typeof parent !== 'object') {
		throw new Error(`Invalid ${where}: the parent of that path does not exist in the spec.`);
	}
	const exists = Object.prototype.hasOwnProperty.call(parent, last);
	if (operation.op === 'add') {
		if (Array.isArray(parent) && last === '-') parent.push(operation.value);
		else parent[last] = operation.value;
	} else if (operation.op === 'replace') {
		if (!exists) throw new Error(`Invalid ${where}: there is nothing to replace at that path.`);
		parent[last] = operation.value;
	} else if (operation.op === 'remove') {
		if (!exists) throw new Error(`Invalid ${where}: there is nothing to remove at that path.`);
		if (Array.isArray(parent)) parent.splice(Number(last), 1);
		else delete parent[last];
	} else {
		throw new Error(`Invalid ${where}: use test, add, replace or remove.`);
	}
}

/**
 * Returns a copy of the spec with every erratum's patch applied. Throws when an erratum no
 * longer matches the spec.
 * @param {object} spec the OpenAPI document as published
 * @param {{ errata: Array<{ id: string, patch?: object[] }> }} errata
 */
function applyErrata(spec, errata) {
	const patched = structuredClone(spec);
	const seen = new Set();
	for (const erratum of errata.errata) {
		if (seen.has(erratum.id)) throw new Error(`Duplicate erratum id '${erratum.id}' in errata.json.`);
		seen.add(erratum.id);
		for (const operation of erratum.patch || []) applyPatchOperation(patched, operation, erratum.id);
	}
	return patched;
}

function readErrata(file = ERRATA_PATH) {
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

// ---------------------------------------------------------------------------------------------
// Schemas

/** Calls `visit(schema)` for every schema object nested in `schema`, `schema` included. */
function walkSchema(schema, visit) {
	if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return;
	visit(schema);
	for (const key of ['items', 'not', 'additionalProperties']) {
		if (schema[key] && typeof schema[key] === 'object') walkSchema(schema[key], visit);
	}
	for (const key of ['oneOf', 'anyOf', 'allOf']) {
		if (Array.isArray(schema[key])) schema[key].forEach((member) => walkSchema(member, visit));
	}
	if (schema.properties && typeof schema.properties === 'object') {
		Object.values(schema.properties).forEach((member) => walkSchema(member, visit));
	}
}

/** Calls `visit(schema)` for every schema in the document: components and those inline in paths. */
function forEachDocumentSchema(document, visit) {
	for (const schema of Object.values((document.components && document.components.schemas) || {})) walkSchema(schema, visit);
	for (const operation of listOperations(document)) {
		for (const parameter of operation.parameters) walkSchema(parameter.schema, visit);
		const body = operation.definition.requestBody;
		for (const media of Object.values((body && body.content) || {})) walkSchema(media.schema, visit);
		for (const response of Object.values(operation.definition.responses || {})) {
			for (const media of Object.values(response.content || {})) walkSchema(media.schema, visit);
		}
	}
}

/**
 * Returns a copy of the document in which every object schema that lists its properties and
 * does not set additionalProperties rejects unknown fields.
 */
function strictDocument(document) {
	const copy = structuredClone(document);
	forEachDocumentSchema(copy, (schema) => {
		if (schema.properties && schema.additionalProperties === undefined) schema.additionalProperties = false;
	});
	return copy;
}

/** Rewrites the document-local `#/...` references of an inline schema to point into `documentId`. */
function anchorReferences(schema, documentId) {
	if (Array.isArray(schema)) return schema.map((member) => anchorReferences(member, documentId));
	if (!schema || typeof schema !== 'object') return schema;
	const copy = {};
	for (const [key, value] of Object.entries(schema)) {
		copy[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#') ? `${documentId}${value}` : anchorReferences(value, documentId);
	}
	return copy;
}

function createAjv() {
	// strict: false lets OpenAPI's own keywords (example, discriminator, x-*) through unread.
	const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
	addFormats(ajv);
	// The spec marks a multipart field holding JSON text with format "json".
	ajv.addFormat('json', { type: 'string', validate: () => true });
	return ajv;
}

// ---------------------------------------------------------------------------------------------
// Shapes derived from examples

function jsonType(value) {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	return typeof value;
}

/**
 * Builds a JSON Schema from example values: the union of the JSON types they show, the
 * properties of example objects (each typed by the examples that have it, none required, others
 * allowed) and the items of example arrays. A field whose examples are all null gets no type,
 * because a null example does not show the type the field has otherwise.
 * @param {unknown[]} values
 */
function shapeOfExamples(values) {
	const types = new Set(values.map(jsonType));
	if (types.size === 0 || (types.size === 1 && types.has('null'))) return {};
	const schema = { type: [...types].sort() };

	const objects = values.filter((value) => jsonType(value) === 'object');
	if (objects.length > 0) {
		const keys = [...new Set(objects.flatMap((value) => Object.keys(value)))];
		schema.properties = Object.fromEntries(keys.map((key) => [
			key,
			shapeOfExamples(objects.filter((value) => Object.prototype.hasOwnProperty.call(value, key)).map((value) => value[key])),
		]));
	}

	const elements = values.filter(Array.isArray).flat();
	if (elements.length > 0) schema.items = shapeOfExamples(elements);
	return schema;
}

// ---------------------------------------------------------------------------------------------
// Operations

/** Lists every operation of the document with its parameters (path-level ones merged in). */
function listOperations(document) {
	const operations = [];
	for (const [template, item] of Object.entries(document.paths || {})) {
		for (const method of HTTP_METHODS) {
			const definition = item[method];
			if (!definition) continue;
			const byKey = new Map();
			for (const parameter of [...(item.parameters || []), ...(definition.parameters || [])]) {
				byKey.set(`${parameter.in}:${parameter.name}`, parameter);
			}
			operations.push({
				method: method.toUpperCase(),
				template,
				operationId: definition.operationId,
				definition,
				parameters: [...byKey.values()],
				pointer: pointerOf('paths', template, method),
			});
		}
	}
	return operations;
}

/** Converts fastify's `:name` form of a path to OpenAPI's `{name}` form; leaves `{name}` alone. */
function toTemplate(pathText) {
	return pathText.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function templateSegments(template) {
	return template.split('/').slice(1);
}

function isParameterSegment(segment) {
	return /^\{[^}]+\}$/.test(segment);
}

function excerpt(value) {
	let text;
	try {
		text = value === undefined ? 'undefined' : JSON.stringify(value);
	} catch {
		text = String(value);
	}
	return text.length > MAX_VALUE_EXCERPT_CHARS ? `${text.slice(0, MAX_VALUE_EXCERPT_CHARS)}...` : text;
}

function isEmptyBody(body) {
	return body === undefined || body === null || body === '';
}

/** Coerces a query-string value to the type its parameter schema declares, as Spring Boot reads it. */
function coerceQueryValue(value, schema) {
	const type = schema && schema.type;
	if (typeof value !== 'string') return value;
	if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
	if ((type === 'integer' || type === 'number') && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
	return value;
}

// ---------------------------------------------------------------------------------------------
// The contract

/**
 * Creates the validator from a spec and its errata.
 * @param {object} spec the OpenAPI document as published
 * @param {{ errata: object[] }} errata the parsed errata.json
 */
function createContract(spec, errata) {
	const document = applyErrata(spec, errata);
	const ajv = createAjv();
	ajv.addSchema(document, LENIENT_DOCUMENT);
	ajv.addSchema(strictDocument(document), STRICT_DOCUMENT);

	const operations = listOperations(document);
	const byKey = new Map(operations.map((operation) => [`${operation.method} ${operation.template}`, operation]));
	const compiled = new Map();

	function compileSchema(schema, cacheKey, strict) {
		const documentId = strict ? STRICT_DOCUMENT : LENIENT_DOCUMENT;
		const key = `${documentId} ${cacheKey}`;
		if (!compiled.has(key)) {
			let target = anchorReferences(schema, documentId);
			if (strict) {
				target = structuredClone(target);
				walkSchema(target, (member) => {
					if (member.properties && member.additionalProperties === undefined) member.additionalProperties = false;
				});
			}
			compiled.set(key, ajv.compile(target));
		}
		return compiled.get(key);
	}

	function compileShape(values, cacheKey) {
		const key = `shape ${cacheKey}`;
		if (!compiled.has(key)) compiled.set(key, ajv.compile(shapeOfExamples(values)));
		return compiled.get(key);
	}

	/** Finds an operation by method and template (`{id}` or `:id` form). */
	function findOperation(method, pathTemplate) {
		return byKey.get(`${String(method).toUpperCase()} ${toTemplate(pathTemplate)}`) || null;
	}

	/**
	 * Finds the operation a concrete request path belongs to. Where several templates match,
	 * the one with more literal segments wins, as in Spring's matching: `/queries/folders` is
	 * not `/queries/{queryId}`.
	 */
	function matchOperation(method, concretePath) {
		const upper = String(method).toUpperCase();
		const segments = concretePath.split('?')[0].split('/').slice(1);
		let best = null;
		let bestLiterals = -1;
		for (const operation of operations) {
			if (operation.method !== upper) continue;
			const expected = templateSegments(operation.template);
			if (expected.length !== segments.length) continue;
			let literals = 0;
			const fits = expected.every((segment, index) => {
				if (isParameterSegment(segment)) return segments[index] !== '';
				literals += 1;
				return segment === segments[index];
			});
			if (fits && literals > bestLiterals) {
				best = operation;
				bestLiterals = literals;
			}
		}
		return best;
	}

	function operationOrError(method, pathTemplate) {
		const operation = findOperation(method, pathTemplate);
		if (!operation) {
			return { error: `${String(method).toUpperCase()} ${toTemplate(pathTemplate)} is not an operation of the spec.` };
		}
		return { operation };
	}

	/**
	 * Checks a response body against the spec.
	 * @param {string} method
	 * @param {string} pathTemplate e.g. `/organizations/{organizationId}` (or `:organizationId`)
	 * @param {number} status
	 * @param {unknown} body the parsed JSON body; undefined, null or '' for an empty body
	 * @param {{ strict?: boolean, example?: string }} [options] `strict` rejects fields the
	 *   schema does not list; `example` checks against the examples whose name starts with it
	 *   (for responses that have only examples, such as execute's CELL_TYPED, SIMPLE, COMPACT)
	 * @returns {{ valid: boolean, errors: string[] }}
	 */
	function validateResponse(method, pathTemplate, status, body, options = {}) {
		const { operation, error } = operationOrError(method, pathTemplate);
		if (error) return invalid([error]);
		const label = `${operation.method} ${operation.template} ${status} response`;
		const responses = operation.definition.responses || {};
		const response = responses[String(status)] || responses[`${String(status)[0]}XX`] || responses.default;
		if (!response) {
			return invalid([`${label}: status ${status} is not documented (documented: ${Object.keys(responses).join(', ')}).`]);
		}
		const media = jsonMedia(response.content);
		if (!media) {
			// A success without documented content has an empty body. An error status without
			// content leaves its body unchecked unless an erratum gives it a schema.
			if (String(status).startsWith('2') && !isEmptyBody(body)) {
				return invalid([`${label}: the spec documents no body, got ${excerpt(body)}.`]);
			}
			return valid();
		}
		const { mediaType, definition } = media;
		const pointer = pointerOf('paths', operation.template, operation.method.toLowerCase(), 'responses', String(status), 'content', mediaType);
		if (isEmptyBody(body) && !(definition.schema && definition.schema.nullable)) {
			return invalid([`${label}: the body is empty, but the spec documents one.`]);
		}

		if (definition.schema) {
			const validate = compileSchema(definition.schema, `${pointer}/schema`, options.strict === true);
			return resultOf(validate, body, `${label} body`);
		}

		const examples = examplesOf(definition);
		const chosen = options.example === undefined
			? examples
			: examples.filter((entry) => entry.name.toLowerCase().startsWith(String(options.example).toLowerCase()));
		if (chosen.length === 0) {
			const names = examples.map((entry) => `"${entry.name}"`).join(', ') || 'none';
			return invalid([`${label}: the spec has no schema and no example named ${excerpt(options.example)} (examples: ${names}).`]);
		}
		const validate = compileShape(chosen.map((entry) => entry.value), `${pointer} ${chosen.map((entry) => entry.name).join('|')}`);
		const names = chosen.map((entry) => `"${entry.name}"`).join(', ');
		return resultOf(validate, body, `${label} body (checked against the example${chosen.length > 1 ? 's' : ''} ${names})`);
	}

	/**
	 * Checks a request body and query parameters against the spec. Unknown body fields and
	 * unknown query parameters are reported unless `strict` is false.
	 * @param {string} method
	 * @param {string} pathTemplate
	 * @param {unknown} body the parsed JSON body; undefined or null when none was sent
	 * @param {{ query?: Record<string, string|string[]>, strict?: boolean }} [options]
	 * @returns {{ valid: boolean, errors: string[] }}
	 */
	function validateRequest(method, pathTemplate, body, options = {}) {
		const { operation, error } = operationOrError(method, pathTemplate);
		if (error) return invalid([error]);
		const strict = options.strict !== false;
		const label = `${operation.method} ${operation.template} request`;
		const errors = [];

		const requestBody = operation.definition.requestBody;
		if (!requestBody) {
			if (!isEmptyBody(body)) errors.push(`${label}: the spec documents no body, got ${excerpt(body)}.`);
		} else if (isEmptyBody(body)) {
			if (requestBody.required) errors.push(`${label}: the body is missing, and the spec requires one.`);
		} else {
			const media = jsonMedia(requestBody.content);
			if (!media) {
				errors.push(`${label}: the spec documents only ${Object.keys(requestBody.content).join(', ')} bodies, got JSON ${excerpt(body)}.`);
			} else {
				const pointer = pointerOf('paths', operation.template, operation.method.toLowerCase(), 'requestBody', 'content', media.mediaType, 'schema');
				errors.push(...validateBodyAgainst(media.definition.schema, pointer, body, strict, `${label} body`));
			}
		}

		if (options.query !== undefined) errors.push(...validateQuery(operation, options.query, strict, label));
		return errors.length === 0 ? valid() : invalid(errors);
	}

	/**
	 * Validates a body. A top-level oneOf (execute's four request forms) is checked branch by
	 * branch, so an error names the form the body was meant to be instead of listing every form.
	 */
	function validateBodyAgainst(schema, pointer, body, strict, label) {
		if (!schema) return [];
		if (!Array.isArray(schema.oneOf)) {
			return resultOf(compileSchema(schema, pointer, strict), body, label).errors;
		}
		const branches = schema.oneOf.map((member, index) => {
			const name = member.$ref ? member.$ref.split('/').pop() : `form ${index + 1}`;
			const outcome = resultOf(compileSchema(member, `${pointer}/oneOf/${index}`, strict), body, `${label} (as ${name})`);
			return { name, outcome, index };
		});
		const passing = branches.filter((branch) => branch.outcome.valid);
		if (passing.length === 1) return [];
		if (passing.length > 1) {
			return [`${label}: matches more than one form (${passing.map((branch) => branch.name).join(', ')}); send exactly one.`];
		}
		// The form whose own required fields are all present is the one the sender meant.
		const meant = branches.filter((branch) => !branch.outcome.missingRequiredAtRoot);
		if (meant.length === 0) {
			return [`${label}: matches none of the forms ${branches.map((branch) => branch.name).join(', ')}.`, ...branches.flatMap((branch) => branch.outcome.errors)];
		}
		if (meant.length > 1) {
			return [`${label}: has the required fields of several forms (${meant.map((branch) => branch.name).join(', ')}); send exactly one.`];
		}
		return meant[0].outcome.errors;
	}

	function validateQuery(operation, query, strict, label) {
		const errors = [];
		const declared = operation.parameters.filter((parameter) => parameter.in === 'query');
		for (const parameter of declared) {
			const present = Object.prototype.hasOwnProperty.call(query, parameter.name);
			if (!present) {
				if (parameter.required) errors.push(`${label}: query parameter '${parameter.name}' is required but missing.`);
				continue;
			}
			const values = Array.isArray(query[parameter.name]) ? query[parameter.name] : [query[parameter.name]];
			const pointer = `${operation.pointer}/parameters/${parameter.name}/schema`;
			for (const raw of values) {
				const validate = compileSchema(parameter.schema || {}, pointer, false);
				const outcome = resultOf(validate, coerceQueryValue(raw, parameter.schema), `${label} query parameter '${parameter.name}'`);
				errors.push(...outcome.errors);
			}
		}
		if (strict) {
			const known = new Set(declared.map((parameter) => parameter.name));
			for (const name of Object.keys(query)) {
				if (!known.has(name)) {
					const list = [...known].join(', ') || 'none';
					errors.push(`${label}: query parameter '${name}' is not in the spec (documented: ${list}).`);
				}
			}
		}
		return errors;
	}

	/**
	 * Checks requests as the emulator logs them (`{ method, path, query, body }`, path after
	 * /api/v1). A request to an operation outside the spec is an error too.
	 * @param {Array<{ method: string, path: string, query?: object, body?: unknown }>} requests
	 * @returns {string[]} one message per problem, each naming the request
	 */
	function checkRequests(requests) {
		const errors = [];
		for (const request of requests) {
			const name = `${request.method} ${request.path}${formatQuery(request.query)}`;
			const operation = matchOperation(request.method, request.path);
			if (!operation) {
				errors.push(`${name}: no operation of the spec matches this method and path.`);
				continue;
			}
			const outcome = validateRequest(operation.method, operation.template, request.body, { query: request.query || {} });
			for (const message of outcome.errors) errors.push(`${name}: ${message}`);
		}
		return errors;
	}

	/** Lists every example in the spec, with what it exemplifies, for checking them all. */
	function listExamples() {
		return listDocumentExamples(document, operations);
	}

	/**
	 * Checks one entry of listExamples() against the validator.
	 * @returns {{ valid: boolean, errors: string[] }}
	 */
	function validateExample(example) {
		if (example.kind === 'response') {
			return validateResponse(example.method, example.template, example.status, example.value, example.fromExamplesOnly ? { example: example.name } : {});
		}
		if (example.kind === 'request') {
			return validateRequest(example.method, example.template, example.value, { strict: false });
		}
		const schema = readPointer(document, example.schemaPointer);
		return resultOf(compileSchema(schema, example.schemaPointer, false), example.value, `example at ${example.pointer}`);
	}

	return {
		document,
		operations: operations.map(({ method, template, operationId }) => ({ method, template, operationId })),
		findOperation: (method, pathTemplate) => {
			const operation = findOperation(method, pathTemplate);
			return operation && { method: operation.method, template: operation.template, operationId: operation.operationId };
		},
		matchOperation: (method, concretePath) => {
			const operation = matchOperation(method, concretePath);
			return operation && { method: operation.method, template: operation.template, operationId: operation.operationId };
		},
		validateResponse,
		validateRequest,
		checkRequests,
		listExamples,
		validateExample,
	};
}

function jsonMedia(content) {
	if (!content) return null;
	for (const mediaType of JSON_MEDIA_TYPES) {
		if (content[mediaType]) return { mediaType, definition: content[mediaType] };
	}
	const other = Object.keys(content).find((mediaType) => /[/+]json\b/.test(mediaType));
	return other ? { mediaType: other, definition: content[other] } : null;
}

/** Returns a media object's examples as `[{ name, value }]`, the single `example` named "example". */
function examplesOf(media) {
	const examples = [];
	if (media.example !== undefined) examples.push({ name: 'example', value: media.example });
	for (const [name, entry] of Object.entries(media.examples || {})) {
		if (entry && Object.prototype.hasOwnProperty.call(entry, 'value')) examples.push({ name, value: entry.value });
	}
	return examples;
}

function listDocumentExamples(document, operations) {
	const examples = [];
	for (const operation of operations) {
		const methodKey = operation.method.toLowerCase();
		for (const [status, response] of Object.entries(operation.definition.responses || {})) {
			for (const [mediaType, media] of Object.entries(response.content || {})) {
				for (const entry of examplesOf(media)) {
					examples.push({
						kind: 'response',
						method: operation.method,
						template: operation.template,
						status: Number(status),
						name: entry.name,
						value: entry.value,
						fromExamplesOnly: !media.schema,
						pointer: pointerOf('paths', operation.template, methodKey, 'responses', status, 'content', mediaType, ...(entry.name === 'example' ? ['example'] : ['examples', entry.name, 'value'])),
					});
				}
			}
		}
		const body = operation.definition.requestBody;
		for (const [mediaType, media] of Object.entries((body && body.content) || {})) {
			if (!JSON_MEDIA_TYPES.includes(mediaType)) continue;
			for (const entry of examplesOf(media)) {
				examples.push({
					kind: 'request',
					method: operation.method,
					template: operation.template,
					name: entry.name,
					value: entry.value,
					pointer: pointerOf('paths', operation.template, methodKey, 'requestBody', 'content', mediaType, ...(entry.name === 'example' ? ['example'] : ['examples', entry.name, 'value'])),
				});
			}
		}
		operation.definition.parameters?.forEach((parameter, index) => {
			if (parameter.example === undefined || !parameter.schema) return;
			const parameterPointer = pointerOf('paths', operation.template, methodKey, 'parameters', String(index));
			examples.push({
				kind: 'parameter',
				method: operation.method,
				template: operation.template,
				name: parameter.name,
				value: parameter.example,
				pointer: `${parameterPointer}/example`,
				schemaPointer: `${parameterPointer}/schema`,
			});
		});
	}
	collectSchemaExamples(document.components?.schemas || {}, pointerOf('components', 'schemas'), examples);
	return examples;
}

/** Collects the `example` of every component schema and of every schema nested in one. */
function collectSchemaExamples(schemas, basePointer, examples) {
	const visit = (schema, pointer) => {
		if (!schema || typeof schema !== 'object') return;
		if (schema.example !== undefined) {
			examples.push({ kind: 'schema', name: pointer, value: schema.example, pointer: `${pointer}/example`, schemaPointer: pointer });
		}
		for (const [name, member] of Object.entries(schema.properties || {})) visit(member, `${pointer}/properties/${encodePointerToken(name)}`);
		if (schema.items && typeof schema.items === 'object') visit(schema.items, `${pointer}/items`);
	};
	for (const [name, schema] of Object.entries(schemas)) visit(schema, `${basePointer}/${encodePointerToken(name)}`);
}

function formatQuery(query) {
	if (!query || Object.keys(query).length === 0) return '';
	return `?${new URLSearchParams(Object.entries(query).flatMap(([key, value]) => (Array.isArray(value) ? value.map((one) => [key, one]) : [[key, value]]))).toString()}`;
}

function valid() {
	return { valid: true, errors: [] };
}

function invalid(errors) {
	return { valid: false, errors };
}

/** Runs an Ajv validator and turns its errors into messages that name the field and the value. */
function resultOf(validate, value, label) {
	if (validate(value)) return valid();
	const errors = validate.errors || [];
	const messages = [];
	let missingRequiredAtRoot = false;
	for (const error of errors) {
		// anyOf/oneOf summaries repeat what their members already reported.
		if ((error.keyword === 'anyOf' || error.keyword === 'oneOf') && errors.length > 1) continue;
		const where = error.instancePath === '' ? '(root)' : error.instancePath;
		if (error.keyword === 'required') {
			if (error.instancePath === '') missingRequiredAtRoot = true;
			messages.push(`${label}: ${error.instancePath}/${error.params.missingProperty} is missing, and the spec requires it.`);
		} else if (error.keyword === 'additionalProperties') {
			messages.push(`${label}: ${error.instancePath}/${error.params.additionalProperty} is not a field of the spec's schema.`);
		} else if (error.keyword === 'type') {
			const types = String(error.params.type).split(',');
			messages.push(`${label}: ${where} must be ${types.join(' or ')}, got ${excerpt(readPointer(value, error.instancePath))}.`);
		} else {
			messages.push(`${label}: ${where} ${error.message}, got ${excerpt(readPointer(value, error.instancePath))}.`);
		}
	}
	const result = invalid([...new Set(messages)]);
	// Read by the oneOf handling only, so it stays out of what callers compare.
	Object.defineProperty(result, 'missingRequiredAtRoot', { value: missingRequiredAtRoot, enumerable: false });
	return result;
}

// ---------------------------------------------------------------------------------------------
// Loading once per test file, and the warning when the file is missing

let loaded;

/**
 * Loads the spec and errata once. Returns `{ contract, location }`, or `{ contract: null,
 * location }` when the file is missing; throws when it is missing and PEAKA_REQUIRE_OPENAPI=1.
 */
function loadContract(env = process.env) {
	if (loaded) return loaded;
	const location = locateOpenApi(env);
	if (!location.found) {
		if (isOpenApiRequired(env)) {
			throw new Error(`${missingMessage(location)} ${REQUIRE_OPENAPI_ENV}=1 requires it: set ${OPENAPI_ENV} to the file's path, or unset ${REQUIRE_OPENAPI_ENV} to skip the contract tests.`);
		}
		loaded = { contract: null, location };
		return loaded;
	}
	const spec = JSON.parse(fs.readFileSync(location.path, 'utf8'));
	loaded = { contract: createContract(spec, readErrata()), location };
	return loaded;
}

/**
 * Prints the warning that the contract was not checked, once per jest run however many files
 * ask. Jest runs test files in worker processes, so a marker file named after the run's main
 * process records that the warning was printed.
 * NOTE: the marker file (empty) stays in the OS temp folder after the run.
 */
function warnContractNotChecked(location) {
	const mainPid = typeof process.send === 'function' ? process.ppid : process.pid;
	const marker = path.join(os.tmpdir(), `peaka-contract-warning-${mainPid}`);
	try {
		fs.writeFileSync(marker, '', { flag: 'wx' });
	} catch {
		return;
	}
	const rule = '!'.repeat(100);
	process.stderr.write(`\n${rule}\n!! CONTRACT NOT CHECKED: Peaka's OpenAPI file was not found at ${location.path}\n`
		+ `!! The tests in test/contract are skipped, and expectRequestsMatchSpec checks nothing in other suites.\n`
		+ `!! Set ${OPENAPI_ENV} to the file's path to check the contract,\n`
		+ `!! or set ${REQUIRE_OPENAPI_ENV}=1 to make a missing file fail the run.\n${rule}\n\n`);
}

/**
 * Returns the contract for a test file, or null when the OpenAPI file is missing (after the
 * warning). When PEAKA_REQUIRE_OPENAPI=1 and the file is missing, returns null and
 * `requiredError` carries the message the file's tests must fail with.
 */
function contractForTests(env = process.env) {
	try {
		const { contract, location } = loadContract(env);
		if (!contract) warnContractNotChecked(location);
		return { contract, requiredError: null };
	} catch (error) {
		if (!isOpenApiRequired(env) || locateOpenApi(env).found) throw error;
		return { contract: null, requiredError: error };
	}
}

/**
 * Throws one error listing every request, as the emulator logged it, that does not match the
 * spec. Without the OpenAPI file it prints the warning, checks nothing and returns false; with
 * PEAKA_REQUIRE_OPENAPI=1 it throws instead. Returns true when it checked.
 * @param {Array<{ method: string, path: string, query?: object, body?: unknown }>} requests
 */
function expectRequestsMatchSpec(requests) {
	const { contract, location } = loadContract();
	if (!contract) {
		warnContractNotChecked(location);
		return false;
	}
	const errors = contract.checkRequests(requests);
	if (errors.length > 0) {
		throw new Error(`${errors.length} request${errors.length === 1 ? '' : 's'} of ${requests.length} do${errors.length === 1 ? 'es' : ''} not match Peaka's OpenAPI file:\n- ${errors.join('\n- ')}`);
	}
	return true;
}

module.exports = {
	OPENAPI_ENV,
	REQUIRE_OPENAPI_ENV,
	DEFAULT_OPENAPI_PATH,
	ERRATA_PATH,
	locateOpenApi,
	isOpenApiRequired,
	readErrata,
	applyErrata,
	createContract,
	loadContract,
	contractForTests,
	expectRequestsMatchSpec,
	shapeOfExamples,
	toTemplate,
	pointerOf,
	readPointer,
};
