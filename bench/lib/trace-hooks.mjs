/**
 * module.register hooks for bench/lib/trace-loads.mjs: log every resolved ESM URL to the trace
 * file. Runs on Node's module loader thread; appendFileSync keeps lines whole and ordered.
 */
import { appendFileSync } from 'node:fs';

let file;

export function initialize(data) {
  file = data?.file;
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (file) appendFileSync(file, `esm ${result.url}\n`);
  return result;
}
