// The level explorer: a grid of new samples, and the current image edited level by level through the service's jobs.

import { Cancelled, ServiceError, base64ToBytes, bytesToBase64, call, imagesOf, renderPng, runJob } from './api.js';
import { $, el, pngUrl, progressText, setStatus } from './dom.js';
import { clearHistory, loadHistory, remember } from './history.js';
import { decodeState, encodeState } from './permalink.js';

const page = {
  model: null, // the model's description from GET /v1/models
  tiles: [], // {element, controller, image}
  current: null, // {recipe, png, label, psnr}
  trail: [], // the current image's parents, oldest first: {recipe, label}
  locks: new Set(),
  strengths: [],
  pngs: new Map(), // recipe JSON -> base64 PNG, for images this page has already seen
  history: loadHistory(),
  edit: null, // the AbortController of the running edit
  others: [], // the images a level can be taken from or interpolated to
};

const Subtle = 0.5;
const Strong = 0.85;
const key = recipe => JSON.stringify(recipe);
const groupName = g => page.model.groups[g].name;

// ---------------------------------------------------------------- start

async function start() {
  page.model = await loadModel();
  const groups = page.model.groups;
  page.strengths = groups.map(() => 1);
  $('model-info').textContent = `${page.model.name}: ${page.model.shape.width}x${page.model.shape.height}, ${groups.length} levels ` +
    `(${page.model.grouping}), trained on ${page.model.dataSet}`;
  // Left on its first option, a grid names no sampler and gets the model's default, as any client that names none.
  const defaultSampler = $('grid-sampler').querySelector(`option[value="${page.model.defaultSampler}"]`)?.textContent ?? page.model.defaultSampler;
  $('grid-sampler').options[0].textContent = `model default (${defaultSampler})`;
  buildLevelRows();
  for (const select of [$('traverse-group'), $('interpolate-group')])
    select.replaceChildren(...groups.map(g => el('option', { value: g.index }, `${g.index}: ${g.name}`)));
  $('interpolate-group').value = String(Math.min(1, groups.length - 1));
  wireControls();
  renderHistory();
  document.body.dataset.ready = '';
  const state = await decodeState(location.hash);
  if (state) await restore(state, false);
}

// The models load and warm up after the service starts: until then the list is empty.
async function loadModel() {
  for (;;) {
    try {
      const models = await call('GET', 'v1/models');
      const model = models.models.find(m => m.name === models.defaultModel) ?? models.models[0];
      if (model) return model;
      $('model-info').textContent = 'the service is loading its model…';
    } catch (error) {
      $('model-info').textContent = `cannot reach the service: ${error.message}`;
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

function wireControls() {
  $('grid-form').addEventListener('submit', e => {
    e.preventDefault();
    newGrid();
  });
  $('redraw-unlocked').addEventListener('click', () => redrawUnlocked());
  $('preset-subtle').addEventListener('click', () => preset(Subtle));
  $('preset-strong').addEventListener('click', () => preset(Strong));
  $('traverse').addEventListener('click', traverse);
  $('interpolate').addEventListener('click', interpolate);
  $('replay').addEventListener('click', replay);
  $('copy-recipe').addEventListener('click', copyRecipe);
  $('clear-history').addEventListener('click', () => {
    clearHistory();
    page.history = [];
    renderHistory();
  });
  $('upload-input').addEventListener('change', e => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (file) upload(file);
  });
  $('upload-label').addEventListener('keydown', e => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      $('upload-input').click();
    }
  });
  wireDrop();
  window.addEventListener('popstate', async () => {
    const state = await decodeState(location.hash);
    if (state) await restore(state, false);
  });
  document.addEventListener('keydown', e => {
    if (e.target.closest('input, select, textarea') || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'n') newGrid();
    else if (e.key === 'r' && page.current) redrawUnlocked();
    else if (e.key === 'Escape') page.edit?.abort();
  });
}

function wireDrop() {
  const hint = $('drop-hint');
  let depth = 0;
  document.addEventListener('dragenter', e => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    depth++;
    hint.hidden = false;
  });
  document.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) hint.hidden = true;
  });
  document.addEventListener('dragover', e => e.preventDefault());
  document.addEventListener('drop', e => {
    e.preventDefault();
    depth = 0;
    hint.hidden = true;
    const file = e.dataTransfer?.files?.[0];
    if (file) upload(file);
  });
}

