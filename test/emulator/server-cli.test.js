'use strict';

const { spawn } = require('node:child_process');
const path = require('node:path');
const axios = require('axios');

const CLI = path.join(__dirname, '..', '..', 'emulator', 'bin', 'peaka-emulator.js');
const START_TIMEOUT_MS = 20000;

/** Starts the CLI and resolves once it printed its banner, with the parsed banner fields. */
function startCli(args) {
	const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
	const output = { stdout: '', stderr: '' };
	child.stdout.on('data', (chunk) => { output.stdout += chunk; });
	child.stderr.on('data', (chunk) => { output.stderr += chunk; });
	const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

	const ready = new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`CLI printed no banner in ${START_TIMEOUT_MS} ms: ${output.stdout}${output.stderr}`)), START_TIMEOUT_MS);
		const check = () => {
			if (!output.stdout.includes('Press Ctrl+C to stop.')) return;
			clearTimeout(timer);
			const field = (label) => new RegExp(`${label}:\\s+(\\S+)`).exec(output.stdout)[1];
			resolve({
				baseUrl: field('Base URL'),
				partnerKey: field('Partner key'),
				projectKey: field('Project key'),
				projectId: field('Project ID'),
				adminUrl: field('Admin URL'),
			});
		};
		child.stdout.on('data', check);
		exited.then(({ code }) => {
			clearTimeout(timer);
			reject(new Error(`CLI exited with ${code} before its banner: ${output.stderr}`));
		});
	});
	return { child, output, ready, exited };
}

test('CLI prints the banner, logs requests without keys and stops on SIGTERM', async () => {
	const cli = startCli(['--port', '0', '--events-rows', '10']);
	const banner = await cli.ready;
	expect(banner.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
	expect(banner.adminUrl).toBe(banner.baseUrl.replace('/api/v1', '/__emulator'));
	expect(banner.partnerKey).toBe('EmuPrtnr.emulatorPartnerKeyNotASecret0001');
	expect(banner.projectKey).toBe('EmuProj1.emulatorProjectKeyNotASecret0001');
	expect(banner.projectId).toBe('mtKDhe1U');
	expect(cli.output.stdout).toContain('behaviour: spec');

	const response = await axios.get(`${banner.baseUrl}/info`, { headers: { Authorization: `Bearer ${banner.projectKey}` } });
	expect(response.data.projectId).toBe('mtKDhe1U');

	cli.child.kill('SIGTERM');
	const { code } = await cli.exited;
	expect(code).toBe(0);
	const requestLines = cli.output.stdout.split('\n').filter((line) => line.startsWith('GET '));
	expect(requestLines).toHaveLength(1);
	expect(requestLines[0]).toMatch(/^GET \/api\/v1\/info 200 \d+\.\dms project$/);
	expect(cli.output.stdout).toContain('Received SIGTERM; stopping.\nStopped.\n');
	expect(cli.output.stdout.split('Press Ctrl+C to stop.')[1]).not.toContain(banner.projectKey);
});

test('--quiet prints no request lines and SIGINT stops it', async () => {
	const cli = startCli(['--port', '0', '--quiet', '--behaviour', 'observed', '--events-rows', '10']);
	const banner = await cli.ready;
	expect(cli.output.stdout).toContain('behaviour: observed');
	await axios.get(`${banner.baseUrl}/info`, { headers: { Authorization: `Bearer ${banner.partnerKey}` } });
	cli.child.kill('SIGINT');
	const { code } = await cli.exited;
	expect(code).toBe(0);
	expect(cli.output.stdout).not.toMatch(/^GET /m);
});

test('custom keys are printed and accepted', async () => {
	const cli = startCli(['--port=0', '--quiet', '--events-rows', '10', '--partner-key', 'CliPartn.keyFromTheCommandLine0000000000001', '--project-key', 'CliProje.keyFromTheCommandLine0000000000001']);
	const banner = await cli.ready;
	expect(banner.partnerKey).toBe('CliPartn.keyFromTheCommandLine0000000000001');
	expect(banner.projectKey).toBe('CliProje.keyFromTheCommandLine0000000000001');
	const response = await axios.get(`${banner.baseUrl}/organizations`, { headers: { Authorization: `Bearer ${banner.partnerKey}` } });
	expect(response.status).toBe(200);
	cli.child.kill('SIGTERM');
	expect((await cli.exited).code).toBe(0);
});

test.each([
	[['--behaviour', 'live'], '--behaviour must be spec or observed, got "live".'],
	[['--port', 'eighty'], '--port needs a whole number, got "eighty".'],
	[['--colour'], 'Unknown option "--colour".'],
	[['--port'], '--port needs a value.'],
])('%j exits with status 2', async (args, message) => {
	const cli = startCli(args);
	cli.ready.catch(() => {});
	const { code } = await cli.exited;
	expect(code).toBe(2);
	expect(cli.output.stderr).toContain(message);
	expect(cli.output.stderr).toContain('Usage:');
});

test('--help prints usage and exits 0', async () => {
	const cli = startCli(['--help']);
	cli.ready.catch(() => {});
	const { code } = await cli.exited;
	expect(code).toBe(0);
	expect(cli.output.stdout).toContain('--behaviour MODE');
	expect(cli.output.stdout).toContain('--events-rows N');
});
