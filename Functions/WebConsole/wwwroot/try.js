import { h, number } from './dom.js';
import { api } from './api.js';

// The "try the model" box: a form in the model's task shape that calls POST /api/models/{id}/predict with one input
// and shows the answer the way the task reads (label and scores, entities in the text, the answer in the context,
// the chosen ending, the fills of each [MASK]). The API's errors land next to the field they name (inputs[0].text).

const forms = {
  text_classification: [
    { name: 'text', label: 'Text', multiline: true },
    { name: 'text_pair', label: 'Second text (optional, for pair models)', optional: true },
  ],
  token_classification: [
    { name: 'text', label: 'Text', multiline: true },
  ],
  question_answering: [
    { name: 'question', label: 'Question' },
    { name: 'context', label: 'Context', multiline: true },
  ],
  multiple_choice: [
    { name: 'context', label: 'Context', multiline: true },
    { name: 'question', label: 'Start of the ending (optional)', optional: true },
    { name: 'endings', label: 'Endings, one per line', multiline: true, lines: true },
  ],
  pretraining: [
    { name: 'text', label: 'Text with [MASK]', multiline: true, value: 'paris is the [MASK] of france.' },
  ],
};

export function tryBox(model) {
  const fields = forms[model.task];
  if (!fields) return null;
  if (!model.files.some(f => f.path === 'model.onnx'))
    return h('section', { 'aria-labelledby': 'try-heading' }, h('h3', { id: 'try-heading' }, 'Try the model'),
      h('p', { class: 'hint' }, 'This model has no model.onnx (published before ONNX export), so the predict endpoint cannot run it.'));

  const controls = new Map(), errors = new Map();
  const field = f => {
    const id = `try-${f.name}`;
    const control = f.multiline
      ? h('textarea', { id, rows: f.lines ? 4 : 3, 'aria-describedby': `try-err-${f.name}`, required: !f.optional })
      : h('input', { type: 'text', id, 'aria-describedby': `try-err-${f.name}`, required: !f.optional });
    if (f.value) control.value = f.value;
    const error = h('p', { class: 'field-error', id: `try-err-${f.name}`, role: 'alert' });
    controls.set(f.name, control);
    errors.set(f.name, error);
    return h('div', {}, h('label', { for: id }, f.label), control, error);
  };
  const options = [];
  let asWords = null, impossible = null, topK = null;
  if (model.task === 'token_classification') {
    asWords = h('input', { type: 'checkbox', id: 'try-as-words' });
    options.push(h('div', { class: 'checkbox' }, asWords, ' ', h('label', { for: 'try-as-words' }, 'Send as words split on spaces (tokens)')));
  }
  if (model.task === 'question_answering') {
    impossible = h('input', { type: 'checkbox', id: 'try-impossible' });
    options.push(h('div', { class: 'checkbox' }, impossible, ' ', h('label', { for: 'try-impossible' }, 'Allow "no answer" (SQuAD 2.0 models)')));
  }
  if (model.task === 'pretraining') {
    topK = h('input', { type: 'number', id: 'try-topk', min: 1, max: 100, value: 5 });
    options.push(h('div', {}, h('label', { for: 'try-topk' }, 'Fills per mask (topK)'), topK, h('p', { class: 'field-error', id: 'try-err-topK' })));
    errors.set('topK', options.at(-1).lastChild);
  }
  const general = h('div', { id: 'try-problem', 'aria-live': 'polite' });
  const result = h('div', { id: 'try-result', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'try-submit' }, 'Predict');
  const form = h('form', { id: 'try-form', novalidate: true }, h('div', { class: 'grid try-grid' }, fields.map(field), options), h('div', { class: 'row' }, submit), general);

  form.addEventListener('submit', async event => {
    event.preventDefault();
    for (const [name, error] of errors) { error.textContent = ''; controls.get(name)?.removeAttribute('aria-invalid'); }
    general.replaceChildren();
    const input = {};
    for (const f of fields) {
      const value = controls.get(f.name).value;
      if (f.optional && value.trim() === '') continue;
      input[f.name] = f.lines ? value.split('\n').map(l => l.trim()).filter(Boolean) : value;
    }
    let sentText = input.text;
    if (asWords?.checked) { input.tokens = input.text.split(/\s+/).filter(Boolean); sentText = input.tokens.join(' '); delete input.text; }
    const body = { inputs: [input] };
    if (impossible) body.handleImpossibleAnswer = impossible.checked;
    if (topK) body.topK = Number(topK.value);
    submit.disabled = true;
    result.replaceChildren(h('p', { class: 'hint' }, 'Predicting…'));
    try {
      const answer = await api(`models/${encodeURIComponent(model.id)}/predict`, { method: 'POST', json: body });
      result.replaceChildren(render(model.task, answer.predictions[0], { ...input, text: sentText }),
        h('p', { class: 'hint' }, `ONNX Runtime on the API's CPU: ${answer.inferenceMilliseconds.toFixed(1)} ms` +
          (answer.loadMilliseconds > 1 ? ` (+ ${answer.loadMilliseconds.toFixed(0)} ms to load the model)` : '')));
    } catch (e) {
      result.replaceChildren();
      // inputs[0].text → the text field; inputs[0].tokens is what "as words" sent from the text field.
      const name = (e.problem?.field ?? '').replace(/^inputs\[0\]\./, '').replace(/^tokens$/, 'text').replace(/^inputs(\[0\])?$/, '');
      if (errors.has(name)) {
        errors.get(name).textContent = e.message;
        controls.get(name)?.setAttribute('aria-invalid', 'true');
        controls.get(name)?.focus();
      } else {
        general.replaceChildren(h('p', { class: 'alert', role: 'alert' }, e.message));
      }
    } finally {
      submit.disabled = false;
    }
  });

  return h('section', { 'aria-labelledby': 'try-heading', id: 'try' }, h('h3', { id: 'try-heading' }, 'Try the model'),
    h('p', { class: 'hint' }, 'One input through POST /api/models/{id}/predict, as a client would send it.'), form, result);
}

