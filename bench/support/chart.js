'use strict';

// Draws the README's performance chart as SVG: rows per second of each contender at each size,
// one group of bars per size. No dependency: the bars are plain rectangles.

const fs = require('node:fs');

const WIDTH = 760;
const BAR_HEIGHT = 14;
const LABEL_WIDTH = 250;
const GROUP_GAP = 22;
const COLOURS = ['#8c8c8c', '#b3b3b3', '#1f6feb', '#58a6ff', '#0b3d91', '#4c8ed9', '#d1495b'];

function escapeXml(text) {
	return text.replace(/[<>&"]/g, (character) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[character]);
}

function writeChart(results, file) {
	const names = [...new Set(results.sizes.flatMap((entry) => entry.contenders.map((contender) => contender.name)))];
	const rate = (contender) => (contender.error ? 0 : (contender.rows / contender.ms) * 1000);
	const maxRate = Math.max(1, ...results.sizes.flatMap((entry) => entry.contenders.map(rate)));
	const scale = (WIDTH - LABEL_WIDTH - 90) / maxRate;
	const parts = [];
	let y = 40;
	for (const entry of results.sizes) {
		parts.push(`<text x="8" y="${y}" font-weight="bold">${entry.rows.toLocaleString('en-US')} rows</text>`);
		y += 8;
		for (const contender of entry.contenders) {
			const colour = COLOURS[names.indexOf(contender.name) % COLOURS.length];
			const value = rate(contender);
			const label = contender.error ? 'failed' : `${Math.round(value).toLocaleString('en-US')} rows/s`;
			parts.push(`<text x="${LABEL_WIDTH - 6}" y="${y + BAR_HEIGHT - 3}" text-anchor="end">${escapeXml(contender.name)}</text>`);
			parts.push(`<rect x="${LABEL_WIDTH}" y="${y}" width="${Math.max(1, value * scale).toFixed(1)}" height="${BAR_HEIGHT}" fill="${colour}"/>`);
			parts.push(`<text x="${(LABEL_WIDTH + Math.max(1, value * scale) + 6).toFixed(1)}" y="${y + BAR_HEIGHT - 3}">${label}</text>`);
			y += BAR_HEIGHT + 4;
		}
		y += GROUP_GAP;
	}
	const svg = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" font-family="sans-serif" font-size="12">`,
		'<rect width="100%" height="100%" fill="#ffffff"/>',
		`<text x="8" y="20" font-size="14" font-weight="bold">Flights rows to n8n items: rows per second (higher is better), ${escapeXml(results.started.slice(0, 10))}</text>`,
		...parts,
		'</svg>',
	].join('\n');
	fs.writeFileSync(file, `${svg}\n`);
}

module.exports = { writeChart };
