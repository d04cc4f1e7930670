/**
 * RFC 6902 JSON Patch applied to a `yaml` Document through its node API, so the comments, key
 * order, quoting and flow/block style of everything the patch does not touch survive.
 *
 * - `replace` of a scalar by a scalar edits the node in place (its comments stay attached);
 *   other replacements carry the old node's comments over to the new one.
 * - `move` within one mapping renames the key where it stands, so the key keeps its position.
 * - `add` into a sequence inserts (RFC 6902), `-` appends; `add` of an existing key replaces.
 * - A path through a YAML alias is refused: editing it would change every place the anchor is used.
 *
 * The patch is atomic: it is applied to a clone, and the input document is never modified.
 */
import { isAlias, isCollection, isDocument, isMap, isNode, isScalar, isSeq, Scalar, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { isDeepStrictEqual } from 'node:util';
import type { JsonPatchOp } from '../compiler/diagnostics/diagnostic.js';
import { parsePointer } from '../compiler/source/json-pointer.js';

export type PatchOutcome = { readonly ok: true; readonly document: Document } | { readonly ok: false; readonly index: number; readonly reason: string };

class PatchError extends Error {}

export function applyPatchToDocument(document: Document, patch: readonly JsonPatchOp[]): PatchOutcome {
  const doc = document.clone();
  for (const [index, op] of patch.entries()) {
    try {
      applyOp(doc, op);
    } catch (e) {
      if (e instanceof PatchError) return { ok: false, index, reason: `${op.op} ${op.path}: ${e.message}` };
      throw e;
    }
  }
  return { ok: true, document: doc };
}

type Parent = Document | YAMLMap | YAMLSeq;

interface Location {
  readonly parent: Parent;
  /** The last token; '' with a Document parent (the whole document). */
  readonly key: string;
}

function applyOp(doc: Document, op: JsonPatchOp): void {
  switch (op.op) {
    case 'add':
      return addAt(doc, locate(doc, op.path), op.value);
    case 'remove':
      return void removeAt(locate(doc, op.path));
    case 'replace': {
      const at = locate(doc, op.path);
      if (getAt(at) === undefined) throw new PatchError('nothing to replace');
      return setAt(doc, at, op.value);
    }
    case 'test': {
      const node = getAt(locate(doc, op.path));
      if (node === undefined) throw new PatchError('nothing to test');
      if (!isDeepStrictEqual(toJs(node), op.value)) throw new PatchError(`value is ${JSON.stringify(toJs(node))}, not ${JSON.stringify(op.value)}`);
      return;
    }
    case 'move': {
      if (op.path === op.from) return;
      if (op.path.startsWith(op.from + '/')) throw new PatchError(`cannot move ${op.from} into itself`);
      const from = locate(doc, op.from);
      const to = locate(doc, op.path);
      if (from.parent === to.parent && isMap(from.parent)) return renameKey(from.parent, from.key, to.key);
      const node = removeAt(from);
      return addAt(doc, locate(doc, op.path), node);
    }
    case 'copy': {
      const node = getAt(locate(doc, op.from));
      if (node === undefined) throw new PatchError(`nothing at ${op.from}`);
      return addAt(doc, locate(doc, op.path), isNode(node) ? uncommented(node.clone() as Node) : node);
    }
    default: {
      const never: never = op;
      throw new PatchError(`unsupported op ${JSON.stringify(never)}`);
    }
  }
}

/** The collection holding `path` and the last token; every collection on the way must exist. */
function locate(doc: Document, path: string): Location {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return { parent: doc, key: '' };
  let cur: unknown = doc.contents;
  for (const token of tokens.slice(0, -1)) {
    const next = childOf(cur, token);
    if (next === undefined) throw new PatchError(`no value at '${token}'`);
    cur = next;
  }
  if (isAlias(cur)) throw new PatchError('the path goes through a YAML alias');
  if (!isMap(cur) && !isSeq(cur)) throw new PatchError('the parent is not a mapping or a list');
  return { parent: cur, key: tokens[tokens.length - 1] as string };
}

function childOf(node: unknown, token: string): unknown {
  if (isAlias(node)) throw new PatchError('the path goes through a YAML alias');
  if (isMap(node)) return pairOf(node, token)?.value ?? undefined;
  if (isSeq(node)) {
    const i = seqIndex(token, node.items.length, false);
    return i === undefined ? undefined : node.items[i];
  }
  return undefined;
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => keyText(p.key) === key);
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  if (typeof key === 'string' || typeof key === 'number') return String(key);
  return undefined;
}

