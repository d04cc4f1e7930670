/**
 * emitProgram and what reaches it from lowering: unsafe identifiers and unsupported kinds become
 * diagnostics, and three lowering bugs found by the safety tests stay fixed (a public image named
 * after an Object.prototype member, metadata labels that were copied unresolved, and two IR nodes
 * with one id producing a program that declares a variable twice).
 */
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileText } from '../../../src/operations/compile-file.js';
import { emitProgram, lowerForTarget } from '../../../src/compiler/emit/emit-program.js';
import type { Target } from '../../../src/compiler/emit/target.js';
import { dockerModel, type ContainerNode, type DockerModel } from '../../../src/targets/docker-family/model.js';
import { composeTarget } from '../../../src/targets/compose.js';
import { dockerTarget } from '../../../src/targets/docker.js';
import { readProgram } from '../../helpers/pulumi-ast.js';

const SPEC_PATH = '/specs/aninfra.yaml';
const head = 'apiVersion: aninfra/v1\nkind: System\n';

function compileBoth(text: string) {
  return (['docker', 'compose'] as const).map((target) => compileText(SPEC_PATH, text, { target, outDir: '/specs/out' }));
}

const files = (r: ReturnType<typeof compileText>) => new Map((r.files ?? []).map((f) => [f.path, f.content]));

describe('lowering regressions seen through emission', () => {
  it.each([['constructor'], ['toString'], ['hasOwnProperty'], ['valueOf'], ['isPrototypeOf']])('a public image named %j compiles and is used as named', (image) => {
    const text = `${head}metadata: { name: sys }\nmodules:\n  web: { type: service, with: { runtime: image, image: "${image}", port: 80 } }\n`;
    const [docker, compose] = compileBoth(text);
    expect(docker?.diagnostics).toEqual([]);
    expect(readProgram(files(docker!).get('index.ts') ?? '').strings).toContain(image);
    const doc = YAML.parse(files(compose!).get('docker-compose.yml') ?? '') as { services: { web: { image: string } } };
    expect(doc.services.web.image).toBe(image);
  });

  it('resolves references and $${ escapes in metadata labels like in module labels', () => {
    const text = `${head}metadata:\n  name: sys\n  labels: { a: "x $\${y} z", b: "\${db.host}:\${db.port}" }\nmodules:\n  db: { type: redis, labels: { c: "x $\${y} z" } }\n`;
    const [docker, compose] = compileBoth(text);
    expect(docker?.ok).toBe(true);
    const container = docker?.ir?.nodes.find((n): n is ContainerNode => n.kind === 'container');
    expect(container?.labels).toMatchObject({ a: 'x ${y} z', b: 'db:6379', c: 'x ${y} z' });
    const strings = readProgram(files(docker!).get('index.ts') ?? '').strings;
    expect(strings).toEqual(expect.arrayContaining(['x ${y} z', 'db:6379']));
    const doc = YAML.parse(files(compose!).get('docker-compose.yml') ?? '') as { services: { db: { labels: Record<string, string> } } };
    expect(doc.services.db.labels).toMatchObject({ a: 'x $${y} z', b: 'db:6379', c: 'x $${y} z' });
  });

  it('refuses labels under the reserved aninfra. prefix, which engines find containers by (with a fix removing them)', () => {
    const text = `${head}metadata: { name: sys, labels: { aninfra.system: victim } }\nmodules:\n  db: { type: redis, labels: { aninfra.module: other, team: a } }\n`;
    for (const result of compileBoth(text)) {
      expect(result.ok).toBe(false);
      expect(result.diagnostics.map((d) => [d.code, d.path])).toEqual([
        ['ERR_LABEL_RESERVED_PREFIX', '/metadata/labels/aninfra.system'],
        ['ERR_LABEL_RESERVED_PREFIX', '/modules/db/labels/aninfra.module'],
      ]);
    }
  });

  it('keeps the provenance labels on every container, beside the module labels', () => {
    const text = `${head}metadata: { name: sys, labels: { tier: gold } }\nmodules:\n  db: { type: redis, labels: { team: a } }\n`;
    const [docker, compose] = compileBoth(text);
    expect(docker?.ok).toBe(true);
    const truth = { 'aninfra.system': 'sys', 'aninfra.module': 'db', 'aninfra.container': 'db', 'aninfra.managed-by': 'aninfra', 'aninfra.rule': 'module:redis', team: 'a', tier: 'gold' };
    const container = docker?.ir?.nodes.find((n): n is ContainerNode => n.kind === 'container');
    expect(container?.labels).toEqual(truth);
    const doc = YAML.parse(files(compose!).get('docker-compose.yml') ?? '') as { services: { db: { labels: Record<string, string> } } };
    expect(doc.services.db.labels).toEqual(truth);
  });

  it("refuses a module named like another module's synthesized load balancer instead of emitting it twice", () => {
    const text = `${head}metadata: { name: sys }\nmodules:\n  api: { type: service, with: { runtime: image, image: "nginx:1", port: 80, replicas: 2 } }\n  api--lb: { type: service, with: { runtime: image, image: "nginx:2", port: 81 } }\n`;
    for (const result of compileBoth(text)) {
      expect(result.ok).toBe(false);
      expect(result.files).toBeUndefined();
      // Validation reports it at the replicas; lowering refuses duplicate node ids as a second line.
      expect(result.diagnostics.map((d) => d.code).sort()).toEqual(['ERR_NAME_COLLISION', 'ERR_NAME_RESERVED_SEPARATOR']);
    }
  });

  it('keeps a module named like the old single-dash balancer (api-lb) apart from the balancer (api--lb)', () => {
    const text = `${head}metadata: { name: sys }\nmodules:\n  api: { type: service, with: { runtime: image, image: "nginx:1", port: 80, replicas: 2 } }\n  api-lb: { type: service, with: { runtime: image, image: "nginx:2", port: 81 } }\n  api-1: { type: redis }\n`;
    for (const result of compileBoth(text)) {
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const ids = result.ir?.nodes.map((n) => n.id) ?? [];
      expect(ids).toEqual(expect.arrayContaining(['image:api--lb', 'image:api-lb', 'container:api--1', 'container:api-1']));
    }
  });
});

