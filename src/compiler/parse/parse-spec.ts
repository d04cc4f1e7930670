/**
 * parse: YAML text → SpecDocument, with a source range for every JSON pointer.
 *
 * Guards against hostile input before and while parsing: size, binary data, nesting depth,
 * alias expansion (billion laughs), duplicate keys, tags and multi-document files.
 * Codes: ERR_YAML_TOO_LARGE, ERR_YAML_NOT_TEXT, ERR_YAML_EMPTY, ERR_YAML_SYNTAX,
 * ERR_YAML_DUPLICATE_KEY, ERR_YAML_TOO_DEEP, ERR_YAML_ALIAS_LIMIT, ERR_YAML_UNSUPPORTED_TAG,
 * ERR_YAML_MULTIPLE_DOCUMENTS, ERR_YAML_NOT_A_MAPPING.
 */
import { createRequire } from 'node:module';
import type { Document, Node } from 'yaml';
import { diagnostic, type Diagnostic, type StageResult } from '../diagnostics/diagnostic.js';
import { join } from '../source/json-pointer.js';
import type { SourceFile, SourceRange } from '../source/source-file.js';
import { parseBlockYaml } from './block-yaml.js';
import { PointerIndex } from './pointer-index.js';

export interface ParseLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
  readonly maxAliases: number;
}

export const defaultParseLimits: ParseLimits = { maxBytes: 8 * 1024 * 1024, maxDepth: 64, maxAliases: 100 };

export interface SpecDocument {
  readonly source: SourceFile;
  /** The plain data of the spec (aliases expanded, within the limits). */
  readonly value: Readonly<Record<string, unknown>>;
  readonly index: PointerIndex;
  /** The yaml Document, kept so fixes can edit the file without losing comments. */
  readonly document: Document;
}

/**
 * The yaml library, loaded on first use: a spec the fast path reads (block-yaml.ts) never needs
 * it unless a diagnostic asks for a position, and loading it costs ~30 ms of every command.
 */
function yaml(): typeof import('yaml') {
  return createRequire(import.meta.url)('yaml') as typeof import('yaml');
}

const allowedTags = new Set([
  'tag:yaml.org,2002:str',
  'tag:yaml.org,2002:int',
  'tag:yaml.org,2002:float',
  'tag:yaml.org,2002:bool',
  'tag:yaml.org,2002:null',
  'tag:yaml.org,2002:seq',
  'tag:yaml.org,2002:map',
]);

export function parseSpec(source: SourceFile, limits: ParseLimits = defaultParseLimits): StageResult<SpecDocument> {
  const file = source.path;
  const bytes = Buffer.byteLength(source.text, 'utf8');
  if (bytes > limits.maxBytes) {
    return { diagnostics: [diagnostic('ERR_YAML_TOO_LARGE', { size: bytes, limit: limits.maxBytes }, { range: wholeFile(file) })] };
  }
  if (source.text.includes('\u0000')) {
    return { diagnostics: [diagnostic('ERR_YAML_NOT_TEXT', { reason: 'it contains NUL bytes' }, { range: wholeFile(file) })] };
  }
  const depth = flowDepth(source.text);
  if (depth > limits.maxDepth) {
    return { diagnostics: [diagnostic('ERR_YAML_TOO_DEEP', { limit: limits.maxDepth }, { range: wholeFile(file) })] };
  }
  const compact = compactDepth(source.text, limits.maxDepth);
  if (compact) {
    return { diagnostics: [diagnostic('ERR_YAML_TOO_DEEP', { limit: limits.maxDepth }, { range: { file, start: compact, end: compact } })] };
  }

  const fast = parseBlockYaml(source.text, limits.maxDepth);
  if (fast) return { value: lazyDocument(source, fast, limits), diagnostics: [] };
  const full = parseYaml(source, limits);
  if (full.diagnostics.length > 0 || full.value === undefined) return { diagnostics: full.diagnostics };
  return { value: { source, value: full.value, index: full.index, document: full.document }, diagnostics: [] };
}

interface YamlParse {
  readonly document: Document;
  readonly index: PointerIndex;
  readonly value?: Record<string, unknown>;
  readonly diagnostics: Diagnostic[];
}

/**
 * A spec the fast path read: its value now, its yaml Document and source ranges from the full
 * parse when first asked for (a diagnostic's position, a fix editing the file). The full parse of
 * text the fast path accepted finds no error and gives the same value.
 */
function lazyDocument(source: SourceFile, value: Record<string, unknown>, limits: ParseLimits): SpecDocument {
  let full: YamlParse | undefined;
  const parsed = (): YamlParse => (full ??= parseYaml(source, limits));
  return {
    source,
    value,
    index: new PointerIndex(() => parsed().index),
    get document(): Document {
      return parsed().document;
    },
  };
}

