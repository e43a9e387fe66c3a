import { h, number } from './dom.js';

const percent = share => `${(100 * share).toFixed(1)}%`;
const languages = profile => Object.entries(profile.languages).map(([l, n]) => `${l} ${n}`).join(', ');

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
      h('thead', {}, h('tr', {}, ['', 'examples', 'tokens p50', 'p95', 'max', 'truncated', '[UNK]', 'languages'].map((t, i) => h('th', { scope: 'col', class: i && i < 7 ? 'num' : null }, t)))),
      h('tbody', {}, sides.map(([name, p]) => h('tr', {}, h('th', { scope: 'row' }, name),
        ...[p.examples, p.tokensPerExample.p50, p.tokensPerExample.p95, p.tokensPerExample.max].map(v => h('td', { class: 'num' }, String(v))),
        h('td', { class: 'num' }, percent(p.truncatedShare)), h('td', { class: 'num' }, percent(p.unknownRate)), h('td', {}, languages(p)))))),
    h('p', { class: 'hint' },
      `maxSequenceLength ${report.lengthAdvice.keepsNinetyFivePercent} keeps 95% of the training examples whole, ${report.lengthAdvice.keepsNinetyNinePercent} keeps 99%. ` +
      `${estimate.steps} steps, about ${Math.round(estimate.seconds)} s on ${estimate.gpuProfile}` +
      (estimate.cost != null ? ` (${number(estimate.cost)} ${estimate.currency})` : '') + `. Assumption: ${estimate.assumption}.`));
}
