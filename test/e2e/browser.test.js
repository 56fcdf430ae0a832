'use strict';

// Drives the real n8n editor of each line in headless Chromium, as a user who has just installed
// the package. It signs in, opens a new workflow and finds the Peaka node in the node panel by
// its name and by its aliases. Then it lists the node's operations, checks its icons, adds it to
// the canvas and keeps a screenshot of its parameter panel in test-artifacts/.
//
// The browser gets a new empty profile per line, so no cached node types from an earlier run can
// hide a loading problem. Every request to a host other than 127.0.0.1 is aborted and recorded.
//
// Skipped, with a warning, when /usr/bin/chromium or the n8n cache is missing, unless PEAKA_E2E=1.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const { LINES, LINE_ORDER, cacheRoot, isLineReady } = require('./prepare-cache');
const n8n = require('./n8n');
const { startN8nServer, httpRequest } = require('./n8n-server');
const { CHROMIUM_PATH, isChromiumInstalled } = require('./prepare-browser');
const { REPOSITORY_ROOT, packPackage } = require('./peaka-in-n8n');

const E2E_REQUIRED = process.env.PEAKA_E2E === '1';
const LINE_SETUP_TIMEOUT_MS = 120_000;
const STEP_TIMEOUT_MS = 30_000;
const UI_TIMEOUT_MS = 15_000;
const RESULTS_SETTLE_MS = 300;
const LIST_CHANGE_WAIT_MS = 1_500;
const ARTIFACTS_FOLDER = path.join(REPOSITORY_ROOT, 'test-artifacts');
const VIEWPORT = { width: 1440, height: 900 };

const NODE_TYPE = 'n8n-nodes-peaka.peaka';
const TRIGGER_NODE_TYPE = 'n8n-nodes-peaka.peakaTrigger';
const CREDENTIAL_TYPE = 'peakaApi';
const SEARCH_PLACEHOLDER = 'Search nodes...';
// Operations a user of the Query resource looks for first; every other operation is checked
// against the node type that n8n serves.
const KEY_ACTIONS = ['Execute a query', 'Create a saved query', 'Get many saved queries'];
const NONSENSE_SEARCH = 'qqzzxxj';

// Where the two lines' node panels differ: 2.40.7 shows a community node's description under its
// name in the search results, 1.123.81 shows the name only.
const SHOWS_SEARCH_DESCRIPTION = { 2: true, 1: false };

// Without --disable-background-networking, --disable-component-update and --disable-sync,
// Chromium opens connections to Google's services at start, which this closed network refuses.
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

// Requests the editor itself sends to other hosts, which the test aborts. n8n 1.123.81 and
// 2.40.7 look a community package up on the npm registry when its node details are shown.
const KNOWN_EDITOR_LOOKUPS = ['https://registry.npmjs.org/n8n-nodes-peaka'];

const STRACE_AVAILABLE = spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;
const chromiumReady = isChromiumInstalled();
const readyLines = LINE_ORDER.filter((lineKey) => isLineReady(lineKey));
if (!E2E_REQUIRED && (!chromiumReady || readyLines.length < LINE_ORDER.length)) {
	const reasons = [];
	if (!chromiumReady) reasons.push(`${CHROMIUM_PATH} is missing (run 'node test/e2e/prepare-browser.js' as root)`);
	const missing = LINE_ORDER.filter((lineKey) => !readyLines.includes(lineKey));
	if (missing.length > 0) {
		reasons.push(
			`${missing.map((lineKey) => `n8n ${LINES[lineKey].n8nVersion}`).join(', ')} not prepared in ${cacheRoot()} ` +
				"(run 'node test/e2e/prepare-cache.js')",
		);
	}
	console.warn(
		`\n[e2e browser] ********************************************************************\n` +
			`[e2e browser] SKIPPED browser checks: ${reasons.join('; ')}.\n` +
			`[e2e browser] PEAKA_E2E=1 turns this into a failure.\n` +
			`[e2e browser] ********************************************************************\n`,
	);
}
let linesToRun = [];
if (E2E_REQUIRED) linesToRun = LINE_ORDER;
else if (chromiumReady) linesToRun = readyLines;

