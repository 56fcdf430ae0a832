/**
 * A throwaway certificate authority and a server certificate for 127.0.0.1 and localhost, made
 * with the openssl command line in a temp folder, so tests can serve the emulator over HTTPS.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const VALIDITY_DAYS = '2';
const KEY_SIZE_BITS = 'rsa:2048';

export interface TestCertificates {
	dir: string;
	caFile: string;
	certFile: string;
	keyFile: string;
	ca: string;
	cert: string;
	key: string;
	remove(): void;
}

function openssl(args: string[], cwd: string): void {
	execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

/** Generates a CA and a server certificate signed by it; `remove()` deletes the folder. */
export function createTestCertificates(): TestCertificates {
	const dir = mkdtempSync(path.join(tmpdir(), 'peaka-tls-'));
	openssl(
		['req', '-x509', '-newkey', KEY_SIZE_BITS, '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', VALIDITY_DAYS,
			'-subj', '/CN=n8n-nodes-peaka test CA', '-addext', 'basicConstraints=critical,CA:TRUE',
			'-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
		dir,
	);
	openssl(
		['req', '-newkey', KEY_SIZE_BITS, '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost'],
		dir,
	);
	writeFileSync(
		path.join(dir, 'server.ext'),
		'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
	);
	openssl(
		['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem',
			'-days', VALIDITY_DAYS, '-extfile', 'server.ext'],
		dir,
	);
	const caFile = path.join(dir, 'ca.pem');
	const certFile = path.join(dir, 'server.pem');
	const keyFile = path.join(dir, 'server.key');
	return {
		dir,
		caFile,
		certFile,
		keyFile,
		ca: readFileSync(caFile, 'utf8'),
		cert: readFileSync(certFile, 'utf8'),
		key: readFileSync(keyFile, 'utf8'),
		remove: () => rmSync(dir, { recursive: true, force: true }),
	};
}
