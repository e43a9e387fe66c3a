import { h, number } from './dom.js';
import { api } from './api.js';

// Batch prediction from the model page: pick a ready dataset of the model's task, POST /api/batch-predictions, and
// follow the job on its page. The API's messages land at the field they name.
export function batchPredictionBox(model) {
  if (model.task === 'pretraining') return null;
  const dataset = h('select', { id: 'batch-dataset', 'aria-describedby': 'batch-err-dataset' }, h('option', { value: '' }, 'Loading…'));
  const batchSize = h('input', { type: 'number', id: 'batch-size', min: 1, max: 1024, value: 32, 'aria-describedby': 'batch-err-batchSize' });
  const errors = { dataset: h('p', { class: 'field-error', id: 'batch-err-dataset' }), batchSize: h('p', { class: 'field-error', id: 'batch-err-batchSize' }) };
  const general = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'batch-submit' }, 'Run over the dataset');
  api('datasets').then(all => {
    const mine = all.filter(d => d.task === model.task && d.status === 'ready');
    dataset.replaceChildren(h('option', { value: '' }, mine.length ? '(choose)' : `(no ${model.task} dataset: upload one)`),
      ...mine.map(d => h('option', { value: d.id }, `${d.name} (${d.id}, ${number(d.rowCount)} rows)`)));
  }).catch(e => general.replaceChildren(h('p', { class: 'alert' }, e.message)));

  const form = h('form', { id: 'batch-form', novalidate: true },
    h('div', { class: 'grid' },
      h('div', {}, h('label', { for: 'batch-dataset' }, 'Dataset'), dataset, errors.dataset),
      h('div', {}, h('label', { for: 'batch-size' }, 'Batch size'), batchSize, errors.batchSize)),
    h('div', { class: 'row' }, submit), general);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    for (const [name, error] of Object.entries(errors)) { error.textContent = ''; (name === 'dataset' ? dataset : batchSize).removeAttribute('aria-invalid'); }
    general.replaceChildren();
    submit.disabled = true;
    try {
      const job = await api('batch-predictions', { method: 'POST', json: { model: model.id, dataset: dataset.value, batchSize: Number(batchSize.value) } });
      location.hash = `#/jobs/${job.id}`;
    } catch (e) {
      const problems = e.problem?.errors?.length ? e.problem.errors : [{ field: e.problem?.field, message: e.message }];
      for (const p of problems) {
        if (errors[p.field]) {
          errors[p.field].textContent = p.message;
          (p.field === 'dataset' ? dataset : batchSize).setAttribute('aria-invalid', 'true');
        } else general.append(h('p', { class: 'alert', role: 'alert' }, p.message));
      }
    } finally {
      submit.disabled = false;
    }
  });
  return h('section', { 'aria-labelledby': 'batch-heading' }, h('h3', { id: 'batch-heading' }, 'Batch prediction'),
    h('p', { class: 'hint' }, 'Runs the model over every record of a dataset on a runner; the predictions (JSON Lines, in the dataset\'s order) and the metrics over its labels are on the job\'s page.'),
    form);
}