// ---------------------------------------------------------------- grid

function stepsField(text) {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return trimmed.split(/[\s,]+/).map(Number);
}

function newGrid() {
  for (const tile of page.tiles) tile.controller.abort();
  const count = Math.min(16, Math.max(1, Number($('grid-count').value) || 1));
  let seed = $('grid-seed').value.trim() === '' ? NaN : Number($('grid-seed').value);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    // Below 2^32, so seed + i stays an exact integer everywhere.
    seed = Math.floor(Math.random() * 2 ** 32);
    $('grid-seed').value = String(seed);
  }
  const request = { count: 1, stepsPerGroup: stepsField($('grid-steps').value) };
  if ($('grid-sampler').value !== '') request.sampler = $('grid-sampler').value;
  page.tiles = Array.from({ length: count }, (_, i) => makeTile({ ...request, seed: seed + i }));
  $('grid').replaceChildren(...page.tiles.map(t => t.element));
  for (const tile of page.tiles) runTile(tile);
}

function makeTile(request) {
  const img = el('img', { alt: `sample of seed ${request.seed}`, hidden: true });
  const status = el('span', { class: 'tile-status', 'data-testid': 'tile-status' }, 'waiting');
  const progress = el('span', { class: 'progress' });
  const cancel = el('button', { class: 'tile-cancel', 'data-testid': 'tile-cancel', title: 'cancel this image', 'aria-label': `cancel seed ${request.seed}` }, '×');
  const open = el('button', { class: 'tile-open', 'aria-label': `open seed ${request.seed}`, disabled: true });
  const element = el('div', { class: 'tile', 'data-testid': 'tile', dataset: { state: 'queued', seed: request.seed } }, img, open, progress, status, cancel);
  const tile = { element, img, status, progress, cancel, open, request, controller: new AbortController(), image: null };
  cancel.addEventListener('click', () => tile.controller.abort());
  open.addEventListener('click', () => tile.image && setCurrent(tile.image, { root: true }));
  return tile;
}

function tileState(tile, state, text) {
  tile.element.dataset.state = state;
  tile.status.textContent = text;
  tile.status.classList.toggle('warn', state === 'waiting');
  tile.status.classList.toggle('bad', state === 'error' || state === 'cancelled');
}

async function runTile(tile) {
  try {
    const view = await runJob('samples', tile.request, {
      signal: tile.controller.signal,
      onWait: seconds => tileState(tile, 'waiting', `queue full: retry in ${seconds} s`),
      onProgress: event => {
        tile.element.dataset.job = event.id;
        tileState(tile, event.status === 'queued' ? 'queued' : 'running', progressText(event));
        tile.progress.style.width = `${Math.round((event.fraction ?? 0) * 100)}%`;
      },
    });
    const [image] = imagesOf(view);
    tile.image = { recipe: image.recipe, png: image.png, label: `seed ${tile.request.seed}` };
    page.pngs.set(key(image.recipe), image.png);
    tile.img.src = pngUrl(image.png);
    tile.img.hidden = false;
    tile.open.disabled = false;
    tile.cancel.remove();
    tile.progress.remove();
    tileState(tile, 'done', `seed ${tile.request.seed}`);
    refreshOthers();
  } catch (error) {
    tile.cancel.remove();
    tile.progress.remove();
    tileState(tile, error instanceof Cancelled ? 'cancelled' : 'error', error instanceof Cancelled ? 'cancelled' : error.message);
  }
}

// ---------------------------------------------------------------- the current image

/**
 * Makes an image current. A child (an edit's result) puts the previous image on the breadcrumb; a root (a grid tile,
 * a history entry, an upload) starts a new one. Pushes the page state onto the browser's history unless restoring it.
 */
