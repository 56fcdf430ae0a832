'use strict';

// Checks that the published tarball loads as a community package. The tarball must contain every
// file its package.json "n8n" section lists, each exporting a class named after its file (n8n
// derives the class name from the file name). It must declare every module it requires, and
// after n8n's installer has run, no private n8n-workflow may sit beside it. Then a real n8n of
// each line must register the node and the credential under the types users' workflows contain.
//
// A copy of the package whose node class no longer matches its file name goes into the same n8n
// to show what a loading failure looks like there: the node is missing and n8n logs the error.
//
// The n8n part is skipped when the n8n cache is not prepared, unless PEAKA_E2E=1.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { builtinModules } = require('node:module');
const { execFileSync, spawnSync } = require('node:child_process');

const { LINES, LINE_ORDER, cacheRoot, isLineReady } = require('./prepare-cache');
const n8n = require('./n8n');
const { startN8nServer } = require('./n8n-server');
const { REPOSITORY_ROOT, packPackage } = require('./peaka-in-n8n');

const E2E_REQUIRED = process.env.PEAKA_E2E === '1';
const LINE_TIMEOUT_MS = 240_000;
const PACKAGE_NAME = 'n8n-nodes-peaka';
const NODE_TYPE = `${PACKAGE_NAME}.peaka`;
const CREDENTIAL_TYPE = 'peakaApi';
const MISNAMED_PACKAGE_NAME = 'n8n-nodes-peaka-misnamed';

// What each line logs when a listed node file exports no class of its base name: 2.x names the
// package, 1.x only the failed constructor call. Both then skip the package and start anyway.
const MISNAMED_LOAD_ERRORS = {
	2: [`Failed to load package "${MISNAMED_PACKAGE_NAME}"`],
	1: ['require(...).Peaka is not a constructor'],
};
const LOAD_ERROR_PATTERN = /^Failed to load package|is not a constructor|Cannot find module|Class could not be found/;

// Modules a community package may require without declaring them, because n8n provides them: it
// puts its own node_modules on NODE_PATH before loading community packages (LoadNodesAndCredentials
// in 1.123.81 and 2.40.7), and its lint rule no-restricted-imports (@n8n/eslint-plugin-community-nodes
// 0.32.0) allows exactly these. Whether a given n8n version has each one is checked per line below.
const HOST_PROVIDED_MODULES = ['n8n-workflow', 'lodash', 'moment', 'p-limit', 'luxon', 'zod'];

// Top-level entries npm may put into the tarball besides dist/. npm always adds package.json,
// README and LICENSE; anything else means the "files" list or an .npmignore lets sources leak.
const ALLOWED_TOP_LEVEL_FILES = ['package.json', 'README.md', 'LICENSE'];

// The node and credential every release must list, with the `name` n8n registers them under.
const EXPECTED_CLASSES = [
	{ kind: 'nodes', file: 'dist/nodes/Peaka/Peaka.node.js', className: 'Peaka', name: 'peaka' },
	{ kind: 'credentials', file: 'dist/credentials/PeakaApi.credentials.js', className: 'PeakaApi', name: CREDENTIAL_TYPE },
];

const readyLines = LINE_ORDER.filter((lineKey) => isLineReady(lineKey));
if (readyLines.length < LINE_ORDER.length && !E2E_REQUIRED) {
	const missing = LINE_ORDER.filter((lineKey) => !readyLines.includes(lineKey)).map((lineKey) => `n8n ${LINES[lineKey].n8nVersion}`);
	console.warn(
		`[e2e loading] SKIPPED the loading checks in ${missing.join(', ')}: not prepared in ${cacheRoot()}. ` +
			`Run 'node test/e2e/prepare-cache.js' (PEAKA_E2E=1 makes this a failure).`,
	);
}
const linesToRun = E2E_REQUIRED ? LINE_ORDER : readyLines;

/** Derives the class name n8n expects from a listed file: `Peaka.node.js` → `Peaka`. */
function classNameOfFile(listedPath) {
	return path.basename(listedPath).replace(/\.(node|credentials)\.js$/, '');
}

