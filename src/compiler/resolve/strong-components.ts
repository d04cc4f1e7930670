/**
 * Strongly connected components of the module graph (Tarjan's algorithm), iterative: a `uses`
 * chain of tens of thousands of modules must not exhaust the call stack, as graphlib's recursive
 * `alg.tarjan` did at 13,000. Components come out in graphlib's order (sinks first), members in
 * the order Tarjan pops them; callers sort what they print.
 */
import type graphlib from '@dagrejs/graphlib';

interface Frame {
  readonly node: string;
  readonly successors: readonly string[];
  next: number;
}

export function strongComponents(graph: graphlib.Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  const open = (node: string): Frame => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    return { node, successors: (graph.successors(node) as string[] | undefined) ?? [], next: 0 };
  };
  for (const root of graph.nodes()) {
    if (index.has(root)) continue;
    const frames: Frame[] = [open(root)];
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as Frame;
      if (frame.next < frame.successors.length) {
        const next = frame.successors[frame.next] as string;
        frame.next += 1;
        if (!index.has(next)) frames.push(open(next));
        else if (onStack.has(next)) low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(next) as number));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(frame.node) as number));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}
