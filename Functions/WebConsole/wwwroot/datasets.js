import { h, bytes, number, time } from './dom.js';
import { api, upload, openApiDocument, ApiError } from './api.js';

const contentTypes = { csv: 'text/csv', tsv: 'text/tab-separated-values', jsonl: 'application/x-ndjson', squad: 'application/json', conll: 'text/plain', text: 'text/plain' };
const formatByExtension = { csv: 'csv', tsv: 'tsv', jsonl: 'jsonl', ndjson: 'jsonl', json: 'squad', conll: 'conll', txt: 'text' };

export function datasetsPage(view) {
  const list = h('div', { id: 'dataset-list' }, h('p', {}, 'Loading…'));
  view.append(h('h2', {}, 'Datasets'), uploadSection(() => refresh()), h('section', { 'aria-labelledby': 'datasets-heading' }, h('h3', { id: 'datasets-heading' }, 'Your datasets'), list));

  async function refresh() {
    try {
      const datasets = await api('datasets');
      datasets.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      list.replaceChildren(datasets.length === 0 ? h('p', {}, 'No datasets yet: upload one above.') : datasetTable(datasets, refresh));
    } catch (e) {
      list.replaceChildren(h('p', { class: 'alert', role: 'alert' }, `Could not list datasets: ${e.message}`));
    }
  }
  refresh();
}

function datasetTable(datasets, refresh) {
  return h('table', { id: 'datasets' },
    h('thead', {}, h('tr', {}, ['Name', 'Id', 'Task', 'Format', 'Rows', 'Size', 'Labels', 'Uploaded', ''].map(t => h('th', { scope: 'col', class: t === 'Rows' || t === 'Size' ? 'num' : null }, t)))),
    h('tbody', {}, datasets.map(d => h('tr', { 'data-id': d.id },
      h('td', {}, d.name), h('td', {}, h('code', {}, d.id)), h('td', {}, d.task), h('td', {}, d.format),
      h('td', { class: 'num' }, number(d.rowCount)), h('td', { class: 'num' }, bytes(d.bytes)),
      h('td', {}, Object.entries(d.labelCounts ?? {}).slice(0, 8).map(([k, v]) => `${k}: ${v}`).join(', ')),
      h('td', {}, time(d.createdAt)),
      h('td', {}, h('button', {
        class: 'danger', 'aria-label': `Delete dataset ${d.name}`,
        onclick: async () => {
          if (!confirm(`Delete dataset "${d.name}" (${d.id})?`)) return;
          try { await api(`datasets/${encodeURIComponent(d.id)}`, { method: 'DELETE' }); } catch (e) { alert(e.message); }
          refresh();
        },
      }, 'Delete')))),
  ));
}

