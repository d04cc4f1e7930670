/**
 * RFC 6901 JSON pointers: the one way every stage names a place in the spec.
 */

export function escapeToken(token: string | number): string {
  const s = typeof token === 'string' ? token : String(token);
  // Most tokens have nothing to escape: no regex pass, no new string for them.
  if (!s.includes('~') && !s.includes('/')) return s;
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointer(...tokens: (string | number)[]): string {
  let out = '';
  for (const t of tokens) out += '/' + escapeToken(t);
  return out;
}

export function join(base: string, ...tokens: (string | number)[]): string {
  return base + pointer(...tokens);
}

export function parsePointer(p: string): string[] {
  if (p === '') return [];
  return p
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function parent(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '' : p.slice(0, i);
}