/** The yaml library's parse with every check: the document, its ranges and value, or what is wrong. */
function parseYaml(source: SourceFile, limits: ParseLimits): YamlParse {
  const { Document, isMap, isScalar, isSeq, LineCounter, parseAllDocuments } = yaml();
  const file = source.path;
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(source.text, { lineCounter, uniqueKeys: false, prettyErrors: false, strict: true, stringKeys: false });
  const toRange = (start: number, end: number): SourceRange => {
    const s = lineCounter.linePos(start);
    const e = lineCounter.linePos(Math.max(start, end));
    return { file, start: { line: s.line, column: s.col }, end: { line: e.line, column: e.col } };
  };

  const index = new PointerIndex();
  const docs = Array.isArray(documents) ? documents : [];
  const document = docs[0] ?? new Document();
  const failed = (diagnostics: Diagnostic[]): YamlParse => ({ document, index, diagnostics });
  if (docs.length > 1) {
    const second = docs[1];
    const at = second?.range ? toRange(second.range[0], second.range[0] + 3) : wholeFile(file);
    return failed([diagnostic('ERR_YAML_MULTIPLE_DOCUMENTS', { count: docs.length }, { range: at })]);
  }
  if (!docs[0] || document.contents === null || (isScalar(document.contents) && document.contents.value === null && !document.contents.source)) {
    if (document.errors.length > 0) return failed(yamlErrors(document, toRange, limits.maxDepth));
    return failed([diagnostic('ERR_YAML_EMPTY', {}, { range: wholeFile(file) })]);
  }
  if (document.errors.length > 0) return failed(yamlErrors(document, toRange, limits.maxDepth));

  const walkDiagnostics = indexNodes(document.contents as Node, index, toRange, limits);
  if (walkDiagnostics.length > 0) return failed(walkDiagnostics);

  if (!isMap(document.contents)) {
    const found = isSeq(document.contents) ? 'a list' : 'a scalar';
    return failed([diagnostic('ERR_YAML_NOT_A_MAPPING', { found }, { path: '', range: index.rangeOf('') })]);
  }

  try {
    return { document, index, value: document.toJS({ maxAliasCount: limits.maxAliases }) as Record<string, unknown>, diagnostics: [] };
  } catch {
    return failed([diagnostic('ERR_YAML_ALIAS_LIMIT', { limit: limits.maxAliases }, { range: index.rangeOf('') })]);
  }
}

function wholeFile(file: string): SourceRange {
  return { file, start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
}

function yamlErrors(document: Document, toRange: (s: number, e: number) => SourceRange, maxDepth: number): Diagnostic[] {
  // The composer reports a stack overflow on deep block nesting as RESOURCE_EXHAUSTION, once per
  // enclosing level: one ERR_YAML_TOO_DEEP says it all.
  const exhausted = document.errors.find((e) => e.code === 'RESOURCE_EXHAUSTION');
  if (exhausted) return [diagnostic('ERR_YAML_TOO_DEEP', { limit: maxDepth }, { range: toRange(exhausted.pos[0], exhausted.pos[1]) })];
  return document.errors.map((e) => {
    const range = toRange(e.pos[0], e.pos[1]);
    if (e.code === 'DUPLICATE_KEY') {
      const key = /^Map keys must be unique/.test(e.message) ? keyAt(document, e.pos[0]) : '';
      return diagnostic('ERR_YAML_DUPLICATE_KEY', { key }, { range });
    }
    const detail = e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? e.code;
    return diagnostic('ERR_YAML_SYNTAX', { detail }, { range });
  });
}

/** Text of the key starting at an offset, for the duplicate-key message. */
function keyAt(document: Document, offset: number): string {
  const { isMap, isScalar, isSeq } = yaml();
  const pending: unknown[] = [document.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = pair.key as Node | null;
        if (k && isScalar(k) && k.range && k.range[0] === offset) return String(k.value);
        pending.push(pair.value);
      }
    } else if (isSeq(node)) pending.push(...node.items);
  }
  return '';
}

/**
 * Cheap pre-scan of bracket depth, so a `[[[[…` bomb is refused before the parser sees it.
 * Quotes and comments are skipped; block nesting is checked later on the parsed tree.
 */
function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote = '';
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (comment) {
      if (c === '\n') comment = false;
      continue;
    }
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") {
      const prev = i === 0 ? ' ' : text[i - 1];
      if (prev === ' ' || prev === '\t' || prev === '\n' || prev === '[' || prev === '{' || prev === ',' || prev === ':') quote = c;
    } else if (c === '#') {
      const prev = i === 0 ? ' ' : text[i - 1];
      if (prev === ' ' || prev === '\t' || prev === '\n') comment = true;
    } else if (c === '[' || c === '{') {
      depth++;
      if (depth > max) max = depth;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return max;
}