async function setCurrent(image, { root = false, push = true } = {}) {
  // Opening another image (a tile, a history entry, Back) ends an edit still running on the one left: its result
  // would otherwise become current afterwards, with the newly opened image as its parent.
  if (root) page.edit?.abort();
  if (!root && page.current) page.trail.push({ recipe: page.current.recipe, label: page.current.label });
  if (root) page.trail = [];
  page.current = image;
  page.pngs.set(key(image.recipe), image.png);
  $('detail').hidden = false;
  $('detail-image').src = pngUrl(image.png);
  $('detail-caption').textContent = image.label + (image.psnr === undefined ? '' : ` · encoded at ${image.psnr.toFixed(2)} dB PSNR`);
  $('detail-caption').dataset.psnr = image.psnr ?? '';
  $('recipe').textContent = JSON.stringify(image.recipe, null, 2);
  const download = $('download-png');
  URL.revokeObjectURL(download.href);
  download.href = URL.createObjectURL(new Blob([base64ToBytes(image.png)], { type: 'image/png' }));
  setStatus($('replay-result'), 'idle', '');
  $('candidates').replaceChildren();
  $('traverse-strip').replaceChildren();
  $('interpolate-strip').replaceChildren();
  for (const tile of page.tiles) tile.element.classList.toggle('selected', tile.image?.png === image.png);
  renderTrail();
  page.history = remember({ recipe: image.recipe, png: image.png, label: image.label, psnr: image.psnr });
  renderHistory();
  refreshOthers();
  if (push) await pushState();
  await loadLevelPictures(image);
}

function pageState() {
  return {
    recipe: page.current.recipe,
    label: page.current.label,
    psnr: page.current.psnr,
    trail: page.trail,
    locks: [...page.locks],
    strengths: page.strengths,
  };
}

async function pushState() {
  const hash = await encodeState(pageState());
  if (hash !== location.hash) history.pushState(null, '', hash);
  $('permalink').href = location.href;
}

// Locks and strengths change the page, not the image: the current history entry and the permalink take them in place.
// Encoding is asynchronous, so the replacements run one after another, each with the state as it is by then.
let replacing = Promise.resolve();
function replaceState() {
  replacing = replacing.then(async () => {
    if (!page.current) return;
    const hash = await encodeState(pageState());
    if (hash !== location.hash) history.replaceState(null, '', hash);
    $('permalink').href = location.href;
  });
  return replacing;
}

/** Shows a permalink's (or a Back step's) state: its image is made again from its recipe unless this page has it. */
async function restore(state, push = true) {
  const png = page.pngs.get(key(state.recipe)) ?? (await renderForDetail(state.recipe));
  if (png === null) return; // not made (failed or cancelled): the page keeps its image, locks and strengths
  page.locks = new Set(state.locks ?? []);
  page.strengths = page.model.groups.map((_, g) => state.strengths?.[g] ?? 1);
  syncLevelRows();
  await setCurrent({ recipe: state.recipe, png, label: state.label ?? 'restored', psnr: state.psnr }, { root: true, push: false });
  page.trail = [...(state.trail ?? [])];
  renderTrail();
  if (push) await pushState();
  else $('permalink').href = location.href;
}

function renderTrail() {
  const parts = [];
  page.trail.forEach((entry, i) => {
    parts.push(el('button', { 'data-testid': 'crumb', onclick: () => backTo(i) }, entry.label));
    parts.push(el('span', { class: 'sep', 'aria-hidden': 'true' }, '›'));
  });
  if (page.current) parts.push(el('span', { 'aria-current': 'true' }, page.current.label));
  $('breadcrumb').replaceChildren(...parts);
}

async function backTo(index) {
  const entry = page.trail[index];
  const png = page.pngs.get(key(entry.recipe)) ?? (await renderForDetail(entry.recipe));
  if (png === null) return;
  const trail = page.trail.slice(0, index);
  page.trail = trail;
  page.current = null;
  await setCurrent({ recipe: entry.recipe, png, label: entry.label });
}

// ---------------------------------------------------------------- edits (each one job, one at a time)

/** Runs an edit's job with the detail view's status line; answers the job's view, or null if it failed or was cancelled. */
async function edit(operation, request, what) {
  page.edit?.abort();
  const controller = new AbortController();
  page.edit = controller;
  const status = $('detail-status');
  setStatus(status, 'running', `${what}: starting`);
  try {
    const view = await runJob(operation, request, {
      signal: controller.signal,
      onWait: seconds => setStatus(status, 'waiting', `${what}: queue full, retry in ${seconds} s`),
      onProgress: event => setStatus(status, 'running', `${what}: ${progressText(event)}`),
    });
    setStatus(status, 'done', `${what}: done`);
    return view;
  } catch (error) {
    setStatus(status, 'error', error instanceof Cancelled ? `${what}: cancelled` : `${what}: ${error.message}`);
    return null;
  } finally {
    if (page.edit === controller) page.edit = null;
  }
}

