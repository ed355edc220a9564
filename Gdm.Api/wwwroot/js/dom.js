// Small DOM helpers.

export const $ = id => document.getElementById(id);

/** An element with attributes (on* attributes become listeners) and children (strings become text). */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.filter(c => c !== null && c !== undefined));
  return element;
}

export const pngUrl = base64 => `data:image/png;base64,${base64}`;

/** Sets a status line's text and state (running, waiting, done, error): the state is also its data-state for tests. */
export function setStatus(element, state, text) {
  element.textContent = text;
  element.dataset.state = state;
  element.classList.toggle('warn', state === 'waiting');
  element.classList.toggle('bad', state === 'error');
  element.classList.toggle('good', state === 'match');
}

/** Words for a job's progress event. */
export function progressText(event) {
  if (event.status === 'queued') return event.queuePosition > 0 ? `queued, position ${event.queuePosition}` : 'queued';
  if (event.status === 'running') return `running ${Math.round((event.fraction ?? 0) * 100)} %`;
  return event.status;
}
