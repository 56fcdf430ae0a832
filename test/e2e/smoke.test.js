'use strict';

// Proves the e2e machinery on every prepared n8n line. A real n8n installs a community package
// tarball the way its installer does and finds the package's node as `<package>.<node>`. It runs
// a workflow from a Manual Trigger and reports each node's items with their pairedItem.
//
// Skipped when the cache is not prepared (run `node test/e2e/prepare-cache.js`), unless
// PEAKA_E2E=1, which turns a missing cache into a failure.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const { LINES, LINE_ORDER, cacheRoot, isLineReady, linePaths } = require('./prepare-cache');
const n8n = require('./n8n');

const LINE_KEYS = LINE_ORDER;
const E2E_REQUIRED = process.env.PEAKA_E2E === '1';
const LINE_TIMEOUT_MS = 240_000;

const FIXTURE_PACKAGE = 'n8n-nodes-e2e-fixture';
const FIXTURE_NODE_TYPE = `${FIXTURE_PACKAGE}.e2eFixture`;
const FIXTURE_ERROR = 'Factor must not be 0';
const FIXTURE_CREDENTIAL = {
	id: 'e2eFixtureCred01',
	name: 'E2E Fixture account',
	type: 'e2eFixtureApi',
	data: { token: 'fixture-token-5f3a9c' },
};

const STRACE_AVAILABLE = spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;

const readyLines = LINE_KEYS.filter((lineKey) => isLineReady(lineKey));
const missingLines = LINE_KEYS.filter((lineKey) => !readyLines.includes(lineKey));

if (missingLines.length > 0 && !E2E_REQUIRED) {
	const names = missingLines.map((lineKey) => `n8n ${LINES[lineKey].n8nVersion}`).join(', ');
	console.warn(
		`[e2e smoke] SKIPPED ${names}: not prepared in ${cacheRoot()}. ` +
			`Run 'node test/e2e/prepare-cache.js' (PEAKA_E2E=1 makes this a failure).`,
	);
}

/**
 * Writes the fixture package's files: a credential with one token, and one node that multiplies
 * `n`, copies the token into each item and returns the items in reverse order.
 */
function writeFixturePackage(folder) {
	const nodeFolder = path.join(folder, 'dist', 'nodes', 'E2eFixture');
	const credentialFolder = path.join(folder, 'dist', 'credentials');
	fs.mkdirSync(nodeFolder, { recursive: true });
	fs.mkdirSync(credentialFolder, { recursive: true });
	fs.writeFileSync(
		path.join(folder, 'package.json'),
		JSON.stringify(
			{
				name: FIXTURE_PACKAGE,
				version: '0.1.0',
				description: 'Throwaway community node package for the e2e smoke test',
				keywords: ['n8n-community-node-package'],
				license: 'MIT',
				files: ['dist'],
				n8n: {
					n8nNodesApiVersion: 1,
					credentials: ['dist/credentials/E2eFixtureApi.credentials.js'],
					nodes: ['dist/nodes/E2eFixture/E2eFixture.node.js'],
				},
				peerDependencies: { 'n8n-workflow': '*' },
				devDependencies: { 'n8n-workflow': '*' },
			},
			null,
			2,
		),
	);
	fs.writeFileSync(
		path.join(credentialFolder, 'E2eFixtureApi.credentials.js'),
		`'use strict';

class E2eFixtureApi {
	constructor() {
		this.name = ${JSON.stringify(FIXTURE_CREDENTIAL.type)};
		this.displayName = 'E2E Fixture API';
		this.properties = [
			{ displayName: 'Token', name: 'token', type: 'string', typeOptions: { password: true }, default: '' },
		];
	}
}

module.exports = { E2eFixtureApi };
`,
	);
	// The output order is reversed on purpose: pairedItem must then point back across positions.
	fs.writeFileSync(
		path.join(nodeFolder, 'E2eFixture.node.js'),
		`'use strict';
const { NodeOperationError } = require('n8n-workflow');

class E2eFixture {
	constructor() {
		this.description = {
			displayName: 'E2E Fixture',
			name: 'e2eFixture',
			group: ['transform'],
			version: 1,
			description: 'Multiplies n by a factor and returns the items in reverse order',
			defaults: { name: 'E2E Fixture' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: ${JSON.stringify(FIXTURE_CREDENTIAL.type)}, required: true }],
			properties: [{ displayName: 'Factor', name: 'factor', type: 'number', default: 1 }],
		};
	}

	async execute() {
		const items = this.getInputData();
		const { token } = await this.getCredentials(${JSON.stringify(FIXTURE_CREDENTIAL.type)});
		const results = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const factor = this.getNodeParameter('factor', itemIndex);
			if (factor === 0) {
				throw new NodeOperationError(this.getNode(), ${JSON.stringify(FIXTURE_ERROR)}, { itemIndex });
			}
			const n = items[itemIndex].json.n;
			results.push({
				json: { n, product: n * factor, token, n8nWorkflowPath: require.resolve('n8n-workflow') },
				pairedItem: { item: itemIndex },
			});
		}
		return [results.reverse()];
	}
}

module.exports = { E2eFixture };
`,
	);
}