/**
 * Compact block nesting (`- - - x`, `? ? x`) opens one level per indicator on a single line, and
 * the yaml lexer recurses once per level, so a long chain overflows the stack before any node
 * exists. Returns where the first line with more than `limit` such indicators starts.
 */
function compactDepth(text: string, limit: number): { line: number; column: number } | undefined {
  let line = 1;
  let i = 0;
  while (i < text.length) {
    let j = i;
    while (text[j] === ' ') j++;
    const column = j - i + 1;
    let chain = 0;
    while ((text[j] === '-' || text[j] === '?' || text[j] === ':') && (text[j + 1] === ' ' || text[j + 1] === '\t')) {
      chain++;
      j += 2;
      while (text[j] === ' ' || text[j] === '\t') j++;
    }
    if (chain > limit) return { line, column };
    const next = text.indexOf('\n', j);
    if (next === -1) break;
    i = next + 1;
    line++;
  }
  return undefined;
}

interface WorkItem {
  readonly node: Node;
  readonly path: string;
  readonly depth: number;
  readonly key?: SourceRange;
}

/** Popped after every child of an anchored collection: from then on, aliases may name the anchor. */
interface AnchorDone {
  readonly anchorDone: string;
}

/**
 * Iterative walk: records ranges, checks depth, tags and aliases. Never recurses, so depth cannot
 * overflow the stack. An alias must name an anchor whose node is complete before it: an undefined
 * anchor is an error, and so is an alias inside its own anchor, which would make the data cyclic.
 */
function indexNodes(root: Node, index: PointerIndex, toRange: (s: number, e: number) => SourceRange, limits: ParseLimits): Diagnostic[] {
  const { isAlias, isMap, isPair, isScalar, isSeq } = yaml();
  const diagnostics: Diagnostic[] = [];
  const stack: (WorkItem | AnchorDone)[] = [{ node: root, path: '', depth: 0 }];
  const anchors = new Set<string>();
  while (stack.length > 0) {
    const item = stack.pop() as WorkItem | AnchorDone;
    if ('anchorDone' in item) {
      anchors.add(item.anchorDone);
      continue;
    }
    const { node, path, depth } = item;
    const range = node.range ? toRange(node.range[0], node.range[1]) : undefined;
    if (range) index.set(path, item.key ? { value: range, key: item.key } : { value: range });
    if (depth > limits.maxDepth) {
      diagnostics.push(diagnostic('ERR_YAML_TOO_DEEP', { limit: limits.maxDepth }, { path, range }));
      return diagnostics;
    }
    if (isAlias(node)) {
      if (!anchors.has(node.source)) {
        diagnostics.push(diagnostic('ERR_YAML_SYNTAX', { detail: `alias *${node.source} names no complete anchor before it` }, { path, range }));
      }
      continue;
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor !== undefined) {
      if (isScalar(node)) anchors.add(anchor);
      else stack.push({ anchorDone: anchor });
    }
    const tag = (node as { tag?: string }).tag;
    if (tag && !allowedTags.has(tag)) {
      diagnostics.push(diagnostic('ERR_YAML_UNSUPPORTED_TAG', { tag }, { path, range }));
      continue;
    }
    if (isMap(node)) {
      // Duplicate keys, checked here with a set: yaml's own check compares every pair (quadratic).
      const seen = new Set<string>();
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        if (!keyNode || !isScalar(keyNode)) continue;
        const keyText = String(keyNode.value);
        if (seen.has(keyText)) {
          const at = keyNode.range ? toRange(keyNode.range[0], keyNode.range[1]) : range;
          diagnostics.push(diagnostic('ERR_YAML_DUPLICATE_KEY', { key: keyText }, { path: join(path, keyText), range: at }));
        }
        seen.add(keyText);
      }
      for (let i = node.items.length - 1; i >= 0; i--) {
        const pair = node.items[i];
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        if (keyNode && !isScalar(keyNode)) {
          const r = keyNode.range ? toRange(keyNode.range[0], keyNode.range[1]) : range;
          diagnostics.push(diagnostic('ERR_YAML_SYNTAX', { detail: 'mapping keys must be plain strings' }, { path, range: r }));
          continue;
        }
        const keyText = keyNode ? String(keyNode.value) : '';
        const keyRange = keyNode?.range ? toRange(keyNode.range[0], keyNode.range[1]) : undefined;
        const child = join(path, keyText);
        const valueNode = pair.value as Node | null;
        if (valueNode) stack.push({ node: valueNode, path: child, depth: depth + 1, ...(keyRange ? { key: keyRange } : {}) });
        else if (keyRange) index.set(child, { value: keyRange, key: keyRange });
      }
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        const child = node.items[i] as Node | null;
        if (child) stack.push({ node: child, path: join(path, i), depth: depth + 1 });
      }
    }
  }
  return diagnostics;
}
