import { CONFIRM_WINDOW_MS, createTracker, observe } from '../../nodes/Peaka/actions/metadata/refresh-wait';

const REQUESTED_AT = 1_000_000;

function run(statuses: Array<[string, number]>) {
	const tracker = createTracker('42', REQUESTED_AT, 'sales');
	for (const [status, offsetMs] of statuses) observe(tracker, status, REQUESTED_AT + offsetMs);
	return tracker;
}

describe('metadata refresh tracker', () => {
	it.each([
		['active then completed', [['active', 0], ['completed', 500]], 'completed', 'COMPLETED'],
		['waiting then not-active', [['waiting', 0], ['not-active', 500]], 'completed', 'NOT_ACTIVE'],
		['upper-case spelling', [['ACTIVE', 0], ['FAILED', 500]], 'failed', 'FAILED'],
		['stuck after active', [['delayed', 0], ['stuck', 900]], 'failed', 'STUCK'],
		['stale failed, then a new run', [['failed', 0], ['failed', 500], ['active', 1500], ['completed', 3500]], 'completed', 'COMPLETED'],
		['stale completed inside the window', [['completed', 0], ['completed', CONFIRM_WINDOW_MS - 1]], 'pending', 'COMPLETED'],
		['only final statuses past the window', [['completed', 0], ['completed', CONFIRM_WINDOW_MS]], 'unconfirmed', 'COMPLETED'],
		['only not-active past the window', [['not-active', 0], ['not-active', CONFIRM_WINDOW_MS + 1]], 'unconfirmed', 'NOT_ACTIVE'],
		['unknown status is not final', [['rebuilding', 0], ['rebuilding', CONFIRM_WINDOW_MS * 2]], 'pending', 'REBUILDING'],
	])('%s', (_name, statuses, outcome, status) => {
		const tracker = run(statuses as Array<[string, number]>);
		expect(tracker.outcome).toBe(outcome);
		expect(tracker.status).toBe(status);
		expect(tracker.checks).toBe(statuses.length);
	});

	it('settled tracker ignores later reads', () => {
		const tracker = run([['active', 0], ['completed', 100]]);
		observe(tracker, 'failed', REQUESTED_AT + 200);
		expect(tracker).toMatchObject({ outcome: 'completed', status: 'COMPLETED', checks: 2, rawStatus: 'completed' });
	});
});