function render(task, p, input) {
  switch (task) {
    case 'text_classification': return classification(p);
    case 'token_classification': return entities(p, input.text);
    case 'question_answering': return answer(p, input.context);
    case 'multiple_choice': return choice(p);
    default: return fills(p);
  }
}

function scoresTable(scores, chosen) {
  const rows = Object.entries(scores).sort((a, b) => b[1] - a[1]);
  return h('table', { id: 'try-scores' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Label'), h('th', { scope: 'col', class: 'num' }, 'Score'))),
    h('tbody', {}, rows.map(([label, score]) => h('tr', { class: chosen.includes(label) ? 'chosen' : null },
      h('th', { scope: 'row' }, label), h('td', { class: 'num' }, h('meter', { min: 0, max: 1, value: score, 'aria-hidden': 'true' }), ' ', number(score))))));
}

function classification(p) {
  if (p.value !== undefined) return h('p', { class: 'ok' }, 'Predicted value: ', h('b', { id: 'try-value' }, number(p.value)));
  if (p.labels !== undefined)
    return h('div', {}, h('p', { class: 'ok' }, 'Predicted labels: ', h('b', { id: 'try-label' }, p.labels.length ? p.labels.join(', ') : '(none above 0.5)')),
      scoresTable(p.scores, p.labels));
  return h('div', {}, h('p', { class: 'ok' }, 'Predicted label: ', h('b', { id: 'try-label' }, p.label), ` (score ${number(p.score)})`),
    scoresTable(p.scores, [p.label]));
}

/** The text with each span marked; spans are character offsets into the text that was sent. */
function highlighted(text, spans, id) {
  const parts = [];
  let at = 0;
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    if (span.start < at) continue;
    parts.push(text.slice(at, span.start), h('mark', { class: `entity ${span.css ?? ''}`, title: span.title }, text.slice(span.start, span.end), span.tag ? h('sup', {}, span.tag) : null));
    at = span.end;
  }
  parts.push(text.slice(at));
  return h('p', { class: 'highlighted', id }, parts);
}

function entities(p, text) {
  return h('div', {},
    p.entities.length === 0 ? h('p', { class: 'ok' }, 'No entities found.') :
      highlighted(text, p.entities.map(e => ({ start: e.start, end: e.end, tag: e.entity_group, css: `group-${e.entity_group.replace(/\W/g, '')}`, title: `${e.entity_group} ${number(e.score)}` })), 'try-entities'),
    h('table', { id: 'try-entity-list' }, h('thead', {}, h('tr', {}, ['Entity', 'Type', 'Characters', 'Score'].map((t, i) => h('th', { scope: 'col', class: i === 3 ? 'num' : null }, t)))),
      h('tbody', {}, p.entities.map(e => h('tr', {}, h('td', {}, e.word), h('td', {}, e.entity_group), h('td', {}, `${e.start}–${e.end}`), h('td', { class: 'num' }, number(e.score)))))));
}

function answer(p, context) {
  if (p.start == null)
    return h('p', { class: 'ok', id: 'try-answer' }, `No answer in the context (score ${number(p.score)}).`);
  return h('div', {}, h('p', { class: 'ok' }, 'Answer: ', h('b', { id: 'try-answer' }, p.answer), ` (characters ${p.start}–${p.end}, score ${number(p.score)}, ${p.windows} window${p.windows === 1 ? '' : 's'})`),
    highlighted(context, [{ start: p.start, end: p.end, title: 'answer' }], 'try-context'));
}

function choice(p) {
  return h('div', {}, h('p', { class: 'ok' }, 'Chosen ending: ', h('b', { id: 'try-choice' }, p.ending), ` (number ${p.choice + 1})`),
    h('ol', { id: 'try-endings' }, p.scores.map((s, i) => h('li', { class: i === p.choice ? 'chosen' : null }, h('meter', { min: 0, max: 1, value: s, 'aria-hidden': 'true' }), ` ${number(s)}`))));
}

function fills(p) {
  if (!p.masks?.length) return h('p', { class: 'ok' }, 'No [MASK] to fill.');
  return h('div', { id: 'try-fills' }, p.masks.map((m, i) => h('div', {}, h('p', {}, `[MASK] ${i + 1} (token ${m.position}):`),
    h('ol', {}, m.top.map(t => h('li', {}, h('code', {}, t.token), ` ${number(t.score)}`))))));
}
