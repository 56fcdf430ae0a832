/**
 * CSV writing as RFC 4180 describes it: fields separated by commas, records by CRLF, and a field
 * quoted when it contains a comma, a double quote, CR or LF, with inner quotes doubled. A field
 * with leading or trailing spaces is quoted too, so that no reader trims it.
 */

const RECORD_SEPARATOR = '\r\n';
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** Encodes one field; null and undefined become an empty, unquoted field. */
export function encodeCsvField(value: string | null | undefined): string {
	if (value === null || value === undefined) return '';
	if (!NEEDS_QUOTES.test(value)) return value;
	return `"${value.replace(/"/g, '""')}"`;
}

/** Encodes one record, without the record separator. */
export function encodeCsvRecord(fields: ReadonlyArray<string | null | undefined>): string {
	return fields.map(encodeCsvField).join(',');
}

/** Builds a whole CSV text: an optional header record, then one record per row, each ended by CRLF. */
export function buildCsv(header: readonly string[] | undefined, rows: ReadonlyArray<ReadonlyArray<string | null>>): string {
	const parts: string[] = [];
	if (header) parts.push(encodeCsvRecord(header) + RECORD_SEPARATOR);
	for (const row of rows) parts.push(encodeCsvRecord(row) + RECORD_SEPARATOR);
	return parts.join('');
}

/**
 * Reads the first record of a CSV text (the header), honouring quotes, so a quoted field may hold
 * commas or line breaks. Returns an empty list for an empty text.
 */
export function readCsvHeader(text: string): string[] {
	const fields: string[] = [];
	let field = '';
	let quoted = false;
	let index = text.charCodeAt(0) === 0xfeff ? 1 : 0;
	if (text.length <= index) return [];
	for (; index < text.length; index++) {
		const char = text[index];
		if (quoted) {
			if (char === '"' && text[index + 1] === '"') {
				field += '"';
				index++;
			} else if (char === '"') quoted = false;
			else field += char;
		} else if (char === '"') quoted = true;
		else if (char === ',') {
			fields.push(field);
			field = '';
		} else if (char === '\r' || char === '\n') break;
		else field += char;
	}
	fields.push(field);
	return fields;
}