/** A sequence index token; `-` (only when appending) is the length. */
function seqIndex(token: string, length: number, forAdd: boolean): number | undefined {
  if (token === '-') return forAdd ? length : undefined;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
  const i = Number(token);
  return i < length || (forAdd && i === length) ? i : undefined;
}

function getAt(at: Location): unknown {
  if (isDocument(at.parent)) return at.parent.contents ?? undefined;
  return childOf(at.parent, at.key);
}

function addAt(doc: Document, at: Location, value: unknown): void {
  const { parent } = at;
  if (isSeq(parent)) {
    const i = seqIndex(at.key, parent.items.length, true);
    if (i === undefined) throw new PatchError(`index ${at.key} is out of range`);
    parent.items.splice(i, 0, toNode(doc, value));
    return;
  }
  if (isMap(parent) && pairOf(parent, at.key) === undefined) {
    parent.add(doc.createPair(at.key, toNode(doc, value)));
    return;
  }
  setAt(doc, at, value);
}

function setAt(doc: Document, at: Location, value: unknown): void {
  const { parent } = at;
  if (isDocument(parent)) {
    parent.contents = carryOver(parent.contents, toNode(doc, value)) as typeof parent.contents;
    return;
  }
  const old = getAt(at);
  // A scalar replaced by a scalar: edit in place so its comments and position stay.
  if (isScalar(old) && !isNode(value) && (value === null || typeof value !== 'object')) {
    if (typeof old.value !== typeof value) {
      delete old.type;
      delete old.format;
    }
    old.value = value;
    delete (old as { source?: unknown }).source;
    return;
  }
  const node = carryOver(old, toNode(doc, value));
  if (isSeq(parent)) {
    const i = seqIndex(at.key, parent.items.length, false);
    if (i === undefined) throw new PatchError(`index ${at.key} is out of range`);
    parent.items[i] = node;
    return;
  }
  const pair = pairOf(parent, at.key);
  if (pair) pair.value = node;
  else parent.add(doc.createPair(at.key, node));
}

function removeAt(at: Location): unknown {
  const { parent } = at;
  if (isDocument(parent)) throw new PatchError('cannot remove the whole document');
  if (isSeq(parent)) {
    const i = seqIndex(at.key, parent.items.length, false);
    if (i === undefined) throw new PatchError(`index ${at.key} is out of range`);
    const [removed] = parent.items.splice(i, 1);
    return removed;
  }
  const index = parent.items.findIndex((p) => keyText(p.key) === at.key);
  if (index === -1) throw new PatchError(`no key '${at.key}'`);
  const [pair] = parent.items.splice(index, 1);
  return pair?.value;
}

/** Rename a key where it stands, keeping its position and comments; an existing target is replaced. */
function renameKey(map: YAMLMap, from: string, to: string): void {
  const pair = pairOf(map, from);
  if (!pair) throw new PatchError(`no key '${from}'`);
  const existing = map.items.findIndex((p) => p !== pair && keyText(p.key) === to);
  if (existing !== -1) map.items.splice(existing, 1);
  if (isScalar(pair.key)) {
    pair.key.value = to;
    delete (pair.key as { source?: unknown }).source;
    if (pair.key.type !== 'PLAIN') delete pair.key.type;
  } else pair.key = new Scalar(to);
}

function toNode(doc: Document, value: unknown): Node {
  if (isNode(value)) return value;
  return doc.createNode(value) as Node;
}

/** The new node keeps the old one's comments, blank line before it and flow style. */
function carryOver(old: unknown, node: Node): Node {
  if (!isNode(old)) return node;
  if (old.commentBefore && !node.commentBefore) node.commentBefore = old.commentBefore;
  if (old.comment && !node.comment) node.comment = old.comment;
  if (old.spaceBefore) node.spaceBefore = true;
  if (isCollection(old) && isCollection(node) && old.flow) node.flow = true;
  return node;
}

/** A copy does not repeat the comments of what it was copied from. */
function uncommented(node: Node): Node {
  delete node.comment;
  delete node.commentBefore;
  return node;
}

function toJs(node: unknown): unknown {
  return isNode(node) ? node.toJSON() : node;
}
