/**
 * Reads an emitted Pulumi program back with the TypeScript parser: its syntax errors, every string
 * literal's value, and every identifier by the role it plays. The injection tests use it to prove
 * that user data only ever appears as string literal *values* and never as code.
 */
import ts from 'typescript';

/** Members of the SDKs and of `path` the docker target may access (`docker.Container`, `x.imageId`, …). */
export const SDK_MEMBERS: ReadonlySet<string> = new Set([
  'Config',
  'Container',
  'Image',
  'Network',
  'RandomPassword',
  'RemoteImage',
  'Volume',
  'concat',
  'contextHash',
  'imageId',
  'imageName',
  'join',
  'name',
  'requireSecret',
  'resolve',
  'result',
  'secret',
]);

/** Names the program binds or reads besides resource variables. */
const FIXED_NAMES = /^(pulumi|docker|random|path|runtime|specDir|config|outputs|__dirname)$/;
/** Resource variables: `<kind>_<name>` built from IR ids (`container_api_1`). */
const RESOURCE_VARIABLE = /^[a-z]+_[a-z0-9_]+$/;

export interface ProgramReading {
  readonly syntaxErrors: readonly string[];
  /** Values of all string literals, in source order. */
  readonly strings: readonly string[];
  /** Identifiers that name variables (declarations and references). */
  readonly variables: readonly string[];
  /** Identifiers after a dot (`docker.Container` → Container). */
  readonly members: readonly string[];
  /** Object literal keys written as identifiers or literals (`{ name: … }` → name). */
  readonly keys: readonly string[];
  /** Template literals or other constructs that could interpolate; must be empty. */
  readonly templates: readonly string[];
}

export function readProgram(text: string, fileName = 'index.ts'): ProgramReading {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const parseDiagnostics = (sf as unknown as { parseDiagnostics: readonly ts.Diagnostic[] }).parseDiagnostics;
  const syntaxErrors = parseDiagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  const strings: string[] = [];
  const variables: string[] = [];
  const members: string[] = [];
  const keys: string[] = [];
  const templates: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node)) {
      if (ts.isPropertyAssignment(node.parent) && node.parent.name === node) keys.push(node.text);
      else strings.push(node.text);
    } else if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node) || ts.isTaggedTemplateExpression(node)) {
      templates.push(node.getText(sf));
    } else if (ts.isIdentifier(node)) {
      const parent = node.parent;
      if (ts.isPropertyAccessExpression(parent) && parent.name === node) members.push(node.text);
      else if (ts.isPropertyAssignment(parent) && parent.name === node) keys.push(node.text);
      else variables.push(node.text);
    } else if (ts.isComputedPropertyName(node)) {
      // Only `["__proto__"]` is printed computed; its literal is a key.
      if (ts.isStringLiteral(node.expression)) {
        keys.push(node.expression.text);
        return;
      }
      templates.push(node.getText(sf));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { syntaxErrors, strings, variables, members, keys, templates };
}

/** Identifiers that break the naming rule: variables not built from IR ids, members outside the SDK. */
export function unexpectedIdentifiers(reading: ProgramReading): string[] {
  return [
    ...reading.variables.filter((v) => !FIXED_NAMES.test(v) && !RESOURCE_VARIABLE.test(v)).map((v) => `variable ${JSON.stringify(v)}`),
    ...reading.members.filter((m) => !SDK_MEMBERS.has(m)).map((m) => `member ${JSON.stringify(m)}`),
  ];
}
