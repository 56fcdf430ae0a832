/**
 * Real network pieces: the emulator over HTTPS with a test CA made by openssl, and a CONNECT
 * proxy on loopback. Trusting the CA needs NODE_EXTRA_CA_CERTS at process start, so the proxy
 * cases run in a child jest process (network.child.ts). This file also checks what an untrusted
 * certificate looks like and that the emulator's command line serves HTTPS.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import https from 'node:https';
import path from 'node:path';

import { createTestCertificates, type TestCertificates } from '../support/tls';
import { type Emulator, executeSql, runPeaka, startPeaka } from './support';

const REPO_ROOT = path.join(__dirname, '..', '..');
const CHILD_TIMEOUT_MS = 120_000;
const CLI_START_TIMEOUT_MS = 30_000;

describe('network', () => {
	let certificates: TestCertificates;

	beforeAll(() => {
		certificates = createTestCertificates();
	});
	afterAll(() => {
		certificates?.remove();
	});

	it('reaches the HTTPS emulator through a CONNECT proxy (child process)', () => {
		const environment = { ...process.env, NODE_EXTRA_CA_CERTS: certificates.caFile, PEAKA_TEST_TLS_DIR: certificates.dir };
		const child = spawnSync(
			process.execPath,
			[
				path.join(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
				'--runTestsByPath',
				path.join('test', 'integration', 'network.child.ts'),
				'--testMatch',
				'**/network.child.ts',
				'--reporters',
				'default',
			],
			{ cwd: REPO_ROOT, env: environment, encoding: 'utf8', timeout: CHILD_TIMEOUT_MS },
		);
		const output = `${child.stdout}\n${child.stderr}`;
		if (child.status !== 0) throw new Error(`The child jest run failed (status ${child.status}):\n${output}`);
		expect(output).toMatch(/Tests:\s+3 passed, 3 total/);
	}, CHILD_TIMEOUT_MS + 10_000);

	describe('without the CA', () => {
		let emulator: Emulator;

		beforeAll(async () => {
			emulator = await startPeaka('spec', { tls: { cert: certificates.cert, key: certificates.key } });
		});
		afterAll(async () => {
			await emulator?.close();
		});

		it('fails once with a message about the certificate', async () => {
			const result = await runPeaka(emulator, executeSql(emulator, 'SELECT 1'));
			const host = new URL(emulator.baseUrl).host;
			expect(result.error?.message).toBe(`n8n does not trust the TLS certificate of ${host}`);
			expect(result.error?.description).toMatch(/NODE_EXTRA_CA_CERTS/);
			// The TLS handshake failed, so no HTTP request reached the emulator.
			expect(emulator.faults.requests()).toEqual([]);
		});
	});

	it('serves HTTPS from the command line with --tls-cert and --tls-key', async () => {
		const cli: ChildProcess = spawn(
			process.execPath,
			[path.join(REPO_ROOT, 'emulator', 'bin', 'peaka-emulator.js'), '--port', '0', '--events-rows', '10', '--quiet',
				'--tls-cert', certificates.certFile, '--tls-key', certificates.keyFile],
			{ cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
		);
		try {
			const banner = await new Promise<string>((resolve, reject) => {
				let text = '';
				const timer = setTimeout(() => reject(new Error(`The emulator did not start: ${text}`)), CLI_START_TIMEOUT_MS);
				cli.stdout?.on('data', (chunk: Buffer) => {
					text += chunk.toString();
					if (text.includes('Press Ctrl+C')) {
						clearTimeout(timer);
						resolve(text);
					}
				});
				cli.once('exit', (code) => reject(new Error(`The emulator exited with ${code}: ${text}`)));
			});
			const baseUrl = /Base URL:\s+(\S+)/.exec(banner)?.[1] ?? '';
			const partnerKey = /Partner key:\s+(\S+)/.exec(banner)?.[1] ?? '';
			expect(baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/api\/v1$/);

			const status = await new Promise<number | undefined>((resolve, reject) => {
				https
					.get(`${baseUrl}/connections/config`, { ca: certificates.ca, headers: { Authorization: `Bearer ${partnerKey}` } }, (response) => {
						response.resume();
						resolve(response.statusCode);
					})
					.on('error', reject);
			});
			expect(status).toBe(200);
		} finally {
			cli.kill('SIGTERM');
		}
	}, CLI_START_TIMEOUT_MS + 10_000);

	it('rejects --tls-cert without --tls-key', () => {
		const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'emulator', 'bin', 'peaka-emulator.js'), '--tls-cert', certificates.certFile], {
			encoding: 'utf8',
		});
		expect(run.status).toBe(2);
		expect(run.stderr).toMatch(/--tls-cert and --tls-key go together/);
	});
});
