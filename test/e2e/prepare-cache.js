#!/usr/bin/env node
'use strict';

// Prepares the cache of real n8n installs that the end-to-end tests run: one Node.js binary and
// one n8n install per supported n8n line, with native modules compiled for that Node.js.
//
//   node test/e2e/prepare-cache.js            prepare every line
//   node test/e2e/prepare-cache.js --only 2   prepare the n8n 2.x line only
//
// Each finished step leaves a marker file recording what it was made from, so a second run skips
// the finished steps and redoes a step that was interrupted or whose recipe changed.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

// The Node.js binaries come from npm's per-platform packages (the ones the `node` package
// installs from its preinstall script), pinned so that every machine builds against the same
// headers.
//
// Native modules n8n needs to run a workflow, each with when to compile it:
// - sqlite3 (the database) ships no binary in its npm package; its install script downloads one,
//   which cannot work offline, so it is always compiled.
// - isolated-vm runs the default "vm" expression engine of both lines. Its npm package ships
//   binaries for Node 22 and 24 on glibc Linux, so it is compiled only when none of them loads.
// Other native modules in n8n's tree (ssh2 crypto, cpu-features, msgpackr-extract, kafka,
// @parcel/watcher, Sentry profilers) are optional or serve nodes and features the tests do not use.
const LINES = {
	2: {
		n8nVersion: '2.40.7',
		nodeVersion: '24.21.0',
		overrides: {},
		nativeModules: [
			{ name: 'sqlite3', compile: 'always' },
			{ name: 'isolated-vm', compile: 'when-prebuilt-fails' },
		],
		installMinutes: 4,
	},
	1: {
		n8nVersion: '1.123.81',
		nodeVersion: '22.23.3',
		// n8n 1.x depends on an xlsx tarball hosted outside the npm registry.
		overrides: { xlsx: '0.18.5' },
		nativeModules: [
			{ name: 'sqlite3', compile: 'always' },
			{ name: 'isolated-vm', compile: 'when-prebuilt-fails' },
		],
		installMinutes: 3,
	},
};

// Newest line first, so a run that stops early has prepared the line the tests lean on most.
const LINE_ORDER = ['2', '1'];

const MARKER_FOLDER = '.peaka-e2e';
const LOCK_POLL_MS = 2_000;
const LOCK_WAIT_MS = 30 * 60_000;
const NODE_GYP_JOBS = String(Math.max(1, os.cpus().length));

function cacheRoot() {
	return process.env.PEAKA_E2E_CACHE
		? path.resolve(process.env.PEAKA_E2E_CACHE)
		: path.join(os.homedir(), '.cache', 'n8n-nodes-peaka');
}

function nodePackageName() {
	return `node-${process.platform}-${process.arch}`;
}

