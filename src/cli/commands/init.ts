/**
 * `aninfra init [--template T]`: a starter spec with the schema modeline, the schema beside it, and
 * a .gitignore entry for `.aninfra/` (journal and encrypted secrets never belong in a repository).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { publishedSchema } from '../../compiler/validate/spec-schema.js';
import { targetNames } from '../../targets/index.js';
import { descriptors } from '../../modules/index.js';
import type { Io } from '../io.js';
import { exitCode, printDiagnostics } from './report.js';

const templates: Readonly<Record<string, string>> = {
  minimal: `apiVersion: aninfra/v1
kind: System
metadata:
  name: my-system
target: docker
modules:
  db:
    type: postgres
    version: "16"
  api:
    type: service
    with:
      runtime: node
      build: ./api
      port: 8080
    uses: [db]          # injects DB_URL, DB_HOST, DB_PORT, DB_USER, DB_PASSWORD, DB_NAME
  edge:
    type: gateway
    with:
      port: 8080
      routes:
        - { path: /, to: api }
`,
  'web-app': `apiVersion: aninfra/v1
kind: System
metadata:
  name: web-app
target: docker
modules:
  db: { type: postgres, version: "16" }
  cache: { type: redis }
  api:
    type: service
    with: { runtime: node, build: ./api, port: 8080, replicas: 2 }
    uses: [db, cache]
  worker:
    type: worker
    with: { runtime: python, build: ./worker }
    uses: [db, cache]
  edge:
    type: gateway
    with:
      port: 8080
      routes:
        - { path: /api, to: api }
`,
};

/** Starter sources for the build contexts a template names, so the new spec validates and applies. */
const NODE_DOCKERFILE = `ARG BASE_IMAGE=node:20-bookworm-slim
FROM \${BASE_IMAGE}
WORKDIR /app
COPY . .
EXPOSE 8080
CMD ["node", "server.js"]
`;
const NODE_SERVER = `// Starter service written by aninfra init: answers every request on PORT (default 8080).
const http = require('http');
const port = Number(process.env.PORT || 8080);
http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ok: true, path: req.url }));
}).listen(port, () => console.log('listening on ' + port));
`;
const PYTHON_DOCKERFILE = `ARG BASE_IMAGE=python:3.12-slim-bookworm
FROM \${BASE_IMAGE}
WORKDIR /app
COPY . .
CMD ["python", "worker.py"]
`;
const PYTHON_WORKER = `# Starter worker written by aninfra init: does its work in a loop.
import time

while True:
    print("working", flush=True)
    time.sleep(30)
`;
const starters: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>> = {
  minimal: { api: { Dockerfile: NODE_DOCKERFILE, 'server.js': NODE_SERVER } },
  'web-app': { api: { Dockerfile: NODE_DOCKERFILE, 'server.js': NODE_SERVER }, worker: { Dockerfile: PYTHON_DOCKERFILE, 'worker.py': PYTHON_WORKER } },
};

/** Writes each starter folder that does not exist yet (an existing folder is the user's and is left alone). */
function writeStarters(dir: string, template: string): string[] {
  const written: string[] = [];
  for (const [folder, files] of Object.entries(starters[template] ?? {})) {
    const target = join(dir, folder);
    if (existsSync(target)) continue;
    mkdirSync(target, { recursive: true });
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(join(target, name), content);
      written.push(join(target, name));
    }
  }
  return written;
}

export function initCommand(io: Io, options: { template: string; file: string; force?: boolean }): number {
  const body = templates[options.template];
  if (!body) return usage(io, `unknown template '${options.template}'; templates: ${Object.keys(templates).join(', ')}`);
  if (existsSync(options.file) && !options.force) return usage(io, `${options.file} already exists (use --force to overwrite)`);
  const schemaFile = join(dirname(options.file), 'aninfra.schema.json');
  mkdirSync(dirname(options.file), { recursive: true });
  writeFileSync(options.file, `# yaml-language-server: $schema=./aninfra.schema.json\n${body}`);
  writeFileSync(schemaFile, JSON.stringify(publishedSchema(descriptors, targetNames), null, 2) + '\n');
  const gitignore = ignoreState(dirname(options.file));
  const sources = writeStarters(dirname(options.file), options.template);
  const files = [options.file, schemaFile, ...(gitignore ? [gitignore] : []), ...sources];
  if (io.json) io.document({ ok: true, files, template: options.template });
  else io.out(`wrote ${files.join(', ')} (template ${options.template})\nnext: aninfra plan ${options.file}`);
  return 0;
}

/** Adds `.aninfra/` to the .gitignore beside the spec unless it is there; returns the file when changed. */
function ignoreState(dir: string): string | undefined {
  const file = join(dir, '.gitignore');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (text.split(/\r?\n/).some((line) => /^\/?\.aninfra\/?$/.test(line.trim()))) return undefined;
  appendFileSync(file, `${text.length > 0 && !text.endsWith('\n') ? '\n' : ''}# aninfra state: journal, lock and encrypted secrets (the key lives outside the project)\n.aninfra/\n`);
  return file;
}

function usage(io: Io, detail: string): number {
  const d = diagnostic('ERR_CLI_USAGE', { detail }, { hint: 'aninfra init --help' });
  if (io.json) io.document({ ok: false, diagnostics: [d] });
  else printDiagnostics(io, [d], undefined);
  return exitCode([d]);
}

export const templateNames = Object.keys(templates);
