/**
 * Compose variable interpolation without the environment: `$$` is a literal `$`, and `${VAR:-x}`,
 * `${VAR-x}` take their default. Variables with no default (`${VAR}`, `$VAR`, `${VAR:?err}`) are
 * reported, never read from the shell or an .env file, so host secrets cannot leak into a spec.
 */

export interface Interpolated {
  readonly value: string;
  /** Variables that had no default; Compose would substitute the shell's value (or ''). */
  readonly unset: readonly string[];
}

const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const PATTERN = new RegExp(`\\$(?:(\\$)|\\{(${NAME})(?:(:?[-?+])((?:[^{}]|\\{[^{}]*\\})*))?\\}|(${NAME}))`, 'g');

export function interpolate(text: string): Interpolated {
  const unset: string[] = [];
  const value = text.replace(PATTERN, (_whole, dollar: string | undefined, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
    if (dollar) return '$';
    const name = braced ?? bare ?? '';
    if (op === ':-' || op === '-') return interpolate(arg ?? '').value;
    // `${VAR:+alt}` is alt when VAR is set; unset here, so empty.
    if (op === ':+' || op === '+') return '';
    unset.push(name);
    return '';
  });
  return { value, unset };
}

/** Escape a literal string for aninfra env/labels, where `${` starts a reference. */
export function escapeReferences(text: string): string {
  return text.replace(/\$\{/g, () => '$${');
}
