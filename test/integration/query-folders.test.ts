import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { PeakaApi } from '../../credentials/PeakaApi.credentials';
import { Peaka } from '../../nodes/Peaka/Peaka.node';
import { listSearch, type RunNodeResult } from '../harness/n8n-runner';
import { BEHAVIOURS, credentialsFor, type Emulator, jsonOf, pairedItemsOf, projectParameter, runPeaka, startPeaka } from './support';

interface Folder {
	id: string;
	name: string;
	path: string;
	parentId: string | null;
}

interface FolderStore {
	listFolders(projectId: string): Folder[];
	getFolder(projectId: string, folderId: string): Folder | null;
	get(projectId: string, queryId: string): { folderId: string | null; path: string | null } | null;
	create(projectId: string, request: { displayName: string; inputQuery: string; path?: string }): Promise<{ id: string }>;
}

const locator = (value: string): INodeParameters => ({ __rl: true, mode: 'id', value });

describe.each(BEHAVIOURS)('Query Folder operations against the %s emulator', (behaviour) => {
	let emulator: Emulator;
	let store: FolderStore;

	beforeAll(async () => {
		emulator = await startPeaka(behaviour, { eventsRows: 20 });
		store = (emulator.engine as { savedQueries: FolderStore }).savedQueries;
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => emulator.faults.clearRequests());

	const folderOperation = (operation: string, extra: INodeParameters = {}): INodeParameters => ({
		resource: 'queryFolder',
		operation,
		project: projectParameter(emulator.projectId),
		...extra,
	});
	const ok = (result: RunNodeResult): IDataObject[] => {
		expect(result.error).toBeUndefined();
		return jsonOf(result.outputs[0]);
	};
	const folderByPath = (path: string) => store.listFolders(emulator.projectId).find((folder) => folder.path === path);

	it('creates, lists, reads and trees folders', async () => {
		const reports = ok(await runPeaka(emulator, folderOperation('create', { folderName: 'Reports', location: 'root' })))[0];
		expect(folderByPath('/Reports')?.id).toBe(reports.id);
		const monthly = ok(await runPeaka(emulator, folderOperation('create', {
			folderName: 'Monthly',
			location: 'folder',
			folder: locator(String(reports.id)),
		})))[0];
		expect(monthly).toMatchObject({ name: 'Monthly', path: '/Reports/Monthly', parentId: reports.id });
		const query = await store.create(emulator.projectId, { displayName: 'Monthly Revenue', inputQuery: 'SELECT 1 AS one', path: '/Reports/Monthly' });

		const listed = ok(await runPeaka(emulator, folderOperation('getMany', { returnAll: true })));
		expect(listed.map((folder) => folder.path).sort()).toEqual(['/Reports', '/Reports/Monthly']);

		const read = ok(await runPeaka(emulator, folderOperation('get', { folder: locator(String(reports.id)) })))[0];
		expect((read.folders as IDataObject[]).map((folder) => folder.id)).toEqual([monthly.id]);
		expect(read.queries).toEqual([]);

		const tree = ok(await runPeaka(emulator, folderOperation('getTree', { includeQueries: true })));
		expect(tree).toHaveLength(1);
		const child = (tree[0].children as IDataObject[])[0];
		expect(child.path).toBe('/Reports/Monthly');
		expect((child.queries as IDataObject[]).map((entry) => entry.id)).toEqual([query.id]);

		const branch = ok(await runPeaka(emulator, folderOperation('getTree', { fromFolder: true, folder: locator(String(monthly.id)) })));
		expect(branch.map((node) => node.id)).toEqual([monthly.id]);
		expect(branch[0].queries).toBeUndefined();
		expect(emulator.faults.requests().slice(-2).map((request) => request.query)).toEqual([
			{ includeQueries: 'true' },
			{ includeQueries: 'false', rootFolderId: monthly.id },
		]);
	});

	it('renames and moves a folder, and its queries follow', async () => {
		const top = ok(await runPeaka(emulator, folderOperation('create', { folderName: 'Drafts' })))[0];
		const query = await store.create(emulator.projectId, { displayName: 'Draft Query', inputQuery: 'SELECT 2 AS two', path: '/Drafts' });

		const renamed = ok(await runPeaka(emulator, folderOperation('rename', { folder: locator(String(top.id)), name: 'Old Drafts' })))[0];
		expect(renamed).toMatchObject({ id: top.id, name: 'Old Drafts', path: '/Old Drafts' });
		expect(store.get(emulator.projectId, query.id)?.path).toBe('/Old Drafts');

		const moved = ok(await runPeaka(emulator, folderOperation('move', { folder: locator(String(top.id)), path: '/Archive/Old Drafts' })))[0];
		expect(moved).toMatchObject({ id: top.id, path: '/Archive/Old Drafts', parentId: folderByPath('/Archive')?.id });
		expect(store.get(emulator.projectId, query.id)?.path).toBe('/Archive/Old Drafts');

		const circular = await runPeaka(emulator, folderOperation('move', { folder: locator(String(folderByPath('/Archive')?.id)), path: '/Archive/Old Drafts/Archive' }));
		expect(circular.error?.message).toMatch(/^Peaka rejected the change to query folder '.+' \(409\): Query folder .+ cannot move into itself/);
		const badPath = await runPeaka(emulator, folderOperation('move', { folder: locator(String(top.id)), path: 'Archive/' }));
		expect(badPath.error?.message).toBe("'New Path' value 'Archive/' is not a folder path");
	});

	it('adds queries to a folder and removes them to the root', async () => {
		const bucket = ok(await runPeaka(emulator, folderOperation('create', { folderName: 'Bucket' })))[0];
		const first = await store.create(emulator.projectId, { displayName: 'Bucket First', inputQuery: 'SELECT 1 AS one' });
		const second = await store.create(emulator.projectId, { displayName: 'Bucket Second', inputQuery: 'SELECT 2 AS two' });

		const added = ok(await runPeaka(emulator, folderOperation('updateQueries', {
			folder: locator(String(bucket.id)),
			queryIdsAdded: `${first.id}, ${second.id}`,
		})))[0];
		expect((added.queries as IDataObject[]).map((entry) => entry.id)).toEqual([first.id, second.id]);
		expect(store.get(emulator.projectId, first.id)?.folderId).toBe(bucket.id);
		expect(emulator.faults.requests().at(-1)?.body).toEqual({ queryIdsAdded: [first.id, second.id], queryIdsRemoved: [] });

		const removed = ok(await runPeaka(emulator, folderOperation('updateQueries', {
			folder: locator(String(bucket.id)),
			queryIdsRemoved: first.id,
		})))[0];
		expect((removed.queries as IDataObject[]).map((entry) => entry.id)).toEqual([second.id]);
		expect(store.get(emulator.projectId, first.id)?.folderId).toBeNull();

		const nothing = await runPeaka(emulator, folderOperation('updateQueries', { folder: locator(String(bucket.id)) }));
		expect(nothing.error?.message).toBe('No saved query to add or remove');
		const notAnId = await runPeaka(emulator, folderOperation('updateQueries', { folder: locator(String(bucket.id)), queryIdsAdded: 'abc' }));
		expect(notAnId.error?.message).toBe("'Saved Queries to Add' contains 'abc', which is not a saved query ID");
	});

	it('deletes an empty folder, refuses a full one, and force deletes its queries', async () => {
		const empty = ok(await runPeaka(emulator, folderOperation('create', { folderName: 'Empty' })))[0];
		expect(ok(await runPeaka(emulator, folderOperation('delete', { folder: locator(String(empty.id)) })))).toEqual([{ id: empty.id, deleted: true }]);
		expect(store.getFolder(emulator.projectId, String(empty.id))).toBeNull();

		const full = ok(await runPeaka(emulator, folderOperation('create', { folderName: 'Full' })))[0];
		const inside = await store.create(emulator.projectId, { displayName: 'Inside Full', inputQuery: 'SELECT 1 AS one', path: '/Full/Deep' });
		const refused = await runPeaka(emulator, folderOperation('delete', { folder: locator(String(full.id)) }));
		expect(refused.error?.message).toMatch(/^Peaka rejected the change to query folder '.+' \(409\)/);
		expect(refused.error?.description).toMatch(/^The folder still holds sub-folders or saved queries\. .*turn on Force/);
		expect(store.get(emulator.projectId, inside.id)).not.toBeNull();

		ok(await runPeaka(emulator, folderOperation('delete', { folder: locator(String(full.id)), force: true })));
		expect(emulator.faults.requests().at(-1)?.query).toEqual({ force: 'true' });
		expect(folderByPath('/Full')).toBeUndefined();
		expect(folderByPath('/Full/Deep')).toBeUndefined();
		expect(store.get(emulator.projectId, inside.id) ?? null).toBeNull();

		const missing = await runPeaka(emulator, folderOperation('get', { folder: locator(String(full.id)) }));
		expect(missing.error?.message).toBe(`Query folder '${full.id}' was not found in project '${emulator.projectId}'`);
	});

	it('pairs created folders with their input items', async () => {
		const result = await runPeaka(emulator, folderOperation('create', { folderName: '={{ $json.name }}' }), {
			inputItems: [{ name: 'Paired A' }, { name: 'Paired B' }],
		});
		expect(jsonOf(result.outputs[0]).map((folder) => folder.path)).toEqual(['/Paired A', '/Paired B']);
		expect(pairedItemsOf(result.outputs[0])).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('lists folders by path in the picker, with a project key', async () => {
		const result = await listSearch({
			nodeType: Peaka,
			credentialTypes: [PeakaApi],
			credentials: { peakaApi: credentialsFor(emulator, emulator.projectKey) },
			parameters: folderOperation('get'),
			methodName: 'searchQueryFolders',
			filter: 'paired',
		});
		expect(result.results.map((entry) => entry.name)).toEqual(['/Paired A', '/Paired B']);
	});
});
