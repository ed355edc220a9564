// The page state in the URL: `#s=` followed by base64url of the deflated JSON of {recipe, trail, locks, strengths}.
// Each new current image pushes a history entry, so Back returns to the previous one and a reload restores the state.

import { base64ToBytes, bytesToBase64 } from './api.js';

async function pipe(bytes, transform) {
  const stream = new Blob([bytes]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The URL fragment that holds state. */
export async function encodeState(state) {
  const json = new TextEncoder().encode(JSON.stringify(state));
  const packed = await pipe(json, new CompressionStream('deflate-raw'));
  return '#s=' + bytesToBase64(packed).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** The state in a URL fragment, or null when it holds none (or a damaged one). */
export async function decodeState(hash) {
  if (!hash.startsWith('#s=')) return null;
  try {
    const base64 = hash.slice(3).replaceAll('-', '+').replaceAll('_', '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const json = await pipe(base64ToBytes(padded), new DecompressionStream('deflate-raw'));
    return JSON.parse(new TextDecoder().decode(json));
  } catch {
    return null;
  }
}
