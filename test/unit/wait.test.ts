import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { normalizeStatus, waitUntilSettled, waitTimeoutMs } from '../../nodes/Peaka/helpers/wait';

const NODE: INode = {
	id: 'n1',
	name: 'Peaka',
	type: 'n8n-nodes-peaka.peaka',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** The two members of the execute context that waitUntilSettled uses. */
function contextWith(signal?: AbortSignal): IExecuteFunctions {
	return { getNode: () => NODE, getExecutionCancelSignal: () => signal } as unknown as IExecuteFunctions;
}

describe('waitUntilSettled', () => {
	test('returns the first settled value', async () => {
		const statuses = ['PENDING', 'RUNNING', 'RUNNING', 'COMPLETED', 'NEVER READ'];
		let reads = 0;
		const result = await waitUntilSettled(contextWith(), {
			read: async () => statuses[reads++],
			isSettled: (status) => status === 'COMPLETED',
			deadlineMs: 5000,
			describe: 'the test job',
			initialDelayMs: 5,
			maxDelayMs: 10,
		});
		expect(result).toBe('COMPLETED');
		expect(reads).toBe(4);
	});

	test('backs off exponentially up to the cap', async () => {
		const readTimes: number[] = [];
		await waitUntilSettled(contextWith(), {
			read: async () => {
				readTimes.push(Date.now());
				return readTimes.length;
			},
			isSettled: (count) => count === 5,
			deadlineMs: 5000,
			describe: 'the test job',
			initialDelayMs: 20,
			maxDelayMs: 60,
		});
		const gaps = readTimes.slice(1).map((time, index) => time - readTimes[index]);
		// Expected 20, 40, 60, 60 ms; timers may fire a little late, never early.
		expect(gaps[0]).toBeGreaterThanOrEqual(19);
		expect(gaps[1]).toBeGreaterThanOrEqual(39);
		expect(gaps[2]).toBeGreaterThanOrEqual(59);
		expect(gaps[3]).toBeGreaterThanOrEqual(59);
		expect(gaps[3]).toBeLessThan(120);
	});

	test('fails at the deadline with what did not finish', async () => {
		let reads = 0;
		const started = Date.now();
		const wait = waitUntilSettled(contextWith(), {
			read: async () => {
				reads += 1;
				return 'RUNNING';
			},
			isSettled: () => false,
			deadlineMs: 300,
			describe: 'the cache sync of table stripe.payment.charges',
			summarize: (status) => status,
			initialDelayMs: 50,
			maxDelayMs: 100,
			itemIndex: 2,
		});
		await expect(wait).rejects.toThrow(NodeOperationError);
		await expect(wait).rejects.toThrow(
			'Timed out waiting for the cache sync of table stripe.payment.charges: it did not finish within 0.3 s (last status: RUNNING)',
		);
		const error = (await wait.catch((caught: unknown) => caught)) as NodeOperationError;
		expect(error.description).toContain('Raise "Wait Timeout (Seconds)"');
		expect(error.context.itemIndex).toBe(2);
		const elapsed = Date.now() - started;
		expect(elapsed).toBeGreaterThanOrEqual(299);
		expect(elapsed).toBeLessThan(1000);
		// Reads at 0, 50, 150, 250 and one at the 300 ms deadline.
		expect(reads).toBe(5);
	});

	test('a zero deadline reads once', async () => {
		let reads = 0;
		await expect(
			waitUntilSettled(contextWith(), {
				read: async () => ++reads,
				isSettled: () => false,
				deadlineMs: 0,
				describe: 'the refresh',
			}),
		).rejects.toThrow('did not finish within 0 s');
		expect(reads).toBe(1);
	});

	test('stops when the execution is cancelled', async () => {
		const controller = new AbortController();
		let reads = 0;
		const wait = waitUntilSettled(contextWith(controller.signal), {
			read: async () => ++reads,
			isSettled: () => false,
			deadlineMs: 60_000,
			describe: 'the export',
			initialDelayMs: 10_000,
		});
		setTimeout(() => controller.abort(), 30);
		const started = Date.now();
		await expect(wait).rejects.toThrow('Stopped waiting for the export because the execution was cancelled');
		expect(Date.now() - started).toBeLessThan(2000);
		expect(reads).toBe(1);
	});

	test('passes read errors through', async () => {
		await expect(
			waitUntilSettled(contextWith(), {
				read: async () => {
					throw new Error('404 cache not found');
				},
				isSettled: () => true,
				deadlineMs: 1000,
				describe: 'the cache sync',
			}),
		).rejects.toThrow('404 cache not found');
	});
});

describe('normalizeStatus', () => {
	test.each([
		['not-active', 'NOT_ACTIVE'],
		['Success', 'SUCCESS'],
		['CANCELED', 'CANCELED'],
		['notActive', 'NOT_ACTIVE'],
		[' in progress ', 'IN_PROGRESS'],
		['NOT_INITIALIZED', 'NOT_INITIALIZED'],
		[null, ''],
		[undefined, ''],
		[3, '3'],
	])('%p becomes %p', (input, expected) => {
		expect(normalizeStatus(input)).toBe(expected);
	});
});

test('waitTimeoutMs converts seconds', () => {
	expect(waitTimeoutMs(2.5)).toBe(2500);
	expect(waitTimeoutMs(-1)).toBe(0);
});