/**
 * Loads every node and credential file a package's "n8n" section lists, from an extracted
 * package folder, and returns one problem sentence per file that is missing, exports no class of
 * its base name, or fails to instantiate. Also returns what loaded: [{ kind, file, className, name }].
 */
function loadListedClasses(packageFolder) {
	const manifest = JSON.parse(fs.readFileSync(path.join(packageFolder, 'package.json'), 'utf8'));
	const problems = [];
	const loaded = [];
	for (const kind of ['nodes', 'credentials']) {
		for (const listedPath of manifest.n8n?.[kind] ?? []) {
			const file = path.join(packageFolder, listedPath);
			if (!fs.existsSync(file)) {
				problems.push(`${listedPath} is listed in n8n.${kind} but is not in the tarball.`);
				continue;
			}
			const className = classNameOfFile(listedPath);
			let exported;
			try {
				exported = require(file);
			} catch (error) {
				problems.push(`${listedPath} fails to load: ${error.message}`);
				continue;
			}
			const Class = exported[className];
			if (typeof Class !== 'function') {
				problems.push(`${listedPath} exports no class named '${className}' (exports: ${Object.keys(exported).join(', ') || 'none'}).`);
				continue;
			}
			try {
				const instance = new Class();
				const name = kind === 'nodes' ? instance.description?.name : instance.name;
				loaded.push({ kind, file: listedPath, className, name });
			} catch (error) {
				problems.push(`new ${className}() from ${listedPath} throws: ${error.message}`);
			}
		}
	}
	return { problems, loaded };
}

function listFiles(folder, predicate, found = []) {
	for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
		const child = path.join(folder, entry.name);
		if (entry.isDirectory()) listFiles(child, predicate, found);
		else if (predicate(child)) found.push(child);
	}
	return found;
}

