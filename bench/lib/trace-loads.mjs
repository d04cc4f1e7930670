/**
 * Load tracer for the "validate and plan never load @pulumi/*" check. Use it as a preload:
 *
 *   ANINFRA_TRACE_FILE=/tmp/loads.txt node --import ./bench/lib/trace-loads.mjs dist/bin/aninfra.js plan spec.yaml
 *
 * Three independent sources of evidence, one line each in the trace file:
 *   esm <url>   every URL an ESM `import` / `import()` resolves to (module.register resolve hook;
 *               the hook runs on Node's loader thread and appends to the file synchronously)
 *   cjs <path>  every file the CommonJS loader resolves (Module._resolveFilename patched here),
 *               which catches `require()` inside CommonJS packages the ESM hooks on Node 20 miss
 *   cache <path> at exit: every key of require.cache (CommonJS modules, including those imported
 *               from ESM, end up there)
 * Nothing is printed on stdout or stderr, so the CLI's output is unchanged.
 */
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const file = process.env.ANINFRA_TRACE_FILE;
if (file) {
  register('./trace-hooks.mjs', import.meta.url, { data: { file } });

  const seen = new Set();
  const originalResolve = Module._resolveFilename;
  Module._resolveFilename = function resolveFilename(request, ...rest) {
    const resolved = originalResolve.call(this, request, ...rest);
    if (!seen.has(resolved)) {
      seen.add(resolved);
      appendFileSync(file, `cjs ${resolved}\n`);
    }
    return resolved;
  };

  process.on('exit', () => {
    const keys = Object.keys(Module._cache ?? {});
    if (keys.length > 0) appendFileSync(file, keys.map((k) => `cache ${k}\n`).join(''));
    appendFileSync(file, `exit ${process.exitCode ?? 0}\n`);
  });
}
