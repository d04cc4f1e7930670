/**
 * Values: text, secrets, host environment and apply-time references to another module's output.
 * A reference is not a secret, has no literal text, reads as `<module.output>` in plans, and as the
 * module's name in labels.
 */
import { describe, expect, it } from 'vitest';
import { concat, describeValue, hostEnv, isSecret, labelText, literalOf, outputRef, secretRef, text } from '../../../src/compiler/resolve/value.js';

const url = concat('postgres://app:', secretRef('db', 'password'), '@', outputRef('db', 'host'), ':5432/main');

describe('apply-time references', () => {
  it('are one part naming the module and the output', () => {
    expect(outputRef('db', 'host')).toEqual([{ kind: 'ref', module: 'db', output: 'host' }]);
    expect(concat('http://', outputRef('api', 'host'), ':', 8080)).toEqual([
      { kind: 'text', text: 'http://' },
      { kind: 'ref', module: 'api', output: 'host' },
      { kind: 'text', text: ':8080' },
    ]);
  });

  it('are not secrets, but have no literal text either', () => {
    expect(isSecret(outputRef('db', 'host'))).toBe(false);
    expect(isSecret(url)).toBe(true);
    expect(isSecret(hostEnv('KEY'))).toBe(true);
    expect(literalOf(outputRef('db', 'host'))).toBeUndefined();
    expect(literalOf(text('x'))).toBe('x');
  });

  it('read as <module.output> in plans, secrets as placeholders', () => {
    expect(describeValue(url)).toBe('postgres://app:<secret db.password>@<db.host>:5432/main');
  });

  it('read as the module name in labels; a secret part has no label text', () => {
    expect(labelText(concat(outputRef('db', 'host'), ':5432'))).toBe('db:5432');
    expect(labelText(url)).toBeUndefined();
  });
});