function packageNameOf(specifier) {
	const parts = specifier.split('/');
	return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function resolvesToFile(fromFile, specifier) {
	const base = path.resolve(path.dirname(fromFile), specifier);
	return [base, `${base}.js`, `${base}.json`, path.join(base, 'index.js')].some(
		(candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile(),
	);
}

/** Lists the bare module names each JavaScript file of a package requires: [{ file, specifier }]. */
function listRequires(packageFolder) {
	const found = [];
	for (const file of listFiles(packageFolder, (name) => name.endsWith('.js'))) {
		const source = fs.readFileSync(file, 'utf8');
		for (const [, specifier] of source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) found.push({ file, specifier });
	}
	return found;
}

/**
 * Scans every require() in the package's JavaScript and returns one problem sentence per module
 * that is neither a Node.js built-in, nor provided by n8n, nor in "dependencies", and per relative
 * require whose file is not in the package.
 */
function findUndeclaredRequires(packageFolder) {
	const manifest = JSON.parse(fs.readFileSync(path.join(packageFolder, 'package.json'), 'utf8'));
	const provided = new Set([...HOST_PROVIDED_MODULES, ...Object.keys(manifest.dependencies ?? {})]);
	const builtins = new Set(builtinModules);
	const problems = [];
	for (const { file, specifier } of listRequires(packageFolder)) {
		const relative = path.relative(packageFolder, file);
		if (specifier.startsWith('.')) {
			if (!resolvesToFile(file, specifier)) problems.push(`${relative} requires '${specifier}', which is not in the package.`);
			continue;
		}
		const name = packageNameOf(specifier.replace(/^node:/, ''));
		if (specifier.startsWith('node:') || builtins.has(name) || provided.has(name)) continue;
		problems.push(`${relative} requires '${name}', which is not in "dependencies".`);
	}
	return problems;
}

/** Lists the n8n-provided modules the package requires, sorted. */
function hostModulesRequired(packageFolder) {
	const names = listRequires(packageFolder).map(({ specifier }) => packageNameOf(specifier));
	return [...new Set(names.filter((name) => HOST_PROVIDED_MODULES.includes(name)))].sort();
}

/** Lists every n8n-workflow folder inside a node_modules under `folder`. */
function findNestedN8nWorkflow(folder) {
	const nested = [];
	const walk = (current) => {
		for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
			if (!entry.isDirectory()) continue;
			const child = path.join(current, entry.name);
			if (entry.name === 'n8n-workflow' && path.basename(current) === 'node_modules') nested.push(child);
			else walk(child);
		}
	};
	walk(folder);
	return nested;
}

/** Runs `npm ls --omit=dev --all` in a folder and returns { exitCode, problems }. */
function npmLs(folder) {
	const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
	const result = spawnSync('npm', ['ls', '--omit=dev', '--all', '--json'], { cwd: folder, env, encoding: 'utf8' });
	let report = {};
	try {
		report = JSON.parse(result.stdout);
	} catch {
		// npm printed no JSON; the exit code and stderr tell what happened.
	}
	return { exitCode: result.status, problems: report.problems ?? [], stderr: result.stderr };
}

/**
 * Writes a tarball of the package renamed to n8n-nodes-peaka-misnamed, without credentials (the
 * real package provides peakaApi), whose Peaka.node.js exports its class as PeakaNode.
 */
function writeMisnamedTarball(tarballPath, folder) {
	const packageFolder = path.join(folder, 'package');
	fs.mkdirSync(packageFolder, { recursive: true });
	execFileSync('tar', ['-xzf', tarballPath, '-C', folder]);
	const manifestPath = path.join(packageFolder, 'package.json');
	const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
	fs.writeFileSync(manifestPath, JSON.stringify({ ...manifest, name: MISNAMED_PACKAGE_NAME, n8n: { ...manifest.n8n, credentials: [] } }));
	const nodeFile = path.join(packageFolder, 'dist', 'nodes', 'Peaka', 'Peaka.node.js');
	const source = fs.readFileSync(nodeFile, 'utf8');
	if (!/exports\.Peaka\b/.test(source)) throw new Error(`${nodeFile} has no 'exports.Peaka' to rename.`);
	fs.writeFileSync(nodeFile, source.replace(/exports\.Peaka\b/g, 'exports.PeakaNode'));
	const misnamed = path.join(folder, `${MISNAMED_PACKAGE_NAME}.tgz`);
	execFileSync('tar', ['-czf', misnamed, '-C', folder, 'package']);
	return misnamed;
}

let tarball;
let misnamedTarball;
let scratch;
let extracted;
let entries;

beforeAll(() => {
	tarball = packPackage();
	scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'peaka-loading-'));
	// The extracted package sits in a node_modules beside the modules n8n provides, as in an n8n
	// install, so it resolves those without reaching the repository's other packages.
	const modules = path.join(scratch, 'node_modules');
	extracted = path.join(modules, PACKAGE_NAME);
	fs.mkdirSync(extracted, { recursive: true });
	for (const name of HOST_PROVIDED_MODULES) {
		const hostCopy = path.join(REPOSITORY_ROOT, 'node_modules', name);
		if (fs.existsSync(hostCopy)) fs.symlinkSync(hostCopy, path.join(modules, name), 'dir');
	}
	execFileSync('tar', ['-xzf', tarball, '-C', extracted, '--strip-components=1']);
	entries = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
		.split('\n')
		.filter(Boolean)
		.map((entry) => entry.replace(/^package\//, ''));
	misnamedTarball = writeMisnamedTarball(tarball, path.join(scratch, 'misnamed'));
}, 60_000);

afterAll(() => {
	if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
	if (tarball) fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
});

describe('packed tarball', () => {
	it('contains only dist, README.md, LICENSE and package.json', () => {
		const outside = entries.filter((entry) => !entry.startsWith('dist/') && !ALLOWED_TOP_LEVEL_FILES.includes(entry));
		expect(outside).toEqual([]);
		for (const file of ALLOWED_TOP_LEVEL_FILES) expect(entries).toContain(file);
		expect(entries.filter((entry) => entry.endsWith('.ts') && !entry.endsWith('.d.ts'))).toEqual([]);
	});

	it('contains every file of the n8n section', () => {
		const manifest = JSON.parse(fs.readFileSync(path.join(extracted, 'package.json'), 'utf8'));
		const listed = [...manifest.n8n.nodes, ...manifest.n8n.credentials];
		expect(listed.length).toBeGreaterThan(0);
		expect(listed.filter((file) => !entries.includes(file))).toEqual([]);
	});

	it('exports a class named after each listed file', () => {
		const { problems, loaded } = loadListedClasses(extracted);
		expect(problems).toEqual([]);
		for (const expected of EXPECTED_CLASSES) expect(loaded).toContainEqual(expected);
		for (const entry of loaded) {
			expect(entry.name).toBe(entry.className[0].toLowerCase() + entry.className.slice(1));
		}
	});

	it('reports a missing file and a misnamed class', () => {
		const broken = path.join(scratch, 'node_modules', 'n8n-nodes-broken');
		fs.mkdirSync(path.join(broken, 'dist', 'nodes', 'Broken'), { recursive: true });
		fs.writeFileSync(
			path.join(broken, 'package.json'),
			JSON.stringify({
				name: 'n8n-nodes-broken',
				n8n: { nodes: ['dist/nodes/Broken/Broken.node.js', 'dist/nodes/Gone/Gone.node.js'], credentials: [] },
			}),
		);
		fs.writeFileSync(
			path.join(broken, 'dist', 'nodes', 'Broken', 'Broken.node.js'),
			"class Peaka { constructor() { this.description = { name: 'broken' }; } }\nmodule.exports = { Peaka };\n",
		);
		const { problems, loaded } = loadListedClasses(broken);
		expect(problems).toEqual([
			"dist/nodes/Broken/Broken.node.js exports no class named 'Broken' (exports: Peaka).",
			'dist/nodes/Gone/Gone.node.js is listed in n8n.nodes but is not in the tarball.',
		]);
		expect(loaded).toEqual([]);
	});

	it('declares every module its code requires', () => {
		expect(findUndeclaredRequires(extracted)).toEqual([]);
		const manifest = JSON.parse(fs.readFileSync(path.join(extracted, 'package.json'), 'utf8'));
		// n8n-workflow must stay a peer: as a dependency, npm installs a private copy beside the package.
		expect(Object.keys(manifest.dependencies ?? {})).not.toContain('n8n-workflow');
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	});

	it('reports a require missing from dependencies', () => {
		const leaky = path.join(scratch, 'leaky');
		fs.mkdirSync(path.join(leaky, 'dist'), { recursive: true });
		fs.writeFileSync(path.join(leaky, 'package.json'), JSON.stringify({ name: 'leaky', dependencies: { 'lossless-json': '4.0.0' } }));
		fs.writeFileSync(
			path.join(leaky, 'dist', 'index.js'),
			"require('node:fs'); require('path'); require('n8n-workflow'); require('luxon'); require('lossless-json');\n" +
				"require('form-data'); require('@scope/helper/sub'); require('./gone');\n",
		);
		expect(findUndeclaredRequires(leaky)).toEqual([
			"dist/index.js requires 'form-data', which is not in \"dependencies\".",
			"dist/index.js requires '@scope/helper', which is not in \"dependencies\".",
			"dist/index.js requires './gone', which is not in the package.",
		]);
	});
});

// jest rejects describe.each with an empty table, so without any prepared line the tests are
// registered as skipped.
const lineTable = linesToRun.map((lineKey) => [LINES[lineKey].n8nVersion, lineKey]);
const describeLines = lineTable.length > 0 ? describe.each(lineTable) : describe.skip.each([['(not prepared)', '2']]);

describeLines('package in n8n %s', (_version, lineKey) => {
	let userFolder;
	let installed;
	let server;
	let nodeTypes;
	let credentialTypes;

	beforeAll(async () => {
		if (!isLineReady(lineKey)) throw new Error(`n8n line ${lineKey} is not prepared in ${cacheRoot()}.`);
		userFolder = n8n.createUserFolder({ line: lineKey });
		installed = await n8n.installPackageTarball(userFolder, tarball);
		await n8n.installPackageTarball(userFolder, misnamedTarball);
		server = await startN8nServer({ userFolder });
		const cookie = await server.login();
		const nodesResponse = await server.request('GET', '/types/nodes.json', { cookie });
		const credentialsResponse = await server.request('GET', '/types/credentials.json', { cookie });
		if (nodesResponse.status !== 200 || credentialsResponse.status !== 200) {
			throw new Error(`Reading node types failed: HTTP ${nodesResponse.status} and ${credentialsResponse.status}.`);
		}
		nodeTypes = nodesResponse.body;
		credentialTypes = credentialsResponse.body;
	}, LINE_TIMEOUT_MS);

	afterAll(async () => {
		await server?.stop();
		if (userFolder) n8n.removeUserFolder(userFolder);
	});

	it('installs no private n8n-workflow', () => {
		expect(installed.name).toBe(PACKAGE_NAME);
		expect(findNestedN8nWorkflow(path.join(userFolder, '.n8n', 'nodes'))).toEqual([]);
	});

	it('finds a planted n8n-workflow copy', () => {
		const planted = path.join(userFolder, 'planted', 'node_modules', PACKAGE_NAME, 'node_modules', 'n8n-workflow');
		fs.mkdirSync(planted, { recursive: true });
		expect(findNestedN8nWorkflow(path.join(userFolder, 'planted'))).toEqual([planted]);
	});

	it('passes npm ls in the installed copy', () => {
		const result = npmLs(installed.folder);
		expect(result.problems).toEqual([]);
		expect(result.exitCode).toBe(0);
	});

	it('fails npm ls on a dependency that is not installed', () => {
		const copy = path.join(userFolder, 'npm-ls-copy');
		fs.cpSync(installed.folder, copy, { recursive: true });
		const manifestPath = path.join(copy, 'package.json');
		const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
		manifest.dependencies = { ...manifest.dependencies, 'form-data': '4.0.0' };
		fs.writeFileSync(manifestPath, JSON.stringify(manifest));
		const result = npmLs(copy);
		expect(result.exitCode).not.toBe(0);
		expect(result.problems).toContainEqual(expect.stringContaining('missing: form-data@4.0.0'));
	});

	it('finds each n8n-provided module it requires', () => {
		const paths = n8n.lineOfUserFolder(userFolder);
		const required = hostModulesRequired(installed.folder);
		expect(required).toContain('n8n-workflow');
		// n8n resolves these from its own folder first, then from the folder it is installed in.
		const missing = required.filter(
			(name) =>
				!fs.existsSync(path.join(paths.n8nModules, 'n8n', 'node_modules', name, 'package.json')) &&
				!fs.existsSync(path.join(paths.n8nModules, name, 'package.json')),
		);
		expect(missing).toEqual([]);
	});

	it('registers the node under its package type', () => {
		const node = nodeTypes.find((type) => type.name === NODE_TYPE);
		expect(node).toBeDefined();
		expect(node.displayName).toBe('Peaka');
		expect(node.credentials).toContainEqual(expect.objectContaining({ name: CREDENTIAL_TYPE, required: true }));
		// The custom-folder loader would register CUSTOM.peaka, a type no shared workflow contains.
		expect(nodeTypes.filter((type) => /peaka/i.test(type.name) && !type.name.startsWith(`${PACKAGE_NAME}.`))).toEqual([]);
		expect(nodeTypes.find((type) => type.name === `${NODE_TYPE}Missing`)).toBeUndefined();
	});

	it('registers the credential', () => {
		const credential = credentialTypes.find((type) => type.name === CREDENTIAL_TYPE);
		expect(credential).toBeDefined();
		expect(credential.displayName).toBe('Peaka API');
		expect(credential.properties.map((property) => property.name)).toContain('apiKey');
	});

	it('skips the misnamed copy and logs only its error', () => {
		expect(nodeTypes.filter((type) => type.name.startsWith(`${MISNAMED_PACKAGE_NAME}.`))).toEqual([]);
		const log = fs.readFileSync(server.logFile, 'utf8');
		const loadErrors = log.split('\n').filter((line) => LOAD_ERROR_PATTERN.test(line));
		expect(loadErrors).toEqual(MISNAMED_LOAD_ERRORS[lineKey]);
	});
});
