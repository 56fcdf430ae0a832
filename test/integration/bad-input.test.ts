/**
 * A catalogue of inputs a user can get wrong, each run through n8n-core. Every failure must
 * name the parameter (or credential field) and say how to fix it. Where the node can tell
 * locally that an input cannot work, no request may reach the emulator.
 */
import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';

import { PeakaApi } from '../../credentials/PeakaApi.credentials';
import { testCredential } from '../harness/n8n-runner';
import { type Emulator, executeSql, projectParameter, runPeaka, startPeaka } from './support';

interface BadInput {
	id: string;
	parameters: (emulator: Emulator) => INodeParameters;
	credentials?: (emulator: Emulator) => ICredentialDataDecryptedObject;
	/** The message, which names the parameter or field. */
	message: RegExp;
	/** Advice expected in the description, or in the message for n8n's own checks. */
	fix: RegExp;
	/** Whether the node can tell without Peaka, so that nothing is sent. */
	local: boolean;
	/** The HTTP status of Peaka's response, for inputs only Peaka can judge. */
	httpCode?: string;
}

const project = (emulator: Emulator) => projectParameter(emulator.projectId);
const execute = (extra: INodeParameters) => (emulator: Emulator) => ({ ...executeSql(emulator, ''), ...extra });
const builder = (json: string) => execute({ source: 'builder', builder: json });
const withCredential = (fields: ICredentialDataDecryptedObject) => (emulator: Emulator) => ({
	apiKey: emulator.partnerKey,
	zone: 'custom',
	baseUrl: emulator.baseUrl,
	...fields,
});
const queryFolder = (operation: string, extra: INodeParameters) => (emulator: Emulator) => ({
	resource: 'queryFolder',
	operation,
	project: project(emulator),
	folder: { __rl: true, mode: 'id', value: '3f1c2a9e-1d2b-4c5d-8e9f-0a1b2c3d4e5f' },
	...extra,
});
const catalogCreate = (extra: INodeParameters) => (emulator: Emulator) => ({
	resource: 'catalog',
	operation: 'create',
	project: project(emulator),
	name: 'salesDb',
	connectionId: '5d1f0d3c-1f0a-4c44-9b7e-3a8f6d1c2b10',
	...extra,
});

const cacheCreate = (extra: INodeParameters) => (emulator: Emulator) => ({
	resource: 'cache',
	operation: 'create',
	project: project(emulator),
	catalog: { __rl: true, mode: 'id', value: '846085284821991569' },
	schema: { __rl: true, mode: 'id', value: 'payment' },
	table: { __rl: true, mode: 'id', value: 'charges' },
	...extra,
});

