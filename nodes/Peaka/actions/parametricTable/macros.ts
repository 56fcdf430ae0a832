/**
 * Peaka's relative-date macros for parametric table values: `@<anchor>` followed by any number of
 * offsets `(+|-)<n><unit>`, e.g. `@today-7d`, `@som-1M`, `@now-24h`. Weeks start on Monday.
 */
export const MACRO_ANCHORS = ['today', 'yesterday', 'now', 'sow', 'eow', 'som', 'eom', 'soq', 'eoq', 'soy', 'eoy'];

/** Offset units; case matters: `M` is month and `m` is minute. */
export const MACRO_UNITS: Record<string, string> = {
	d: 'day',
	w: 'week',
	M: 'month',
	q: 'quarter',
	y: 'year',
	h: 'hour',
	m: 'minute',
};

const MACRO_PATTERN = new RegExp(`^@(?:${MACRO_ANCHORS.join('|')})(?:[+-]\\d+[${Object.keys(MACRO_UNITS).join('')}])*$`);

export const MACRO_FORMS =
	'A macro is @<anchor> with optional offsets (+|-)<n><unit>. Anchors: ' +
	MACRO_ANCHORS.map((anchor) => `@${anchor}`).join(', ') +
	'. Units: ' +
	Object.entries(MACRO_UNITS)
		.map(([unit, name]) => `${unit} (${name})`)
		.join(', ') +
	'. Examples: @today-7d, @som-1M, @now-24h.';

/** Whether the text is meant as a macro: Peaka reads every value that starts with @ as one. */
export function looksLikeMacro(text: string): boolean {
	return text.startsWith('@');
}

export function isValidMacro(text: string): boolean {
	return MACRO_PATTERN.test(text);
}