function packFixture(workFolder) {
	const sourceFolder = path.join(workFolder, 'fixture');
	writeFixturePackage(sourceFolder);
	const result = spawnSync('npm', ['pack', '--pack-destination', workFolder], {
		cwd: sourceFolder,
		encoding: 'utf8',
	});
	if (result.status !== 0) throw new Error(`npm pack of the fixture failed:\n${result.stderr}`);
	return path.join(workFolder, result.stdout.trim().split('\n').pop());
}

/** Manual Trigger -> Code (three items) -> fixture node whose factor is an expression. */
function fixtureWorkflow(name, factorExpression) {
	return {
		name,
		nodes: [
			{
				id: 'a0000000-0000-4000-8000-000000000001',
				name: 'Manual',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'a0000000-0000-4000-8000-000000000002',
				name: 'Three Items',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [200, 0],
				parameters: {
					jsCode: "return [{ json: { n: 1, label: 'one' } }, { json: { n: 2, label: 'two' } }, { json: { n: 3, label: 'three' } }];",
				},
			},
			{
				id: 'a0000000-0000-4000-8000-000000000003',
				name: 'E2E Fixture',
				type: FIXTURE_NODE_TYPE,
				typeVersion: 1,
				position: [400, 0],
				parameters: { factor: factorExpression },
				credentials: {
					[FIXTURE_CREDENTIAL.type]: { id: FIXTURE_CREDENTIAL.id, name: FIXTURE_CREDENTIAL.name },
				},
			},
		],
		connections: {
			Manual: { main: [[{ node: 'Three Items', type: 'main', index: 0 }]] },
			'Three Items': { main: [[{ node: 'E2E Fixture', type: 'main', index: 0 }]] },
		},
	};
}

/** Lists the folders named n8n-workflow anywhere under the nodes folder. */
function findNestedN8nWorkflow(folder) {
	const found = [];
	const visit = (dir) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			if (!entry.isDirectory()) continue;
			const child = path.join(dir, entry.name);
			if (entry.name === 'n8n-workflow' && path.basename(dir) === 'node_modules') found.push(child);
			visit(child);
		}
	};
	visit(folder);
	return found;
}

function isLocalConnection(connection) {
	if (connection.family === 'AF_UNIX') return true;
	return connection.address.startsWith('127.') || connection.address === '::1';
}

function escapeRegExp(text) {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function seconds(ms) {
	return `${(ms / 1000).toFixed(1)} s`;
}

const THREE_ITEMS = [
	{ n: 1, label: 'one' },
	{ n: 2, label: 'two' },
	{ n: 3, label: 'three' },
];

let fixtureFolder;
let fixtureTarball;

/** Packs the fixture package once per test file, on first use. */
function fixturePackageTarball() {
	if (!fixtureTarball) {
		fixtureFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'peaka-e2e-smoke-'));
		fixtureTarball = packFixture(fixtureFolder);
	}
	return fixtureTarball;
}

afterAll(() => {
	if (fixtureFolder) fs.rmSync(fixtureFolder, { recursive: true, force: true });
});

