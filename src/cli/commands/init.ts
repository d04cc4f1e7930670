/**
 * `aninfra init [--template T]`: a starter spec with the schema modeline, the schema beside it, and
 * a .gitignore entry for `.aninfra/` (journal and encrypted secrets never belong in a repository).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { publishedSchema } from '../../compiler/validate/spec-schema.js';
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

export function initCommand(io: Io, options: { template: string; file: string; force?: boolean }): number {
  const body = templates[options.template];
  if (!body) return usage(io, `unknown template '${options.template}'; templates: ${Object.keys(templates).join(', ')}`);
  if (existsSync(options.file) && !options.force) return usage(io, `${options.file} already exists (use --force to overwrite)`);
  const schemaFile = join(dirname(options.file), 'aninfra.schema.json');
  mkdirSync(dirname(options.file), { recursive: true });
  writeFileSync(options.file, `# yaml-language-server: $schema=./aninfra.schema.json\n${body}`);
  writeFileSync(schemaFile, JSON.stringify(publishedSchema(descriptors), null, 2) + '\n');
  const gitignore = ignoreState(dirname(options.file));
  if (io.json) io.document({ ok: true, files: [options.file, schemaFile, ...(gitignore ? [gitignore] : [])], template: options.template });
  else io.out(`wrote ${options.file} (template ${options.template}) and ${schemaFile}\nnext: aninfra plan ${options.file}`);
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