async function renderForDetail(recipe) {
  const view = await edit('samples', recipe, 'making the image');
  if (!view) return null;
  const [image] = imagesOf(view);
  page.pngs.set(key(recipe), image.png);
  return image.png;
}

const source = () => ({ recipe: page.current.recipe });

// The edits work on the current image: after an upload that failed there is none yet, so say so instead of failing.
function hasCurrent() {
  if (page.current) return true;
  setStatus($('detail-status'), 'error', 'open an image first: a tile, a history entry or an upload');
  return false;
}

async function redrawLevel(g) {
  if (!hasCurrent()) return;
  const strength = page.strengths[g];
  const view = await edit('variations', { source: source(), groups: [g], strength, count: 1 }, `redraw ${groupName(g)}`);
  if (!view) return;
  const [image] = imagesOf(view);
  await setCurrent({ recipe: image.recipe, png: image.png, label: `redraw ${g} @${strength}` });
}

function preset(strength) {
  page.model.groups.forEach((_, g) => {
    if (!page.locks.has(g)) page.strengths[g] = strength;
  });
  syncLevelRows();
  return redrawUnlocked(strength === Subtle ? 'subtle' : strength === Strong ? 'strong' : undefined);
}

/**
 * A strip of candidates that redraw every unlocked level at its own strength. Levels that share a strength are one
 * variations request; several strengths chain requests (finest first is not needed: each keeps what it does not name).
 */
async function redrawUnlocked(name) {
  if (!hasCurrent()) return;
  const unlocked = page.model.groups.map(g => g.index).filter(g => !page.locks.has(g));
  if (unlocked.length === 0) {
    setStatus($('detail-status'), 'error', 'every level is locked: unlock one to redraw it');
    return;
  }
  const byStrength = new Map();
  for (const g of unlocked) byStrength.set(page.strengths[g], [...(byStrength.get(page.strengths[g]) ?? []), g]);
  const stages = [...byStrength.entries()];
  const count = Math.min(16, Math.max(1, Number($('candidate-count').value) || 4));
  const label = name ?? `redraw ${unlocked.join(',')}`;
  const [first, ...rest] = stages;
  let view = await edit('variations', { source: source(), groups: first[1], strength: first[0], count }, label);
  if (!view) return;
  let images = imagesOf(view);
  for (const [strength, groups] of rest) {
    const next = [];
    for (const image of images) {
      view = await edit('variations', { source: { recipe: image.recipe }, groups, strength, count: 1 }, label);
      if (!view) return;
      next.push(imagesOf(view)[0]);
    }
    images = next;
  }
  showStrip($('candidates'), images, (image, i) => ({ label: `${label} #${i + 1}`, testid: 'candidate' }));
}

function showStrip(container, images, describe) {
  container.replaceChildren(...images.map((image, i) => {
    const { label, testid, caption } = describe(image, i);
    page.pngs.set(key(image.recipe), image.png);
    return el('figure', {},
      el('button', { 'data-testid': testid, title: `make ${label} current`, 'aria-label': `make ${label} current`,
        onclick: () => setCurrent({ recipe: image.recipe, png: image.png, label }) },
      el('img', { src: pngUrl(image.png), alt: label })),
      caption ? el('figcaption', {}, caption) : null);
  }));
}

async function mixFrom(g, other) {
  if (!hasCurrent()) return;
  const groupSources = page.model.groups.map(group => (group.index < g ? 0 : 1));
  const view = await edit('mix', { sources: [source(), { recipe: other.recipe }], groupSources }, `levels ${g}+ from ${other.label}`);
  if (!view) return;
  const [image] = imagesOf(view);
  await setCurrent({ recipe: image.recipe, png: image.png, label: `mix ${g}+ ${other.label}` });
}

