import { type IDataObject, type IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

import { peakaApiRequest } from '../transport';
import type { FailureDescriber } from '../transport/errors';
import { getLocatorValue } from './parameters';

/** Path segments are encoded, so an ID typed by hand cannot reach another route. */
const segment = (value: string) => encodeURIComponent(value);

export function organizationPath(organizationId?: string): string {
	return organizationId === undefined ? '/organizations' : `/organizations/${segment(organizationId)}`;
}

export function workspacePath(organizationId: string, workspaceId?: string): string {
	const base = `${organizationPath(organizationId)}/workspaces`;
	return workspaceId === undefined ? base : `${base}/${segment(workspaceId)}`;
}

export function workspaceProjectPath(organizationId: string, workspaceId: string, projectId?: string): string {
	const base = `${workspacePath(organizationId, workspaceId)}/projects`;
	return projectId === undefined ? base : `${base}/${segment(projectId)}`;
}

export function apiKeyPath(projectId: string, apiKeyId?: string): string {
	const base = `/projects/${segment(projectId)}/apiKeys`;
	return apiKeyId === undefined ? base : `${base}/${segment(apiKeyId)}`;
}

export function queryFolderPath(projectId: string, folderId?: string): string {
	const base = `/data/projects/${segment(projectId)}/queries/folders`;
	return folderId === undefined ? base : `${base}/${segment(folderId)}`;
}

export function getOrganizationId(context: IExecuteFunctions, itemIndex: number): string {
	return getLocatorValue(context, 'organization', 'Organization', itemIndex);
}

export function getWorkspaceId(context: IExecuteFunctions, itemIndex: number): string {
	return getLocatorValue(context, 'workspace', 'Workspace', itemIndex);
}

/**
 * Rewords a 403 from the partner-only groups (organizations, workspaces, projects, project API
 * keys): Peaka refuses project keys there, and its own message does not say which key is needed.
 * @param action what the operation does, e.g. 'Creating a workspace'
 */
export function describePartnerOnly(action: string): FailureDescriber {
	return (failure) => {
		if (failure.status !== 403) return undefined;
		return {
			message: `${action} needs a partner API key`,
			description: `Peaka answered 403: only a partner key (Peaka Studio → Developer) may manage organizations, workspaces, projects and project API keys, and a project key reaches only its own project's data. Use a Peaka credential with a partner key. Peaka said: ${failure.peakaMessage || 'HTTP 403'}`,
		};
	};
}

/** Peaka object bodies pass through as items; anything else becomes an empty item. */
export function asObject(body: unknown): IDataObject {
	return body && typeof body === 'object' && !Array.isArray(body) ? (body as IDataObject) : {};
}

/**
 * Updates the name and description of a workspace or project. Peaka's request schema
 * requires the name and does not document whether PUT replaces or merges, so both fields
 * are sent, the unchanged one taken from a fresh read.
 */
export async function updateNameAndDescription(
	context: IExecuteFunctions,
	itemIndex: number,
	path: string,
	describeFailure: FailureDescriber,
): Promise<IDataObject> {
	const updateFields = context.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const changes: IDataObject = {};
	if (typeof updateFields.name === 'string' && updateFields.name.trim() !== '') changes.name = updateFields.name.trim();
	if (typeof updateFields.description === 'string') changes.description = updateFields.description;
	if (Object.keys(changes).length === 0) {
		throw new NodeOperationError(context.getNode(), "'Update Fields' has nothing to change", {
			description: 'Add Name (non-empty) or Description.',
			itemIndex,
		});
	}

	const current = asObject(await peakaApiRequest.call(context, { method: 'GET', path, describeFailure, itemIndex }));
	const body: IDataObject = { name: current.name ?? '', description: current.description ?? '', ...changes };

	const updated = await peakaApiRequest.call(context, {
		method: 'PUT',
		path,
		body,
		idempotent: true,
		describeFailure,
		itemIndex,
	});
	return asObject(updated);
}
