'use strict';

// Puts this package into a real n8n from the e2e cache, pointed at a running emulator: packs the
// built package, installs the tarball as Community Nodes does, imports a Peaka credential for the
// emulator and the example workflows, and runs them. The demo and the e2e tests share it.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { isDeepStrictEqual } = require('node:util');

const n8n = require('./n8n');

const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES_FOLDER = path.join(REPOSITORY_ROOT, 'examples');
// The id and name every example workflow uses for its Peaka credential.
const EXAMPLE_CREDENTIAL = { id: 'peakaEmulatorCred', name: 'Peaka Emulator' };

/** Packs the built package (dist must exist) into a temporary folder and returns the tarball path. */
function packPackage() {
	if (!fs.existsSync(path.join(REPOSITORY_ROOT, 'dist', 'nodes', 'Peaka', 'Peaka.node.js'))) {
		throw new Error('dist/ is missing: run `npm run build` before packing the package.');
	}
	const destination = fs.mkdtempSync(path.join(os.tmpdir(), 'peaka-pack-'));
	const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: REPOSITORY_ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const [{ filename }] = JSON.parse(output);
	return path.join(destination, filename);
}

/** Reads every workflow in examples/, sorted by file name. */
function readExampleWorkflows() {
	return fs
		.readdirSync(EXAMPLES_FOLDER)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({ file, workflow: JSON.parse(fs.readFileSync(path.join(EXAMPLES_FOLDER, file), 'utf8')) }));
}

/**
 * Prepares an isolated n8n of one line ('1' or '2') with the package installed, the emulator
 * credential and the given workflows imported. Returns the user folder.
 */
async function prepareN8n({ line, tarball, emulator, workflows }) {
	const userFolder = n8n.createUserFolder({ line });
	await n8n.installPackageTarball(userFolder, tarball);
	await n8n.importCredentials(userFolder, [
		{
			...EXAMPLE_CREDENTIAL,
			type: 'peakaApi',
			data: { apiKey: emulator.partnerKey, zone: 'custom', baseUrl: emulator.baseUrl, allowUnencryptedHttp: false },
		},
	]);
	await n8n.importWorkflows(userFolder, workflows);
	return userFolder;
}

/**
 * Compares a node's output items with the expected json and pairedItem, and throws an error that
 * names the node, the item and the first differing field.
 */
function checkNodeItems(execution, nodeName, expected) {
	const items = n8n.nodeOutput(execution, nodeName);
	if (items.length !== expected.length) {
		throw new Error(`Node '${nodeName}' output ${items.length} items, expected ${expected.length}.`);
	}
	expected.forEach((expectedItem, index) => {
		const actual = items[index];
		for (const [field, value] of Object.entries(expectedItem.json)) {
			if (!isDeepStrictEqual(actual.json[field], value)) {
				throw new Error(
					`Node '${nodeName}' item ${index} field '${field}' is ${JSON.stringify(actual.json[field])}, expected ${JSON.stringify(value)}.`,
				);
			}
		}
		const extraFields = Object.keys(actual.json).filter((field) => !(field in expectedItem.json));
		if (extraFields.length > 0) {
			throw new Error(`Node '${nodeName}' item ${index} has unexpected fields: ${extraFields.join(', ')}.`);
		}
		if (expectedItem.pairedItem !== undefined && !isDeepStrictEqual(actual.pairedItem, expectedItem.pairedItem)) {
			throw new Error(
				`Node '${nodeName}' item ${index} is paired with ${JSON.stringify(actual.pairedItem)}, expected ${JSON.stringify(expectedItem.pairedItem)}.`,
			);
		}
	});
}

module.exports = { EXAMPLE_CREDENTIAL, REPOSITORY_ROOT, checkNodeItems, packPackage, prepareN8n, readExampleWorkflows };
