const { src, dest } = require('gulp');

// n8n loads node and credential icons from beside the compiled files, so every
// SVG and PNG under nodes/, credentials/ and icons/ is copied into dist/ with its path.
function copyIcons() {
	return src(['icons/**/*.{png,svg}', 'nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:icons'] = copyIcons;