async function traverse() {
  if (!hasCurrent()) return;
  const group = Number($('traverse-group').value);
  const coordinate = Number($('traverse-coordinate').value);
  const from = Number($('traverse-from').value);
  const to = Number($('traverse-to').value);
  const frames = Math.min(16, Math.max(2, Number($('traverse-frames').value) || 5));
  const values = Array.from({ length: frames }, (_, i) => Math.round((from + ((to - from) * i) / (frames - 1)) * 1000) / 1000);
  const view = await edit('traverse', { source: source(), group, coordinate, values }, `traverse ${group}[${coordinate}]`);
  if (!view) return;
  showStrip($('traverse-strip'), imagesOf(view), (_, i) => ({
    label: `${group}[${coordinate}]=${values[i]}`, testid: 'traverse-frame', caption: String(values[i]),
  }));
}

async function interpolate() {
  if (!hasCurrent()) return;
  const other = page.others[Number($('interpolate-other').value)];
  if (!other) {
    setStatus($('detail-status'), 'error', 'interpolate: make another image first (a grid tile or one from the history)');
    return;
  }
  const fromGroup = Number($('interpolate-group').value);
  const frames = Math.min(16, Math.max(2, Number($('interpolate-frames').value) || 5));
  const view = await edit('interpolate', { sources: [source(), { recipe: other.recipe }], fromGroup, frames }, `interpolate to ${other.label}`);
  if (!view) return;
  showStrip($('interpolate-strip'), imagesOf(view), (_, i) => ({
    label: `interp ${fromGroup}+ ${i}/${frames - 1}`, testid: 'interpolate-frame', caption: `${i}/${frames - 1}`,
  }));
}

// ---------------------------------------------------------------- upload

async function upload(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const base64 = bytesToBase64(bytes);
  const isPng = bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const status = $('detail-status');
  $('detail').hidden = false;
  if (isPng) {
    const recipe = await readRecipe(base64);
    if (recipe) {
      setStatus(status, 'running', `${file.name}: carries a recipe, making it again`);
      const png = await renderForDetail(recipe);
      if (png !== null) await setCurrent({ recipe, png, label: `from ${file.name}` }, { root: true });
      return;
    }
  }
  const view = await edit('encode', { image: { base64 } }, `encoding ${file.name}`);
  if (!view) return;
  const encoding = view.result;
  await setCurrent({ recipe: encoding.recipe, png: encoding.reconstruction.png, label: `upload ${file.name}`, psnr: encoding.reconstructionPsnrDb }, { root: true });
  setStatus(status, 'done', `encoded ${file.name}: ${encoding.reconstructionPsnrDb.toFixed(2)} dB PSNR (${encoding.upload.steps})`);
}

// The recipe a PNG carries, or null when it carries none (any other answer is shown and also means none).
async function readRecipe(base64) {
  try {
    const answer = await call('POST', 'v1/recipes/read', { image: { base64 } });
    return answer?.recipe ?? null;
  } catch (error) {
    if (!(error instanceof ServiceError) || error.status >= 500) setStatus($('detail-status'), 'error', `reading the recipe: ${error.message}`);
    return null;
  }
}

// ---------------------------------------------------------------- levels

function buildLevelRows() {
  const rows = page.model.groups.map(group => {
    const g = group.index;
    const strength = el('input', { type: 'range', min: 0, max: 1, step: 0.05, value: 1, 'data-testid': 'level-strength', 'aria-label': `strength of level ${g}` });
    const strengthValue = el('output', {}, '1.00');
    strength.addEventListener('input', () => {
      page.strengths[g] = Number(strength.value);
      strengthValue.textContent = page.strengths[g].toFixed(2);
    });
    strength.addEventListener('change', replaceState);
    const lock = el('input', { type: 'checkbox', 'data-testid': 'level-lock', 'aria-label': `lock level ${g}` });
    lock.addEventListener('change', () => {
      if (lock.checked) page.locks.add(g);
      else page.locks.delete(g);
      row.classList.toggle('locked', lock.checked);
      replaceState();
    });
    const select = el('select', { 'data-testid': 'level-source', 'aria-label': `take level ${g} and later from another image` });
    select.addEventListener('change', () => {
      const other = page.others[Number(select.value)];
      select.value = '';
      if (other) mixFrom(g, other);
    });
    const row = el('div', { class: 'level-row', 'data-testid': 'level-row', dataset: { group: g } },
      el('img', { class: 'level-pic', 'data-testid': 'level-picture', alt: `what level ${g} alone adds` }),
      el('div', { class: 'level-name' }, `${g}: ${group.name}`, el('small', {}, `${group.size} coefficients`)),
      el('label', { class: 'level-strength' }, 'strength', strength, strengthValue),
      el('div', { class: 'level-actions' },
        el('label', { title: 'a locked level is kept by Redraw unlocked' }, lock, ' lock'),
        el('button', { 'data-testid': 'level-redraw', onclick: () => redrawLevel(g) }, 'Redraw')),
      el('label', { class: 'level-source' }, `take ${g}+ from`, select));
    row.controls = { strength, strengthValue, lock, select };
    return row;
  });
  $('levels').replaceChildren(...rows);
}

