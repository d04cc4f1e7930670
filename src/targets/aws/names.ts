/**
 * Names AWS gives length limits (load balancers and target groups: 32 characters): the readable
 * name when it fits, else its head and a short stable hash of the whole, so two long names never
 * collide and the same spec always gives the same name.
 */

/** FNV-1a, 32 bits, as 7 base-36 digits: stable across runs and platforms. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(7, '0').slice(-7);
}

/** Lowercase letters, digits and single dashes joined from parts, at most `max` characters. */
export function limitedName(parts: readonly string[], max: number): string {
  const full = parts.join('-').toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  if (full.length <= max) return full;
  const head = full.slice(0, max - 8).replace(/-+$/, '');
  return `${head}-${hash(full)}`;
}
