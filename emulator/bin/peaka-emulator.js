#!/usr/bin/env node
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const { startEmulator, DEFAULT_EVENTS_ROWS } = require(path.join(__dirname, '..', 'src', 'index.js'));

const DEFAULT_PORT = 4010;
const MAX_PORT = 65535;

const USAGE = `Usage: npm run emulator -- [options]
       node emulator/bin/peaka-emulator.js [options]

Starts a local Peaka-compatible API on 127.0.0.1.

Options:
  --port N              port to listen on (default ${DEFAULT_PORT}; 0 picks a free port)
  --behaviour MODE      spec (default): as Peaka's OpenAPI file documents;
                        observed: where live Peaka was measured to differ from it
  --events-rows N       rows generated in datasets.public.events at start (default ${DEFAULT_EVENTS_ROWS})
  --job-speed X         speed factor for background jobs (default 1); 10 makes a
                        30 s cache sync take 3 s
  --tls-cert FILE       serve the REST API over HTTPS with this PEM certificate (needs --tls-key)
  --tls-key FILE        the PEM private key of --tls-cert
  --trino-port N        port of the Trino-protocol endpoint (default: the next port after
                        --port, so 4011; with --port 0 a free port; 0 picks a free port)
  --trino-page-rows N   rows per Trino result page (default 1000)
  --trino-delay-ms N    milliseconds each Trino query waits before it runs (default 0)
  --partner-key KEY     partner API key to accept instead of the default one
  --project-key KEY     project API key (for project mtKDhe1U) instead of the default one
  --quiet               print no line per request
  --help                print this help
`;

class UsageError extends Error {}

function parseInteger(name, text) {
	if (!/^\d+$/.test(text ?? '')) throw new UsageError(`${name} needs a whole number, got ${JSON.stringify(text)}.`);
	return Number(text);
}

/** Parses the command line into startEmulator options; returns null for --help. */
function parseArguments(argv) {
	const options = { port: DEFAULT_PORT, behaviour: 'spec', quiet: false };
	for (let index = 0; index < argv.length; index += 1) {
		const argument = argv[index];
		const [flag, inlineValue] = argument.startsWith('--') && argument.includes('=')
			? [argument.slice(0, argument.indexOf('=')), argument.slice(argument.indexOf('=') + 1)]
			: [argument, undefined];
		const takeValue = () => {
			if (inlineValue !== undefined) return inlineValue;
			index += 1;
			if (index >= argv.length) throw new UsageError(`${flag} needs a value.`);
			return argv[index];
		};

		switch (flag) {
			case '--help':
			case '-h':
				return null;
			case '--port':
				options.port = parseInteger(flag, takeValue());
				if (options.port > MAX_PORT) throw new UsageError(`${flag} must be a port from 0 to ${MAX_PORT}, got ${options.port}.`);
				break;
			case '--behaviour':
			case '--behavior':
				options.behaviour = takeValue();
				if (options.behaviour !== 'spec' && options.behaviour !== 'observed') {
					throw new UsageError(`${flag} must be spec or observed, got ${JSON.stringify(options.behaviour)}.`);
				}
				break;
			case '--events-rows':
				options.eventsRows = parseInteger(flag, takeValue());
				break;
			case '--job-speed': {
				const text = takeValue();
				const speed = Number(text);
				if (!(speed > 0) || !Number.isFinite(speed)) throw new UsageError(`${flag} needs a positive number, got ${JSON.stringify(text)}.`);
				options.jobSpeed = speed;
				break;
			}
			case '--tls-cert':
				options.tlsCertFile = takeValue();
				break;
			case '--tls-key':
				options.tlsKeyFile = takeValue();
				break;
			case '--trino-port':
				options.trinoPort = parseInteger(flag, takeValue());
				if (options.trinoPort > MAX_PORT) throw new UsageError(`${flag} must be a port from 0 to ${MAX_PORT}, got ${options.trinoPort}.`);
				break;
			case '--trino-page-rows':
				options.trinoPageRows = parseInteger(flag, takeValue());
				if (options.trinoPageRows < 1) throw new UsageError(`${flag} must be 1 or more, got ${options.trinoPageRows}.`);
				break;
			case '--trino-delay-ms':
				options.trinoQueryDelayMs = parseInteger(flag, takeValue());
				break;
			case '--partner-key':
				options.partnerKey = takeValue();
				break;
			case '--project-key':
				options.projectKey = takeValue();
				break;
			case '--quiet':
				options.quiet = true;
				break;
			default:
				throw new UsageError(`Unknown option ${JSON.stringify(argument)}.`);
		}
	}
	if ((options.tlsCertFile === undefined) !== (options.tlsKeyFile === undefined)) {
		throw new UsageError('--tls-cert and --tls-key go together: give both to serve HTTPS.');
	}
	// A fixed Trino port beside a fixed REST port keeps a saved credential working across restarts.
	if (options.trinoPort === undefined && options.port !== 0) options.trinoPort = Math.min(options.port + 1, MAX_PORT);
	return options;
}

async function main() {
	let options;
	try {
		options = parseArguments(process.argv.slice(2));
	} catch (error) {
		if (!(error instanceof UsageError)) throw error;
		process.stderr.write(`${error.message}\n\n${USAGE}`);
		process.exitCode = 2;
		return;
	}
	if (options === null) {
		process.stdout.write(USAGE);
		return;
	}

	const { tlsCertFile, tlsKeyFile, ...startOptions } = options;
	if (tlsCertFile !== undefined) {
		startOptions.tls = { cert: fs.readFileSync(tlsCertFile), key: fs.readFileSync(tlsKeyFile) };
	}
	const emulator = await startEmulator(startOptions);
	process.stdout.write([
		`Peaka emulator listening (behaviour: ${emulator.behaviour})`,
		`  Base URL:    ${emulator.baseUrl}`,
		`  Partner key: ${emulator.partnerKey}`,
		`  Project key: ${emulator.projectKey}`,
		`  Project ID:  ${emulator.projectId}`,
		`  Admin URL:   ${emulator.adminUrl}`,
		`  Trino URL:   ${emulator.trinoUrl}`,
		'Press Ctrl+C to stop.',
		'',
	].join('\n'));

	let stopping = false;
	const stop = (signal) => {
		if (stopping) {
			process.stderr.write(`Received ${signal} again; exiting without waiting.\n`);
			process.exit(1);
		}
		stopping = true;
		process.stdout.write(`Received ${signal}; stopping.\n`);
		emulator.close().then(
			() => {
				process.stdout.write('Stopped.\n');
				process.exit(0);
			},
			(error) => {
				process.stderr.write(`Failed to stop cleanly: ${error.stack || error.message}\n`);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error) => {
	const detail = error.code === 'EADDRINUSE' ? error.message : (error.stack || error.message);
	process.stderr.write(`The emulator failed to start: ${detail}\n`);
	process.exit(1);
});
