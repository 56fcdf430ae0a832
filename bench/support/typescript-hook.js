'use strict';

// Lets plain `node` load the project's TypeScript sources (the test harness and the node) the way
// the tests do: each file transpiled on its own, without type checking, as ts-jest does with
// isolatedModules.

const fs = require('node:fs');
const ts = require('typescript');

const COMPILER_OPTIONS = {
	module: ts.ModuleKind.CommonJS,
	target: ts.ScriptTarget.ES2022,
	esModuleInterop: true,
	resolveJsonModule: true,
	sourceMap: false,
};

require.extensions['.ts'] = (module, filename) => {
	const source = fs.readFileSync(filename, 'utf8');
	const { outputText } = ts.transpileModule(source, { compilerOptions: COMPILER_OPTIONS, fileName: filename });
	module._compile(outputText, filename);
};
