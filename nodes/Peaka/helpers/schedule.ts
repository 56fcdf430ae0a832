import { InvalidParameterError } from './execute-request';

/**
 * Local checks for the schedules Peaka takes: ISO-8601 durations (cache schedules, interval
 * schedules of materialized queries), five-field UNIX cron expressions and IANA time zones.
 * Live Peaka accepted a malformed cache schedule with 200 and never ran it, so the node checks
 * every schedule before sending. Each check throws an InvalidParameterError naming the parameter.
 */

/**
 * ISO-8601 duration in days, hours, minutes and seconds. The spec's description of cache schedules
 * is Java's Duration.parse documentation, which takes no years, months or weeks.
 */
const DURATION_PATTERN = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;
/** Years, months or weeks in the date part, which ISO-8601 allows and Duration.parse rejects. */
const CALENDAR_PARTS_PATTERN = /^P(?:\d+[YMW])+(?:\d+D)?(?:T.*)?$/;
const DURATION_EXAMPLES = 'PT15M, PT1H, PT6H, P1D or P7D';

const CRON_FIELD_COUNT = 5;
const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface CronField {
	name: string;
	min: number;
	max: number;
	names?: string[];
	/** Value of the first name (JAN is 1, SUN is 0). */
	namesStart?: number;
}

const CRON_FIELDS: CronField[] = [
	{ name: 'minute', min: 0, max: 59 },
	{ name: 'hour', min: 0, max: 23 },
	{ name: 'day of month', min: 1, max: 31 },
	{ name: 'month', min: 1, max: 12, names: MONTH_NAMES, namesStart: 1 },
	// 7 is Sunday as well as 0 in UNIX cron.
	{ name: 'day of week', min: 0, max: 7, names: DAY_NAMES, namesStart: 0 },
];

/**
 * Checks an ISO-8601 duration such as PT6H and returns it upper-cased. Rejects an empty value,
 * `P` and `PT` with no number, negative or zero durations and plain words such as `1 day`.
 */
export function checkDuration(value: unknown, parameter: string): string {
	const text = String(value ?? '').trim();
	if (text === '') {
		throw new InvalidParameterError(
			parameter,
			`The '${parameter}' parameter is empty`,
			`Enter an ISO-8601 duration such as ${DURATION_EXAMPLES}.`,
		);
	}
	const upper = text.toUpperCase();
	if (CALENDAR_PARTS_PATTERN.test(upper)) {
		throw new InvalidParameterError(
			parameter,
			`The '${parameter}' parameter uses years, months or weeks, which Peaka does not read: '${text}'`,
			'Write the duration in days, hours, minutes and seconds, e.g. P30D for a month or P7D for a week.',
		);
	}
	const parts = DURATION_PATTERN.exec(upper)?.slice(1);
	const hasNumber = parts?.some((part) => part !== undefined);
	if (!parts || !hasNumber || upper.endsWith('T')) {
		throw new InvalidParameterError(
			parameter,
			`The '${parameter}' parameter is not an ISO-8601 duration: '${text}'`,
			`Enter a duration such as ${DURATION_EXAMPLES} (P starts it, T starts the hours, minutes and seconds). Peaka ignores a malformed schedule without an error.`,
		);
	}
	if (parts.every((part) => part === undefined || Number(part.replace(',', '.')) === 0)) {
		throw new InvalidParameterError(
			parameter,
			`The '${parameter}' parameter is a zero duration: '${text}'`,
			`Enter a duration longer than zero, such as ${DURATION_EXAMPLES}.`,
		);
	}
	return upper;
}

function cronValue(text: string, field: CronField): number | undefined {
	if (/^\d+$/.test(text)) return Number(text);
	const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
	return index >= 0 ? index + (field.namesStart ?? 0) : undefined;
}

/** Returns why one cron field is invalid, or undefined when it is valid. */
function cronFieldProblem(text: string, field: CronField): string | undefined {
	for (const element of text.split(',')) {
		const [range, step, extra] = element.split('/');
		if (extra !== undefined || range === '') return `'${element}' is not a valid ${field.name}`;
		if (step !== undefined && !/^[1-9]\d*$/.test(step)) {
			return `the step '/${step}' of the ${field.name} must be a whole number of at least 1`;
		}
		if (range === '*') continue;
		const bounds = range.split('-');
		if (bounds.length > 2) return `'${element}' is not a valid ${field.name}`;
		const values = bounds.map((bound) => cronValue(bound, field));
		for (let index = 0; index < values.length; index++) {
			const number = values[index];
			if (number === undefined) return `'${bounds[index]}' is not a valid ${field.name}`;
			if (number < field.min || number > field.max) {
				return `the ${field.name} ${bounds[index]} is outside ${field.min}-${field.max}`;
			}
		}
		if (values.length === 2 && (values[0] as number) > (values[1] as number)) {
			return `the ${field.name} range ${range} runs backwards`;
		}
	}
	return undefined;
}

/**
 * Checks a five-field UNIX cron expression (minute, hour, day of month, month, day of week) and
 * returns it with its fields separated by single spaces. A six-field expression with seconds, as
 * Quartz and Spring take, is rejected because Peaka takes five fields.
 */
export function checkCron(value: unknown, parameter: string): string {
	const text = String(value ?? '').trim();
	const example = "e.g. '0 2 * * *' for 02:00 every day";
	if (text === '') {
		throw new InvalidParameterError(
			parameter,
			`The '${parameter}' parameter is empty`,
			`Enter a cron expression with five fields (minute hour day-of-month month day-of-week), ${example}.`,
		);
	}
	const fields = text.split(/\s+/);
	if (fields.length !== CRON_FIELD_COUNT) {
		const seconds = fields.length === CRON_FIELD_COUNT + 1 ? ' Remove the seconds field: Peaka takes five fields, without seconds.' : '';
		throw new InvalidParameterError(
			parameter,
			`The '${parameter}' parameter has ${fields.length} fields, but Peaka takes five: '${text}'`,
			`Write minute hour day-of-month month day-of-week, ${example}.${seconds}`,
		);
	}
	for (let index = 0; index < CRON_FIELD_COUNT; index++) {
		const problem = cronFieldProblem(fields[index], CRON_FIELDS[index]);
		if (problem) {
			throw new InvalidParameterError(
				parameter,
				`The '${parameter}' parameter is not a valid cron expression: ${problem} in '${text}'`,
				`Write minute hour day-of-month month day-of-week with numbers, *, ranges (1-5), lists (1,15) and steps (*/15), ${example}.`,
			);
		}
	}
	return fields.join(' ');
}

/**
 * Checks an IANA time zone name such as Europe/Istanbul and returns the name as ICU spells it
 * ('utc' becomes 'UTC'). UTC offsets such as +03:00 are rejected: Peaka documents IANA names.
 */
export function checkTimeZone(value: unknown, parameter: string): string {
	const text = String(value ?? '').trim();
	const fix = 'Enter an IANA time zone name such as UTC, Europe/Istanbul or America/New_York.';
	if (text === '') {
		throw new InvalidParameterError(parameter, `The '${parameter}' parameter is empty`, fix);
	}
	let resolved: string | undefined;
	if (!/^[+-]|^\d/.test(text)) {
		try {
			resolved = new Intl.DateTimeFormat('en-US', { timeZone: text }).resolvedOptions().timeZone;
		} catch {
			resolved = undefined;
		}
	}
	if (!resolved) {
		throw new InvalidParameterError(parameter, `The '${parameter}' parameter is not a known time zone: '${text}'`, fix);
	}
	return resolved;
}
