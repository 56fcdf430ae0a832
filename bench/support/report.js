'use strict';

// Formats the bench results as a Markdown table with ratios to the floor, checks the targets,
// and with --publish writes bench/RESULTS.md. The hand-written analysis below the ANALYSIS_MARKER
// line of an existing RESULTS.md is kept.

const fs = require('node:fs');
const path = require('node:path');

const RESULTS_FILE = path.join(__dirname, '..', 'RESULTS.md');
const ANALYSIS_MARKER = '<!-- analysis: kept when the bench rewrites this file -->';
const MIB = 2 ** 20;

function floorFor(entry, contender) {
	const line = contender.name.includes('n8n') || contender.name.includes('Node 24') ? 'floor (Node 24)' : 'floor (Node 20)';
	return entry.contenders.find((candidate) => candidate.name === line && !candidate.error);
}

function formatNumber(value, digits = 0) {
	return value === undefined || Number.isNaN(value) ? '-' : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function tableRows(results) {
	const lines = ['| Rows | Contender | Time (ms) | Rows/s | Peak RSS (MiB) | Time / floor | Inexact values |', '|---:|---|---:|---:|---:|---:|---:|'];
	for (const entry of results.sizes) {
		for (const contender of entry.contenders) {
			if (contender.error) {
				lines.push(`| ${formatNumber(entry.rows)} | ${contender.name} | failed: ${contender.error.replaceAll('|', '\\|')} | | | | |`);
				continue;
			}
			const floor = floorFor(entry, contender);
			const ratio = floor && !contender.name.startsWith('floor') ? formatNumber(contender.ms / floor.ms, 2) : '-';
			lines.push(
				`| ${formatNumber(entry.rows)} | ${contender.name} | ${formatNumber(contender.ms)} | ${formatNumber((contender.rows / contender.ms) * 1000)} | ${formatNumber(contender.maxRssBytes / MIB)} | ${ratio} | ${contender.inexact ?? '-'} |`,
			);
		}
	}
	return lines.join('\n');
}

function find(results, rows, name) {
	return results.sizes.find((entry) => entry.rows === rows)?.contenders.find((contender) => contender.name === name);
}

/** Each target with its figures and whether it holds; sizes the run did not cover are skipped. */
function checkTargets(results) {
	const checks = [];
	for (const engine of ['rest', 'streaming']) {
		const name = `node, ${engine}, n8n 2.40.7`;
		for (const rows of [100_000, 1_000_000]) {
			const entry = results.sizes.find((candidate) => candidate.rows === rows);
			const contender = find(results, rows, name);
			if (!entry || !contender) continue;
			if (contender.error) {
				checks.push({ target: `${name}, ${formatNumber(rows)} rows: time / floor ≤ 1.5`, met: false, figures: `failed: ${contender.error}` });
				continue;
			}
			const ratio = contender.ms / floorFor(entry, contender).ms;
			checks.push({ target: `${name}, ${formatNumber(rows)} rows: time / floor ≤ 1.5`, met: ratio <= 1.5, figures: formatNumber(ratio, 2) });
		}
		const node = find(results, 100_000, name);
		const baseline = find(results, 100_000, 'HTTP Request + Code, n8n 2.40.7');
		if (node && baseline && !node.error && !baseline.error) {
			const speedup = baseline.ms / node.ms;
			checks.push({ target: `${name}, 100,000 rows: ≥ 3 × faster than HTTP Request + Code`, met: speedup >= 3, figures: `${formatNumber(speedup, 2)} ×` });
			checks.push({
				target: `${name}, 100,000 rows: peak memory ≤ HTTP Request + Code`,
				met: node.maxRssBytes <= baseline.maxRssBytes,
				figures: `${formatNumber(node.maxRssBytes / MIB)} vs ${formatNumber(baseline.maxRssBytes / MIB)} MiB`,
			});
		}
		const million = find(results, 1_000_000, name);
		if (million) {
			checks.push({ target: `${name}, 1,000,000 rows complete with zero inexact values`, met: !million.error && million.inexact === 0, figures: million.error ? `failed: ${million.error}` : `${million.inexact} inexact` });
		}
	}
	const [small, large] = results.trigger ?? [];
	if (small && large && large.tableRows >= 3_000_000) {
		const ratio = large.ms / small.ms;
		checks.push({ target: `trigger poll on ${formatNumber(large.tableRows)} rows ≤ 2 × its time on ${formatNumber(small.tableRows)}`, met: ratio <= 2, figures: `${formatNumber(ratio, 2)} ×` });
	}
	return checks;
}

function insertTable(results) {
	if (!results.insert?.length) return 'Insert Rows: not run.';
	const lines = [
		'Insert Rows (in-process, Node 20): the node loads the items into a new table, then the floor posts the same rows as one CSV to the same table.',
		'',
		'| Rows | Batch size | Node (ms) | Floor (ms) | Node / floor | Rows stored (node + floor) |',
		'|---:|---:|---:|---:|---:|---:|',
	];
	for (const entry of results.insert) {
		if (entry.error) lines.push(`| ${formatNumber(entry.rows)} | ${formatNumber(entry.batchSize)} | failed: ${entry.error.replaceAll('|', '\\|')} | | | |`);
		else lines.push(`| ${formatNumber(entry.rows)} | ${formatNumber(entry.batchSize)} | ${formatNumber(entry.nodeMs)} | ${formatNumber(entry.floorMs)} | ${formatNumber(entry.nodeMs / entry.floorMs, 2)} | ${formatNumber(entry.storedRows)} |`);
	}
	return lines.join('\n');
}

function triggerTable(results) {
	if (!results.trigger?.length) return 'Trigger poll: not run.';
	const lines = ['Peaka Trigger, New Rows (in-process, Node 20): five polls, each after 10 new rows were inserted; the median poll time.', '', '| Events table rows | Median poll (ms) | New rows emitted in five polls |', '|---:|---:|---:|'];
	for (const entry of results.trigger) lines.push(`| ${formatNumber(entry.tableRows)} | ${formatNumber(entry.ms, 1)} | ${entry.emitted} of ${entry.expected} |`);
	return lines.join('\n');
}

function writeResults(results, { publish, command }) {
	const checks = checkTargets(results);
	const targetLines = checks.length > 0
		? checks.map((check) => `- ${check.met ? 'met' : '**not met**'}: ${check.target} (${check.figures})`)
		: ['- none: the targets are set at 100,000 and 1,000,000 rows and 3,000,000 events, which this run did not cover.'];
	const edge = results.edge
		? `Edge table (one column per Trino type, ${results.edge.values} values): the node ${results.edge.node} inexact, HTTP Request + Code ${results.edge.baseline} inexact (Peaka's text values kept as text: numbers, booleans, JSON and structures lose their type).`
		: 'Edge table: not run (real n8n off).';
	const table = [tableRows(results), '', edge, '', insertTable(results), '', triggerTable(results), '', 'Targets:', ...targetLines].join('\n');
	if (publish) {
		const previous = fs.existsSync(RESULTS_FILE) ? fs.readFileSync(RESULTS_FILE, 'utf8') : '';
		const analysis = previous.includes(ANALYSIS_MARKER) ? previous.slice(previous.indexOf(ANALYSIS_MARKER) + ANALYSIS_MARKER.length) : '\n';
		const { machine } = results;
		const text = [
			'# Benchmark results',
			'',
			`Run ${results.started.slice(0, 10)} with \`${command}\` on ${machine.cpu}, ${machine.memoryGiB} GiB, ${machine.os}.`,
			`n8n 2.40.7 runs on Node 24 with a ${results.heapMb} MiB heap (\`--max-old-space-size\`); the in-process runs and the floor (Node 20) on ${machine.node}.`,
			'Times are one run each; the emulator runs in a process of its own on the same machine.',
			'',
			table,
			'',
			ANALYSIS_MARKER,
		].join('\n');
		fs.writeFileSync(RESULTS_FILE, `${text}${analysis.startsWith('\n') ? '' : '\n'}${analysis}`);
	}
	return table;
}

module.exports = { checkTargets, writeResults };
