'use strict';

/**
 * The contract validator itself. It rejects bodies of the wrong shape with messages that name
 * the operation, the field and the value. It accepts every example of Peaka's OpenAPI file once
 * the errata are applied, except the examples an erratum lists as still invalid. Errata that no
 * longer match the spec are reported.
 */

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const openapi = require('./openapi');

const { contract, requiredError } = openapi.contractForTests();

if (requiredError) {
	test('Peaka OpenAPI file is present', () => {
		throw requiredError;
	});
}

const describeContract = contract ? describe : describe.skip;

const EXECUTE = '/data/projects/{projectId}/queries/execute';
const ORGANIZATION = {
	id: '5f0c1a8e-2d4b-4c6a-9e1f-3a7b8c9d0e1f',
	name: 'Acme Data',
	owner: '0b7e4c2a-6f1d-4e8b-9a3c-5d2f1e0a9b8c',
	createdAt: '2025-03-25T12:28:48.737355Z',
	iconFileId: null,
	description: 'Default Organization',
};
const RESULT_COLUMNS = [{ catalogName: 'datasets', schemaName: 'public', tableName: 'flights', columnName: 'origin' }];

describeContract('validator rejects wrong shapes', () => {
	test('missing required request field', () => {
		expect(contract.validateRequest('POST', '/projects', { description: 'no name' })).toEqual({
			valid: false,
			errors: ['POST /projects request body: /name is missing, and the spec requires it.'],
		});
	});

	test('missing required response field', () => {
		expect(contract.validateResponse('GET', '/info', 200, { email: 'owner@acme-data.example' }).errors).toEqual([
			'GET /info 200 response body: /userId is missing, and the spec requires it.',
		]);
		expect(contract.validateResponse('GET', '/data/projects/{projectId}/queries/folders/{folderId}', 404, { errorCode: 100 }).errors).toEqual([
			'GET /data/projects/{projectId}/queries/folders/{folderId} 404 response body: /message is missing, and the spec requires it.',
		]);
	});

	test('number where the spec has a string', () => {
		expect(contract.validateResponse('GET', '/organizations/{organizationId}', 200, { ...ORGANIZATION, name: 42 }).errors).toEqual([
			'GET /organizations/{organizationId} 200 response body: /name must be string, got 42.',
		]);
		const catalogs = [{ id: 1, name: 'peaka', displayName: 'Peaka', catalogType: 'internal', connectionId: null }];
		expect(contract.validateResponse('GET', '/data/projects/{projectId}/catalogs', 200, catalogs).errors).toEqual([
			'GET /data/projects/{projectId}/catalogs 200 response body: /0/id must be string, got 1.',
		]);
	});

	test('list where the spec has one object', () => {
		expect(contract.validateResponse('GET', '/organizations/{organizationId}', 200, [ORGANIZATION]).errors).toEqual([
			`GET /organizations/{organizationId} 200 response body: (root) must be object, got ${JSON.stringify([ORGANIZATION]).slice(0, 80)}....`,
		]);
	});

	test('object where an erratum makes a list', () => {
		const result = contract.validateResponse('GET', '/organizations', 200, ORGANIZATION);
		expect(result.valid).toBe(false);
		expect(result.errors).toHaveLength(1);
		expect(result.errors[0]).toMatch(/^GET \/organizations 200 response body: \(root\) must be array, got \{"id":"5f0c1a8e/);
	});

	test('execute statement as a number', () => {
		expect(contract.validateRequest('POST', EXECUTE, { statement: 5 })).toEqual({
			valid: false,
			errors: [`POST ${EXECUTE} request body (as QueryExecuteRequestStatement): /statement must be string, got 5.`],
		});
	});

	test('execute body forms', () => {
		expect(contract.validateRequest('POST', EXECUTE, { statement: 'SELECT ?', bindArgs: ['1'] }).errors).toEqual([
			`POST ${EXECUTE} request body (as QueryExecuteRequestStatement): /bindArgs is not a field of the spec's schema.`,
		]);
		expect(contract.validateRequest('POST', EXECUTE, { statement: 'SELECT 1', id: '709922802836177297' }).errors).toEqual([
			`POST ${EXECUTE} request body: has the required fields of several forms (QueryExecuteRequestId, QueryExecuteRequestStatement); send exactly one.`,
		]);
		expect(contract.validateRequest('POST', EXECUTE, { id: 709922802836177 }).errors).toEqual([
			`POST ${EXECUTE} request body (as QueryExecuteRequestId): /id must be string, got 709922802836177.`,
		]);
		expect(contract.validateRequest('POST', EXECUTE, { from: [] }).errors).toEqual([
			`POST ${EXECUTE} request body (as QueryExecuteRequest): /from must NOT have fewer than 1 items, got [].`,
		]);
		expect(contract.validateRequest('POST', EXECUTE, { statement: 'SELECT ?', bindings: [1] }).errors).toEqual([
			`POST ${EXECUTE} request body (as QueryExecuteRequestStatement): /bindings/0 must be string, got 1.`,
		]);
		const none = contract.validateRequest('POST', EXECUTE, { sql: 'SELECT 1' }).errors;
		expect(none[0]).toBe(`POST ${EXECUTE} request body: matches none of the forms QueryExecuteRequest, QueryExecuteRequestId, QueryExecuteRequestName, QueryExecuteRequestStatement.`);
		expect(none).toContain(`POST ${EXECUTE} request body (as QueryExecuteRequestStatement): /statement is missing, and the spec requires it.`);
	});

	test('query parameters', () => {
		expect(contract.validateRequest('POST', EXECUTE, { statement: 'SELECT 1' }, { query: { format: 'JSON' } }).errors).toEqual([
			`POST ${EXECUTE} request query parameter 'format': (root) must be equal to one of the allowed values, got "JSON".`,
		]);
		expect(contract.validateRequest('POST', EXECUTE, { statement: 'SELECT 1' }, { query: { format: 'COMPACT', limit: '5' } }).errors).toEqual([
			`POST ${EXECUTE} request: query parameter 'limit' is not in the spec (documented: format).`,
		]);
		const queries = '/data/projects/{projectId}/queries';
		const body = { displayName: 'x', inputQuery: 'SELECT 1' };
		expect(contract.validateRequest('POST', queries, body, { query: { checkSchemaExists: 'false' } }).errors).toEqual([]);
		expect(contract.validateRequest('POST', queries, body, { query: { checkSchemaExists: 'maybe' } }).errors).toEqual([
			`POST ${queries} request query parameter 'checkSchemaExists': (root) must be boolean, got "maybe".`,
		]);
	});

	test('bodies where the spec has none, and missing ones', () => {
		expect(contract.validateRequest('GET', '/organizations', { unexpected: true }).errors).toEqual([
			'GET /organizations request: the spec documents no body, got {"unexpected":true}.',
		]);
		expect(contract.validateRequest('POST', EXECUTE, undefined).errors).toEqual([
			`POST ${EXECUTE} request: the body is missing, and the spec requires one.`,
		]);
		expect(contract.validateResponse('DELETE', '/projects/{projectId}/apiKeys/{apiKeyId}', 200, { deleted: true }).errors).toEqual([
			'DELETE /projects/{projectId}/apiKeys/{apiKeyId} 200 response: the spec documents no body, got {"deleted":true}.',
		]);
		expect(contract.validateResponse('GET', '/organizations', 200, undefined).errors).toEqual([
			'GET /organizations 200 response: the body is empty, but the spec documents one.',
		]);
	});

	test('undocumented statuses and operations', () => {
		expect(contract.validateResponse('GET', '/organizations', 404, { errorCode: 100, message: 'x' }).errors).toEqual([
			'GET /organizations 404 response: status 404 is not documented (documented: 200).',
		]);
		expect(contract.validateRequest('GET', '/sql/execute', undefined).errors).toEqual(['GET /sql/execute is not an operation of the spec.']);
	});

	test('strict mode rejects unknown response fields', () => {
		expect(contract.validateResponse('GET', '/organizations/{organizationId}', 200, { ...ORGANIZATION, plan: 'pro' }).valid).toBe(true);
		expect(contract.validateResponse('GET', '/organizations/{organizationId}', 200, { ...ORGANIZATION, plan: 'pro' }, { strict: true }).errors).toEqual([
			"GET /organizations/{organizationId} 200 response body: /plan is not a field of the spec's schema.",
		]);
	});

	test('execute results against the examples of each format', () => {
		const check = (example, data) => contract.validateResponse('POST', EXECUTE, 200, { columns: RESULT_COLUMNS, data }, { example }).errors;
		const cell = (value) => ({ name: 'origin', displayName: 'origin', dataType: 'varchar', order: 0, value });
		expect(check('CELL_TYPED', [[cell('ORD')], [cell(null)]])).toEqual([]);
		expect(check('SIMPLE', [{ origin: 'ORD' }, { origin: null }])).toEqual([]);
		expect(check('COMPACT', [['ORD'], [null]])).toEqual([]);

		const examples = (format) => `"${format}", "${format} with a NULL cell"`;
		expect(check('CELL_TYPED', [[cell(166341)]])).toEqual([
			`POST ${EXECUTE} 200 response body (checked against the examples ${examples('CELL_TYPED (default)').replace('"CELL_TYPED (default) with', '"CELL_TYPED with')}): /data/0/0/value must be null or string, got 166341.`,
		]);
		expect(check('CELL_TYPED', [[{ ...cell('ORD'), order: '0' }]])).toEqual([
			`POST ${EXECUTE} 200 response body (checked against the examples "CELL_TYPED (default)", "CELL_TYPED with a NULL cell"): /data/0/0/order must be number, got "0".`,
		]);
		expect(check('COMPACT', [[166341]])).toEqual([
			`POST ${EXECUTE} 200 response body (checked against the examples ${examples('COMPACT')}): /data/0/0 must be null or string, got 166341.`,
		]);
		expect(check('SIMPLE', [['ORD']])).toEqual([
			`POST ${EXECUTE} 200 response body (checked against the examples ${examples('SIMPLE')}): /data/0 must be object, got ["ORD"].`,
		]);
		expect(contract.validateResponse('POST', EXECUTE, 200, { columns: 'origin', data: [] }, { example: 'SIMPLE' }).errors).toEqual([
			`POST ${EXECUTE} 200 response body (checked against the examples ${examples('SIMPLE')}): /columns must be array, got "origin".`,
		]);
		expect(contract.validateResponse('POST', EXECUTE, 200, { columns: [], data: [] }, { example: 'CSV' }).errors).toEqual([
			`POST ${EXECUTE} 200 response: the spec has no schema and no example named "CSV" (examples: "CELL_TYPED (default)", "SIMPLE", "COMPACT", "CELL_TYPED with a NULL cell", "SIMPLE with a NULL cell", "COMPACT with a NULL cell").`,
		]);
	});
});

describeContract('spec examples after errata', () => {
	const errata = openapi.readErrata().errata;
	const expectedFailures = new Set(errata.flatMap((erratum) => erratum.expectedFailures || []));
	const examples = contract ? contract.listExamples() : [];

	test.each(['response', 'request', 'parameter', 'schema'])('every %s example passes', (kind) => {
		const ofKind = examples.filter((example) => example.kind === kind && !expectedFailures.has(example.pointer));
		expect(ofKind.length).toBeGreaterThan(0);
		const failures = ofKind
			.map((example) => ({ pointer: example.pointer, errors: contract.validateExample(example).errors }))
			.filter((entry) => entry.errors.length > 0);
		expect(failures).toEqual([]);
	});

	test('examples the errata explain still fail', () => {
		const pointers = examples.map((example) => example.pointer);
		for (const pointer of expectedFailures) {
			expect({ pointer, listed: pointers.includes(pointer) }).toEqual({ pointer, listed: true });
			const example = examples.find((entry) => entry.pointer === pointer);
			expect({ pointer, valid: contract.validateExample(example).valid }).toEqual({ pointer, valid: false });
		}
	});

	test('every example of the spec is listed', () => {
		// Counted independently: every "example" key and every entry of an "examples" map.
		const countExamples = (node) => {
			if (Array.isArray(node)) return node.reduce((sum, member) => sum + countExamples(member), 0);
			if (!node || typeof node !== 'object') return 0;
			let count = 0;
			for (const [key, value] of Object.entries(node)) {
				if (key === 'example') count += 1;
				else if (key === 'examples' && value && typeof value === 'object' && !Array.isArray(value)) count += Object.keys(value).length;
				else count += countExamples(value);
			}
			return count;
		};
		const spec = JSON.parse(fs.readFileSync(openapi.locateOpenApi().path, 'utf8'));
		const added = errata.flatMap((erratum) => erratum.patch || []).filter((operation) => operation.op === 'add' && /\/examples\/[^/]+$/.test(operation.path));
		expect(added).toHaveLength(3);
		expect(examples).toHaveLength(countExamples(spec) + added.length);
	});
});

describeContract('errata', () => {
	const errata = openapi.readErrata().errata;

	test('each names its operations, target, correction and reason', () => {
		for (const erratum of errata) {
			expect(Object.keys(erratum)).toEqual(expect.arrayContaining(['id', 'operations', 'target', 'correction', 'reason']));
			expect({ id: erratum.id, operations: erratum.operations.length > 0 }).toEqual({ id: erratum.id, operations: true });
			for (const operation of erratum.operations) {
				const [method, template] = operation.split(' ');
				expect({ id: erratum.id, operation, found: Boolean(contract.findOperation(method, template)) }).toEqual({ id: erratum.id, operation, found: true });
			}
		}
		expect(new Set(errata.map((erratum) => erratum.id)).size).toBe(errata.length);
	});

	test('stale erratum is reported', () => {
		const spec = JSON.parse(fs.readFileSync(openapi.locateOpenApi().path, 'utf8'));
		spec.paths['/organizations'].get.responses['200'].content['application/json'].schema = {
			type: 'array',
			items: { $ref: '#/components/schemas/Organization' },
		};
		expect(() => openapi.applyErrata(spec, { errata })).toThrow(
			"Stale erratum 'list-organizations-is-array', test /paths/~1organizations/get/responses/200/content/application~1json/schema: "
			+ 'the spec now has {"type":"array","items":{"$ref":"#/components/schemas/Organization"}} there, not {"$ref":"#/components/schemas/Organization"}. '
			+ 'Peaka may have fixed this part of the spec: check the erratum and remove or update it.',
		);
	});

	test('applying them leaves the input spec unchanged', () => {
		const spec = JSON.parse(fs.readFileSync(openapi.locateOpenApi().path, 'utf8'));
		const before = JSON.stringify(spec);
		openapi.applyErrata(spec, { errata });
		expect(JSON.stringify(spec)).toBe(before);
	});
});

describeContract('request log checks', () => {
	test('paths match the most specific operation', () => {
		expect(contract.matchOperation('GET', '/data/projects/mtKDhe1U/queries/folders')).toMatchObject({ template: '/data/projects/{projectId}/queries/folders' });
		expect(contract.matchOperation('GET', '/data/projects/mtKDhe1U/queries/709922802836177297')).toMatchObject({ template: '/data/projects/{projectId}/queries/{queryId}' });
		expect(contract.matchOperation('GET', '/connections/config')).toMatchObject({ template: '/connections/config' });
		expect(contract.matchOperation('GET', '/connections/mtKDhe1U')).toMatchObject({ template: '/connections/{projectId}' });
		expect(contract.matchOperation('POST', '/organizations')).toBeNull();
	});

	test('expectRequestsMatchSpec lists each bad request', () => {
		const good = { method: 'POST', path: '/data/projects/mtKDhe1U/queries/execute', query: { format: 'SIMPLE' }, body: { statement: 'SELECT ?', bindings: ['1'] } };
		expect(openapi.expectRequestsMatchSpec([good, { method: 'GET', path: '/info', query: {}, body: null }])).toBe(true);
		const bad = [
			good,
			{ method: 'POST', path: '/data/projects/mtKDhe1U/queries/execute', query: { format: 'simple' }, body: { statement: 'SELECT 1' } },
			{ method: 'PATCH', path: '/data/projects/mtKDhe1U/queries/1/path', query: {}, body: { folder: '/x' } },
			{ method: 'POST', path: '/sql/execute', query: {}, body: { statement: 'SELECT 1' } },
		];
		expect(() => openapi.expectRequestsMatchSpec(bad)).toThrow([
			"3 requests of 4 do not match Peaka's OpenAPI file:",
			`- POST /data/projects/mtKDhe1U/queries/execute?format=simple: POST ${EXECUTE} request query parameter 'format': (root) must be equal to one of the allowed values, got "simple".`,
			"- PATCH /data/projects/mtKDhe1U/queries/1/path: PATCH /data/projects/{projectId}/queries/{queryId}/path request body: /folder is not a field of the spec's schema.",
			'- POST /sql/execute: no operation of the spec matches this method and path.',
		].join('\n'));
	});
});

describe('missing OpenAPI file', () => {
	const script = [
		"const openapi = require(process.argv[1]);",
		'const { contract, requiredError } = openapi.contractForTests();',
		'process.stdout.write(JSON.stringify({ pid: process.pid, contract: contract === null ? null : "loaded", requiredError: requiredError && requiredError.message }));',
	].join('\n');

	function runLoader(extraEnv) {
		const missing = path.join(os.tmpdir(), 'no-such-dir', 'peaka-openapi.json');
		const env = { ...process.env, PEAKA_OPENAPI: missing, ...extraEnv };
		delete env.JEST_WORKER_ID;
		const child = spawnSync(process.execPath, ['-e', script, require.resolve('./openapi')], { env, encoding: 'utf8' });
		const output = JSON.parse(child.stdout);
		fs.rmSync(path.join(os.tmpdir(), `peaka-contract-warning-${output.pid}`), { force: true });
		return { missing, output, stderr: child.stderr };
	}

	test('skips with one loud warning', () => {
		const { missing, output, stderr } = runLoader({ PEAKA_REQUIRE_OPENAPI: '' });
		expect(output).toMatchObject({ contract: null, requiredError: null });
		expect(stderr).toContain(`CONTRACT NOT CHECKED: Peaka's OpenAPI file was not found at ${missing}`);
		expect(stderr.match(/CONTRACT NOT CHECKED/g)).toHaveLength(1);
	});

	test('fails when PEAKA_REQUIRE_OPENAPI=1', () => {
		const { missing, output, stderr } = runLoader({ PEAKA_REQUIRE_OPENAPI: '1' });
		expect(output.contract).toBeNull();
		expect(output.requiredError).toBe(
			`Peaka's OpenAPI file was not found at ${missing}, taken from PEAKA_OPENAPI. PEAKA_REQUIRE_OPENAPI=1 requires it: `
			+ 'set PEAKA_OPENAPI to the file\'s path, or unset PEAKA_REQUIRE_OPENAPI to skip the contract tests.',
		);
		expect(stderr).toBe('');
	});

	test('default location is beside the repository', () => {
		const location = openapi.locateOpenApi({});
		expect(location.fromEnv).toBe(false);
		expect(location.path).toBe(path.resolve(__dirname, '..', '..', '..', 'shared', 'peaka-api', 'peaka-openapi.json'));
	});
});

describe('shapes derived from examples', () => {
	test('union of types, nested items, null-only untyped', () => {
		expect(openapi.shapeOfExamples([{ a: 'x', b: null, c: [1, 'y'] }, { a: null, c: [] }])).toEqual({
			type: ['object'],
			properties: {
				a: { type: ['null', 'string'] },
				b: {},
				c: { type: ['array'], items: { type: ['number', 'string'] } },
			},
		});
		expect(openapi.shapeOfExamples([])).toEqual({});
	});
});
