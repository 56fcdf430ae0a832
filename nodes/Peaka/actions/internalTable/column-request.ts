import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/** Column settings that live Peaka accepted with 200 and then stored as false. */
export const FLAGS_NOT_KEPT_HINT =
	'Peaka accepted the Unique and Not Null settings, but live Peaka was seen storing both as false and not enforcing them.';

/** Builds a ColumnRequest body. Peaka needs the whole definition, also on update. */
export function columnRequest(fields: IDataObject): IDataObject {
	const name = String(fields.name ?? '').trim();
	const displayName = String(fields.displayName ?? '').trim();
	const defaultValue = String(fields.defaultValue ?? '');
	return {
		name,
		dataType: fields.dataType,
		displayName: displayName === '' ? name : displayName,
		defaultValue: defaultValue === '' ? null : defaultValue,
		isNotNull: fields.isNotNull === true,
		isUnique: fields.isUnique === true,
	};
}

/** Shows the hint about Unique and Not Null once per execution. */
export function addFlagsHint(context: IExecuteFunctions, requests: IDataObject[]): void {
	if (!requests.some((request) => request.isNotNull === true || request.isUnique === true)) return;
	if (HINTED.has(context)) return;
	HINTED.add(context);
	context.addExecutionHints({ message: FLAGS_NOT_KEPT_HINT, location: 'outputPane' });
}

const HINTED = new WeakSet<IExecuteFunctions>();
