import { isValidMacro, looksLikeMacro, MACRO_FORMS } from '../../nodes/Peaka/actions/parametricTable/macros';

describe('relative date macros', () => {
	it.each(['@today', '@yesterday', '@now', '@sow', '@eow', '@som', '@eom', '@soq', '@eoq', '@soy', '@eoy', '@today-7d', '@som-1M', '@eom-1M', '@now-24h', '@now-90m', '@soy+1y-1q', '@sow+2w+3d'])(
		'accepts %s',
		(macro) => {
			expect(isValidMacro(macro)).toBe(true);
		},
	);

	it.each(['@', '@Today', '@today-7D', '@today-7', '@today-d', '@tomorrow', '@now 24h', '@today -7d', '@today--7d', '@now+1s', 'today-7d', ' @today'])(
		'rejects %s',
		(macro) => {
			expect(isValidMacro(macro)).toBe(false);
		},
	);

	it('treats only a leading @ as a macro', () => {
		expect(looksLikeMacro('@today')).toBe(true);
		expect(looksLikeMacro('me@example.com')).toBe(false);
		expect(looksLikeMacro("date_trunc('month', current_date)")).toBe(false);
	});

	it('lists every anchor and unit in the advice', () => {
		expect(MACRO_FORMS).toBe(
			'A macro is @<anchor> with optional offsets (+|-)<n><unit>. Anchors: @today, @yesterday, @now, @sow, @eow, @som, @eom, @soq, @eoq, @soy, @eoy. Units: d (day), w (week), M (month), q (quarter), y (year), h (hour), m (minute). Examples: @today-7d, @som-1M, @now-24h.',
		);
	});
});
