import { h, number, clock, time, duration, statusBadge, poll } from './dom.js';
import { api, link } from './api.js';
import { lineChart } from './charts.js';
import { preflightSection } from './preflight.js';
import { isBreakdown } from './breakdowns.js';

// Event metrics that are positions, not measurements.
const positionKeys = new Set(['step', 'epoch']);

export function jobPage(view, id) {
  const status = h('span', {}, statusBadge('…', 'job-status'));
  const meta = h('div', { class: 'meta', id: 'job-meta' });
  const progress = h('progress', { id: 'job-progress', max: 1, value: 0, 'aria-label': 'Training progress' });
  const progressText = h('p', { id: 'job-progress-text', class: 'hint' });
  const cancel = h('button', { id: 'job-cancel', class: 'danger', disabled: true }, 'Cancel job');
  const problem = h('div', { id: 'job-problem', 'aria-live': 'polite' });
  const published = h('section', { id: 'published', 'aria-labelledby': 'published-heading', hidden: true });
  const preflight = h('div', {});
  const loss = lineChart('chart-loss', 'Training loss', { order: ['loss', 'eval loss'] });
  const rate = lineChart('chart-lr', 'Learning rate');
  const evaluation = lineChart('chart-eval', 'Evaluation metrics');
  const log = h('tbody', {});
  const charts = h('section', { 'aria-label': 'Training curves', class: 'charts' }, loss.element, rate.element, evaluation.element);
  const isBatch = () => job?.kind === 'batch_prediction';
  view.append(
    h('h2', {}, 'Job ', h('code', {}, id), ' ', status),
    meta,
    h('section', { 'aria-label': 'Progress' }, progress, progressText, h('div', { class: 'row' }, cancel)),
    problem,
    published,
    preflight,
    charts,
    h('section', { 'aria-labelledby': 'log-heading' }, h('h3', { id: 'log-heading' }, 'Events'),
      h('div', { class: 'log', tabindex: 0, 'aria-label': 'Event log' }, h('table', { id: 'event-log' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Time'), h('th', { scope: 'col' }, 'Kind'), h('th', { scope: 'col' }, 'Message'))), log))));

  let after = 0, job = null, finalSeen = false;
  cancel.addEventListener('click', async () => {
    cancel.disabled = true;
    try { job = await api(`jobs/${encodeURIComponent(id)}/cancel`, { method: 'POST' }); render(); }
    catch (e) { problem.replaceChildren(h('p', { class: 'alert', role: 'alert' }, e.message)); }
  });

  return poll(async () => {
    try {
      job = await api(`jobs/${encodeURIComponent(id)}`);
    } catch (e) {
      problem.replaceChildren(h('p', { class: 'alert', role: 'alert' }, e.status === 404 ? `There is no job ${id} that you own.` : e.message));
      return e.status !== 404;
    }
    const events = await api(`jobs/${encodeURIComponent(id)}/events?after=${after}`);
    for (const event of events) addEvent(event);
    if (events.length) { after = events.at(-1).sequence; loss.draw(); rate.draw(); evaluation.draw(); }
    render();
    const final = ['succeeded', 'failed', 'cancelled'].includes(job.status);
    // The last event is written just after the final status: poll once more before stopping.
    if (final && finalSeen) { if (job.status === 'succeeded') await (isBatch() ? showPredictions() : showPublished()); return false; }
    finalSeen = final;
  }, 1000);

  function addEvent(event) {
    log.prepend(h('tr', { 'data-kind': event.kind }, h('td', { title: time(event.timestamp) }, clock(event.timestamp)), h('td', {}, event.kind), h('td', {}, event.message)));
    const m = event.metrics;
    if (!m || m.step == null) return;
    if (event.kind === 'train') {
      loss.add('loss', m.step, m.loss);
      rate.add('learning rate', m.step, m.learning_rate);
    } else if (event.kind === 'eval') {
      for (const [name, value] of Object.entries(m)) {
        // Per-language and per-set breakdowns are in the model's tables, not the curves.
        if (positionKeys.has(name) || isBreakdown(name)) continue;
        if (name === 'loss' || name === 'eval_loss') loss.add('eval loss', m.step, value);
        else if (value >= -1 && value <= 1) evaluation.add(name, m.step, value);
      }
    }
  }

  function render() {
    status.replaceChildren(statusBadge(job.status, 'job-status'));
    const spec = job.spec, batch = job.batchPrediction;
    charts.hidden = isBatch();
    meta.replaceChildren(...(isBatch() ? [
      ['Kind', 'batch prediction'], ['Task', spec.task], ['Model', batch.model], ['Dataset', batch.dataset], ['Batch', batch.batchSize],
      ['Attempts', job.attempts], ['Runner', job.leaseOwner],
    ] : [
      ['Task', spec.task], ['Base model', spec.baseModel], ['Training data', spec.trainingDataset],
      ['Validation data', spec.validationSets ? spec.validationSets.map(s => s.name + (s.name === (spec.selectOn ?? spec.validationSets[0].name) ? ' (selects)' : '')).join(', ')
        : spec.validationDataset ?? `${spec.hyperparameters.validationSplit * 100}% held out`],
      ['Epochs', spec.hyperparameters.epochs], ['Batch', spec.hyperparameters.batchSize], ['Learning rate', spec.hyperparameters.learningRate],
      ['Attempts', job.attempts], ['Runner', job.leaseOwner],
    ]).filter(([, v]) => v != null).map(([k, v]) => h('span', {}, `${k}: `, h('b', {}, String(v)))));
    const fraction = job.status === 'succeeded' ? 1 : job.progress ?? 0;
    progress.value = fraction;
    const started = job.startedAt ? Date.parse(job.startedAt) : null;
    const ended = job.completedAt ? Date.parse(job.completedAt) : Date.now();
    const elapsed = started ? (ended - started) / 1000 : null;
    const eta = job.status === 'running' && fraction > 0 && elapsed != null ? elapsed * (1 - fraction) / fraction : null;
    progressText.textContent = `${Math.round(100 * fraction)}% · elapsed ${duration(elapsed)}` + (eta != null ? ` · about ${duration(eta)} left` : '');
    cancel.disabled = !['queued', 'running'].includes(job.status) || (job.cancelRequested && job.status === 'running');
    if (job.preflight && !preflight.firstChild) preflight.replaceChildren(preflightSection(job.preflight));
    if (job.error) problem.replaceChildren(h('p', { class: 'alert', role: 'alert' }, job.error));
  }

  // A batch prediction publishes a predictions file and the task's metrics over the dataset's labels.
  function showPredictions() {
    const scores = Object.entries(job.metrics ?? {}).filter(([k]) => !k.startsWith('time_') && !['predictions', 'inputs_per_second'].includes(k));
    published.replaceChildren(h('h3', { id: 'published-heading' }, 'Predictions'),
      h('p', { class: 'ok' }, `${number(job.output.predictions)} predictions (one JSON line per record, in the dataset's order) at ${job.metrics.inputs_per_second.toFixed(1)} inputs/s. `,
        h('a', { href: link(`jobs/${encodeURIComponent(id)}/predictions`), download: `predictions-${id}.jsonl`, id: 'predictions-link' }, 'Download predictions')),
      scores.length === 0 ? null : h('table', { id: 'prediction-metrics' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Metric over the dataset\'s labels'), h('th', { scope: 'col', class: 'num' }, 'Value'))),
        h('tbody', {}, scores.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', { class: 'num' }, number(v)))))));
    published.hidden = false;
  }

  async function showPublished() {
    const model = await api(`models/${encodeURIComponent(job.modelId ?? id)}`);
    let summary = null;
    if (model.files.some(f => f.path === 'metrics.json')) {
      const response = await fetch(link(`models/${encodeURIComponent(model.id)}/files/metrics.json`));
      summary = response.ok ? await response.json() : null;
    }
    // metrics.json names the metric that ranked the checkpoints and the rule (ties go to the lower eval loss).
    const chosen = summary?.metricForBestModel;
    published.replaceChildren(h('h3', { id: 'published-heading' }, 'Published model'),
      h('p', { class: 'ok' },
        summary
          ? `The checkpoint of step ${summary.bestStep} of ${summary.steps} was published: it had the best ${chosen} on the evaluation data ` +
            `(${number(summary.eval?.[chosen])}${summary.baseline?.[chosen] != null ? `; ${number(summary.baseline[chosen])} before training` : ''}). ` +
            `Rule: ${summary.selectionRule}.` +
            (summary.stoppedEarly ? ' Training stopped early: the metric had stopped improving.' : '')
          : 'The model was published.',
        ' ', h('a', { href: `#/models/${model.id}`, id: 'published-model-link' }, 'Open the model')));
    published.hidden = false;
  }
}
