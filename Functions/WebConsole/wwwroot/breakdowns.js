import { h, number } from './dom.js';

// Breakdowns share the flat metric names of events and metrics.json: lang/{language}/{metric} per language and
// {set}/{metric} (with {set}/lang/...) per named validation set. Overall metrics have no '/'.
export const isBreakdown = name => name.includes('/');

// language -> { metric -> value } for the metrics under prefix ('' or '{set}/').
export function languageTable(metrics, prefix = '') {
  const table = new Map();
  for (const [key, value] of Object.entries(metrics)) {
    if (!key.startsWith(`${prefix}lang/`)) continue;
    const [language, ...rest] = key.slice(prefix.length + 5).split('/');
    if (rest.length !== 1) continue;
    if (!table.has(language)) table.set(language, {});
    table.get(language)[rest[0]] = value;
  }
  return new Map([...table].sort(([a], [b]) => a.localeCompare(b)));
}

// The named validation sets: set -> its overall metrics.
export function setTable(metrics) {
  const sets = new Map();
  for (const [key, value] of Object.entries(metrics)) {
    const parts = key.split('/');
    if (parts.length !== 2 || parts[0] === 'lang' || key.startsWith('baseline_')) continue;
    if (!sets.has(parts[0])) sets.set(parts[0], {});
    sets.get(parts[0])[parts[1]] = value;
  }
  return sets;
}

// A table with one row per key of rows and one column per metric; count first where there is one.
export function breakdownTable(id, caption, rows) {
  const columns = [...new Set([...rows.values()].flatMap(Object.keys))].filter(c => c !== 'count' && c !== 'eval_loss').sort();
  const hasCount = [...rows.values()].some(r => r.count != null);
  return h('table', { id }, h('caption', {}, caption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), hasCount ? h('th', { scope: 'col', class: 'num' }, 'examples') : null,
      ...columns.map(c => h('th', { scope: 'col', class: 'num' }, c)))),
    h('tbody', {}, [...rows].map(([name, row]) => h('tr', {}, h('th', { scope: 'row' }, name),
      hasCount ? h('td', { class: 'num' }, String(row.count ?? '')) : null,
      ...columns.map(c => h('td', { class: 'num' }, number(row[c])))))));
}