for (const lineKey of LINE_KEYS) {
	const n8nVersion = LINES[lineKey].n8nVersion;

	if (E2E_REQUIRED && missingLines.includes(lineKey)) {
		test(`n8n ${n8nVersion} is prepared`, () => {
			throw new Error(
				`PEAKA_E2E=1 but n8n ${n8nVersion} is not prepared in ${cacheRoot()}. ` +
					`Run 'node test/e2e/prepare-cache.js --only ${lineKey}'.`,
			);
		});
		continue;
	}

	const describeLine = readyLines.includes(lineKey) ? describe : describe.skip;

	describeLine(`e2e smoke on n8n ${n8nVersion}`, () => {
		const paths = linePaths(lineKey);
		const timings = {};
		let userFolder;
		let successId;
		let failureId;
		let success;

		beforeAll(async () => {
			userFolder = n8n.createUserFolder({ line: lineKey });
			let started = Date.now();
			await n8n.installPackageTarball(userFolder, fixturePackageTarball());
			timings.install = Date.now() - started;
			started = Date.now();
			await n8n.importCredentials(userFolder, [FIXTURE_CREDENTIAL]);
			timings.importCredentials = Date.now() - started;
			started = Date.now();
			[successId, failureId] = await n8n.importWorkflows(userFolder, [
				fixtureWorkflow('smoke success', '={{ $json.n > 0 ? 10 : 1 }}'),
				fixtureWorkflow('smoke failure', '={{ $json.n === 2 ? 0 : 10 }}'),
			]);
			timings.importWorkflows = Date.now() - started;
		}, LINE_TIMEOUT_MS);

		afterAll(() => {
			const parts = Object.entries(timings).map(([step, ms]) => `${step} ${seconds(ms)}`);
			console.log(`[e2e smoke] n8n ${n8nVersion} on Node.js ${paths.nodeVersion}: ${parts.join(', ')}`);
			if (userFolder) n8n.removeUserFolder(userFolder);
		});

		test('installs the tarball like the n8n installer', () => {
			const nodesFolder = path.join(userFolder, '.n8n', 'nodes');
			const ledger = JSON.parse(fs.readFileSync(path.join(nodesFolder, 'package.json'), 'utf8'));
			expect(ledger).toEqual({
				name: 'installed-nodes',
				private: true,
				dependencies: { [FIXTURE_PACKAGE]: '0.1.0' },
			});
			const installed = JSON.parse(
				fs.readFileSync(path.join(nodesFolder, 'node_modules', FIXTURE_PACKAGE, 'package.json'), 'utf8'),
			);
			expect(installed.peerDependencies).toBeUndefined();
			expect(installed.devDependencies).toBeUndefined();
			expect(installed.n8n.nodes).toEqual(['dist/nodes/E2eFixture/E2eFixture.node.js']);
			expect(findNestedN8nWorkflow(nodesFolder)).toEqual([]);
		});

		// Runs before any execution, because the fixture node copies the token into its output items.
		test('stores the credential encrypted', () => {
			const n8nFolder = path.join(userFolder, '.n8n');
			const databaseFiles = fs.readdirSync(n8nFolder).filter((name) => name.startsWith('database.sqlite'));
			expect(databaseFiles).toContain('database.sqlite');
			for (const name of databaseFiles) {
				const bytes = fs.readFileSync(path.join(n8nFolder, name));
				expect({ name, containsToken: bytes.includes(FIXTURE_CREDENTIAL.data.token) }).toEqual({
					name,
					containsToken: false,
				});
			}
		});

		test(
			'runs the fixture node with pairing',
			async () => {
				success = await n8n.executeWorkflow(userFolder, successId, { traceConnections: STRACE_AVAILABLE });
				timings.execute = success.durationMs;

				expect(success.status).toBe('success');
				expect(success.source).toBe('stdout');
				expect(n8n.nodeOutput(success, 'Manual')).toEqual([{ json: {}, pairedItem: { item: 0 } }]);
				expect(n8n.nodeOutput(success, 'Three Items')).toEqual(
					THREE_ITEMS.map((json) => ({ json, pairedItem: { item: 0 } })),
				);

				// The package resolves n8n-workflow from n8n's own install, not from a private copy.
				const hostN8nWorkflow = expect.stringMatching(new RegExp(`^${escapeRegExp(paths.n8nModules + path.sep)}`));
				const token = FIXTURE_CREDENTIAL.data.token;
				expect(n8n.nodeOutput(success, 'E2E Fixture')).toEqual([
					{ json: { n: 3, product: 30, token, n8nWorkflowPath: hostN8nWorkflow }, pairedItem: { item: 2 } },
					{ json: { n: 2, product: 20, token, n8nWorkflowPath: hostN8nWorkflow }, pairedItem: { item: 1 } },
					{ json: { n: 1, product: 10, token, n8nWorkflowPath: hostN8nWorkflow }, pairedItem: { item: 0 } },
				]);
			},
			LINE_TIMEOUT_MS,
		);

		test('connects to loopback only', () => {
			if (!STRACE_AVAILABLE) {
				console.warn(`[e2e smoke] n8n ${n8nVersion}: strace is not installed, outbound connections not checked`);
				return;
			}
			expect(success).toBeDefined();
			expect(success.connections.filter((connection) => !isLocalConnection(connection))).toEqual([]);
		});

		test('stores the same run in the database', async () => {
			expect(success).toBeDefined();
			const stored = await n8n.readLatestExecution(userFolder, successId);
			expect(stored.status).toBe('success');
			expect(stored.mode).toBe('cli');
			expect(stored.data.resultData.runData).toEqual(success.runData);
		});

		test(
			'reports a failing node from the database',
			async () => {
				const failure = await n8n.executeWorkflow(userFolder, failureId, { allowFailure: true });
				timings.executeFailing = failure.durationMs;

				expect(failure.status).toBe('error');
				expect(failure.source).toBe('database');
				expect(failure.error.message).toBe(FIXTURE_ERROR);
				expect(failure.error.node.name).toBe('E2E Fixture');
				expect(n8n.nodeOutput(failure, 'Three Items')).toEqual(
					THREE_ITEMS.map((json) => ({ json, pairedItem: { item: 0 } })),
				);
				await expect(n8n.executeWorkflow(userFolder, failureId)).rejects.toThrow(
					`at node 'E2E Fixture': ${FIXTURE_ERROR}`,
				);
			},
			LINE_TIMEOUT_MS,
		);
	});
}
