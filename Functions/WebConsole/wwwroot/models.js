import { h, bytes, number, time } from './dom.js';
import { api, link } from './api.js';
import { tryBox } from './try.js';
import { batchPredictionBox } from './batch.js';
import { isBreakdown, languageTable, setTable, breakdownTable } from './breakdowns.js';

// Per-class metrics are named {class}_{metric} (token classification: PER_f1, PER_precision, PER_number ...).
const perClassMetric = /^(.+)_(precision|recall|f1|number)$/;

export function modelsPage(view) {
  const list = h('div', { id: 'model-list' }, h('p', {}, 'Loading…'));
  view.append(h('h2', {}, 'Models'), list);
  api('models').then(models => {
    models.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    list.replaceChildren(models.length === 0 ? h('p', {}, 'No models yet: a job that succeeds publishes one.') : h('table', { id: 'models' },
      h('thead', {}, h('tr', {}, ['Model', 'Task', 'Base model', 'Headline metrics', 'Published'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, models.map(m => h('tr', {},
        h('td', {}, h('a', { href: `#/models/${m.id}` }, m.id)), h('td', {}, m.task), h('td', {}, m.baseModel),
        h('td', {}, headline(m.metrics)), h('td', {}, time(m.createdAt)))))));
  }).catch(e => list.replaceChildren(h('p', { class: 'alert', role: 'alert' }, e.message)));
}

function headline(metrics) {
  return Object.entries(metrics).filter(([k]) => !k.startsWith('baseline_') && !perClassMetric.test(k) && !isBreakdown(k) && !['step', 'epoch'].includes(k))
    .slice(0, 4).map(([k, v]) => `${k} ${number(v)}`).join(', ');
}

export function modelPage(view, id) {
  const body = h('div', {}, h('p', {}, 'Loading…'));
  view.append(h('h2', {}, 'Model ', h('code', {}, id)), body);
  api(`models/${encodeURIComponent(id)}`).then(model => {
    const overall = Object.entries(model.metrics).filter(([k]) => (!perClassMetric.test(k) || k.startsWith('baseline_')) && !isBreakdown(k));
    const perLanguage = languageTable(model.metrics);
    const perSet = setTable(model.metrics);
    const classes = new Map();
    for (const [key, value] of Object.entries(model.metrics)) {
      const match = key.match(perClassMetric);
      if (!match || key.startsWith('baseline_')) continue;
      if (!classes.has(match[1])) classes.set(match[1], {});
      classes.get(match[1])[match[2]] = value;
    }
    body.replaceChildren(...[
      h('div', { class: 'meta' }, ...[['Task', model.task], ['Base model', model.baseModel], ['Job', h('a', { href: `#/jobs/${model.jobId}` }, model.jobId)], ['Published', time(model.createdAt)], ['Blob prefix', model.blobPrefix]]
        .map(([k, v]) => h('span', {}, `${k}: `, h('b', {}, v)))),
      h('section', { 'aria-labelledby': 'metrics-heading' }, h('h3', { id: 'metrics-heading' }, 'Metrics'),
        h('table', { id: 'model-metrics' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Metric'), h('th', { scope: 'col', class: 'num' }, 'After fine-tuning'), h('th', { scope: 'col', class: 'num' }, 'Before'))),
          h('tbody', {}, overall.filter(([k]) => !k.startsWith('baseline_')).map(([k, v]) =>
            h('tr', {}, h('th', { scope: 'row' }, k), h('td', { class: 'num' }, number(v)), h('td', { class: 'num' }, number(model.metrics[`baseline_${k}`]))))))),
      perSet.size === 0 ? null : h('section', { 'aria-label': 'Validation sets' }, breakdownTable('model-sets', 'Per validation set', perSet),
        ...[...perSet.keys()].map(set => languageTable(model.metrics, `${set}/`)).map((table, i) => table.size === 0 ? null
          : breakdownTable(`model-set-${i}-languages`, `${[...perSet.keys()][i]} per language`, table))),
      perLanguage.size === 0 ? null : h('section', { 'aria-label': 'Per language' }, breakdownTable('model-languages', 'Per language', perLanguage)),
      classes.size === 0 ? null : h('section', { 'aria-labelledby': 'classes-heading' }, h('h3', { id: 'classes-heading' }, 'Per class'),
        h('table', { id: 'model-classes' }, h('thead', {}, h('tr', {}, ['Class', 'Precision', 'Recall', 'F1', 'Support'].map((t, i) => h('th', { scope: 'col', class: i ? 'num' : null }, t)))),
          h('tbody', {}, [...classes].map(([name, m]) => h('tr', {}, h('th', { scope: 'row' }, name),
            ...['precision', 'recall', 'f1', 'number'].map(k => h('td', { class: 'num' }, number(m[k])))))))),
      h('section', { 'aria-labelledby': 'files-heading' }, h('h3', { id: 'files-heading' }, 'Files'),
        h('p', { class: 'hint' }, 'The Hugging Face layout: the folder loads in transformers as is, and in this platform\'s runner.'),
        h('table', { id: 'model-files' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'File'), h('th', { scope: 'col', class: 'num' }, 'Size'))),
          h('tbody', {}, model.files.map(f => h('tr', {},
            h('td', {}, h('a', { href: link(`models/${encodeURIComponent(model.id)}/files/${f.path.split('/').map(encodeURIComponent).join('/')}`), download: f.path.split('/').pop() }, f.path)),
            h('td', { class: 'num' }, bytes(f.bytes))))))),
      tryBox(model),
      batchPredictionBox(model),
    ].filter(Boolean));
  }).catch(e => body.replaceChildren(h('p', { class: 'alert', role: 'alert' }, e.status === 404 ? `There is no model ${id} that you own.` : e.message)));
}
