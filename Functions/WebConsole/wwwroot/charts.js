import { h, number } from './dom.js';

/** Tick labels with as many decimals as the spacing needs (uPlot's default rounds 0.6935 and 0.6938 alike). */
function tickLabels(u, splits) {
  const step = splits.length > 1 ? Math.abs(splits[1] - splits[0]) : 1;
  const largest = Math.max(...splits.map(Math.abs));
  if (largest !== 0 && (largest < 1e-2 || largest >= 1e5)) return splits.map(v => (v === 0 ? '0' : v.toExponential(1)));
  const decimals = Math.min(6, Math.max(0, Math.ceil(-Math.log10(step || 1))));
  return splits.map(v => v.toFixed(decimals));
}

const palette = ['#0a58ca', '#cf222e', '#1a7f37', '#9a6700', '#8250df', '#bf3989', '#0550ae', '#57606a'];

/**
 * A line chart over training steps (uPlot, served by the app from npm) that grows as points arrive. Series may
 * appear late (an evaluation metric first reported mid-run); the chart is rebuilt then. The figure carries the
 * number of steps drawn (data-points) and a caption with the latest values, for tests and screen readers alike.
 */
export function lineChart(id, title, { log = false, order = [] } = {}) {
  const target = h('div', { class: 'chart' });
  const caption = h('figcaption', { id: `${id}-caption` }, 'No points yet.');
  const figure = h('figure', { id, 'data-points': 0, role: 'group', 'aria-label': title }, h('h3', {}, title), target, caption);
  const points = new Map();   // series name → Map(step → value)
  let plot = null, names = [];

  function add(series, step, value) {
    if (value == null || !Number.isFinite(value)) return;
    if (!points.has(series)) points.set(series, new Map());
    points.get(series).set(step, value);
  }

  function draw() {
    const steps = [...new Set([...points.values()].flatMap(m => [...m.keys()]))].sort((a, b) => a - b);
    figure.dataset.points = steps.length;
    if (steps.length === 0) return;
    const rank = name => (order.indexOf(name) + order.length + 1) % (order.length + 1);
    const current = [...points.keys()].sort((a, b) => rank(a) - rank(b));
    const data = [steps, ...current.map(name => steps.map(s => points.get(name).get(s) ?? null))];
    const last = current.map(name => { const m = points.get(name); const s = Math.max(...m.keys()); return `${name} ${number(m.get(s))} at step ${s}`; });
    caption.textContent = last.join('; ');
    if (plot && current.join('\n') === names.join('\n')) { plot.setData(data); return; }
    plot?.destroy();
    names = current;
    plot = new uPlot({
      width: Math.max(300, target.clientWidth || 480), height: 200,
      scales: { x: { time: false }, y: log ? { distr: 3 } : {} },
      axes: [{ label: 'step' }, { size: 64, values: tickLabels }],
      series: [{ label: 'step' }, ...current.map((name, i) => ({ label: name, stroke: palette[i % palette.length], width: 2, spanGaps: true, points: { show: steps.length < 60 } }))],
      legend: { live: false },
    }, data, target);
  }

  return { element: figure, add, draw, get count() { return Number(figure.dataset.points); } };
}
