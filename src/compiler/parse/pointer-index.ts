/**
 * Pointer → source range index, so later stages report a JSON pointer and never search text.
 */
import type { SourceRange } from '../source/source-file.js';
import { parent } from '../source/json-pointer.js';

export interface NodeLocation {
  /** Range of the value node. */
  readonly value: SourceRange;
  /** Range of the key that introduces it, when it is a mapping entry. */
  readonly key?: SourceRange;
}

export class PointerIndex {
  private readonly entries = new Map<string, NodeLocation>();

  set(path: string, location: NodeLocation): void {
    this.entries.set(path, location);
  }

  get(path: string): NodeLocation | undefined {
    return this.entries.get(path);
  }

  /** The range of the value at `path`, or of its nearest ancestor that exists. */
  rangeOf(path: string): SourceRange | undefined {
    let p = path;
    for (;;) {
      const hit = this.entries.get(p);
      if (hit) return hit.value;
      if (p === '') return undefined;
      p = parent(p);
    }
  }

  /** The range of the key naming `path` (for unknown-field errors), falling back to the value. */
  keyRangeOf(path: string): SourceRange | undefined {
    return this.entries.get(path)?.key ?? this.rangeOf(path);
  }
}