/** Lists the `action` labels of every operation the node type offers, as n8n's node panel shows them. */
function actionLabels(nodeType) {
	const labels = new Set();
	for (const property of nodeType.properties) {
		if (property.name !== 'operation' || !Array.isArray(property.options)) continue;
		for (const option of property.options) {
			if (typeof option.action === 'string') labels.add(option.action);
		}
	}
	return [...labels].sort();
}

/**
 * Reads the names listed in the node panel once two reads in a row agree. The panel re-renders
 * its list after each keystroke, so a read right after typing can still show the previous list.
 */
async function readPanelNames(page, previousNames) {
	const names = page.getByTestId('node-creator-item-name');
	const deadline = Date.now() + UI_TIMEOUT_MS;
	const changeDeadline = Date.now() + LIST_CHANGE_WAIT_MS;
	let previous = JSON.stringify(await names.allInnerTexts());
	// A list equal to the one before typing may simply not be re-rendered yet.
	while (previousNames !== undefined && previous === JSON.stringify(previousNames) && Date.now() < changeDeadline) {
		await page.waitForTimeout(RESULTS_SETTLE_MS);
		previous = JSON.stringify(await names.allInnerTexts());
	}
	for (;;) {
		await page.waitForTimeout(RESULTS_SETTLE_MS);
		const current = JSON.stringify(await names.allInnerTexts());
		if (current === previous || Date.now() > deadline) return JSON.parse(current);
		previous = current;
	}
}

/** Types a term into the node panel's search box and returns the names it lists. */
async function searchNodePanel(page, term) {
	const before = await page.getByTestId('node-creator-item-name').allInnerTexts();
	await page.getByPlaceholder(SEARCH_PLACEHOLDER).fill(term);
	return readPanelNames(page, before);
}

/** Checks with Chromium's own XML parser that a text is an SVG document; returns its root element name. */
function svgRootName(page, text) {
	return page.evaluate((source) => {
		const document = new DOMParser().parseFromString(source, 'image/svg+xml');
		if (document.getElementsByTagName('parsererror').length > 0) return 'parsererror';
		return document.documentElement.namespaceURI === 'http://www.w3.org/2000/svg' ? document.documentElement.nodeName : 'not svg';
	}, text);
}

function isLoopback(address) {
	return /^127\./.test(address) || address === '::1' || /^::ffff:127\./.test(address);
}

let tarball;

beforeAll(() => {
	if (linesToRun.length === 0) return;
	tarball = packPackage();
	fs.mkdirSync(ARTIFACTS_FOLDER, { recursive: true });
});

afterAll(() => {
	if (tarball) fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
});

// jest rejects describe.each with an empty table, so without any prepared line the tests are
// registered as skipped.
const lineTable = linesToRun.map((lineKey) => [LINES[lineKey].n8nVersion, lineKey]);
const describeLines = lineTable.length > 0 ? describe.each(lineTable) : describe.skip.each([['(not prepared)', '2']]);

