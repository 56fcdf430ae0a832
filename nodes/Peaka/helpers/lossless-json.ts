/**
 * JSON parsing that never rounds a number.
 *
 * JSON.parse turns every number into an IEEE-754 double, so 9007199254740993 becomes
 * 9007199254740992 and a DECIMAL(38,10) loses its tail. Peaka sends cell values as
 * strings, but JSON columns, structures and other endpoints can carry bare numbers.
 * Numbers that a double cannot hold exactly are kept as their text; all others become
 * numbers. Text without such a number takes the native JSON.parse path.
 */

// A number token of 16 or more characters right after a structural character.
// A match inside a string literal only costs the slower exact parse.
const LONG_NUMBER_TOKEN = /[:,[]\s*-?\d[\d.eE+-]{15,}/;

const MAX_EXACT_SIGNIFICANT_DIGITS = 15;

export function parseJsonLossless(text: string): unknown {
	if (!LONG_NUMBER_TOKEN.test(text) && !/^\s*-?\d[\d.eE+-]{15,}/.test(text)) {
		return JSON.parse(text);
	}
	return new LosslessParser(text).parseDocument();
}

/** Converts a JSON number token to a number, or keeps its text when a double would change it. */
export function numberFromToken(token: string): number | string {
	const isInteger = !/[.eE]/.test(token);
	if (isInteger) {
		const value = Number(token);
		return Number.isSafeInteger(value) ? value : token;
	}
	const mantissa = token.replace(/^-/, '').split(/[eE]/)[0].replace('.', '');
	const significantDigits = mantissa.replace(/^0+/, '').replace(/0+$/, '').length;
	return significantDigits > MAX_EXACT_SIGNIFICANT_DIGITS ? token : Number(token);
}

class LosslessParser {
	private position = 0;

	constructor(private readonly text: string) {}

	parseDocument(): unknown {
		const value = this.parseValue();
		this.skipWhitespace();
		if (this.position < this.text.length) {
			this.fail('Unexpected text after the JSON value');
		}
		return value;
	}

	private parseValue(): unknown {
		this.skipWhitespace();
		const char = this.text[this.position];
		if (char === '{') return this.parseObject();
		if (char === '[') return this.parseArray();
		if (char === '"') return this.parseString();
		if (char === '-' || (char >= '0' && char <= '9')) return this.parseNumber();
		if (this.text.startsWith('true', this.position)) {
			this.position += 4;
			return true;
		}
		if (this.text.startsWith('false', this.position)) {
			this.position += 5;
			return false;
		}
		if (this.text.startsWith('null', this.position)) {
			this.position += 4;
			return null;
		}
		return this.fail('Unexpected token');
	}

	private parseObject(): Record<string, unknown> {
		const result: Record<string, unknown> = {};
		this.position++;
		this.skipWhitespace();
		if (this.text[this.position] === '}') {
			this.position++;
			return result;
		}
		for (;;) {
			this.skipWhitespace();
			if (this.text[this.position] !== '"') this.fail('Expected a property name');
			const key = this.parseString();
			this.skipWhitespace();
			if (this.text[this.position] !== ':') this.fail("Expected ':'");
			this.position++;
			result[key] = this.parseValue();
			this.skipWhitespace();
			const separator = this.text[this.position++];
			if (separator === '}') return result;
			if (separator !== ',') this.fail("Expected ',' or '}'");
		}
	}

	private parseArray(): unknown[] {
		const result: unknown[] = [];
		this.position++;
		this.skipWhitespace();
		if (this.text[this.position] === ']') {
			this.position++;
			return result;
		}
		for (;;) {
			result.push(this.parseValue());
			this.skipWhitespace();
			const separator = this.text[this.position++];
			if (separator === ']') return result;
			if (separator !== ',') this.fail("Expected ',' or ']'");
		}
	}

	private parseString(): string {
		const start = this.position;
		let end = start + 1;
		let hasEscape = false;
		while (end < this.text.length && this.text[end] !== '"') {
			if (this.text[end] === '\\') {
				hasEscape = true;
				end++;
			}
			end++;
		}
		if (end >= this.text.length) this.fail('Unterminated string');
		this.position = end + 1;
		const literal = this.text.slice(start, end + 1);
		return hasEscape ? (JSON.parse(literal) as string) : literal.slice(1, -1);
	}

	private parseNumber(): number | string {
		const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(
			this.text.slice(this.position, this.position + 400),
		);
		if (!match) return this.fail('Invalid number');
		this.position += match[0].length;
		return numberFromToken(match[0]);
	}

	private skipWhitespace(): void {
		while (this.position < this.text.length) {
			const char = this.text.charCodeAt(this.position);
			if (char !== 0x20 && char !== 0x0a && char !== 0x0d && char !== 0x09) return;
			this.position++;
		}
	}

	private fail(reason: string): never {
		throw new SyntaxError(`${reason} in JSON at position ${this.position}`);
	}
}
