import { InvalidParameterError } from '../../nodes/Peaka/helpers/execute-request';
import { checkCron, checkDuration, checkTimeZone } from '../../nodes/Peaka/helpers/schedule';

function failure(check: () => unknown): InvalidParameterError {
	try {
		check();
	} catch (error) {
		return error as InvalidParameterError;
	}
	throw new Error('the check passed');
}

describe('checkDuration', () => {
	test.each([
		['PT15M', 'PT15M'],
		['PT6H', 'PT6H'],
		['P1D', 'P1D'],
		['P7D', 'P7D'],
		['P30D', 'P30D'],
		[' pt1h30m ', 'PT1H30M'],
		['PT0.5S', 'PT0.5S'],
		['P3DT4H5M6S', 'P3DT4H5M6S'],
	])('accepts %p', (input, expected) => {
		expect(checkDuration(input, 'Full Refresh Interval')).toBe(expected);
	});

	test.each(['PT', 'P', '1 day', '-PT1H', 'PT-1H', 'P1DT', 'PT1D', 'P1H', '6h', 'not-a-duration', 'PT1H2D'])('rejects %p', (input) => {
		const error = failure(() => checkDuration(input, 'Full Refresh Interval'));
		expect(error).toBeInstanceOf(InvalidParameterError);
		expect(error.parameter).toBe('Full Refresh Interval');
		expect(error.message).toBe(`The 'Full Refresh Interval' parameter is not an ISO-8601 duration: '${input}'`);
		expect(error.description).toContain('PT15M');
	});

	test.each(['P1Y', 'P1M', 'P2W', 'P1Y2M3DT4H', 'P1W2D'])('rejects calendar parts in %p', (input) => {
		const error = failure(() => checkDuration(input, 'Refresh Interval'));
		expect(error.message).toBe(`The 'Refresh Interval' parameter uses years, months or weeks, which Peaka does not read: '${input}'`);
		expect(error.description).toContain('P30D');
	});

	test('rejects zero and empty durations', () => {
		expect(failure(() => checkDuration('PT0M', 'Interval')).message).toBe("The 'Interval' parameter is a zero duration: 'PT0M'");
		expect(failure(() => checkDuration('', 'Interval')).message).toBe("The 'Interval' parameter is empty");
		expect(failure(() => checkDuration(undefined, 'Interval')).message).toBe("The 'Interval' parameter is empty");
	});
});

describe('checkCron', () => {
	test.each([
		['0 0 * * *', '0 0 * * *'],
		['*/15  9-17 * * 1-5', '*/15 9-17 * * 1-5'],
		['0 2 1,15 jan-jun SUN', '0 2 1,15 jan-jun SUN'],
		['30 23 31 12 7', '30 23 31 12 7'],
		['5-55/10 * * * *', '5-55/10 * * * *'],
	])('accepts %p', (input, expected) => {
		expect(checkCron(input, 'Cron Expression')).toBe(expected);
	});

	test('rejects six fields saying Peaka takes five', () => {
		const error = failure(() => checkCron('0 0 2 * * *', 'Cron Expression'));
		expect(error.parameter).toBe('Cron Expression');
		expect(error.message).toBe("The 'Cron Expression' parameter has 6 fields, but Peaka takes five: '0 0 2 * * *'");
		expect(error.description).toContain('Remove the seconds field');
	});

	test.each([
		['60 * * * *', 'the minute 60 is outside 0-59'],
		['* 24 * * *', 'the hour 24 is outside 0-23'],
		['* * 0 * *', 'the day of month 0 is outside 1-31'],
		['* * * 13 *', 'the month 13 is outside 1-12'],
		['* * * * 8', 'the day of week 8 is outside 0-7'],
		['* * ? * *', "'?' is not a valid day of month"],
		['*/0 * * * *', "the step '/0' of the minute must be a whole number of at least 1"],
		['10-5 * * * *', 'the minute range 10-5 runs backwards'],
		['* * * FOO *', "'FOO' is not a valid month"],
		['1,,2 * * * *', "'' is not a valid minute"],
	])('rejects %p', (input, problem) => {
		const error = failure(() => checkCron(input, 'Cron Expression'));
		expect(error.message).toBe(`The 'Cron Expression' parameter is not a valid cron expression: ${problem} in '${input}'`);
	});

	test('rejects four fields and empty', () => {
		expect(failure(() => checkCron('0 0 * *', 'Cron')).message).toBe("The 'Cron' parameter has 4 fields, but Peaka takes five: '0 0 * *'");
		expect(failure(() => checkCron('  ', 'Cron')).message).toBe("The 'Cron' parameter is empty");
	});
});

describe('checkTimeZone', () => {
	test.each([
		['UTC', 'UTC'],
		['utc', 'UTC'],
		['Europe/Istanbul', 'Europe/Istanbul'],
		['America/New_York', 'America/New_York'],
	])('accepts %p', (input, expected) => {
		expect(checkTimeZone(input, 'Time Zone')).toBe(expected);
	});

	test.each(['Mars/Olympus', '+03:00', 'GMT+3x', 'Europe'])('rejects %p', (input) => {
		const error = failure(() => checkTimeZone(input, 'Time Zone'));
		expect(error.parameter).toBe('Time Zone');
		expect(error.message).toBe(`The 'Time Zone' parameter is not a known time zone: '${input}'`);
	});
});
