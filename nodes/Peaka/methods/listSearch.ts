import {
	type IDataObject,
	type ILoadOptionsFunctions,
	type INodeListSearchItems,
	type INodeListSearchResult,
	type JsonObject,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import { parseThreadList } from '../actions/aiAgent/agent-response';
import { unwrapList } from '../actions/parameters';
import { peakaApiRequest } from '../transport';

interface KeyInfo {
	projectId?: string;
	projectName?: string;
}

function matches(filter: string | undefined, ...texts: unknown[]): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return texts.some((text) => typeof text === 'string' && text.toLowerCase().includes(needle));
}

function httpStatus(error: unknown): number | undefined {
	return error instanceof NodeApiError && error.httpCode ? Number(error.httpCode) : undefined;
}

/**
 * Lists projects for the Project picker. GET /info (undocumented, read by Peaka's own
 * clients) names a project key's own project, which comes first. Only a partner key may list
 * the account's projects, which takes a walk over organizations, workspaces and projects.
 */
export async function searchProjects(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	let info: KeyInfo | undefined;
	try {
		info = (await peakaApiRequest.call(this, { method: 'GET', path: '/info' })) as KeyInfo;
	} catch (error) {
		// A Peaka without /info still lets a partner key list projects below.
		if (httpStatus(error) !== 404) throw new NodeApiError(this.getNode(), error as JsonObject);
	}

	const results: INodeListSearchItems[] = [];
	if (info?.projectId) {
		if (matches(filter, info.projectName, info.projectId)) {
			results.push({ name: `${info.projectName ?? info.projectId} (this key's project)`, value: info.projectId });
		}
		// A project key reaches no other project, so there is nothing more to list.
		return { results };
	}

	try {
		const organizations = unwrapList(await peakaApiRequest.call(this, { method: 'GET', path: '/organizations' })) as IDataObject[];
		for (const organization of organizations) {
			const organizationId = encodeURIComponent(String(organization.id));
			const workspaces = unwrapList(
				await peakaApiRequest.call(this, { method: 'GET', path: `/organizations/${organizationId}/workspaces` }),
			) as IDataObject[];
			for (const workspace of workspaces) {
				const projects = unwrapList(
					await peakaApiRequest.call(this, {
						method: 'GET',
						path: `/organizations/${organizationId}/workspaces/${encodeURIComponent(String(workspace.id))}/projects`,
					}),
				) as IDataObject[];
				for (const project of projects) {
					if (matches(filter, project.name, project.id, workspace.name)) {
						results.push({
							name: `${String(project.name ?? project.id)} (${String(workspace.name ?? 'workspace')})`,
							value: String(project.id),
						});
					}
				}
			}
		}
	} catch (error) {
		if (httpStatus(error) === 403) {
			throw new NodeOperationError(this.getNode(), 'This API key cannot list projects', {
				description:
					"Listing projects needs a partner key, and this Peaka did not say which project the key belongs to. Switch Project to 'ID' and enter the project ID from the project's URL in Peaka Studio.",
			});
		}
		throw new NodeApiError(this.getNode(), error as JsonObject);
	}
	results.sort((left, right) => left.name.localeCompare(right.name));
	return { results };
}

/** Lists the saved queries of the project chosen in the Project parameter. */
export async function searchSavedQueries(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const projectId = this.getCurrentNodeParameter('project', { extractValue: true }) as string | undefined;
	if (!projectId) {
		throw new NodeOperationError(this.getNode(), 'Choose a project first', {
			description: 'Saved queries are listed per project: pick the Project above, then open this list again.',
		});
	}
	const queries = unwrapList(
		await peakaApiRequest.call(this, { method: 'GET', path: `/data/projects/${encodeURIComponent(projectId)}/queries` }),
	) as IDataObject[];
	const results = queries
		.filter((query) => matches(filter, query.displayName, query.name, query.id))
		.map((query) => ({
			name: String(query.displayName ?? query.name ?? query.id),
			value: String(query.id),
			description: typeof query.name === 'string' ? `"peaka"."query"."${query.name}"` : undefined,
		}));
	results.sort((left, right) => left.name.localeCompare(right.name));
	return { results };
}

/** Runs an account listing for a picker, turning Peaka's 403 for project keys into advice. */
async function listAccount(context: ILoadOptionsFunctions, path: string, what: string): Promise<IDataObject[]> {
	try {
		return unwrapList(await peakaApiRequest.call(context, { method: 'GET', path })) as IDataObject[];
	} catch (error) {
		if (httpStatus(error) === 403) {
			throw new NodeOperationError(context.getNode(), `This API key cannot list ${what}`, {
				description: `Only a partner key may list ${what}. Switch the picker to 'ID' and enter the ID, or use a credential with a partner key.`,
			});
		}
		throw new NodeApiError(context.getNode(), error as JsonObject);
	}
}