const CASES: BadInput[] = [
	// Query → Execute
	// n8n itself rejects a required parameter left empty, before the node runs.
	{ id: 'empty SQL', parameters: execute({ sql: '' }), message: /Parameter "SQL" is required/, fix: /is required/, local: true },
	{ id: 'SQL empty after expressions', parameters: execute({ sql: '={{ "" }}' }), message: /^The 'SQL' parameter is empty$/, fix: /Enter a query/, local: true },
	{ id: 'blank SQL', parameters: execute({ sql: ' \n\t ' }), message: /^The 'SQL' parameter is empty$/, fix: /Enter a query/, local: true },
	{ id: 'more placeholders than parameters', parameters: (emulator) => executeSql(emulator, 'SELECT ?, ?', ['a']), message: /^The SQL has 2 \? placeholders but 1 query parameter was given$/, fix: /one query parameter per \?/, local: true },
	{ id: 'parameters without placeholders', parameters: (emulator) => executeSql(emulator, "SELECT '?' AS q -- ?", ['a']), message: /^The SQL has 0 \? placeholders but 1 query parameter was given$/, fix: /inside quotes or a comment does not count/, local: true },
	{ id: 'parameter with no value', parameters: (emulator) => executeSql(emulator, 'SELECT ?', ['={{ null }}']), message: /^Query parameter 1 has no value$/, fix: /Write NULL in the SQL/, local: true },
	{ id: 'infinite parameter', parameters: (emulator) => executeSql(emulator, 'SELECT ?', ['={{ 1/0 }}']), message: /^Query parameter 1 is Infinity/, fix: /finite number/, local: true },
	{ id: 'builder not JSON', parameters: builder('{"from": '), message: /^Query Builder JSON is not valid JSON/, fix: /builder takes from \(required\)/, local: true },
	{ id: 'builder empty', parameters: builder('  '), message: /^Query Builder JSON is empty$/, fix: /e\.g\. \{"from"/, local: true },
	{ id: 'builder array', parameters: builder('[]'), message: /^Query Builder JSON must be a JSON object$/, fix: /e\.g\. \{"from"/, local: true },
	{ id: 'builder without from', parameters: builder('{"limit": 5}'), message: /^Query Builder JSON needs a non-empty 'from' array$/, fix: /from \(required\)/, local: true },
	{ id: 'builder table missing', parameters: builder('{"from": [{"catalogName": "peaka", "schemaName": "query"}]}'), message: /^Query Builder JSON: from\[0\]\.tableName must be a non-empty string$/, fix: /e\.g\./, local: true },
	{ id: 'builder negative limit', parameters: builder('{"from": [{"catalogName": "a", "schemaName": "b", "tableName": "c"}], "limit": -5}'), message: /'limit' must be a whole number of 0 or more, not -5/, fix: /limit/, local: true },
	{ id: 'builder fractional offset', parameters: builder('{"from": [{"catalogName": "a", "schemaName": "b", "tableName": "c"}], "offset": 1.5}'), message: /'offset' must be a whole number of 0 or more, not 1\.5/, fix: /offset/, local: true },
	{ id: 'builder columns not text', parameters: builder('{"from": [{"catalogName": "a", "schemaName": "b", "tableName": "c"}], "columns": [1]}'), message: /'columns' must be an array of strings/, fix: /columns/, local: true },
	{ id: 'builder unknown field', parameters: builder('{"from": [{"catalogName": "a", "schemaName": "b", "tableName": "c"}], "where": "x"}'), message: /unknown field 'where'/, fix: /filters/, local: true },
	{ id: 'qualified name of two parts', parameters: execute({ source: 'qualifiedName', qualifiedName: 'peaka.samplequery' }), message: /^Qualified Name 'peaka\.samplequery' is not of the form catalog\.schema\.table$/, fix: /three dot-separated names/, local: true },
	{ id: 'qualified name blank', parameters: execute({ source: 'qualifiedName', qualifiedName: '  ' }), message: /^Qualified Name ' {2}' is not of the form/, fix: /e\.g\. peaka\.query\.samplequery/, local: true },
	{ id: 'saved query ID not a number', parameters: execute({ source: 'savedQuery', savedQuery: { __rl: true, mode: 'id', value: 'samplequery' } }), message: /A saved query ID is a number/, fix: /e\.g\. 709922802836177297/, local: true },
	{ id: 'saved query blank', parameters: execute({ source: 'savedQuery', savedQuery: { __rl: true, mode: 'id', value: '={{ " " }}' } }), message: /^The 'Saved Query' parameter is empty$/, fix: /Pick a saved query/, local: true },

	// Credential
	{ id: 'base URL not a URL', parameters: (emulator) => executeSql(emulator, 'SELECT 1'), credentials: withCredential({ baseUrl: 'peaka dot example' }), message: /^The Peaka credential's Base URL 'peaka dot example' is not a valid URL$/, fix: /full REST API root, e\.g\. https:/, local: true },
	{ id: 'base URL ftp', parameters: (emulator) => executeSql(emulator, 'SELECT 1'), credentials: withCredential({ baseUrl: 'ftp://peaka.example.com/api/v1' }), message: /Base URL uses 'ftp:', not http or https/, fix: /Enter an https URL/, local: true },
	{ id: 'base URL plain http off loopback', parameters: (emulator) => executeSql(emulator, 'SELECT 1'), credentials: withCredential({ baseUrl: 'http://peaka.example.com/api/v1' }), message: /plain http on peaka\.example\.com/, fix: /Allow Unencrypted HTTP/, local: true },
	{ id: 'API key with a line break inside', parameters: (emulator) => executeSql(emulator, 'SELECT 1'), credentials: (emulator) => withCredential({ apiKey: emulator.partnerKey.replace('.', '.\n') })(emulator), message: /^The Peaka credential's API Key contains a line break inside it$/, fix: /Paste the key again as one line/, local: true },
	{ id: 'API key with a space inside', parameters: (emulator) => executeSql(emulator, 'SELECT 1'), credentials: (emulator) => withCredential({ apiKey: emulator.partnerKey.replace('.', '. ') })(emulator), message: /^The Peaka credential's API Key contains a space inside it$/, fix: /Paste the key again as one line/, local: true },
	{ id: 'API key blank', parameters: (emulator) => executeSql(emulator, 'SELECT 1'), credentials: withCredential({ apiKey: ' \n ' }), message: /^The Peaka credential's API Key is empty$/, fix: /Paste a partner or project API key/, local: true },

	// Limits and timeouts
	{ id: 'catalog list limit 0', parameters: (emulator) => ({ resource: 'catalog', operation: 'getMany', project: project(emulator), returnAll: false, limit: 0 }), message: /^'Limit' value 0 is not a whole number of at least 1$/, fix: /Set 'Limit' to a whole number of 1 or more/, local: true },
	{ id: 'catalog list limit negative', parameters: (emulator) => ({ resource: 'catalog', operation: 'getMany', project: project(emulator), returnAll: false, limit: '={{ -3 }}' }), message: /^'Limit' value -3 is not a whole number/, fix: /Set 'Limit'/, local: true },
	{ id: 'catalog list limit fraction', parameters: (emulator) => ({ resource: 'catalog', operation: 'getMany', project: project(emulator), returnAll: false, limit: '={{ 2.5 }}' }), message: /^'Limit' value 2\.5 is not a whole number/, fix: /Set 'Limit'/, local: true },
	{ id: 'embedded session timeout negative', parameters: (emulator) => ({ resource: 'embedded', operation: 'createSession', project: project(emulator), options: { timeoutInSeconds: '={{ -60 }}' } }), message: /^'Timeout \(Seconds\)' value -60 is not a whole number of at least 1$/, fix: /Set 'Timeout \(Seconds\)'/, local: true },
	{ id: 'embedded session timeout 0', parameters: (emulator) => ({ resource: 'embedded', operation: 'createSession', project: project(emulator), options: { timeoutInSeconds: 0 } }), message: /^'Timeout \(Seconds\)' value 0 is not a whole number/, fix: /Set 'Timeout \(Seconds\)'/, local: true },

	// Saved queries and folders
	{ id: 'query create without name', parameters: (emulator) => ({ resource: 'query', operation: 'create', project: project(emulator), displayName: '={{ "  " }}', inputQuery: 'SELECT 1' }), message: /^The 'Display Name' parameter is empty$/, fix: /Give the saved query a name/, local: true },
	{ id: 'query create without SQL', parameters: (emulator) => ({ resource: 'query', operation: 'create', project: project(emulator), displayName: 'X', inputQuery: '={{ "" }}' }), message: /^The 'SQL' parameter is empty$/, fix: /Enter the query to save/, local: true },
	{ id: 'query update with nothing', parameters: (emulator) => ({ resource: 'query', operation: 'update', project: project(emulator), savedQuery: { __rl: true, mode: 'id', value: '709922802836177297' }, updateFields: {} }), message: /^'Update Fields' has nothing to change$/, fix: /Add Display Name or SQL/, local: true },
	{ id: 'query move to relative path', parameters: (emulator) => ({ resource: 'query', operation: 'move', project: project(emulator), savedQuery: { __rl: true, mode: 'id', value: '709922802836177297' }, path: 'analytics/daily' }), message: /^Folder Path 'analytics\/daily' is not an absolute folder path$/, fix: /Start the path with \//, local: true },
	{ id: 'folder create name with slash', parameters: (emulator) => ({ resource: 'queryFolder', operation: 'create', project: project(emulator), folderName: 'a/b', location: 'root' }), message: /^'Folder Name' value 'a\/b' is not a folder name$/, fix: /without \//, local: true },
	{ id: 'folder rename blank', parameters: queryFolder('rename', { name: '={{ " " }}' }), message: /^'New Name' value '' is not a folder name$/, fix: /Enter a non-empty name/, local: true },
	{ id: 'folder move relative path', parameters: queryFolder('move', { path: 'Archive' }), message: /^'New Path' value 'Archive' is not a folder path$/, fix: /Start with \//, local: true },
	{ id: 'folder add non-numeric query id', parameters: queryFolder('updateQueries', { queryIdsAdded: '12, abc' }), message: /contains 'abc', which is not a saved query ID$/, fix: /separated by commas/, local: true },
	{ id: 'folder update with no queries', parameters: queryFolder('updateQueries', { queryIdsAdded: '', queryIdsRemoved: '' }), message: /^No saved query to add or remove$/, fix: /\w/, local: true },

	// Catalogs
	{ id: 'catalog create blank name', parameters: catalogCreate({ name: '={{ "" }}' }), message: /^The 'Name' parameter is empty$/, fix: /Give the catalog a name/, local: true },
	{ id: 'catalog extra parameters not JSON', parameters: catalogCreate({ extraParameters: '{sheets: [' }), message: /^'Extra Parameters \(JSON\)' is not valid JSON$/, fix: /Enter a JSON object/, local: true },
	{ id: 'catalog extra parameters array', parameters: catalogCreate({ extraParameters: '[1, 2]' }), message: /^'Extra Parameters \(JSON\)' is not a JSON object$/, fix: /Enter an object in braces/, local: true },

	// Account administration
	{ id: 'workspace create blank name', parameters: (emulator) => ({ resource: 'workspace', operation: 'create', organization: { __rl: true, mode: 'id', value: (emulator as unknown as { organizationId: string }).organizationId }, name: '={{ "" }}' }), message: /^The 'Name' parameter is empty$/, fix: /Give the workspace a name/, local: true },
	{ id: 'API key create blank name', parameters: (emulator) => ({ resource: 'projectApiKey', operation: 'create', project: project(emulator), name: '={{ " " }}' }), message: /^The 'Name' parameter is empty$/, fix: /Give the key a label/, local: true },
	{ id: 'API key expiry not a date', parameters: (emulator) => ({ resource: 'projectApiKey', operation: 'create', project: project(emulator), name: 'reporting', additionalFields: { expiresAt: 'next tuesday' } }), message: /^'Expires At' value 'next tuesday' is not a date and time$/, fix: /ISO-8601/, local: true },
	{ id: 'API key delete by the key itself', parameters: (emulator) => ({ resource: 'projectApiKey', operation: 'delete', project: project(emulator), apiKeyId: 'TtgGcQFq.s3fzROFoop8uHG4pS2LYhoqn1rLb6oW6' }), message: /^'API Key ID' is not a UUID$/, fix: /not the key itself/, local: true },

	// Drivers and SQL
	{ id: 'SQLAlchemy URL without catalog', parameters: (emulator) => ({ resource: 'driver', operation: 'getSqlAlchemyUrl', project: project(emulator), catalogName: '={{ "" }}' }), message: /^The 'Catalog Name' parameter is empty$/, fix: /Enter the SQL name of a catalog/, local: true },
	{ id: 'transpile blank SQL', parameters: () => ({ resource: 'sql', operation: 'transpile', direction: 'toTrino', dialect: 'mysql', query: '={{ "" }}' }), message: /^The 'SQL' parameter is empty$/, fix: /Enter the SQL to convert/, local: true },
	{ id: 'transpile odd dialect name', parameters: () => ({ resource: 'sql', operation: 'transpile', direction: 'fromTrino', dialect: 'other', dialectName: 'My SQL!', query: 'SELECT 1' }), message: /^'Dialect Name' value 'my sql!' is not a dialect name$/, fix: /one lower-case word/, local: true },

	// Caches and Insert Rows
	{ id: 'cache schedule not a duration', parameters: cacheCreate({ incrementalInterval: 'every hour' }), message: /^The 'Incremental Sync Interval' parameter is not an ISO-8601 duration: 'every hour'$/, fix: /Enter a duration such as/, local: true },
	{ id: 'cache schedule without a number', parameters: cacheCreate({ fullRefreshInterval: 'PT' }), message: /^The 'Full Refresh Interval' parameter is not an ISO-8601 duration: 'PT'$/, fix: /P starts it, T starts the hours/, local: true },
	{ id: 'cache schedule update not a duration', parameters: (emulator) => ({ resource: 'cache', operation: 'updateSchedules', project: project(emulator), cache: { __rl: true, mode: 'id', value: '960bd651-7b3c-4511-9a88-18e14ac7742a' }, incrementalChange: 'set', incrementalInterval: '90 minutes' }), message: /'Incremental Sync Interval' parameter is not an ISO-8601 duration: '90 minutes'/, fix: /Enter a duration such as/, local: true },
	{ id: 'insert rows batch size 0', parameters: (emulator) => ({ resource: 'internalTable', operation: 'insertRows', project: project(emulator), internalTable: { __rl: true, mode: 'id', value: 'orders' }, mappingMode: 'autoMapInputData', options: { batchSize: 0 } }), message: /^The 'Batch Size' option must be a whole number from 1 to [\d,]+, not 0$/, fix: /Set Batch Size/, local: true },

	// Query → Execute options
	{ id: 'query timeout 0', parameters: (emulator) => executeSql(emulator, 'SELECT 1', [], { options: { timeout: 0 } }), message: /^'Timeout \(Seconds\)' value 0 is not a whole number of at least 1$/, fix: /Set 'Timeout \(Seconds\)'/, local: true },
	{ id: 'query timeout negative', parameters: (emulator) => executeSql(emulator, 'SELECT 1', [], { options: { timeout: '={{ -5 }}' } }), message: /^'Timeout \(Seconds\)' value -5 is not a whole number/, fix: /Set 'Timeout \(Seconds\)'/, local: true },
	{ id: 'query row limit 0', parameters: (emulator) => executeSql(emulator, 'SELECT 1', [], { returnAll: false, limit: 0 }), message: /^'Limit' value 0 is not a whole number of at least 1$/, fix: /Set 'Limit'/, local: true },
	{ id: 'saved query list limit 0', parameters: (emulator) => ({ resource: 'query', operation: 'getMany', project: project(emulator), returnAll: false, limit: 0 }), message: /^'Limit' value 0 is not a whole number of at least 1$/, fix: /Set 'Limit'/, local: true },
	{ id: 'connection list limit negative', parameters: (emulator) => ({ resource: 'connection', operation: 'getMany', project: project(emulator), returnAll: false, limit: -3 }), message: /^'Limit' value -3 is not a whole number of at least 1$/, fix: /Set 'Limit'/, local: true },
	// Inputs only Peaka can judge: the message still names what was not found.
	{ id: 'unknown project', parameters: (emulator) => ({ ...executeSql(emulator, 'SELECT 1'), project: projectParameter('nOsuch99') }), message: /nOsuch99/, fix: /\w/, local: false },
	{ id: 'unknown catalog', parameters: (emulator) => ({ resource: 'catalog', operation: 'get', project: project(emulator), catalog: { __rl: true, mode: 'id', value: '846085284821991999' } }), message: /846085284821991999/, fix: /\w/, local: false },
	{ id: 'unknown table', parameters: (emulator) => executeSql(emulator, 'SELECT * FROM "datasets"."public"."no_such_table"'), message: /no_such_table/, fix: /\w/, local: false, httpCode: '400' },
	{ id: 'unknown saved query', parameters: execute({ source: 'savedQuery', savedQuery: { __rl: true, mode: 'id', value: '709922802836177999' } }), message: /709922802836177999/, fix: /\w/, local: false },
];


describe('bad input catalogue', () => {
	let emulator: Emulator;
	let run = 0;
	let passed = 0;

	beforeAll(async () => {
		emulator = await startPeaka('spec');
	});
	afterAll(async () => {
		// eslint-disable-next-line no-console
		console.log(`bad input catalogue: ${run} cases run, ${passed} passed`);
		await emulator?.close();
	});
	beforeEach(() => {
		emulator.faults.reset();
		emulator.faults.clearRequests();
	});

	it.each(CASES.map((entry) => [entry.id, entry] as const))('%s', async (_id, entry) => {
		run += 1;
		let error: { message: string; description?: string; httpCode?: string } | undefined;
		try {
			const result = await runPeaka(emulator, entry.parameters(emulator), {
				...(entry.credentials && { credentials: { peakaApi: entry.credentials(emulator) } }),
			} as never);
			error = result.error as typeof error;
		} catch (thrown) {
			// n8n refuses to start a workflow whose node has parameter issues.
			error = thrown as Error;
		}

		expect(error).toBeDefined();
		expect(error?.message).toMatch(entry.message);
		expect(`${error?.description ?? ''} ${error?.message}`).toMatch(entry.fix);
		if (entry.httpCode) expect(error?.httpCode).toBe(entry.httpCode);
		const requests = emulator.faults.requests();
		if (entry.local) expect(requests).toEqual([]);
		else expect(requests.length).toBeGreaterThan(0);
		passed += 1;
	});

	it('trims spaces and line breaks around the API key', async () => {
		run += 1;
		const result = await runPeaka(emulator, executeSql(emulator, 'SELECT 1 AS n'), {
			credentials: { peakaApi: withCredential({ apiKey: `  ${emulator.partnerKey}\r\n` })(emulator) },
		} as never);
		expect(result.error).toBeUndefined();
		expect(result.outputs[0].map((item) => item.json)).toEqual([{ n: 1 }]);

		const tested = await testCredential({
			credentialType: PeakaApi,
			data: withCredential({ apiKey: `\t${emulator.partnerKey}\n` })(emulator),
		});
		expect(tested).toEqual({ status: 'OK', message: 'Connection successful!' });
		passed += 1;
	});

	it('rejects a key with an inner line break in the credential test', async () => {
		run += 1;
		emulator.faults.clearRequests();
		const tested = await testCredential({
			credentialType: PeakaApi,
			data: withCredential({ apiKey: emulator.partnerKey.replace('.', '\n.') })(emulator),
		});
		expect(tested.status).toBe('Error');
		// n8n reports any error thrown by the test request's URL expression as "Invalid URL".
		expect(tested.message).toBe('Invalid URL');
		expect(tested.message).not.toContain(emulator.partnerKey.split('.')[1]);
		expect(emulator.faults.requests()).toEqual([]);
		passed += 1;
	});
});
