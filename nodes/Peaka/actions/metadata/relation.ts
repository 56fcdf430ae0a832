import type { INodeProperties } from 'n8n-workflow';

/** Relation kinds Peaka's own clients send; the spec types the field as free text. */
export const relationTypeProperty: INodeProperties = {
	displayName: 'Type',
	name: 'relationType',
	type: 'options',
	options: [
		{ name: 'Many to One', value: 'MANY_TO_ONE', description: 'Many rows of this table point to one row of the target' },
		{ name: 'One to Many', value: 'ONE_TO_MANY', description: 'One row of this table has many rows in the target' },
		{ name: 'One to One', value: 'ONE_TO_ONE' },
	],
	default: 'MANY_TO_ONE',
};

export const relationIdProperty: INodeProperties = {
	displayName: 'Relation ID',
	name: 'relationId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 0f4c2a8e-5b1d-4e7f-9a3c-2d6e8f1a0b4c',
	description: 'The ID of a relation of the table, as Get Relations lists it',
};