function uploadSection(onUploaded) {
  const file = h('input', { type: 'file', id: 'upload-file', accept: '.csv,.tsv,.jsonl,.ndjson,.json,.conll,.txt', 'aria-describedby': 'upload-file-hint' });
  const zone = h('div', { class: 'dropzone', id: 'upload-dropzone' },
    h('label', { for: 'upload-file' }, 'Drop a file here, or choose one'),
    file,
    h('p', { class: 'hint', id: 'upload-file-hint' }, 'CSV, TSV, JSONL, CoNLL, SQuAD JSON or plain text; it is validated while it uploads.'));
  const name = h('input', { type: 'text', id: 'upload-name', maxlength: 200, required: true });
  const task = h('select', { id: 'upload-task' });
  const format = h('select', { id: 'upload-format' });
  const problemType = h('select', { id: 'upload-problem-type' }, h('option', { value: '' }, '(single label)'));
  const textColumn = h('input', { type: 'text', id: 'upload-text-column', placeholder: 'text' });
  const labelColumn = h('input', { type: 'text', id: 'upload-label-column', placeholder: 'label' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'upload-submit' }, 'Upload');
  const progress = h('progress', { id: 'upload-progress', max: 1, value: 0, 'aria-label': 'Upload progress', hidden: true });
  const progressText = h('span', { id: 'upload-progress-text', class: 'hint' });
  const report = h('div', { id: 'upload-report', 'aria-live': 'polite' });

  openApiDocument().then(doc => {
    const schemas = doc.components.schemas;
    task.append(...schemas.TaskType.enum.map(v => h('option', { value: v }, v)));
    format.append(...schemas.DatasetFormat.enum.map(v => h('option', { value: v }, v)));
    problemType.append(...schemas.ProblemType.enum.map(v => h('option', { value: v }, v)));
  });

  const choose = f => {
    if (!f) return;
    const extension = f.name.split('.').pop().toLowerCase();
    if (!name.value) name.value = f.name.replace(/\.[^.]+$/, '');
    if (formatByExtension[extension]) format.value = formatByExtension[extension];
    zone.querySelector('label').textContent = `${f.name} (${bytes(f.size)})`;
  };
  file.addEventListener('change', () => choose(file.files[0]));
  zone.addEventListener('dragover', e => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', e => {
    e.preventDefault();
    zone.classList.remove('over');
    if (e.dataTransfer.files.length) { file.files = e.dataTransfer.files; choose(file.files[0]); }
  });

  const unlabeled = h('input', { type: 'checkbox', id: 'upload-unlabeled' });
  const form = h('form', { id: 'upload-form', novalidate: true },
    zone,
    h('div', { class: 'grid' },
      field('Name', name), field('Task', task), field('Format', format), field('Problem type (text classification)', problemType),
      field('Text column', textColumn), field('Label column', labelColumn),
      h('div', { class: 'checkbox' }, unlabeled, ' ', h('label', { for: 'upload-unlabeled' }, 'No labels: texts to run a model over (text classification)'))),
    h('div', { class: 'row' }, submit, progress, progressText));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    report.replaceChildren();
    const chosen = file.files[0];
    if (!chosen) { report.append(h('p', { class: 'alert', role: 'alert' }, 'Choose a file to upload first.')); file.focus(); return; }
    const query = new URLSearchParams({ name: name.value || chosen.name, format: format.value, task: task.value });
    if (problemType.value) query.set('problemType', problemType.value);
    if (textColumn.value) query.set('textColumn', textColumn.value);
    if (labelColumn.value) query.set('labelColumn', labelColumn.value);
    if (unlabeled.checked) query.set('unlabeled', 'true');
    submit.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    try {
      const answer = await upload(`datasets?${query}`, chosen, contentTypes[format.value] ?? 'application/octet-stream', (sent, total) => {
        progress.value = sent / total;
        progressText.textContent = `${bytes(sent)} of ${bytes(total)}`;
      });
      progress.value = 1;
      progressText.textContent = 'Uploaded and valid.';
      report.append(validReport(answer));
      onUploaded();
    } catch (error) {
      progressText.textContent = 'Rejected.';
      report.append(errorReport(error));
    } finally {
      submit.disabled = false;
    }
  });
  return h('section', { 'aria-labelledby': 'upload-heading' }, h('h3', { id: 'upload-heading' }, 'Upload'), form, report);
}

function field(text, control) {
  return h('div', {}, h('label', { for: control.id }, text), control);
}

function validReport({ dataset, validation }) {
  return h('div', { class: 'ok', id: 'upload-valid' },
    h('p', {}, h('b', {}, dataset.name), ` stored as `, h('code', {}, dataset.id), `: ${number(validation.rowCount)} rows, ${bytes(dataset.bytes)}, columns ${validation.columns.join(', ')}.`),
    Object.keys(validation.labelCounts).length === 0 ? null :
      h('table', {}, h('caption', {}, 'Examples per label'),
        h('tbody', {}, Object.entries(validation.labelCounts).map(([label, count]) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', { class: 'num' }, number(count)))))));
}

function errorReport(error) {
  const problem = error instanceof ApiError ? error.problem : { detail: String(error) };
  const rowErrors = (problem.errors ?? []).filter(e => e.location);
  return h('div', { class: 'alert', role: 'alert', id: 'upload-rejected' },
    h('p', {}, h('b', {}, problem.title ?? 'Upload failed. '), ' ', problem.detail ?? '', problem.field && !rowErrors.length ? ` (${problem.field})` : ''),
    rowErrors.length === 0 ? null : h('table', { id: 'upload-errors' },
      h('caption', {}, `${problem.errorCount ?? rowErrors.length} error(s) in ${problem.rowCount ?? '?'} row(s)${problem.errorCount > rowErrors.length ? `; the first ${rowErrors.length} are listed` : ''}`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Where'), h('th', { scope: 'col' }, 'Column'), h('th', { scope: 'col' }, 'Problem'))),
      h('tbody', {}, rowErrors.map(e => h('tr', {}, h('td', {}, e.location), h('td', {}, e.column ?? ''), h('td', {}, e.message))))));
}
