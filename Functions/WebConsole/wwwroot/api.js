// Calls the API next to the console (/api/console/ → /api/). In Azure the console is opened once with ?code={function key};
// the key is kept for this browser tab and sent with every call, so the console has exactly the API's authentication.
const key = (() => {
  const fromUrl = new URLSearchParams(location.search).get('code');
  if (fromUrl) sessionStorage.setItem('functionKey', fromUrl);
  return fromUrl ?? sessionStorage.getItem('functionKey');
})();

export const apiBase = new URL('..', location.href);

/** An RFC 7807 problem from the API, with its field and row errors. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }
}

function headers(extra = {}) {
  return key ? { ...extra, 'x-functions-key': key } : extra;
}

async function parse(text) {
  try { return text ? JSON.parse(text) : null; } catch { return { detail: text }; }
}

export async function api(path, { method = 'GET', json } = {}) {
  const response = await fetch(new URL(path, apiBase), {
    method,
    headers: headers(json === undefined ? {} : { 'content-type': 'application/json' }),
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const data = response.status === 204 ? null : await parse(await response.text());
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** A URL a link can follow (downloads): the key, if any, travels as ?code=. */
export function link(path) {
  const url = new URL(path, apiBase);
  if (key) url.searchParams.set('code', key);
  return url.href;
}

/** Streams a file as the request body, reporting upload progress (fetch cannot). Resolves with the parsed answer. */
export function upload(path, file, contentType, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', new URL(path, apiBase));
    for (const [name, value] of Object.entries(headers({ 'content-type': contentType }))) request.setRequestHeader(name, value);
    request.upload.onprogress = e => { if (e.lengthComputable) onProgress(e.loaded, e.total); };
    request.onload = async () => {
      const data = await parse(request.responseText);
      if (request.status >= 200 && request.status < 300) resolve(data);
      else reject(new ApiError(request.status, data));
    };
    request.onerror = () => reject(new ApiError(0, { detail: 'The upload was interrupted (network error).' }));
    request.send(file);
  });
}

let openApi;
/** The API's own description: the console reads enums, defaults and descriptions from it rather than repeating them. */
export function openApiDocument() {
  openApi ??= api('openapi.json');
  return openApi;
}
