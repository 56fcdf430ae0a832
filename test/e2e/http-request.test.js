'use strict';

// Peaka operations the node does not cover are reachable from n8n's HTTP Request node with the
// Peaka credential (Authentication: Predefined Credential Type → Peaka API). This runs that route
// in real n8n of both lines and checks the key reached the emulator as a partner key's Bearer
// header. Skipped when the n8n cache is not prepared, unless PEAKA_E2E=1.

const fs = require('node:fs');
const path = require('node:path');

const { LINES, LINE_ORDER, cacheRoot, isLineReady } = require('./prepare-cache');
const n8n = require('./n8n');
const { EXAMPLE_CREDENTIAL, packPackage, prepareN8n } = require('./peaka-in-n8n');
const { startEmulator } = require('../../emulator/src/index.js');

const E2E_REQUIRED = process.env.PEAKA_E2E === '1';
const LINE_TIMEOUT_MS = 180_000;
const HTTP_NODE = 'Peaka Info';

const linesToRun = E2E_REQUIRED ? LINE_ORDER : LINE_ORDER.filter((lineKey) => isLineReady(lineKey));
if (linesToRun.length < LINE_ORDER.length && !E2E_REQUIRED) {
	console.warn(`[e2e http-request] SKIPPED the n8n lines not prepared in ${cacheRoot()}.`);
}

/** Builds a workflow whose HTTP Request node calls GET /info with the Peaka credential. */
function httpRequestWorkflow(baseUrl) {
	return {
		id: 'peakaHttpRequest1',
		name: 'Peaka: HTTP Request with the Peaka credential',
		nodes: [
			{ id: 'h1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'h2',
				name: HTTP_NODE,
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					// The HTTP Request node does not prepend the credential's base URL: the URL is whole.
					url: `${baseUrl}/info`,
					authentication: 'predefinedCredentialType',
					nodeCredentialType: 'peakaApi',
					options: {},
				},
				credentials: { peakaApi: EXAMPLE_CREDENTIAL },
			},
		],
		connections: { Start: { main: [[{ node: HTTP_NODE, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		active: false,
		pinData: {},
	};
}

let tarball;
let emulator;

beforeAll(async () => {
	if (linesToRun.length === 0) return;
	tarball = packPackage();
	emulator = await startEmulator({ behaviour: 'spec' });
}, 120_000);

afterAll(async () => {
	await emulator?.close();
	if (tarball) fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
});

if (linesToRun.length === 0) {
	describe.skip('HTTP Request node with the Peaka credential (no n8n line prepared)', () => {
		it('calls Peaka', () => {});
	});
}

for (const lineKey of linesToRun) {
	describe(`HTTP Request node with the Peaka credential in n8n ${LINES[lineKey].n8nVersion}`, () => {
		let userFolder;

		afterAll(() => {
			if (userFolder) n8n.removeUserFolder(userFolder);
		});

		it('sends the partner key as a Bearer header', async () => {
			const workflow = httpRequestWorkflow(emulator.baseUrl);
			userFolder = await prepareN8n({ line: lineKey, tarball, emulator, workflows: [workflow] });
			emulator.faults.clearRequests();

			const execution = await n8n.executeWorkflow(userFolder, workflow.id);

			const items = n8n.nodeOutput(execution, HTTP_NODE);
			expect(items.map((item) => item.json)).toEqual([
				{ userId: '0b7e4c2a-6f1d-4e8b-9a3c-5d2f1e0a9b8c', email: 'owner@acme-data.example' },
			]);
			const requests = emulator.faults.requests();
			expect(requests.map((request) => `${request.method} ${request.path} ${request.auth} ${request.status}`)).toEqual([
				'GET /info partner 200',
			]);
		}, LINE_TIMEOUT_MS);
	});
}
