import { h } from './dom.js';
import { datasetsPage } from './datasets.js';
import { jobsPage } from './jobs.js';
import { jobPage } from './job.js';
import { modelsPage, modelPage } from './models.js';

// Hash routes, so every page is a link (and the back button works) without any server-side routing.
const routes = [
  [/^#\/datasets$/, 'datasets', datasetsPage],
  [/^#\/jobs$/, 'jobs', jobsPage],
  [/^#\/jobs\/([\w.-]+)$/, 'jobs', jobPage],
  [/^#\/models$/, 'models', modelsPage],
  [/^#\/models\/([\w.-]+)$/, 'models', modelPage],
];

let dispose = null;

function render() {
  if (!location.hash || location.hash === '#') { location.replace('#/datasets'); return; }
  dispose?.();
  dispose = null;
  const view = document.getElementById('view');
  view.replaceChildren();
  const route = routes.find(([pattern]) => pattern.test(location.hash));
  for (const a of document.querySelectorAll('nav a[data-section]')) {
    if (route?.[1] === a.dataset.section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (!route) { view.append(h('p', {}, 'No such page. '), h('a', { href: '#/datasets' }, 'Datasets')); return; }
  const [pattern, , page] = route;
  dispose = page(view, ...location.hash.match(pattern).slice(1)) ?? null;
  view.focus({ preventScroll: true });
}

window.addEventListener('hashchange', render);
render();
