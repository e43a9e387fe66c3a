import { h, number } from './dom.js';

const percent = share => `${(100 * share).toFixed(1)}%`;
const languages = profile => Object.entries(profile.languages).map(([l, n]) => `${l} ${n}`).join(', ');

// What the counts are of, per task: QA splits long contexts into windows rather than truncating them.
const units = report => report.task === 'pretraining' ? 'sentences' : report.task === 'question_answering' ? 'questions' : 'examples';
const cutColumn = report => report.task === 'question_answering' ? 'several windows' : 'truncated';

// Windows, entity types, documents: the figures only some tasks have, one line per dataset.
const taskFigures = (name, p) => [
  p.windows && `${name}: ${p.windows.windows} windows (${p.windows.windowsPerQuestion} a question, up to ${p.windows.maxWindows}), ` +
    `${p.windows.answersOutsideWindows} of ${p.windows.answerable} answers in no window`,
  p.entities && `${name} entity types: ${Object.entries(p.entities).map(([t, n]) => `${t} ${n}`).join(', ')}`,
  p.documents != null && `${name}: ${p.documents} documents`,
].filter(Boolean);

// The job's pre-flight report: warnings first, then each dataset as the base model's tokenizer sees it.
export function preflightSection(report) {
  const sides = [['training', report.training], ...(report.validation ? [['validation', report.validation]] : []),
    ...(report.validationSets ?? []).map(s => [s.name, s.profile])];
  const estimate = report.estimate;
  return h('section', { id: 'preflight', 'aria-labelledby': 'preflight-heading' },
    h('h3', { id: 'preflight-heading' }, `Pre-flight report (${report.baseModel}, ${report.maxSequenceLength} tokens)`),
    report.warnings.length === 0 ? h('p', { class: 'ok' }, 'No warnings.')
      : h('ul', { id: 'preflight-warnings', class: 'alert' }, report.warnings.map(w => h('li', {}, w))),
    h('table', { id: 'preflight-datasets' },
      h('thead', {}, h('tr', {}, ['', units(report), 'tokens p50', 'p95', 'max', cutColumn(report), '[UNK]', 'languages'].map((t, i) => h('th', { scope: 'col', class: i && i < 7 ? 'num' : null }, t)))),
      h('tbody', {}, sides.map(([name, p]) => h('tr', {}, h('th', { scope: 'row' }, name),
        ...[p.examples, p.tokensPerExample.p50, p.tokensPerExample.p95, p.tokensPerExample.max].map(v => h('td', { class: 'num' }, String(v))),
        h('td', { class: 'num' }, percent(p.truncatedShare)), h('td', { class: 'num' }, percent(p.unknownRate)), h('td', {}, languages(p)))))),
    ...sides.flatMap(([name, p]) => taskFigures(name, p)).map(line => h('p', { class: 'hint' }, line)),
    h('p', { class: 'hint', id: 'preflight-estimate' },
      `maxSequenceLength ${report.lengthAdvice.keepsNinetyFivePercent} keeps 95% of the training examples whole, ${report.lengthAdvice.keepsNinetyNinePercent} keeps 99%. ` +
      `${estimate.steps} steps, about ${Math.round(estimate.seconds)} s on ${estimate.gpuProfile}` +
      (estimate.cost != null ? `, about ${number(estimate.cost)} ${estimate.currency} at ${number(estimate.pricePerHour)} ${estimate.currency} an hour` : '') +
      `. Assumption: ${estimate.assumption}.`));
}