describeLines('node panel in n8n %s', (version, lineKey) => {
	let userFolder;
	let server;
	let nodeType;
	let triggerType;
	let credentialType;
	let profile;
	let context;
	let page;
	const blockedRequests = [];
	let started;

	beforeAll(async () => {
		started = Date.now();
		if (!isChromiumInstalled()) throw new Error(`${CHROMIUM_PATH} is missing: run 'node test/e2e/prepare-browser.js' as root.`);
		if (!isLineReady(lineKey)) throw new Error(`n8n line ${lineKey} is not prepared in ${cacheRoot()}.`);

		userFolder = n8n.createUserFolder({ line: lineKey });
		await n8n.installPackageTarball(userFolder, tarball);
		server = await startN8nServer({ userFolder, traceConnections: STRACE_AVAILABLE });
		const cookie = await server.login();
		const nodeTypes = (await server.request('GET', '/types/nodes.json', { cookie })).body;
		const credentialTypes = (await server.request('GET', '/types/credentials.json', { cookie })).body;
		nodeType = nodeTypes.find((type) => type.name === NODE_TYPE);
		triggerType = nodeTypes.find((type) => type.name === TRIGGER_NODE_TYPE);
		credentialType = credentialTypes.find((type) => type.name === CREDENTIAL_TYPE);
		if (!nodeType || !triggerType || !credentialType) {
			throw new Error(`n8n ${version} did not load ${NODE_TYPE}, ${TRIGGER_NODE_TYPE} and ${CREDENTIAL_TYPE}; see ${server.logFile}.`);
		}

		// playwright-core is only the driver: Debian's Chromium runs, with a profile made here.
		const { chromium, selectors } = require('playwright-core');
		selectors.setTestIdAttribute('data-test-id');
		profile = fs.mkdtempSync(path.join(os.tmpdir(), 'peaka-chromium-profile-'));
		context = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM_PATH,
			args: CHROMIUM_ARGS,
			headless: true,
			viewport: VIEWPORT,
		});
		context.setDefaultTimeout(UI_TIMEOUT_MS);
		await context.route('**/*', (route) => {
			const url = new URL(route.request().url());
			if (url.hostname === '127.0.0.1') return route.continue();
			blockedRequests.push(`${url.origin}${url.pathname}`);
			return route.abort();
		});
		page = context.pages()[0] ?? (await context.newPage());
	}, LINE_SETUP_TIMEOUT_MS);

	afterAll(async () => {
		await context?.close();
		await server?.stop();
		if (profile) fs.rmSync(profile, { recursive: true, force: true });
		if (userFolder) n8n.removeUserFolder(userFolder);
		console.log(`[e2e browser] n8n ${version}: ${Math.round((Date.now() - started) / 1000)} s`);
	});

	it('signs in through the form', async () => {
		await page.goto(`${server.url}/signin`);
		await page.locator('input[name="emailOrLdapLoginId"]').fill(server.email);
		await page.locator('input[name="password"]').fill(server.password);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
		expect(new URL(page.url()).pathname).not.toBe('/signin');
	}, STEP_TIMEOUT_MS);

	it('lists Peaka when searching its name', async () => {
		await page.goto(`${server.url}/workflow/new`);
		// The panel of an empty workflow offers triggers only, so a manual trigger comes first.
		await page.getByTestId('node-creator-plus-button').click();
		await page.getByTestId('node-creator').getByText('Trigger manually', { exact: true }).click();
		await page.locator('[data-test-id="canvas-node"][data-node-type="n8n-nodes-base.manualTrigger"]').waitFor();
		await page.keyboard.press('Escape');
		await page.getByTestId('node-creator-plus-button').click();

		expect(await searchNodePanel(page, 'Peaka')).toEqual(['Peaka']);
		const item = page.locator(`[data-test-id="item-iterator-item"][data-keyboard-nav-id^="${NODE_TYPE}-"]`);
		expect(await item.count()).toBe(1);
		const description = item.getByTestId('node-creator-item-description');
		// The panel shows the action node and the trigger of one package as a single result, with
		// the description of one of them.
		if (SHOWS_SEARCH_DESCRIPTION[lineKey]) expect([nodeType.description, triggerType.description]).toContain(await description.innerText());
		else expect(await description.count()).toBe(0);
		expect(await searchNodePanel(page, 'peaka')).toContain('Peaka');
	}, STEP_TIMEOUT_MS);

	it('finds Peaka by each codex alias', async () => {
		const aliases = nodeType.codex?.alias ?? [];
		expect(aliases.length).toBeGreaterThan(0);
		for (const alias of aliases) {
			expect({ alias, names: await searchNodePanel(page, alias) }).toEqual({ alias, names: expect.arrayContaining(['Peaka']) });
		}
	}, STEP_TIMEOUT_MS);

	it('lists nothing for a term no node matches', async () => {
		expect(await searchNodePanel(page, NONSENSE_SEARCH)).toEqual([]);
		// 2.40.7 shows 'No results for "<term>"', 1.123.81 "We didn't make that... yet".
		await page.getByTestId('node-creator-no-results').or(page.getByText(`No results for "${NONSENSE_SEARCH}"`)).first().waitFor();
	}, STEP_TIMEOUT_MS);

	it('renders the node icon in the panel', async () => {
		await searchNodePanel(page, 'Peaka');
		const icon = page
			.locator(`[data-test-id="item-iterator-item"][data-keyboard-nav-id^="${NODE_TYPE}-"]`)
			.locator(`img[src$="/${nodeType.iconUrl.light}"]`)
			.first();
		const { complete, naturalWidth } = await icon.evaluate((image) => ({ complete: image.complete, naturalWidth: image.naturalWidth }));
		expect(complete).toBe(true);
		expect(naturalWidth).toBeGreaterThan(0);
	}, STEP_TIMEOUT_MS);

	it('lists every operation among the node actions', async () => {
		const before = await page.getByTestId('node-creator-item-name').allInnerTexts();
		await page.locator(`[data-test-id="item-iterator-item"][data-keyboard-nav-id^="${NODE_TYPE}-"]`).click();
		const listed = await readPanelNames(page, before);
		for (const action of KEY_ACTIONS) expect(listed).toContain(action);
		expect([...listed].sort()).toEqual(actionLabels(nodeType));
	}, STEP_TIMEOUT_MS);

	it('serves the node and credential icons as SVG', async () => {
		const iconUrls = [
			nodeType.iconUrl.light,
			nodeType.iconUrl.dark,
			credentialType.iconUrl.light,
			credentialType.iconUrl.dark,
		];
		for (const iconUrl of iconUrls) {
			expect(iconUrl).toMatch(/^icons\/n8n-nodes-peaka\/dist\/icons\/[\w.-]+\.svg$/);
			const response = await httpRequest('GET', `${server.url}/${iconUrl}`);
			expect({ iconUrl, status: response.status }).toEqual({ iconUrl, status: 200 });
			expect(response.headers['content-type']).toMatch(/^image\/svg\+xml/);
			expect({ iconUrl, root: await svgRootName(page, response.text) }).toEqual({ iconUrl, root: 'svg' });
		}
		const missing = await httpRequest('GET', `${server.url}/icons/n8n-nodes-peaka/dist/icons/missing.svg`);
		expect(missing.status).toBe(404);
		expect(await svgRootName(page, '<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>')).toBe('parsererror');
	}, STEP_TIMEOUT_MS);

	it('adds the node and shows its parameters', async () => {
		await page.getByTestId('node-creator-item-name').getByText('Execute a query', { exact: true }).click();
		const canvasNode = page.locator(`[data-test-id="canvas-node"][data-node-type="${NODE_TYPE}"]`);
		await canvasNode.waitFor();
		expect(await canvasNode.getAttribute('data-node-name')).toBe('Execute a query');

		const parameters = page.getByTestId('node-parameters');
		await parameters.waitFor();
		expect(await page.getByTestId('parameter-input-resource').locator('input').inputValue()).toBe('Query');
		expect(await page.getByTestId('parameter-input-operation').locator('input').inputValue()).toBe('Execute');
		await page.getByTestId('parameter-input-sql').waitFor();

		const screenshot = path.join(ARTIFACTS_FOLDER, `peaka-node-panel-n8n-${version}.png`);
		// Finishes the panel's fade-in, which would otherwise show the canvas through it.
		await page.screenshot({ path: screenshot, animations: 'disabled' });
		expect(fs.statSync(screenshot).size).toBeGreaterThan(10_000);
	}, STEP_TIMEOUT_MS);

	it('reaches no host but loopback', () => {
		expect(blockedRequests.filter((url) => !KNOWN_EDITOR_LOOKUPS.includes(url))).toEqual([]);
		if (!STRACE_AVAILABLE) {
			console.warn('[e2e browser] strace is not installed: the connections of n8n itself were not checked.');
			return;
		}
		const outside = server.connections().filter((connection) => connection.family !== 'AF_UNIX' && !isLoopback(connection.address));
		expect(outside).toEqual([]);
	});
});
