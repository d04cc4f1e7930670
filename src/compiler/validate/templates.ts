/**
 * `${module.output}` references inside strings. `$${` is a literal `${`.
 */

export type TemplatePiece =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'ref'; readonly module: string; readonly output: string; readonly raw: string }
  | { readonly kind: 'error'; readonly raw: string; readonly detail: string };

const REF = /^\$\{([a-z]([a-z0-9-]{0,38}[a-z0-9])?)\.([A-Za-z][A-Za-z0-9_]{0,63})\}/;

export function parseTemplate(s: string): TemplatePiece[] {
  // Most strings hold no reference: one search instead of a walk that copies them character by character.
  if (!s.includes('${')) return s ? [{ kind: 'text', text: s }] : [];
  const pieces: TemplatePiece[] = [];
  let buffer = '';
  let i = 0;
  while (i < s.length) {
    const dollar = s.indexOf('$', i);
    if (dollar === -1) {
      buffer += s.slice(i);
      break;
    }
    if (dollar > i) {
      buffer += s.slice(i, dollar);
      i = dollar;
    }
    if (s.startsWith('$${', i)) {
      buffer += '${';
      i += 3;
      continue;
    }
    if (s.startsWith('${', i)) {
      const m = REF.exec(s.slice(i, i + 200));
      if (buffer) pieces.push({ kind: 'text', text: buffer });
      buffer = '';
      if (m) {
        pieces.push({ kind: 'ref', module: m[1] as string, output: m[3] as string, raw: m[0] });
        i += m[0].length;
      } else {
        const close = s.indexOf('}', i);
        const raw = close === -1 ? s.slice(i, i + 40) : s.slice(i, Math.min(close + 1, i + 80));
        pieces.push({ kind: 'error', raw, detail: close === -1 ? 'the reference is not closed with }' : 'write ${module.output}, or $${ for a literal ${' });
        i += Math.max(2, raw.length);
      }
      continue;
    }
    buffer += s[i];
    i++;
  }
  if (buffer) pieces.push({ kind: 'text', text: buffer });
  return pieces;
}

/** True when the string contains something that looks like a reference. */
export function hasReference(s: string): boolean {
  return parseTemplate(s).some((p) => p.kind === 'ref');
}
