import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
	updateDisplayOptions,
} from 'n8n-workflow';

import { peakaApiRequest } from '../../transport';
import { catalogLocator, schemaLocator, tableLocator } from '../catalog.descriptions';
import { projectLocator } from '../common.descriptions';
import { getLocatorValue, getRequiredText } from '../parameters';
import { isValidMacro, looksLikeMacro, MACRO_FORMS } from './macros';
import { describeMissingCatalog, getParametricTarget, parametricTablesPath } from './parametricTable';

const PARAMETER_VALUES = 'Parameter Values';

type ValueType = 'text' | 'number' | 'boolean';

interface ParameterValueEntry {
	key?: string;
	value?: string | number | boolean;
	valueType?: ValueType;
}

export const targetSchemaProperty: INodeProperties = {
	displayName: 'Target Schema',
	name: 'targetSchema',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. public',
};

export const targetTableProperty: INodeProperties = {
	displayName: 'Target Table',
	name: 'targetTable',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. acme_customers',
};

const properties: INodeProperties[] = [
	projectLocator,
	{ ...catalogLocator, description: 'The catalog of the source table; the parametric table is created in it too' },
	{ ...schemaLocator, displayName: 'Source Schema', description: 'The schema of the source table' },
	{
		...tableLocator,
		displayName: 'Source Table',
		description: 'The table whose query parameters (its _q_ columns) get fixed values',
	},
	{ ...targetSchemaProperty, description: 'The schema of the new table' },
	{ ...targetTableProperty, description: 'The name of the new table, which SQL reads without passing the parameters' },
	{
		displayName: 'Parameter Values',
		name: 'parameterValues',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Parameter Value',
		default: {},
		description:
			'The columns to fix and their values. Dates and timestamps take relative macros that Peaka re-evaluates on every query, e.g. @today-7d or @som-1M.',
		options: [
			{
				displayName: 'Value',
				name: 'values',
				values: [
					{
						displayName: 'Column',
						name: 'key',
						type: 'string',
						default: '',
						placeholder: 'e.g. _q_account',
						description: 'The parameter column of the source table',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. @today-7d',
						description: 'The fixed value. A value that starts with @ is a relative date macro.',
					},
					{
						displayName: 'Value Type',
						name: 'valueType',
						type: 'options',
						default: 'text',
						description: 'The JSON type Peaka receives the value as',
						options: [
							{ name: 'Boolean', value: 'boolean' },
							{ name: 'Number', value: 'number' },
							{ name: 'Text', value: 'text' },
						],
					},
				],
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['parametricTable'], operation: ['create'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const target = getParametricTarget(this, itemIndex);
	const fromSchema = getLocatorValue(this, 'schema', 'Source Schema', itemIndex);
	const fromTable = getLocatorValue(this, 'table', 'Source Table', itemIndex);
	const toSchema = getRequiredText(this, 'targetSchema', 'Target Schema', 'Enter the schema of the new table, e.g. public.', itemIndex);
	const toTable = getRequiredText(this, 'targetTable', 'Target Table', 'Enter a name for the new table, e.g. acme_customers.', itemIndex);
	const paramValues = readParameterValues(this, itemIndex);

	const body: IDataObject = { fromSchema, fromTable, toSchema, toTable, paramValues };
	const describeMissing = describeMissingCatalog(target);
	const created = await peakaApiRequest.call(this, {
		method: 'POST',
		path: parametricTablesPath(target.projectId, target.catalogId),
		body,
		describeFailure: (failure) => {
			if (failure.status === 400 && /already exists/i.test(failure.peakaMessage)) {
				return {
					message: `Table '${toSchema}.${toTable}' already exists in catalog '${target.catalogId}'`,
					description: `Choose another Target Table, or delete the existing parametric table first. Peaka's message: ${failure.peakaMessage}`,
				};
			}
			return describeMissing(failure);
		},
		itemIndex,
	});
	return [{ json: (created as IDataObject) ?? body, pairedItem: { item: itemIndex } }];
}

/** Reads Parameter Values, typed and with macros checked, failing before anything is sent. */
function readParameterValues(context: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const collection = context.getNodeParameter('parameterValues', itemIndex, {}) as { values?: ParameterValueEntry[] };
	const entries = collection.values ?? [];
	const fail = (message: string, description: string): never => {
		throw new NodeOperationError(context.getNode(), message, { description, itemIndex });
	};
	if (entries.length === 0) {
		fail(`The '${PARAMETER_VALUES}' parameter is empty`, 'Add at least one column with its value, e.g. _q_account = acme-corp.');
	}

	const seen = new Set<string>();
	return entries.map((entry, index) => {
		const key = String(entry.key ?? '').trim();
		if (key === '') fail(`Column ${index + 1} of '${PARAMETER_VALUES}' has no name`, 'Enter the parameter column, e.g. _q_account.');
		if (seen.has(key)) fail(`Column '${key}' appears twice in '${PARAMETER_VALUES}'`, 'Give each column one value.');
		seen.add(key);

		const raw = entry.value ?? '';
		const valueType = entry.valueType ?? 'text';
		if (valueType === 'number') {
			const number = typeof raw === 'number' ? raw : Number(String(raw).trim());
			if (String(raw).trim() === '' || !Number.isFinite(number)) {
				fail(`Value '${raw}' of column '${key}' in '${PARAMETER_VALUES}' is not a number`, 'Enter digits such as 2024, or set Value Type to Text.');
			}
			return { key, value: number };
		}
		if (valueType === 'boolean') {
			const text = String(raw).trim().toLowerCase();
			if (text !== 'true' && text !== 'false') {
				fail(`Value '${raw}' of column '${key}' in '${PARAMETER_VALUES}' is not true or false`, 'Enter true or false, or set Value Type to Text.');
			}
			return { key, value: text === 'true' };
		}
		const text = String(raw);
		if (looksLikeMacro(text) && !isValidMacro(text)) {
			fail(`Value '${text}' of column '${key}' in '${PARAMETER_VALUES}' is not a valid relative date macro`, MACRO_FORMS);
		}
		return { key, value: text };
	});
}
