/**
 * parseTemplate: `${module.output}` references, `$${` literals and malformed references, compared
 * with the straightforward character-by-character reading it replaced (kept here as the reference)
 * on fixed cases and on random strings of the characters that matter.
 */
import { describe, expect, it } from 'vitest';
import { parseTemplate, type TemplatePiece } from '../../../src/compiler/validate/templates.js';

const REF_OLD = /^\$\{([a-z]([a-z0-9-]{0,38}[a-z0-9])?)\.([A-Za-z][A-Za-z0-9_]{0,63})\}/;

function reference(s: string): TemplatePiece[] {
  const pieces: TemplatePiece[] = [];
  let buffer = '';
  let i = 0;
  while (i < s.length) {
    if (s.startsWith('$${', i)) {
      buffer += '${';
      i += 3;
      continue;
    }
    if (s.startsWith('${', i)) {
      const m = REF_OLD.exec(s.slice(i, i + 200));
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

describe('parseTemplate', () => {
  it('reads references, literals and errors', () => {
    expect(parseTemplate('')).toEqual([]);
    expect(parseTemplate('plain')).toEqual([{ kind: 'text', text: 'plain' }]);
    expect(parseTemplate('postgres://${db.user}@${db.host}:5432')).toEqual([
      { kind: 'text', text: 'postgres://' },
      { kind: 'ref', module: 'db', output: 'user', raw: '${db.user}' },
      { kind: 'text', text: '@' },
      { kind: 'ref', module: 'db', output: 'host', raw: '${db.host}' },
      { kind: 'text', text: ':5432' },
    ]);
    expect(parseTemplate('cost $5, $${HOME}')).toEqual([{ kind: 'text', text: 'cost $5, ${HOME}' }]);
    expect(parseTemplate('x ${oops').map((p) => p.kind)).toEqual(['text', 'error']);
  });

  it('reads every string as the character-by-character reading does', () => {
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const alphabet = ['$', '$', '{', '}', '.', 'a', 'db', '-', 'x1', '${', '$${', '${db.url}', '${A.b}', ' ', 'é'];
    for (let i = 0; i < 20000; i++) {
      let s = '';
      for (let n = Math.floor(next() * 12); n > 0; n--) s += alphabet[Math.floor(next() * alphabet.length)];
      expect(parseTemplate(s), s).toEqual(reference(s));
    }
  });
});
