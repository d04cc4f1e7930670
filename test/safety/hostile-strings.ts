/**
 * Hostile text for injection tests: fragments that end strings, comments, templates, YAML scalars
 * or lines in the languages aninfra emits (TypeScript, YAML, nginx config, shell), plus Unicode
 * that parsers disagree on. `hostileString` mixes them with random code points (seeded runs).
 */
import fc from 'fast-check';

export const HOSTILE_FRAGMENTS: readonly string[] = [
  '"',
  "'",
  '`',
  '${',
  '$${',
  '$$',
  '$',
  '{',
  '}',
  '\\',
  '\\n',
  '\\u0041',
  '\n',
  '\r\n',
  '\r',
  '\t',
  '*/',
  '/*',
  '//',
  '</script>',
  '<!--',
  '\u2028',
  '\u2029',
  '\ud800',
  '\udfff',
  '\ud83d\ude00',
  '\u{10ffff}',
  '\0',
  '\x1b[31m',
  '\x7f',
  '\u0085',
  '\ufeff',
  '\u200b',
  '\u00a0',
  '#',
  ': ',
  '- ',
  '&anchor ',
  '*alias',
  '!!binary ',
  '%YAML',
  '---',
  '...',
  '? ',
  '|',
  '>',
  ' ',
  'a',
  'Z',
  '9',
  '=',
  ';',
  '&&',
  '$(reboot)',
  '"; process.exit(1); "',
  "'); require('child_process').exec('x'); ('",
  '${pulumi.secret}',
  '`${process.env.HOME}`',
  '__proto__',
  'constructor',
  '\\"',
  'location / { return 200; }',
  '~',
  '..',
  '/',
];

/** Up to a dozen fragments and random code-point runs, joined. */
export const hostileString: fc.Arbitrary<string> = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...HOSTILE_FRAGMENTS) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) }), { maxLength: 12 })
  .map((parts) => parts.join(''));

/** Non-empty hostile text (for fields with minLength 1). */
export const hostileNonEmpty: fc.Arbitrary<string> = hostileString.filter((s) => s.length > 0);

/** Strings over a field's own alphabet, to reach the emitter through pattern-restricted fields. */
export function alphabetString(alphabet: string, options: { minLength?: number; maxLength?: number; prefix?: string } = {}): fc.Arbitrary<string> {
  const chars = [...alphabet];
  return fc
    .array(fc.constantFrom(...chars), { minLength: options.minLength ?? 1, maxLength: options.maxLength ?? 24 })
    .map((a) => `${options.prefix ?? ''}${a.join('')}`);
}

/** Half hostile text, half strings a pattern-restricted field accepts (so both paths are exercised). */
export function hostileOr(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(hostileString, valid);
}

/**
 * `$${` is the escape for a literal `${` in env and label values; a lone `${` starts a reference.
 * The literal text a template stands for, or undefined when it holds a reference or a syntax
 * error (then the spec must be refused or resolved, not copied).
 */
export function templateLiteralText(s: string): string | undefined {
  let out = '';
  for (let i = 0; i < s.length; ) {
    if (s.startsWith('$${', i)) {
      out += '${';
      i += 3;
    } else if (s.startsWith('${', i)) {
      return undefined;
    } else {
      out += s[i];
      i += 1;
    }
  }
  return out;
}

/** Compose interpolation: `$$` is a literal `$`. Throws on `${`/`$VAR`, which emitted files must never hold for user text. */
export function composeUnescape(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; ) {
    if (s[i] !== '$') {
      out += s[i];
      i += 1;
    } else if (s[i + 1] === '$') {
      out += '$';
      i += 2;
    } else {
      throw new Error(`unescaped $ at ${i} in ${JSON.stringify(s)}`);
    }
  }
  return out;
}

/** A `${module.output}` reference: valid only in env and label values. */
const REFERENCE = /\$\{[a-z]([a-z0-9-]{0,38}[a-z0-9])?\.[A-Za-z][A-Za-z0-9_]{0,63}\}/;

/**
 * One fixed string with every fragment except whole references and NUL, for deterministic hostile
 * programs (typecheck, samples): valid in every free-text field. (NUL is refused in env values,
 * labels and inputs, ERR_SPEC_NUL_CHARACTER; the generated values still carry it.)
 */
export const ALL_FRAGMENTS = HOSTILE_FRAGMENTS.filter((f) => !REFERENCE.test(f) && f !== '\0').join('');

/** Every `${` written as `$${`: never a reference, so valid in env and label values. */
export function templateSafe(s: string): string {
  return s.replace(/\$\{/g, () => '$${');
}

/** The same with every `${` escaped, valid in env and label values. */
export const ALL_FRAGMENTS_TEMPLATE_SAFE = templateSafe(ALL_FRAGMENTS);
