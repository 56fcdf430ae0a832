'use strict';

// `npm run demo`: from a fresh clone, installs what is missing (npm ci, the n8n 2.x cache), builds
// and packs the package, starts the emulator, runs the "Query to items" example in real n8n 2.40.7
// and prints the rows it produced, then stops everything. A second run reuses the cache.

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');
const DEMO_WORKFLOW_FILE = 'query-to-items.json';
const DEMO_OUTPUT_NODE = 'Label Rows';

function log(message) {
	console.log(`[demo] ${message}`);
}

function runVisible(command, args) {
	const result = spawnSync(command, args, { cwd: REPOSITORY_ROOT, stdio: 'inherit' });
	if (result.status !== 0) {
		throw new Error(`'${command} ${args.join(' ')}' failed with exit code ${result.status}.`);
	}
}

function ensureDependencies() {
	// npm writes this file at the end of a complete install.
	if (fs.existsSync(path.join(REPOSITORY_ROOT, 'node_modules', '.package-lock.json'))) return;
	log('installing dependencies with npm ci (about a minute)…');
	runVisible('npm', ['ci']);
}

function printTable(rows) {
	const columns = Object.keys(rows[0] ?? {});
	const cell = (value) => (typeof value === 'string' ? value : JSON.stringify(value));
	const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row[column]).length)));
	const line = (values) => values.map((value, index) => value.padEnd(widths[index])).join('  ');
	console.log(line(columns));
	console.log(line(widths.map((width) => '-'.repeat(width))));
	for (const row of rows) console.log(line(columns.map((column) => cell(row[column]))));
}

async function main() {
	const started = Date.now();
	ensureDependencies();

	const { prepareCache } = require('./prepare-cache');
	await prepareCache({ only: ['2'] });

	log('building the package…');
	runVisible('npm', ['run', '--silent', 'build']);

	const { packPackage, prepareN8n, readExampleWorkflows } = require('./peaka-in-n8n');
	const n8n = require('./n8n');
	const { startEmulator } = require('../../emulator/src/index.js');

	const tarball = packPackage();
	log(`packed ${path.basename(tarball)}`);

	const emulator = await startEmulator({ behaviour: 'spec' });
	log(`emulator running at ${emulator.baseUrl}`);
	let userFolder;
	try {
		const example = readExampleWorkflows().find((entry) => entry.file === DEMO_WORKFLOW_FILE);
		if (!example) throw new Error(`examples/${DEMO_WORKFLOW_FILE} is missing.`);

		log('installing the package into n8n 2.40.7 and importing the example…');
		userFolder = await prepareN8n({ line: '2', tarball, emulator, workflows: [example.workflow] });

		log(`running "${example.workflow.name}" with n8n execute…`);
		const execution = await n8n.executeWorkflow(userFolder, example.workflow.id);
		const rows = n8n.nodeOutput(execution, DEMO_OUTPUT_NODE).map((item) => item.json);

		console.log('');
		printTable(rows);
		console.log('');
		log(`${rows.length} items from "${DEMO_OUTPUT_NODE}" in ${Math.round((Date.now() - started) / 1000)} s.`);
	} finally {
		await emulator.close();
		if (userFolder) n8n.removeUserFolder(userFolder);
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(`[demo] failed: ${error.message}`);
	process.exitCode = 1;
});
