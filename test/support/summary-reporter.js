'use strict';

/**
 * Prints one plain closing line, "jest: N passed, N failed, N skipped", after jest's own
 * summary, so tools that read a run's last line without knowing jest can count it.
 */
class SummaryReporter {
	onRunComplete(_contexts, results) {
		const skipped = results.numPendingTests + results.numTodoTests;
		const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
		process.stdout.write(`jest: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`);
	}
}

module.exports = SummaryReporter;