function syncLevelRows() {
  for (const row of $('levels').children) {
    const g = Number(row.dataset.group);
    const { strength, strengthValue, lock } = row.controls;
    strength.value = String(page.strengths[g]);
    strengthValue.textContent = page.strengths[g].toFixed(2);
    lock.checked = page.locks.has(g);
    row.classList.toggle('locked', lock.checked);
  }
}

// What each level alone contributes, drawn by the service.
async function loadLevelPictures(image) {
  let answer;
  try {
    answer = await call('POST', 'v1/levels', { source: { recipe: image.recipe } });
  } catch (error) {
    setStatus($('detail-status'), 'error', `level pictures: ${error.message}`);
    return;
  }
  if (page.current !== image) return;
  for (const level of answer.levels) {
    const row = $('levels').querySelector(`[data-group="${level.group}"]`);
    const img = row.querySelector('img');
    img.src = pngUrl(level.png);
    img.title = `level ${level.group} alone: grey is 0, white and black are ±${level.peak.toPrecision(2)}`;
  }
}

/** The images a level can come from: the grid's finished tiles and the history, without the current image. */
function refreshOthers() {
  const interpolateOther = $('interpolate-other');
  const chosen = interpolateOther.value === '' ? null : page.others[Number(interpolateOther.value)];
  const seen = new Set(page.current ? [key(page.current.recipe)] : []);
  page.others = [];
  for (const image of [...page.tiles.map(t => t.image).filter(Boolean), ...page.history]) {
    const id = key(image.recipe);
    if (seen.has(id)) continue;
    seen.add(id);
    page.others.push({ recipe: image.recipe, label: image.label });
  }
  const options = () => page.others.map((o, i) => el('option', { value: i }, o.label));
  for (const row of $('levels').children)
    row.controls.select.replaceChildren(el('option', { value: '' }, 'choose an image'), ...options());
  // The choice is kept by its recipe: the list is rebuilt in another order.
  interpolateOther.replaceChildren(...options());
  const again = chosen ? page.others.findIndex(o => key(o.recipe) === key(chosen.recipe)) : -1;
  if (again >= 0) interpolateOther.value = String(again);
}

// ---------------------------------------------------------------- history and the recipe panel

function renderHistory() {
  $('history').replaceChildren(...page.history.map(entry => el('button', {
    class: 'tile', 'data-testid': 'history-entry', title: entry.label, 'aria-label': `open ${entry.label}`,
    onclick: () => setCurrent({ recipe: entry.recipe, png: entry.png, label: entry.label, psnr: entry.psnr }, { root: true }),
  }, el('img', { src: pngUrl(entry.png), alt: entry.label }))));
}

async function replay() {
  const result = $('replay-result');
  const current = page.current;
  setStatus(result, 'running', 'replaying…');
  try {
    const bytes = await renderPng(current.recipe);
    const expected = base64ToBytes(current.png);
    const same = bytes.length === expected.length && bytes.every((b, i) => b === expected[i]);
    setStatus(result, same ? 'match' : 'error', same ? `bytes match (${bytes.length} bytes)` : `bytes differ (${bytes.length} vs ${expected.length} bytes)`);
  } catch (error) {
    setStatus(result, 'error', `replay: ${error.message}`);
  }
}

async function copyRecipe() {
  const text = $('recipe').textContent;
  try {
    await navigator.clipboard.writeText(text);
    setStatus($('replay-result'), 'done', 'recipe copied');
  } catch {
    getSelection().selectAllChildren($('recipe'));
    setStatus($('replay-result'), 'done', 'recipe selected: copy it with Ctrl+C');
  }
}

start();
