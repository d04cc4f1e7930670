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
  private entries = new Map<string, NodeLocation>();

  /**
   * @param load builds the index when it is first read (parse's fast path keeps no positions and
   *   asks the full parse for them only when a diagnostic or a fix needs one).
   */
  constructor(private load?: () => PointerIndex) {}

  set(path: string, location: NodeLocation): void {
    this.loaded().set(path, location);
  }

  get(path: string): NodeLocation | undefined {
    return this.loaded().get(path);
  }

  private loaded(): Map<string, NodeLocation> {
    if (this.load) {
      const load = this.load;
      this.load = undefined;
      this.entries = load().loaded();
    }
    return this.entries;
  }

  /** The range of the value at `path`, or of its nearest ancestor that exists. */
  rangeOf(path: string): SourceRange | undefined {
    let p = path;
    for (;;) {
      const hit = this.get(p);
      if (hit) return hit.value;
      if (p === '') return undefined;
      p = parent(p);
    }
  }

  /** The range of the key naming `path` (for unknown-field errors), falling back to the value. */
  keyRangeOf(path: string): SourceRange | undefined {
    return this.get(path)?.key ?? this.rangeOf(path);
  }
}
