#!/usr/bin/env node
'use strict';

// Makes sure the Chromium that the browser e2e test drives is installed. It is Debian's
// `chromium` package, installed with apt-get: playwright-core is only the driver, and its own
// browser download is never used.
//
//   node test/e2e/prepare-browser.js
//
// Without root, or on a system without apt-get, it prints what to install and exits 0, so that
// `npm test` goes on and the browser test skips itself (or fails under PEAKA_E2E=1).

const fs = require('node:fs');
const { spawn } = require('node:child_process');

const CHROMIUM_PATH = '/usr/bin/chromium';
const APT_GET = '/usr/bin/apt-get';
const APT_TIMEOUT_MS = 15 * 60_000;

function isChromiumInstalled() {
	try {
		fs.accessSync(CHROMIUM_PATH, fs.constants.X_OK);
		return true;
	} catch {
		return false;
	}
}

function runApt(args, say) {
	return new Promise((resolve, reject) => {
		say(`$ apt-get ${args.join(' ')}`);
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		const child = spawn(APT_GET, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
		const prefixLines = (chunk) => {
			for (const line of chunk.toString('utf8').split('\n')) {
				if (line.trim()) say(`  ${line}`);
			}
		};
		child.stdout.on('data', prefixLines);
		child.stderr.on('data', prefixLines);
		const timer = setTimeout(() => child.kill('SIGTERM'), APT_TIMEOUT_MS);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(new Error(`Could not start apt-get: ${error.message}`));
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			if (code === 0) {
				resolve();
				return;
			}
			const status = signal ? `signal ${signal}` : `exit code ${code}`;
			reject(new Error(`'apt-get ${args.join(' ')}' failed with ${status}; see its output above.`));
		});
	});
}

/**
 * Installs Debian's chromium package when /usr/bin/chromium is missing and this process is root.
 * Returns { chromiumPath, installed, reason }: `installed` is true when the browser is there
 * afterwards, and `reason` explains why it is not.
 */
async function prepareBrowser({ say = console.log } = {}) {
	if (isChromiumInstalled()) {
		say(`[browser] ${CHROMIUM_PATH} ready`);
		return { chromiumPath: CHROMIUM_PATH, installed: true };
	}
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
		const reason = `${CHROMIUM_PATH} is missing and this process is not root; run 'apt-get install chromium' as root.`;
		say(`[browser] ${reason}`);
		return { chromiumPath: CHROMIUM_PATH, installed: false, reason };
	}
	if (!fs.existsSync(APT_GET)) {
		const reason = `${CHROMIUM_PATH} is missing and ${APT_GET} is not available; install Chromium with the system's package manager.`;
		say(`[browser] ${reason}`);
		return { chromiumPath: CHROMIUM_PATH, installed: false, reason };
	}

	const started = Date.now();
	say('[browser] installing Debian\'s chromium package (about a minute)…');
	await runApt(['update'], say);
	await runApt(['install', '-y', '--no-install-recommends', 'chromium'], say);
	if (!isChromiumInstalled()) {
		throw new Error(`apt-get installed chromium, but ${CHROMIUM_PATH} is still missing or not executable.`);
	}
	say(`[browser] ${CHROMIUM_PATH} installed (${Math.round((Date.now() - started) / 1000)} s)`);
	return { chromiumPath: CHROMIUM_PATH, installed: true };
}

module.exports = { CHROMIUM_PATH, isChromiumInstalled, prepareBrowser };

if (require.main === module) {
	prepareBrowser().catch((error) => {
		console.error(`[browser] failed: ${error.message}`);
		process.exit(1);
	});
}