function currentLocatorValue(context: ILoadOptionsFunctions, name: string, label: string): string {
	const value = context.getCurrentNodeParameter(name, { extractValue: true }) as string | undefined;
	if (!value) {
		throw new NodeOperationError(context.getNode(), `Choose ${label} first`, {
			description: `This list depends on the ${label} above: pick it, then open this list again.`,
		});
	}
	return String(value);
}

function toListResults(entries: IDataObject[], filter: string | undefined, describe?: (entry: IDataObject) => string | undefined): INodeListSearchResult {
	const results = entries
		.filter((entry) => matches(filter, entry.name, entry.id, entry.path))
		.map((entry) => ({ name: String(entry.name ?? entry.id), value: String(entry.id), description: describe?.(entry) }));
	results.sort((left, right) => left.name.localeCompare(right.name));
	return { results };
}

/** Lists the organizations of the account (partner keys only). */
export async function searchOrganizations(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return toListResults(await listAccount(this, '/organizations', 'organizations'), filter);
}

/** Lists the workspaces of the organization chosen in the Organization parameter. */
export async function searchWorkspaces(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const organizationId = currentLocatorValue(this, 'organization', 'an organization');
	return toListResults(
		await listAccount(this, `/organizations/${encodeURIComponent(organizationId)}/workspaces`, 'workspaces'),
		filter,
	);
}

/** Lists the projects of the workspace chosen in the Workspace parameter. */
export async function searchWorkspaceProjects(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const organizationId = currentLocatorValue(this, 'organization', 'an organization');
	const workspaceId = currentLocatorValue(this, 'workspace', 'a workspace');
	const path = `/organizations/${encodeURIComponent(organizationId)}/workspaces/${encodeURIComponent(workspaceId)}/projects`;
	return toListResults(await listAccount(this, path, 'projects'), filter);
}

/** Lists the query folders of the project chosen in the Project parameter, by path. */
export async function searchQueryFolders(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const projectId = currentLocatorValue(this, 'project', 'a project');
	const folders = unwrapList(
		await peakaApiRequest.call(this, { method: 'GET', path: `/data/projects/${encodeURIComponent(projectId)}/queries/folders` }),
	) as IDataObject[];
	const results = folders
		.filter((folder) => matches(filter, folder.name, folder.path, folder.id))
		.map((folder) => ({ name: String(folder.path ?? folder.name ?? folder.id), value: String(folder.id) }));
	results.sort((left, right) => left.name.localeCompare(right.name));
	return { results };
}

/** Lists the catalogs of the project chosen in the Project parameter. */
export async function searchCatalogs(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const projectId = currentLocatorValue(this, 'project', 'a project');
	const catalogs = unwrapList(
		await peakaApiRequest.call(this, { method: 'GET', path: `/data/projects/${encodeURIComponent(projectId)}/catalogs` }),
	) as IDataObject[];
	const results = catalogs
		.filter((catalog) => matches(filter, catalog.displayName, catalog.name, catalog.id))
		.map((catalog) => ({
			name: String(catalog.displayName ?? catalog.name ?? catalog.id),
			value: String(catalog.id),
			// Both built-in catalogs are named peaka in SQL; the type distinguishes them.
			description: [catalog.name, catalog.catalogType].filter((part) => typeof part === 'string').join(' · ') || undefined,
		}));
	results.sort((left, right) => left.name.localeCompare(right.name));
	return { results };
}

/** Lists the schemas of the catalog chosen in the Catalog parameter. */
export async function searchSchemas(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const projectId = currentLocatorValue(this, 'project', 'a project');
	const catalogId = currentLocatorValue(this, 'catalog', 'a catalog');
	const schemas = unwrapList(
		await peakaApiRequest.call(this, {
			method: 'GET',
			path: `/data/projects/${encodeURIComponent(projectId)}/catalogs/${encodeURIComponent(catalogId)}/schemas`,
		}),
	) as IDataObject[];
	const results = schemas
		.filter((schema) => matches(filter, schema.schemaName))
		.map((schema) => ({ name: String(schema.schemaName), value: String(schema.schemaName) }));
	results.sort((left, right) => left.name.localeCompare(right.name));
	return { results };
}

/** Lists the tables of the schema chosen in the Schema parameter. */
export async function searchTables(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const projectId = currentLocatorValue(this, 'project', 'a project');
	const catalogId = currentLocatorValue(this, 'catalog', 'a catalog');
	const schemaName = currentLocatorValue(this, 'schema', 'a schema');
	const tables = unwrapList(
		await peakaApiRequest.call(this, {
			method: 'GET',
			path: `/data/projects/${encodeURIComponent(projectId)}/catalogs/${encodeURIComponent(catalogId)}/schemas/${encodeURIComponent(schemaName)}/tables`,
		}),
	) as IDataObject[];
	const results = tables
		.filter((table) => matches(filter, table.tableName))
		.map((table) => ({
			name: String(table.tableName),
			value: String(table.tableName),
			description: table.isCached === true ? 'cached' : undefined,
		}));
	results.sort((left, right) => left.name.localeCompare(right.name));
	return { results };
}