/** Returns the folders and binaries of one n8n line inside the cache. */
function linePaths(lineKey, root = cacheRoot()) {
	const line = LINES[lineKey];
	if (!line) {
		throw new Error(`Unknown n8n line '${lineKey}': use one of ${Object.keys(LINES).join(', ')}`);
	}
	const nodePrefix = path.join(root, `node-${line.nodeVersion}`);
	const nodeDir = path.join(nodePrefix, 'node_modules', nodePackageName());
	const n8nPrefix = path.join(root, `n8n-${line.n8nVersion}`);
	return {
		lineKey: String(lineKey),
		n8nVersion: line.n8nVersion,
		nodeVersion: line.nodeVersion,
		nodePrefix,
		nodeDir,
		nodeBin: path.join(nodeDir, 'bin', 'node'),
		n8nPrefix,
		n8nModules: path.join(n8nPrefix, 'node_modules'),
		n8nBin: path.join(n8nPrefix, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

function recipes(lineKey) {
	const line = LINES[lineKey];
	return {
		node: { package: nodePackageName(), version: line.nodeVersion },
		install: { n8n: line.n8nVersion, overrides: line.overrides },
		native: { nodeVersion: line.nodeVersion, modules: line.nativeModules },
	};
}

function markerPath(prefix, step) {
	return path.join(prefix, MARKER_FOLDER, `${step}.done`);
}

function readMarker(prefix, step) {
	try {
		return JSON.parse(fs.readFileSync(markerPath(prefix, step), 'utf8'));
	} catch {
		return undefined;
	}
}

function isStepDone(prefix, step, recipe) {
	const marker = readMarker(prefix, step);
	return marker !== undefined && JSON.stringify(marker.recipe) === JSON.stringify(recipe);
}

function writeMarker(prefix, step, recipe, seconds) {
	fs.mkdirSync(path.join(prefix, MARKER_FOLDER), { recursive: true });
	const marker = { recipe, seconds, finishedAt: new Date().toISOString() };
	fs.writeFileSync(markerPath(prefix, step), `${JSON.stringify(marker, null, '\t')}\n`);
}

function clearMarker(prefix, step) {
	fs.rmSync(markerPath(prefix, step), { force: true });
}

/** Tells whether every step of a line finished with the current recipe and its files exist. */
function isLineReady(lineKey, root = cacheRoot()) {
	const paths = linePaths(lineKey, root);
	const steps = recipes(lineKey);
	return (
		isStepDone(paths.nodePrefix, 'node', steps.node) &&
		isStepDone(paths.n8nPrefix, 'install', steps.install) &&
		isStepDone(paths.n8nPrefix, 'native', steps.native) &&
		fs.existsSync(paths.nodeBin) &&
		fs.existsSync(paths.n8nBin)
	);
}

function run(command, args, options) {
	const { cwd, env, logFile } = options;
	return new Promise((resolve, reject) => {
		const log = fs.openSync(logFile, 'a');
		fs.writeSync(log, `\n$ ${command} ${args.join(' ')}   (in ${cwd})\n`);
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', log, log] });
		child.on('error', (error) => {
			fs.closeSync(log);
			reject(error);
		});
		child.on('close', (code, signal) => {
			fs.closeSync(log);
			if (code === 0) {
				resolve();
				return;
			}
			const status = signal ? `signal ${signal}` : `exit code ${code}`;
			reject(
				new Error(
					`'${command} ${args.join(' ')}' failed with ${status} in ${cwd}. ` +
						`Read the log ${logFile}, fix the cause, then run the preparation again.`,
				),
			);
		});
	});
}

/** Runs npm outside any project, so that a project's .npmrc (ignore-scripts, lockfile) never applies. */
function npmEnv(extra = {}) {
	const env = { ...process.env, ...extra };
	env.npm_config_audit = 'false';
	env.npm_config_fund = 'false';
	env.npm_config_update_notifier = 'false';
	return env;
}

function seconds(startMs) {
	return Math.round((Date.now() - startMs) / 1000);
}

function writeJson(file, value) {
	fs.writeFileSync(file, `${JSON.stringify(value, null, '\t')}\n`);
}

async function withLock(prefix, action) {
	fs.mkdirSync(prefix, { recursive: true });
	const lockFile = path.join(prefix, '.lock');
	const deadline = Date.now() + LOCK_WAIT_MS;
	for (;;) {
		try {
			fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			const owner = Number(fs.readFileSync(lockFile, 'utf8'));
			if (!isProcessAlive(owner)) {
				fs.rmSync(lockFile, { force: true });
				continue;
			}
			if (Date.now() > deadline) {
				throw new Error(
					`${prefix} is still locked by process ${owner} after ${LOCK_WAIT_MS / 60_000} min. ` +
						`Wait for that preparation to end, or remove ${lockFile} if it is gone.`,
				);
			}
			await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
		}
	}
	try {
		return await action();
	} finally {
		fs.rmSync(lockFile, { force: true });
	}
}

function isProcessAlive(pid) {
	if (!Number.isInteger(pid) || pid <= 0) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

async function prepareNode(lineKey, root, say) {
	const paths = linePaths(lineKey, root);
	const recipe = recipes(lineKey).node;
	const label = `[node ${paths.nodeVersion}]`;
	if (isStepDone(paths.nodePrefix, 'node', recipe) && fs.existsSync(paths.nodeBin)) {
		say(`${label} ready`);
		return;
	}
	await withLock(paths.nodePrefix, async () => {
		say(`${label} installing ${recipe.package}@${recipe.version} from npm…`);
		const started = Date.now();
		clearMarker(paths.nodePrefix, 'node');
		fs.rmSync(path.join(paths.nodePrefix, 'node_modules'), { recursive: true, force: true });
		writeJson(path.join(paths.nodePrefix, 'package.json'), {
			name: `peaka-e2e-node-${paths.nodeVersion}`,
			private: true,
			dependencies: { [recipe.package]: recipe.version },
		});
		await run('npm', ['install', '--ignore-scripts', '--no-package-lock'], {
			cwd: paths.nodePrefix,
			env: npmEnv(),
			logFile: path.join(paths.nodePrefix, 'install.log'),
		});
		const headers = path.join(paths.nodeDir, 'include', 'node', 'node_version.h');
		if (!fs.existsSync(paths.nodeBin) || !fs.existsSync(headers)) {
			throw new Error(
				`${recipe.package}@${recipe.version} installed without ${paths.nodeBin} or its headers ` +
					`(${headers}). Check that the package exists for this platform.`,
			);
		}
		writeMarker(paths.nodePrefix, 'node', recipe, seconds(started));
		say(`${label} ready (${seconds(started)} s)`);
	});
}

async function prepareN8n(lineKey, root, say) {
	const paths = linePaths(lineKey, root);
	const steps = recipes(lineKey);
	const line = LINES[lineKey];
	const label = `[n8n ${paths.n8nVersion}]`;

	await withLock(paths.n8nPrefix, async () => {
		const logFile = path.join(paths.n8nPrefix, 'install.log');

		if (!isStepDone(paths.n8nPrefix, 'install', steps.install) || !fs.existsSync(paths.n8nBin)) {
			say(`${label} installing (about ${line.installMinutes} min)…`);
			const started = Date.now();
			// A node_modules without the marker is what an interrupted install leaves behind.
			clearMarker(paths.n8nPrefix, 'install');
			clearMarker(paths.n8nPrefix, 'native');
			fs.rmSync(paths.n8nModules, { recursive: true, force: true });
			fs.rmSync(path.join(paths.n8nPrefix, 'package-lock.json'), { force: true });
			const manifest = {
				name: `peaka-e2e-n8n-${paths.n8nVersion}`,
				private: true,
				dependencies: { n8n: paths.n8nVersion },
			};
			if (Object.keys(line.overrides).length > 0) manifest.overrides = line.overrides;
			writeJson(path.join(paths.n8nPrefix, 'package.json'), manifest);
			// Install scripts would fetch prebuilt binaries from outside the npm registry; the
			// native step below compiles what n8n needs instead.
			await run('npm', ['install', '--ignore-scripts'], { cwd: paths.n8nPrefix, env: npmEnv(), logFile });
			const installed = JSON.parse(
				fs.readFileSync(path.join(paths.n8nModules, 'n8n', 'package.json'), 'utf8'),
			).version;
			if (installed !== paths.n8nVersion) {
				throw new Error(`npm installed n8n ${installed} in ${paths.n8nPrefix}, expected ${paths.n8nVersion}.`);
			}
			writeMarker(paths.n8nPrefix, 'install', steps.install, seconds(started));
			say(`${label} installed (${seconds(started)} s)`);
		}

		if (!isStepDone(paths.n8nPrefix, 'native', steps.native)) {
			const started = Date.now();
			for (const { name, compile } of line.nativeModules) {
				if (compile === 'when-prebuilt-fails' && (await loadsWithLineNode(paths, name, logFile))) {
					say(`${label} ${name}: the binary shipped in its package loads on Node.js ${paths.nodeVersion}`);
					continue;
				}
				say(`${label} compiling ${name} for Node.js ${paths.nodeVersion}…`);
				await buildNativeModule(paths, name, logFile);
				if (!(await loadsWithLineNode(paths, name, logFile))) {
					throw new Error(
						`${name} was compiled but does not load on Node.js ${paths.nodeVersion}. Read ${logFile}.`,
					);
				}
			}
			writeMarker(paths.n8nPrefix, 'native', steps.native, seconds(started));
			say(`${label} native modules ready (${seconds(started)} s)`);
		}
	});
	say(`${label} ready`);
}

function nodeGypScript() {
	const npmCli = fs.realpathSync(whichSync('npm'));
	const script = path.join(path.dirname(npmCli), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
	if (!fs.existsSync(script)) {
		throw new Error(`node-gyp was not found beside npm (${script}). Install npm 10 or later.`);
	}
	return script;
}

function whichSync(command) {
	for (const folder of (process.env.PATH || '').split(path.delimiter)) {
		const candidate = path.join(folder, command);
		if (folder && fs.existsSync(candidate)) return candidate;
	}
	throw new Error(`'${command}' was not found on PATH.`);
}

/** Compiles every copy of a native module in the install against the line's Node.js headers. */
async function buildNativeModule(paths, moduleName, logFile) {
	const copies = findPackageCopies(paths.n8nModules, moduleName);
	if (copies.length === 0) {
		throw new Error(`${moduleName} was not found under ${paths.n8nModules}; the n8n install is incomplete.`);
	}
	const env = npmEnv({ npm_config_nodedir: paths.nodeDir });
	for (const folder of copies) {
		await run(
			process.execPath,
			[nodeGypScript(), 'rebuild', '--release', `--nodedir=${paths.nodeDir}`, `--jobs=${NODE_GYP_JOBS}`],
			{ cwd: folder, env, logFile },
		);
	}
}

function findPackageCopies(modulesDir, moduleName) {
	const found = [];
	const visit = (dir) => {
		let entries;
		try {
			entries = fs.readdirSync(dir, { withFileTypes: true });
		} catch {
			return;
		}
		for (const entry of entries) {
			if (!entry.isDirectory()) continue;
			const child = path.join(dir, entry.name);
			if (entry.name.startsWith('@')) {
				visit(child);
				continue;
			}
			if (entry.name === moduleName) found.push(child);
			visit(path.join(child, 'node_modules'));
		}
	};
	visit(modulesDir);
	return found;
}

/** Tells whether a native module loads on the line's own Node.js, resolved the way n8n resolves it. */
async function loadsWithLineNode(paths, moduleName, logFile) {
	const n8nFolder = path.join(paths.n8nModules, 'n8n');
	const script = `require(require.resolve(${JSON.stringify(moduleName)}, { paths: [${JSON.stringify(n8nFolder)}] }));`;
	try {
		await run(paths.nodeBin, ['-e', script], { cwd: paths.n8nPrefix, env: process.env, logFile });
		return true;
	} catch {
		return false;
	}
}

/**
 * Prepares the given n8n lines ('1', '2') in the cache and returns their paths.
 * `say` receives one progress line per event.
 */
async function prepareCache({ only = LINE_ORDER, root = cacheRoot(), say = console.log } = {}) {
	const lineKeys = only.map(String);
	const repoRoot = path.resolve(__dirname, '..', '..');
	if (root === repoRoot || root.startsWith(`${repoRoot}${path.sep}`)) {
		throw new Error(`The e2e cache ${root} is inside the repository; set PEAKA_E2E_CACHE to a folder outside it.`);
	}
	fs.mkdirSync(root, { recursive: true });
	say(`[cache] ${root}`);
	const result = {};
	for (const lineKey of lineKeys) {
		linePaths(lineKey, root);
		await prepareNode(lineKey, root, say);
		await prepareN8n(lineKey, root, say);
		result[lineKey] = linePaths(lineKey, root);
	}
	return result;
}

function parseArguments(argv) {
	const only = [];
	for (let index = 0; index < argv.length; index++) {
		if (argv[index] === '--only' && argv[index + 1]) {
			only.push(argv[++index]);
		} else {
			throw new Error(`Unknown argument '${argv[index]}'. Usage: prepare-cache.js [--only 1|2]`);
		}
	}
	return only.length > 0 ? only : LINE_ORDER;
}

module.exports = { LINES, LINE_ORDER, cacheRoot, linePaths, isLineReady, prepareCache };

if (require.main === module) {
	let only;
	try {
		only = parseArguments(process.argv.slice(2));
	} catch (error) {
		console.error(error.message);
		process.exit(2);
	}
	const started = Date.now();
	prepareCache({ only }).then(
		() => console.log(`[cache] done in ${seconds(started)} s`),
		(error) => {
			console.error(`[cache] failed: ${error.message}`);
			process.exit(1);
		},
	);
}
