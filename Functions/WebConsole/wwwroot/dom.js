// A tiny element builder: h('button', { class: 'primary', onclick }, 'Save'). Text is always set as text, never as HTML.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value == null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'text') element.textContent = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function bytes(n) {
  if (n == null) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

export function number(v) {
  if (v == null) return '';
  if (Number.isInteger(v)) return v.toLocaleString('en');
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : v.toFixed(4);
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleString('en-GB', { hour12: false }) : '';
}

export function clock(iso) {
  return iso ? new Date(iso).toLocaleTimeString('en-GB', { hour12: false }) : '';
}

export function duration(seconds) {
  if (seconds == null || !isFinite(seconds)) return '—';
  seconds = Math.max(0, Math.round(seconds));
  const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m ${String(s).padStart(2, '0')}s` : `${s}s`;
}

export function statusBadge(status, id) {
  return h('span', { class: `status ${status}`, id, role: 'status' }, status);
}

/** Runs fn now and every intervalMs until stop() is called; never overlaps itself. */
export function poll(fn, intervalMs) {
  let stopped = false, timer;
  const tick = async () => {
    if (stopped) return;
    try { if (await fn() === false) stopped = true; } catch (e) { console.error(e); }
    if (!stopped) timer = setTimeout(tick, intervalMs);
  };
  tick();
  return () => { stopped = true; clearTimeout(timer); };
}
