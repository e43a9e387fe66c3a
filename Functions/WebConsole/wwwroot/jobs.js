import { h, number, time, statusBadge, poll } from './dom.js';
import { api, openApiDocument, ApiError } from './api.js';

// Which options object of the job spec belongs to which task; the form shows only the selected task's.
const taskOptions = {
  token_classification: ['tokenClassification', 'TokenClassificationOptions'],
  question_answering: ['questionAnswering', 'QuestionAnsweringOptions'],
  pretraining: ['pretraining', 'PretrainingOptions'],
};

export function jobsPage(view) {
  const list = h('div', { id: 'job-list' }, h('p', {}, 'Loading…'));
  const formSection = h('section', { 'aria-labelledby': 'new-job-heading' }, h('h3', { id: 'new-job-heading' }, 'New job'), h('p', {}, 'Loading the API description…'));
  view.append(h('h2', {}, 'Jobs'), formSection, h('section', { 'aria-labelledby': 'jobs-heading' }, h('h3', { id: 'jobs-heading' }, 'Your jobs'), list));
  jobForm().then(form => formSection.replaceChildren(formSection.firstChild, form)).catch(e => formSection.append(h('p', { class: 'alert' }, e.message)));
  return poll(async () => {
    const jobs = await api('jobs');
    jobs.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    list.replaceChildren(jobs.length === 0 ? h('p', {}, 'No jobs yet.') : h('table', { id: 'jobs' },
      h('thead', {}, h('tr', {}, ['Job', 'Task', 'Base model (or model run)', 'Status', 'Progress', 'Submitted'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, jobs.map(j => h('tr', {},
        h('td', {}, h('a', { href: `#/jobs/${j.id}` }, j.id)),
        h('td', {}, j.kind === 'batch_prediction' ? [j.spec.task, ' ', h('span', { class: 'kind' }, 'batch prediction')] : j.spec.task),
        h('td', {}, j.kind === 'batch_prediction' ? `model ${j.batchPrediction.model}` : j.spec.baseModel),
        h('td', {}, statusBadge(j.status)), h('td', { class: 'num' }, j.progress == null ? '' : `${Math.round(100 * j.progress)}%`),
        h('td', {}, time(j.createdAt)))))));
  }, 3000);
}

/** The form is built from the JobSpec schema of the OpenAPI document: its defaults, ranges and descriptions. */
async function jobForm() {
  const [doc, datasets] = await Promise.all([openApiDocument(), api('datasets')]);
  const schemas = doc.components.schemas;
  const controls = new Map();   // field path → { control, schema }
  const errorsFor = new Map();  // field path → error element

  const task = h('select', { id: 'f-task', 'data-field': 'task' }, schemas.TaskType.enum.map(t => h('option', { value: t }, t)));
  const training = h('select', { id: 'f-trainingDataset', 'data-field': 'trainingDataset', required: true });
  const validation = h('select', { id: 'f-validationDataset', 'data-field': 'validationDataset' });
  const fillDatasets = () => {
    const mine = datasets.filter(d => d.task === task.value);
    training.replaceChildren(h('option', { value: '' }, mine.length ? '(choose)' : '(no dataset for this task: upload one)'),
      ...mine.map(d => h('option', { value: d.id }, `${d.name} (${d.id}, ${number(d.rowCount)} rows)`)));
    validation.replaceChildren(h('option', { value: '' }, '(hold out part of the training data)'),
      ...mine.map(d => h('option', { value: d.id }, `${d.name} (${d.id})`)));
    if (mine.length) training.value = mine[0].id;
  };
  task.addEventListener('change', () => { fillDatasets(); showTaskOptions(); });
  const spec = schemas.JobSpec.properties;
  const baseModel = h('input', { type: 'text', id: 'f-baseModel', 'data-field': 'baseModel', value: spec.baseModel.default, 'aria-describedby': 'hint-baseModel' });

  const general = h('fieldset', {}, h('legend', {}, 'What to train'), h('div', { class: 'grid' },
    wrap('task', 'Task', task, 'What the model learns.'),
    wrap('baseModel', 'Base model', baseModel, spec.baseModel.description),
    wrap('trainingDataset', 'Training dataset', training, null),
    wrap('validationDataset', 'Validation dataset', validation, spec.validationDataset.description),
  ));
  const problem = schemaControl('problemType', { type: ['string', 'null'], enum: schemas.ProblemType.enum, default: null }, 'from the dataset');
  const problemSet = h('fieldset', { 'data-task': 'text_classification' }, h('legend', {}, 'Text classification'), h('div', { class: 'grid' },
    wrap('problemType', 'Problem type', problem, spec.problemType.description)));
  controls.set('problemType', { control: problem, schema: { type: 'string' } });
  const hyper = h('fieldset', {}, h('legend', {}, 'Hyperparameters'), h('div', { class: 'grid' },
    Object.entries(schemas.Hyperparameters.properties).map(([name, schema]) => schemaField(`hyperparameters.${name}`, name, schema))));
  const perTask = Object.entries(taskOptions).map(([taskName, [property, schemaName]]) =>
    h('fieldset', { 'data-task': taskName }, h('legend', {}, `${taskName.replace('_', ' ')} options`), h('div', { class: 'grid' },
      Object.entries(schemas[schemaName].properties).map(([name, schema]) => schemaField(`${property}.${name}`, name, schema)))));
  const showTaskOptions = () => {
    for (const set of [problemSet, ...perTask]) set.hidden = set.dataset.task !== task.value;
  };

  const summary = h('div', { id: 'job-form-errors', 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'job-submit' }, 'Submit job');
  const form = h('form', { id: 'job-form', novalidate: true }, general, problemSet, hyper, ...perTask, summary, submit);
  fillDatasets();
  showTaskOptions();

  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors();
    const body = { task: task.value, baseModel: baseModel.value, trainingDataset: training.value };
    if (validation.value) body.validationDataset = validation.value;
    for (const [path, { control, schema }] of controls) {
      if (control.closest('fieldset')?.hidden) continue;
      const value = read(control, schema);
      if (value !== undefined) set(body, path, value);
    }
    submit.disabled = true;
    try {
      const job = await api('jobs', { method: 'POST', json: body });
      location.hash = `#/jobs/${job.id}`;
    } catch (error) {
      showErrors(error);
    } finally {
      submit.disabled = false;
    }
  });
  return form;

  function wrap(path, text, control, hint) {
    const error = h('p', { class: 'field-error', id: `err-${path}` });
    errorsFor.set(path, error);
    control.setAttribute('aria-describedby', [hint ? `hint-${path}` : null, `err-${path}`].filter(Boolean).join(' '));
    return h('div', {}, h('label', { for: control.id }, text), control, hint ? h('p', { class: 'hint', id: `hint-${path}` }, hint) : null, error);
  }

  function schemaField(path, name, schema) {
    const control = schemaControl(path, schema);
    controls.set(path, { control, schema });
    const hint = [schema.description, range(schema),
      schema.default === null ? 'Empty: none.' : null].filter(Boolean).join(' ');
    if (control.type === 'checkbox')
      return h('div', { class: 'checkbox' }, control, ' ', h('label', { for: control.id }, name), hint ? h('p', { class: 'hint', id: `hint-${path}` }, hint) : null, errorElement(path));
    return wrap(path, name, control, hint || null);
  }

  function errorElement(path) {
    const error = h('p', { class: 'field-error', id: `err-${path}` });
    errorsFor.set(path, error);
    return error;
  }

  function clearErrors() {
    summary.replaceChildren();
    for (const [path, element] of errorsFor) {
      element.textContent = '';
      form.querySelector(`[data-field="${path}"]`)?.removeAttribute('aria-invalid');
    }
  }

  function showErrors(error) {
    const problem = error instanceof ApiError ? error.problem : { detail: String(error) };
    const errors = problem.errors?.length ? problem.errors.filter(e => e.field) : problem.field ? [{ field: problem.field, message: problem.detail }] : [];
    let first = null;
    const unplaced = [];
    for (const { field, message } of errors) {
      const element = errorsFor.get(field);
      const control = form.querySelector(`[data-field="${field}"]`);
      if (!element || !control) { unplaced.push(`${field}: ${message}`); continue; }
      element.textContent = message;
      control.setAttribute('aria-invalid', 'true');
      first ??= control;
    }
    summary.append(h('p', { class: 'alert', role: 'alert' }, problem.title ?? 'The job was not accepted.', ' ', errors.length ? `${errors.length} field(s) to fix.` : problem.detail ?? '', unplaced.length ? ` ${unplaced.join('; ')}` : ''));
    (first ?? summary).focus?.();
  }
}

