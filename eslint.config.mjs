import tsParser from '@typescript-eslint/parser';
import communityNodes from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

// eslint-plugin-n8n-nodes-base ships eslintrc-style rule sets; they are applied here as
// flat-config entries. The TypeScript parser reads package.json as one JSON expression,
// which is the shape both plugins' package.json rules expect.
const legacyRules = (name) => n8nNodesBase.configs[name].rules;

export default [
	{
		ignores: ['dist/**', 'node_modules/**', 'emulator/**', 'test/**', 'bench/**', 'examples/**', '*.js', '*.mjs'],
	},
	{
		files: ['**/*.ts', 'package.json'],
		languageOptions: {
			parser: tsParser,
			parserOptions: { ecmaVersion: 'latest', sourceType: 'module', extraFileExtensions: ['.json'] },
		},
	},
	{
		...communityNodes.configs.recommended,
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
	},
	{
		files: ['package.json'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: legacyRules('community'),
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: legacyRules('credentials'),
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...legacyRules('nodes'),
			// The rule wants every Limit parameter to default to 50 and every description to be
			// one word; Peaka's limit texts explain what the REST engine still computes.
			'n8n-nodes-base/node-param-description-wrong-for-limit': 'off',
		},
	},
];