/** Lists the Peaka Tables or BI Tables of the project, following the Table Kind parameter. */
export async function searchInternalTables(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const projectId = currentLocatorValue(this, 'project', 'a project');
	const kind = (this.getCurrentNodeParameter('tableKind') as string | undefined) === 'bitable' ? 'bitable' : 'table';
	const tables = unwrapList(
		await peakaApiRequest.call(this, { method: 'GET', path: `/data/projects/${encodeURIComponent(projectId)}/${kind}` }),
	) as IDataObject[];
	const results = tables
		.filter((table) => matches(filter, table.tableName))
		.map((table) => ({ name: String(table.tableName), value: String(table.tableName) }));
	results.sort((left, right) => left.name.localeCompare(right.name));
	return { results };
}

/** Lists the connections of the project chosen in the Project parameter. */
export async function searchConnections(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const projectId = currentLocatorValue(this, 'project', 'a project');
	const connections = unwrapList(
		await peakaApiRequest.call(this, { method: 'GET', path: `/connections/${encodeURIComponent(projectId)}` }),
	) as IDataObject[];
	return toListResults(connections, filter, (connection) => (typeof connection.type === 'string' ? connection.type : undefined));
}

/** Lists the connector types of Peaka's connector catalogue (GET /connections/config). */
export async function searchConnectionTypes(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const types = unwrapList(await peakaApiRequest.call(this, { method: 'GET', path: '/connections/config' })) as IDataObject[];
	const results = types
		.filter((type) => matches(filter, type.connectionType, type.connectionTypeLabel, type.name, type.category))
		.map((type) => ({
			name: String(type.connectionTypeLabel ?? type.name ?? type.connectionType),
			value: String(type.connectionType),
			description: [type.connectionType, type.authorizationType].filter((part) => typeof part === 'string').join(' · ') || undefined,
		}));
	results.sort((left, right) => left.name.localeCompare(right.name));
	return { results };
}

/** Lists the AI agent's threads in the project chosen in the Project parameter. */
export async function searchAgentThreads(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const projectId = currentLocatorValue(this, 'project', 'a project');
	const threads = parseThreadList(
		await peakaApiRequest.call(this, { method: 'GET', path: `/ai-agent/${encodeURIComponent(projectId)}/threads` }),
	);
	const results = threads
		.map((thread) => ({ id: String(thread.threadId ?? thread.id ?? ''), name: thread.displayName ?? thread.name }))
		.filter((thread) => thread.id !== '' && matches(filter, thread.name, thread.id))
		.map((thread) => ({ name: String(thread.name ?? thread.id), value: thread.id }));
	results.sort((left, right) => left.name.localeCompare(right.name));
	return { results };
}

/** Lists the caches of the project, named by their table, for the Cache picker. */
export async function searchCaches(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const projectId = currentLocatorValue(this, 'project', 'a project');
	const statuses = unwrapList(
		await peakaApiRequest.call(this, { method: 'GET', path: `/data/projects/${encodeURIComponent(projectId)}/cache/status` }),
	) as IDataObject[];
	const results = statuses
		.filter((status) => matches(filter, status.tableName, status.schemaName, status.id))
		.map((status) => ({
			name: `${String(status.schemaName ?? '')}.${String(status.tableName ?? status.id)}`,
			value: String(status.id),
			description: [`catalog ${String(status.catalogId)}`, typeof status.status === 'string' ? status.status : undefined]
				.filter((part) => part !== undefined)
				.join(' · '),
		}));
	results.sort((left, right) => left.name.localeCompare(right.name));
	return { results };
}

/** Lists the saved queries of type MATERIALIZED of the project. */
export async function searchMaterializedQueries(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const projectId = currentLocatorValue(this, 'project', 'a project');
	const queries = unwrapList(
		await peakaApiRequest.call(this, { method: 'GET', path: `/data/projects/${encodeURIComponent(projectId)}/queries` }),
	) as IDataObject[];
	const results = queries
		.filter((query) => query.queryType === 'MATERIALIZED' && matches(filter, query.displayName, query.name, query.id))
		.map((query) => ({ name: String(query.displayName ?? query.name ?? query.id), value: String(query.id), description: String(query.name ?? '') }));
	results.sort((left, right) => left.name.localeCompare(right.name));
	return { results };
}