describe('emitProgram', () => {
  const ir = (): DockerModel => {
    const r = compileText(SPEC_PATH, `${head}metadata: { name: sys }\nmodules:\n  db: { type: redis }\n`, { until: 'lower' });
    if (!r.ir) throw new Error(JSON.stringify(r.diagnostics));
    return dockerModel(r.ir);
  };
  const ctx = { specDirFromOut: '.', toolVersion: '0.0.0-test' };

  it('turns an id that cannot become an identifier into ERR_EMIT_UNSAFE_IDENTIFIER', () => {
    const base = ir();
    const bad: DockerModel = { ...base, nodes: base.nodes.map((n) => (n.kind === 'volume' ? { ...n, id: 'volume:db data; process.exit(1)' } : n)) };
    const result = emitProgram(bad, dockerTarget, ctx);
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code)).toEqual(['ERR_EMIT_UNSAFE_IDENTIFIER']);
  });

  it('refuses design kinds the target does not realize, at the module that needs them, before the target lowers', () => {
    const r = compileText(SPEC_PATH, `${head}metadata: { name: sys }\nmodules:\n  db: { type: redis }\n`, { until: 'lower' });
    if (!r.design) throw new Error(JSON.stringify(r.diagnostics));
    let lowered = false;
    const partial: Target = { ...composeTarget, name: 'partial', supports: ['image', 'secret'], lower: (design, c) => ((lowered = true), composeTarget.lower(design, c)) };
    const result = lowerForTarget(r.design, partial, { toolVersion: '0.0.0-test' });
    expect(result.value).toBeUndefined();
    expect(lowered).toBe(false);
    expect(result.diagnostics.map((d) => [d.code, d.path])).toEqual([
      ['ERR_TARGET_UNSUPPORTED_KIND', '/modules/db'],
      ['ERR_TARGET_UNSUPPORTED_KIND', '/modules/db'],
    ]);
  });

  it('emits both targets from the same IR', () => {
    const nodes = ir();
    expect(emitProgram(nodes, dockerTarget, ctx).value?.map((f) => f.path)).toEqual(['Pulumi.yaml', 'package.json', 'tsconfig.json', 'index.ts']);
    expect(emitProgram(nodes, composeTarget, ctx).value?.map((f) => f.path)).toEqual(['docker-compose.yml']);
  });
});
