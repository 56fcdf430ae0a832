/**
 * Every operation of Peaka's OpenAPI file must be reachable from n8n: operations-map.json names the
 * Peaka node operations that call it, or n8n's HTTP Request node with the reason. This file checks
 * the map against the spec, against the node's own description, and against README.md's
 * Operations table.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { Peaka } from '../../nodes/Peaka/Peaka.node';
import { isOpenApiRequired, locateOpenApi } from '../contract/openapi';

const HTTP_REQUEST_NODE = 'HTTP Request node with the Peaka credential';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');

type MapEntry = { nodeOperations: string[] } | { via: string; reason: string };

const map = JSON.parse(readFileSync(path.join(__dirname, 'operations-map.json'), 'utf8')) as {
	operations: Record<string, MapEntry>;
};

function nodeOperationsOf(entry: MapEntry): string[] {
	return 'nodeOperations' in entry ? entry.nodeOperations : [];
}

/** The node's operations as `resource:operation`, with their display names. */
function describedOperations(): Map<string, { resource: string; operation: string }> {
	const properties = new Peaka().description.properties as INodeProperties[];
	const resourceNames = new Map(
		((properties.find((property) => property.name === 'resource')?.options ?? []) as INodePropertyOptions[]).map((option) => [
			String(option.value),
			option.name,
		]),
	);
	const found = new Map<string, { resource: string; operation: string }>();
	for (const property of properties) {
		if (property.name !== 'operation') continue;
		for (const resource of (property.displayOptions?.show?.resource ?? []) as string[]) {
			for (const option of (property.options ?? []) as INodePropertyOptions[]) {
				found.set(`${resource}:${String(option.value)}`, {
					resource: resourceNames.get(resource) ?? `(unknown resource ${resource})`,
					operation: option.name,
				});
			}
		}
	}
	return found;
}

/** Rows of README.md's Operations table as `Resource / Operation`. */
function readmeOperations(): string[] {
	const readme = readFileSync(path.join(REPOSITORY_ROOT, 'README.md'), 'utf8');
	const section = readme.slice(readme.indexOf('\n## Operations'));
	const table = section.slice(section.indexOf('| Resource | Operation |'));
	const rows: string[] = [];
	for (const line of table.split('\n').slice(2)) {
		if (!line.startsWith('|')) break;
		const [resource, operation] = line.split('|').slice(1, 3).map((cell) => cell.trim());
		rows.push(`${resource} / ${operation}`);
	}
	return rows;
}

describe('operations map', () => {
	const mappedNodeOperations = [...new Set(Object.values(map.operations).flatMap(nodeOperationsOf))].sort();

	it('names real node operations', () => {
		const described = describedOperations();
		expect(mappedNodeOperations.filter((operation) => !described.has(operation))).toEqual([]);
	});

	it('maps every node operation', () => {
		expect([...describedOperations().keys()].sort()).toEqual(mappedNodeOperations);
	});

	it('gives a reason for every HTTP Request entry', () => {
		for (const [operation, entry] of Object.entries(map.operations)) {
			if ('nodeOperations' in entry) {
				expect({ operation, count: entry.nodeOperations.length > 0 }).toEqual({ operation, count: true });
			} else {
				expect({ operation, via: entry.via, reasonGiven: entry.reason.trim().length > 10 }).toEqual({
					operation,
					via: HTTP_REQUEST_NODE,
					reasonGiven: true,
				});
			}
		}
	});

	it('matches the README Operations table', () => {
		const described = describedOperations();
		const expected = mappedNodeOperations.map((operation) => {
			const names = described.get(operation);
			return `${names?.resource} / ${names?.operation}`;
		});
		expect(readmeOperations().sort()).toEqual(expected.sort());
	});

	const location = locateOpenApi();
	if (!location.found) {
		if (isOpenApiRequired()) {
			it('finds the OpenAPI file', () => {
				throw new Error(`Peaka's OpenAPI file was not found at ${location.path}; the operations map cannot be checked against it.`);
			});
		} else {
			// eslint-disable-next-line no-console
			console.warn(`OPERATIONS MAP NOT CHECKED against the spec: Peaka's OpenAPI file was not found at ${location.path}.`);
			it.skip('covers every operation of the OpenAPI file (file missing)', () => undefined);
		}
		return;
	}

	const spec = JSON.parse(readFileSync(location.path, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
	const specOperations = Object.entries(spec.paths)
		.flatMap(([template, item]) =>
			Object.keys(item)
				.filter((method) => HTTP_METHODS.includes(method))
				.map((method) => `${method.toUpperCase()} ${template}`),
		)
		.sort();

	it('covers every operation of the OpenAPI file', () => {
		expect(specOperations.filter((operation) => !(operation in map.operations))).toEqual([]);
	});

	it('maps no operation the OpenAPI file lacks', () => {
		expect(Object.keys(map.operations).filter((operation) => !specOperations.includes(operation))).toEqual([]);
	});

	it('has one entry per operation of the file', () => {
		expect(Object.keys(map.operations)).toHaveLength(specOperations.length);
	});
});
