// Recent images in the browser's local storage: their recipe, a small PNG and a label, newest first.

const key = 'gdm-explorer-history';
const limit = 48;

export function loadHistory() {
  try {
    const entries = JSON.parse(localStorage.getItem(key) ?? '[]');
    return Array.isArray(entries) ? entries : [];
  } catch {
    return [];
  }
}

/** Puts the image first (once: an image already there moves up) and answers the new list. */
export function remember(entry) {
  const id = JSON.stringify(entry.recipe);
  const entries = [entry, ...loadHistory().filter(e => JSON.stringify(e.recipe) !== id)].slice(0, limit);
  for (let keep = entries.length; keep > 0; keep--) {
    try {
      localStorage.setItem(key, JSON.stringify(entries.slice(0, keep)));
      return entries.slice(0, keep);
    } catch {
      // storage full: keep fewer
    }
  }
  return [];
}

export function clearHistory() {
  localStorage.removeItem(key);
}
