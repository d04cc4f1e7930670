/**
 * Compiling specs for the aws target in tests: an example file, the every-module spec, or a
 * generated spec of any size (`generatedSpec`), with platform settings overridden as the
 * command line would.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileText } from '../../../src/operations/compile-file.js';
import type { Diagnostic } from '../../../src/compiler/diagnostics/diagnostic.js';
import type { EmittedFile } from '../../../src/compiler/emit/target.js';
import type { HostFiles } from '../../../src/compiler/source/host-files.js';
import type { AwsModel } from '../../../src/targets/aws/index.js';
import { EXAMPLES_DIR } from '../fixtures.js';

export const AWS_GOLDEN_DIR = join(import.meta.dirname, 'golden');

export interface CompiledAws {
  readonly model: AwsModel;
  readonly files: readonly EmittedFile[];
  readonly diagnostics: readonly Diagnostic[];
  file(path: string): string;
}

/** Compile spec text (as if at `path`) for aws; throws with the diagnostics when it does not compile. */
export function compileAws(path: string, text: string = readFileSync(path, 'utf8'), platform: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {}, outDir?: string): CompiledAws {
  const c = compileText(path, text, { target: 'aws', outDir: outDir ?? ((system) => join(path, '..', '.aninfra', system, 'program', 'aws')), platform });
  if (!c.ok || !c.files || !c.ir) throw new Error(`did not compile for aws: ${JSON.stringify(c.diagnostics.filter((d) => d.severity === 'error'), null, 2)}`);
  const files = c.files;
  return {
    model: c.ir as AwsModel,
    files,
    diagnostics: c.diagnostics,
    file(p) {
      const f = files.find((x) => x.path === p);
      if (!f) throw new Error(`no ${p}`);
      return f.content;
    },
  };
}

export const examplePath = (name: string): string => join(EXAMPLES_DIR, `${name}.yaml`);

/**
 * A system of `count` modules in groups of ten: postgres (every third one high availability, with
 * backups kept 14), redis, mongodb, rabbitmq, object-store, nats, two services using the stores
 * (one autoscaled), a worker and a cron job; one gateway routes to every service. Images are
 * pulled, so no build context is needed.
 */
export function generatedSpec(count: number, name = `gen${count}`): string {
  const lines = ['apiVersion: aninfra/v1', 'kind: System', `metadata: { name: ${name} }`, 'target: aws', 'modules:'];
  const services: string[] = [];
  const groups = Math.floor((count - 1) / 10);
  for (let g = 0; g < groups; g++) {
    const high = g % 3 === 0;
    lines.push(
      `  db-${g}: { type: postgres, with: { storage: 50Gi${high ? ', availability: high, backup: { retain: 14 }' : ''} } }`,
      `  cache-${g}: { type: redis${high ? ', with: { availability: high }' : ''} }`,
      `  docs-${g}: { type: mongodb }`,
      `  queue-${g}: { type: rabbitmq }`,
      `  files-${g}: { type: object-store, with: { buckets: [uploads] } }`,
      `  bus-${g}: { type: nats }`,
      `  api-${g}: { type: service, with: { runtime: image, image: "ghcr.io/acme/api:1.${g}", port: 8080, resources: { cpu: 500m, memory: 1Gi }, autoscale: { min: 2, max: 6, cpu: 60 } }, uses: [db-${g}, cache-${g}, files-${g}] }`,
      `  web-${g}: { type: service, with: { runtime: image, image: "ghcr.io/acme/web:1.${g}", port: 3000, replicas: 2 }, uses: [api-${g}, docs-${g}, bus-${g}] }`,
      `  jobs-${g}: { type: worker, with: { runtime: image, image: "ghcr.io/acme/jobs:1.${g}" }, uses: [queue-${g}, files-${g}] }`,
      `  tick-${g}: { type: cron-job, with: { runtime: image, image: "ghcr.io/acme/jobs:1.${g}", command: [tick], schedule: "@every 15m" }, uses: [db-${g}] }`,
    );
    services.push(`api-${g}`, `web-${g}`);
  }
  for (let i = groups * 10; i < count - 1; i++) lines.push(`  extra-${i}: { type: worker, with: { runtime: image, image: "ghcr.io/acme/extra:1" } }`);
  lines.push('  edge:', '    type: gateway', '    with:', '      port: 8443', '      routes:');
  for (const s of services) lines.push(`        - { path: /${s}, to: ${s} }`);
  return lines.join('\n') + '\n';
}

/**
 * A system of three built services compiled for aws against an in-memory spec directory: `api`
 * (node) and `svc` (go) have no Dockerfile, so aninfra generates one; `own` has its own.
 */
export function generatedAwsDockerfiles(): CompiledAws {
  const FILES: Readonly<Record<string, string>> = { '/proj/api/package.json': '{"scripts":{"start":"node s.js"}}', '/proj/svc/go.mod': 'module x\n', '/proj/own/Dockerfile': 'FROM scratch\n' };
  const dirs = ['/', '/proj', '/proj/api', '/proj/svc', '/proj/own'];
  const kind = (p: string) => (dirs.includes(p) ? 'directory' : Object.hasOwn(FILES, p) ? 'file' : 'missing') as 'directory' | 'file' | 'missing';
  const files: HostFiles = { realpath: (p) => (kind(p) === 'missing' ? undefined : p), kind, readText: (p) => FILES[p] };
  const spec = `apiVersion: aninfra/v1
kind: System
metadata: { name: shop }
target: aws
modules:
  api: { type: service, with: { runtime: node, build: ./api, port: 8080 } }
  svc: { type: service, with: { runtime: go, build: ./svc, port: 9000 } }
  own: { type: service, with: { runtime: node, build: ./own, port: 7000 } }
`;
  const c = compileText('/proj/aninfra.yaml', spec, { target: 'aws', files, outDir: '/proj/.aninfra/shop/program/aws', contextHash: () => 'abc123' });
  if (!c.ok || !c.files || !c.ir) throw new Error(`did not compile for aws: ${JSON.stringify(c.diagnostics.filter((d) => d.severity === 'error'), null, 2)}`);
  const out = c.files;
  return {
    model: c.ir as AwsModel,
    files: out,
    diagnostics: c.diagnostics,
    file(p) {
      const f = out.find((x) => x.path === p);
      if (!f) throw new Error(`no ${p}`);
      return f.content;
    },
  };
}
