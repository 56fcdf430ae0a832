'use strict';

// Runs the emulator in a process of its own, so that its work is not counted in the measured
// processes and a blocking measurement cannot stall it. Prints one JSON line with its addresses
// and keys once it listens, then serves until it receives SIGTERM.

const { startEmulator } = require('../../emulator/src/index.js');

async function main() {
	const emulator = await startEmulator({ behaviour: 'spec', eventsRows: Number(process.env.PEAKA_BENCH_EVENTS_ROWS ?? 10_000) });
	const { baseUrl, trinoUrl, adminUrl, projectKey, projectId } = emulator;
	console.log(JSON.stringify({ baseUrl, trinoUrl, adminUrl, projectKey, projectId }));
	const stop = async () => {
		await emulator.close();
		process.exit(0);
	};
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

main().catch((error) => {
	console.error(error.stack);
	process.exit(1);
});
