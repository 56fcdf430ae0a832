#!/usr/bin/env node
'use strict';

// `npm run dev`: opens this package in a real n8n editor against the emulator. It builds and
// packs the package, prepares n8n 2.40.7 in the e2e cache and starts the emulator. It installs
// the tarball the way Community Nodes does into a persistent user folder, and imports a Peaka
// credential for the emulator and the example workflows. Then it starts the editor with an owner
// account. Ctrl+C stops n8n and the emulator. Every run reinstalls the freshly built package.
//
//   npm run dev                   n8n 2.40.7 on 127.0.0.1:5678, emulator on 127.0.0.1:4010
//   npm run dev -- --fresh        start over with an empty user folder (new database)
//   npm run dev -- --line 1       n8n 1.123.81 instead
//   npm run dev -- --behaviour observed   emulate live Peaka where it differs from its spec

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const { LINES, cacheRoot, prepareCache } = require('./prepare-cache');

const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');
const PROJECT_KEY_CREDENTIAL_ID = 'peakaEmulatorProjectCred';
const DEV_FOLDER_NAME = 'dev-user-folder';
const PREFERRED_N8N_PORT = 5678;
const PREFERRED_EMULATOR_PORT = 4010;

const USAGE = `Usage: npm run dev -- [--fresh] [--line 2|1] [--behaviour spec|observed]

Starts the n8n editor with this package installed, against the Peaka emulator.

  --fresh               delete the dev user folder first (workflows, credentials, owner)
  --line 2|1            n8n line: 2 = n8n ${LINES[2].n8nVersion} (default), 1 = n8n ${LINES[1].n8nVersion}
  --behaviour MODE      emulator behaviour: spec (default) or observed
  --help                print this help
`;

class UsageError extends Error {}

function parseArguments(argv) {
	const options = { fresh: false, line: '2', behaviour: 'spec' };
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index];
		const takeValue = () => {
			index += 1;
			if (index >= argv.length) throw new UsageError(`${argument} needs a value.`);
			return argv[index];
		};
		switch (argument) {
			case '--help':
			case '-h':
				return null;
			case '--fresh':
				options.fresh = true;
				break;
			case '--line':
				options.line = takeValue();
				if (!LINES[options.line]) throw new UsageError(`--line must be 2 or 1, got ${JSON.stringify(options.line)}.`);
				break;
			case '--behaviour':
			case '--behavior':
				options.behaviour = takeValue();
				if (!['spec', 'observed'].includes(options.behaviour)) {
					throw new UsageError(`--behaviour must be spec or observed, got ${JSON.stringify(options.behaviour)}.`);
				}
				break;
			default:
				throw new UsageError(`Unknown argument '${argument}'.`);
		}
	}
	return options;
}

function log(message) {
	console.log(`[dev] ${message}`);
}

function runVisible(command, args) {
	const result = spawnSync(command, args, { cwd: REPOSITORY_ROOT, stdio: 'inherit' });
	if (result.status !== 0) {
		throw new Error(`'${command} ${args.join(' ')}' failed with exit code ${result.status}.`);
	}
}

/**
 * Returns the persistent user folder of one line under <cache>/dev-user-folder, creating it when
 * missing. Each line has its own, because each n8n version migrates the database its own way.
 */
function devUserFolder(n8n, line, fresh) {
	const parent = path.join(cacheRoot(), DEV_FOLDER_NAME);
	const prefix = `peaka-e2e-n8n${line}-`;
	if (fresh && fs.existsSync(parent)) {
		for (const entry of fs.readdirSync(parent)) {
			if (entry.startsWith(prefix)) fs.rmSync(path.join(parent, entry), { recursive: true, force: true });
		}
	}
	fs.mkdirSync(parent, { recursive: true });
	const existing = fs.readdirSync(parent).filter((entry) => entry.startsWith(prefix)).sort();
	if (existing.length > 0) return { userFolder: path.join(parent, existing[0]), reused: true };
	return { userFolder: n8n.createUserFolder({ line, parent }), reused: false };
}

