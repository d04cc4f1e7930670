/**
 * The printer is the one place user data becomes TypeScript text: one escaping function for
 * string literals, one sanitizer for identifiers, keys printed as data. These tests hold it to
 * that with the TypeScript parser as the judge.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { printProgram, ProgramWriter, stringLiteral } from '../../../src/compiler/emit/printer/print-ts.js';
import { arr, call, identifier, member, newExpr, obj, ref, str, UnsafeIdentifierError, type Stmt } from '../../../src/compiler/emit/printer/ts-ast.js';
import { readProgram } from '../../helpers/pulumi-ast.js';
import { hostileString } from '../../safety/hostile-strings.js';

const program = (statements: Stmt[]) => printProgram({ header: '// test', statements });
const constOf = (init: Parameters<typeof obj>[0][number][1]): Stmt => ({ k: 'const', name: identifier('value'), init: init ?? str(''), exported: false });

describe('stringLiteral', () => {
  it('reads back exactly, on one line, for any string', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })), (s) => {
        const literal = stringLiteral(s);
        expect(literal).not.toMatch(/[\n\r\u2028\u2029]/);
        const reading = readProgram(`const x = ${literal};\n`);
        expect(reading.syntaxErrors).toEqual([]);
        expect(reading.strings).toEqual([s]);
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('escapes the JavaScript line terminators and lone surrogates', () => {
    expect(stringLiteral('a\u2028b\u2029c')).toBe('"a\\u2028b\\u2029c"');
    expect(stringLiteral('\ud800')).toBe('"\\ud800"');
    expect(stringLiteral('</script>')).toBe('"</script>"');
  });
});

describe('identifier', () => {
  it.each([['container_api_1'], ['pulumi'], ['$x'], ['_']])('accepts %j', (name) => {
    expect(identifier(name)).toBe(name);
  });

  it.each([[''], ['1abc'], ['a-b'], ['a b'], ['déjà'], ['new'], ['class'], ['await'], ['undefined'], ['eval'], ['a'.repeat(201)], ['x;y'], ['x\u200b']])(
    'refuses %j',
    (name) => {
      expect(() => identifier(name)).toThrow(UnsafeIdentifierError);
    },
  );

  it('accepts only plain ASCII names, whatever it is given', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, fc.string({ unit: 'binary', maxLength: 8 })), (s) => {
        let accepted = false;
        try {
          identifier(s);
          accepted = true;
        } catch (e) {
          expect(e).toBeInstanceOf(UnsafeIdentifierError);
        }
        if (accepted) expect(s).toMatch(/^[A-Za-z_$][A-Za-z0-9_$]{0,199}$/);
      }),
      { seed: 12, numRuns: 300 },
    );
  });
});

describe('printProgram', () => {
  it('prints object keys as data: quoted when not plain, computed for __proto__', () => {
    const text = program([constOf(obj([['plain', str('a')], ['with-dash', str('b')], ['__proto__', str('c')], ['a"b', str('d')]]))]);
    const reading = readProgram(text);
    expect(reading.syntaxErrors).toEqual([]);
    expect(reading.keys).toEqual(['plain', 'with-dash', '__proto__', 'a"b']);
    expect(text).toContain('["__proto__"]: "c"');
    // Evaluated, the object keeps __proto__ as its own key instead of replacing its prototype.
    const body = text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
    const value = new Function(`return ${body};`)() as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['plain', 'with-dash', '__proto__', 'a"b']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it('keeps comment text inside comments, whatever it holds', () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        const text = program([{ k: 'comment', text: s }, constOf(str('after'))]);
        const reading = readProgram(text);
        expect(reading.syntaxErrors).toEqual([]);
        expect(reading.strings).toEqual(['after']);
        expect(reading.variables).toEqual(['value']);
      }),
      { seed: 13, numRuns: 200 },
    );
  });

  it('prints calls, members, arrays and new expressions that parse', () => {
    const text = program([
      { k: 'import-star', name: identifier('docker'), from: '@pulumi/docker' },
      constOf(newExpr(member(ref(identifier('docker')), 'Container'), str('n'), obj([['envs', arr([str('A=1'), call(member(ref(identifier('docker')), 'x'), str('y'))])]]))),
    ]);
    const reading = readProgram(text);
    expect(reading.syntaxErrors).toEqual([]);
    expect(reading.members).toEqual(['Container', 'x']);
    expect(reading.strings).toEqual(['@pulumi/docker', 'n', 'A=1', 'y']);
  });
});

describe('ProgramWriter', () => {
  it('prints statements given one at a time as printProgram prints them at once: blank runs as one blank line, one final newline', () => {
    const statements: Stmt[] = [
      { k: 'blank' },
      { k: 'blank' },
      { k: 'import-star', name: identifier('pulumi'), from: '@pulumi/pulumi' },
      { k: 'blank' },
      { k: 'comment', text: 'a\n\n\nb' },
      constOf(obj([['a', arr([str('x'), str('y')])], ['b', obj([])], ['c', newExpr(member(ref(identifier('pulumi')), 'Config'), str('n'))]])),
      { k: 'blank' },
      { k: 'blank' },
      { k: 'blank' },
      constOf(arr(Array.from({ length: 12 }, (_, i) => str(`item-${i}`)))),
      { k: 'blank' },
    ];
    const writer = new ProgramWriter('// header\n\n\n\n// second line\n\n');
    for (const s of statements) writer.statement(s);
    const text = writer.text();
    expect(text).toBe(printProgram({ header: '// header\n\n\n\n// second line\n\n', statements }));
    expect(text).not.toMatch(/\n\n\n/);
    expect(text.endsWith(';\n')).toBe(true);
    expect(text.startsWith('// header\n\n// second line\n\nimport * as pulumi from "@pulumi/pulumi";\n\n// a\n// \n// \n// b\nconst value = {\n  a: ["x", "y"],\n  b: {},\n')).toBe(true);
  });

  it('prints an empty header as leading blank lines, at most two', () => {
    const writer = new ProgramWriter('');
    writer.statement({ k: 'blank' });
    writer.statement(constOf(str('v')));
    expect(writer.text()).toBe('\n\nconst value = "v";\n');
  });
});