/** The schema's bounds in words: "From 1 to 100.", "Above 0, at most 1.", "At least 1." */
function range(schema) {
  const low = schema.minimum != null ? `at least ${schema.minimum}` : schema.exclusiveMinimum != null ? `above ${schema.exclusiveMinimum}` : null;
  const high = schema.maximum != null ? `at most ${schema.maximum}` : schema.exclusiveMaximum != null ? `below ${schema.exclusiveMaximum}` : null;
  if (schema.minimum != null && schema.maximum != null) return `From ${schema.minimum} to ${schema.maximum}.`;
  const words = [low, high].filter(Boolean).join(', ');
  return words ? words[0].toUpperCase() + words.slice(1) + '.' : null;
}

function schemaControl(path, schema, emptyText = 'none') {
  const types = [schema.type].flat();
  const id = `f-${path}`;
  if (schema.enum) {
    const select = h('select', { id, 'data-field': path },
      types.includes('null') || schema.default == null ? h('option', { value: '' }, `(${emptyText})`) : null,
      schema.enum.map(v => h('option', { value: v }, v)));
    if (schema.default != null) select.value = schema.default;
    return select;
  }
  if (types.includes('boolean')) {
    if (types.includes('null')) {
      const select = h('select', { id, 'data-field': path }, h('option', { value: '' }, '(decide from the data)'), h('option', { value: 'true' }, 'yes'), h('option', { value: 'false' }, 'no'));
      return select;
    }
    return h('input', { type: 'checkbox', id, 'data-field': path, checked: schema.default === true });
  }
  const numeric = types.includes('number') || types.includes('integer');
  // Text, not type=number: what the user typed reaches the API, whose message then says what is wrong with it.
  return h('input', { type: 'text', id, 'data-field': path, inputmode: numeric ? 'decimal' : null, value: schema.default ?? '', placeholder: schema.default === null ? 'none' : null });
}

/** The value to send, or undefined to leave the API's default. */
function read(control, schema) {
  const types = [schema.type].flat();
  if (control.type === 'checkbox') return control.checked;
  const text = control.value.trim();
  if (text === '') return undefined;
  if (types.includes('boolean')) return text === 'true';
  if (types.includes('number') || types.includes('integer')) {
    const n = Number(text);
    return Number.isFinite(n) ? n : text;
  }
  return text;
}

function set(target, path, value) {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) node = node[part] ??= {};
  node[parts.at(-1)] = value;
}