async function main() {
	const options = parseArguments(process.argv.slice(2));
	if (options === null) {
		console.log(USAGE);
		return;
	}
	const version = LINES[options.line].n8nVersion;

	await prepareCache({ only: [options.line] });

	log('building the package…');
	runVisible('npm', ['run', '--silent', 'build']);

	const n8n = require('./n8n');
	const { EXAMPLE_CREDENTIAL, packPackage, readExampleWorkflows } = require('./peaka-in-n8n');
	const { nextFreePort, startN8nServer } = require('./n8n-server');
	const { startEmulator } = require('../../emulator/src/index.js');

	const tarball = packPackage();
	log(`packed ${path.basename(tarball)}`);

	let emulator;
	let server;
	let stopping;
	const shutdown = (exitCode) => {
		stopping ??= (async () => {
			log('stopping n8n and the emulator…');
			await server?.stop();
			await emulator?.close();
			fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
			log('stopped.');
			process.exit(exitCode);
		})();
		return stopping;
	};
	process.once('SIGINT', () => shutdown(0));
	process.once('SIGTERM', () => shutdown(0));

	try {
		const emulatorPort = await nextFreePort(PREFERRED_EMULATOR_PORT);
		emulator = await startEmulator({ port: emulatorPort, behaviour: options.behaviour, quiet: false });
		log(`emulator running at ${emulator.baseUrl} (${options.behaviour} behaviour)`);

		const { userFolder, reused } = devUserFolder(n8n, options.line, options.fresh);
		log(`${reused ? 'reusing' : 'created'} the user folder ${userFolder}`);

		log(`installing ${path.basename(tarball)} into n8n ${version}…`);
		await n8n.installPackageTarball(userFolder, tarball);

		// Imported on every run: the emulator's port can change from one run to the next, and an
		// import with an existing id replaces the stored credential or workflow.
		log('importing the emulator credential and the example workflows…');
		// The partner key reaches every resource; the Streaming engine needs a project key, which
		// names the project on Peaka's Trino endpoint.
		await n8n.importCredentials(userFolder, [
			{
				...EXAMPLE_CREDENTIAL,
				type: 'peakaApi',
				data: { apiKey: emulator.partnerKey, zone: 'custom', baseUrl: emulator.baseUrl, trinoUrl: emulator.trinoUrl, allowUnencryptedHttp: false },
			},
			{
				id: PROJECT_KEY_CREDENTIAL_ID,
				name: 'Peaka Emulator (project key, Streaming)',
				type: 'peakaApi',
				data: { apiKey: emulator.projectKey, zone: 'custom', baseUrl: emulator.baseUrl, trinoUrl: emulator.trinoUrl, allowUnencryptedHttp: false },
			},
		]);
		const examples = readExampleWorkflows();
		await n8n.importWorkflows(
			userFolder,
			examples.map((entry) => entry.workflow),
		);

		const n8nPort = await nextFreePort(PREFERRED_N8N_PORT);
		log(`starting n8n ${version} on 127.0.0.1:${n8nPort} (about 10 s)…`);
		server = await startN8nServer({ userFolder, port: n8nPort });
		server.process.once('exit', (code, signal) => {
			if (stopping) return;
			console.error(`[dev] n8n exited unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`}); see ${server.logFile}`);
			shutdown(1);
		});

		console.log(`
  n8n editor            ${server.url}   (n8n ${version})
  Sign in as            ${server.email}
  Password              ${server.password}
  n8n log               ${server.logFile}

  Peaka emulator        ${emulator.baseUrl}
  Partner key           ${emulator.partnerKey}
  Project key           ${emulator.projectKey}   (project ${emulator.projectId})
  Credential in n8n     "${EXAMPLE_CREDENTIAL.name}" (partner key, custom base URL)
  Example workflows     ${examples.map((entry) => `"${entry.workflow.name}"`).join(', ')}

  Press Ctrl+C to stop n8n and the emulator. 'npm run dev -- --fresh' starts over.
`);
	} catch (error) {
		console.error(`[dev] failed: ${error.message}`);
		await shutdown(1);
	}
}

main().catch((error) => {
	console.error(`[dev] failed: ${error.message}`);
	process.exitCode = error instanceof UsageError ? 2 : 1;
	if (error instanceof UsageError) console.error(USAGE);
});
