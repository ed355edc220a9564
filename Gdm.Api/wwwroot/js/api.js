// The service's HTTP API as the page uses it: JSON calls, jobs followed over server-sent events, and the queue's
// 429 answered by waiting the Retry-After seconds (counted down through a callback) and trying again.

/** An error answer of the service (a ProblemDetails), or a job that did not succeed. */
export class ServiceError extends Error {
  constructor(status, title, detail) {
    super(detail ? `${title}: ${detail}` : title);
    this.status = status;
    this.title = title;
    this.detail = detail;
  }
}

/** The operation was cancelled by the page (a tile's cancel button, Esc, a newer request). */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

async function problemOf(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: the status line is all there is
  }
  return new ServiceError(response.status, body?.title ?? response.statusText, body?.detail ?? '');
}

/** GET or POST JSON; answers the parsed body or throws ServiceError. */
export async function call(method, path, body, signal) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  if (!response.ok) throw await problemOf(response);
  return response.status === 204 ? null : response.json();
}

/** POST /v1/samples with a recipe, asking for the PNG: the exact bytes the recipe makes. */
export async function renderPng(recipe, signal) {
  const response = await fetch('v1/samples', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'image/png' },
    body: JSON.stringify(recipe),
    signal,
  });
  if (!response.ok) throw await problemOf(response);
  return new Uint8Array(await response.arrayBuffer());
}

// Waits `seconds`, calling tick(remaining) every second; rejects with Cancelled when the signal fires.
function countdown(seconds, tick, signal) {
  return new Promise((resolve, reject) => {
    let remaining = seconds;
    tick(remaining);
    const timer = setInterval(() => {
      remaining -= 1;
      if (remaining <= 0) {
        clearInterval(timer);
        resolve();
      } else {
        tick(remaining);
      }
    }, 1000);
    signal?.addEventListener('abort', () => {
      clearInterval(timer);
      reject(new Cancelled());
    }, { once: true });
  });
}

// POST /v1/jobs until admitted: each 429 waits its Retry-After (at least 1 s) with a visible countdown.
async function admit(operation, request, onWait, signal) {
  for (;;) {
    if (signal?.aborted) throw new Cancelled();
    let response;
    try {
      response = await fetch('v1/jobs', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ [operation]: request }),
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw new Cancelled();
      throw error;
    }
    if (response.status === 429) {
      const seconds = Math.max(1, Math.ceil(Number(response.headers.get('Retry-After')) || 1));
      await countdown(seconds, remaining => onWait?.(remaining), signal);
      continue;
    }
    if (!response.ok) throw await problemOf(response);
    return response.json();
  }
}

// Follows the job's events until its `done` event; a cancel DELETEs the job (its trajectories leave the batch).
function follow(accepted, onProgress, signal) {
  return new Promise((resolve, reject) => {
    const events = new EventSource(accepted.events);
    const finish = outcome => {
      events.close();
      outcome();
    };
    const onAbort = () => finish(() => {
      fetch(accepted.location, { method: 'DELETE' }).catch(() => {});
      reject(new Cancelled());
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    events.addEventListener('progress', e => onProgress?.(JSON.parse(e.data)));
    events.addEventListener('done', e => {
      signal?.removeEventListener('abort', onAbort);
      const last = JSON.parse(e.data);
      onProgress?.(last);
      finish(() => resolve(last));
    });
    // EventSource reconnects by itself after a dropped connection; a job that is gone answers 404 and closes it.
    events.onerror = () => {
      if (events.readyState === EventSource.CLOSED) {
        signal?.removeEventListener('abort', onAbort);
        reject(new ServiceError(0, 'Lost the job', `the events of job ${accepted.id} closed before it finished`));
      }
    };
  });
}

/**
 * Runs one operation (samples, variations, encode, mix, traverse, interpolate) as a job and answers the finished
 * job's view. onWait(seconds) reports a full queue's countdown, onProgress(event) the job's progress.
 */
export async function runJob(operation, request, { onWait, onProgress, signal } = {}) {
  const accepted = await admit(operation, request, onWait, signal);
  onProgress?.({ id: accepted.id, status: accepted.status, queuePosition: accepted.queuePosition, fraction: 0 });
  await follow(accepted, onProgress, signal);
  const view = await call('GET', accepted.location);
  if (view.status !== 'succeeded') {
    if (view.status === 'cancelled') throw new Cancelled();
    throw new ServiceError(view.error?.status ?? 500, view.error?.title ?? `job ${view.status}`, view.error?.detail ?? '');
  }
  return view;
}

/**
 * The images of a finished job's view ({index, recipe, png}), whatever its operation. A job's `result` is what its
 * operation's own endpoint answers: `images` for samples, variations, mix, interpolate and traverse, the
 * reconstruction and its recipe for encode.
 */
export function imagesOf(view) {
  const result = view.result;
  if (result?.images) return result.images;
  if (result?.reconstruction) return [{ index: 0, recipe: result.recipe, png: result.reconstruction.png }];
  return [];
}

export function base64ToBytes(base64) {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

export function bytesToBase64(bytes) {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}
