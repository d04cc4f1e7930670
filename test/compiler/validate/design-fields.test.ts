/**
 * The L4 design fields (src/modules/contract/l4-inputs.ts) in spec v1: which module types take
 * them, the defaults validation fills in, the schema diagnostics wrong shapes get, and that
 * `modules describe --json`, `modules describe` and the generated docs show them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { llmsTxt } from '../../../src/operations/docs.js';
import { tools } from '../../../src/mcp/tools/index.js';
import { storeResilience, workloadScaling } from '../../../src/modules/contract/l4-inputs.js';
import type { JsonSchema } from '../../../src/modules/descriptor.js';
import { descriptors } from '../../../src/modules/index.js';
import { aninfra, ensureBuilt, json } from '../../cli/cli.js';
import { compileYaml, errorsOf, modules, summarize } from '../../helpers/spec.js';

const SCALED = ['gateway', 'service', 'worker'];
const STORES = ['mongodb', 'mysql', 'nats', 'object-store', 'postgres', 'rabbitmq', 'redis'];
const props = (kind: string): Record<string, JsonSchema> => (descriptors.find((d) => d.kind === kind)?.inputs.properties ?? {}) as Record<string, JsonSchema>;

describe('which module types take the design fields', () => {
  it('service, worker and gateway take replicas, autoscale and resources; nothing else does', () => {
    for (const d of descriptors) {
      for (const field of ['replicas', 'autoscale', 'resources']) expect(field in props(d.kind), `${d.kind}.${field}`).toBe(SCALED.includes(d.kind));
    }
    for (const kind of SCALED) for (const [field, schema] of Object.entries(workloadScaling)) expect(props(kind)[field]).toBe(schema);
  });

  it('every stateful module takes availability and backup; no stateless one does', () => {
    expect(descriptors.filter((d) => d.stateful).map((d) => d.kind).sort()).toEqual(STORES);
    for (const d of descriptors) {
      for (const field of ['availability', 'backup']) expect(field in props(d.kind), `${d.kind}.${field}`).toBe(d.stateful);
    }
    for (const kind of STORES) for (const [field, schema] of Object.entries(storeResilience)) expect(props(kind)[field]).toBe(schema);
  });

  it('describes every field and sub-field', () => {
    for (const schema of Object.values({ ...workloadScaling, ...storeResilience })) {
      expect(String(schema.description).length).toBeGreaterThan(40);
      for (const sub of Object.values((schema.properties ?? {}) as Record<string, JsonSchema>)) expect(String(sub.description).length).toBeGreaterThan(20);
    }
  });
});

describe('defaults after validation', () => {
  it('fill autoscale min and cpu, backup schedule and retain, availability', () => {
    const c = compileYaml(
      modules('api: { type: service, with: { runtime: image, image: "nginx:1.27", autoscale: { max: 4 }, resources: { cpu: "250m" } } }\ndb: { type: postgres, with: { backup: {} } }\ncache: { type: redis }'),
    );
    expect(summarize(c.diagnostics)).toEqual([]);
    expect(c.validated?.inputs.get('api')).toMatchObject({ autoscale: { min: 1, max: 4, cpu: 80 }, resources: { cpu: '250m' } });
    expect(c.validated?.inputs.get('db')).toMatchObject({ availability: 'standard', backup: { schedule: '@daily', retain: 7 } });
    // No backup unless asked for.
    expect(c.validated?.inputs.get('cache')).toMatchObject({ availability: 'standard' });
    expect(c.validated?.inputs.get('cache')?.backup).toBeUndefined();
  });

  it('leave the spec as written (rules read replicas as written)', () => {
    const c = compileYaml(modules('api: { type: service, with: { runtime: image, image: "nginx:1.27" } }'));
    expect(c.validated?.spec.modules.api?.with).toEqual({ runtime: 'image', image: 'nginx:1.27' });
    expect(c.validated?.inputs.get('api')).toMatchObject({ replicas: 1 });
  });
});

describe('wrong shapes keep the schema diagnostics', () => {
  const svc = (extra: string) => modules(`api: { type: service, with: { runtime: image, image: "nginx:1.27", ${extra} } }`);
  it.each([
    ['autoscale max above 20', svc('autoscale: { max: 21 }, resources: { cpu: "1" }'), 'ERR_INPUT_INVALID_FORMAT', '/modules/api/with/autoscale/max'],
    ['autoscale without max', svc('autoscale: { min: 2 }, resources: { cpu: "1" }'), 'ERR_INPUT_MISSING_REQUIRED', '/modules/api/with/autoscale/max'],
    ['autoscale cpu above 100', svc('autoscale: { max: 3, cpu: 150 }, resources: { cpu: "1" }'), 'ERR_INPUT_INVALID_FORMAT', '/modules/api/with/autoscale/cpu'],
    ['an unknown autoscale field', svc('autoscale: { max: 3, memory: 80 }, resources: { cpu: "1" }'), 'ERR_INPUT_UNKNOWN_FIELD', '/modules/api/with/autoscale/memory'],
    ['replicas 0', svc('replicas: 0'), 'ERR_INPUT_INVALID_FORMAT', '/modules/api/with/replicas'],
    ['cpu as a number', svc('resources: { cpu: 1 }'), 'ERR_INPUT_WRONG_TYPE', '/modules/api/with/resources/cpu'],
    ['resources.disk', svc('resources: { disk: "1Gi" }'), 'ERR_INPUT_UNKNOWN_FIELD', '/modules/api/with/resources/disk'],
    ['backup on a service', svc('backup: { retain: 3 }'), 'ERR_INPUT_UNKNOWN_FIELD', '/modules/api/with/backup'],
    ['a misspelled availability', modules('db: { type: postgres, with: { availability: hihg } }'), 'ERR_INPUT_INVALID_VALUE', '/modules/db/with/availability'],
    ['retain 0', modules('db: { type: mysql, with: { backup: { retain: 0 } } }'), 'ERR_INPUT_INVALID_FORMAT', '/modules/db/with/backup/retain'],
    ['retain 366', modules('db: { type: redis, with: { backup: { retain: 366 } } }'), 'ERR_INPUT_INVALID_FORMAT', '/modules/db/with/backup/retain'],
    ['a schedule as a number', modules('db: { type: nats, with: { backup: { schedule: 5 } } }'), 'ERR_INPUT_WRONG_TYPE', '/modules/db/with/backup/schedule'],
    ['autoscale on a cron job', modules('job: { type: cron-job, with: { runtime: image, image: "busybox:1.36", schedule: "@hourly", autoscale: { max: 2 } } }'), 'ERR_INPUT_UNKNOWN_FIELD', '/modules/job/with/autoscale'],
  ])('%s', (_name, spec, code, path) => {
    expect(summarize(errorsOf(spec).filter((d) => d.code === code && d.path === path))).toHaveLength(1);
  });

  it('fixes a misspelled availability to the nearest value', () => {
    const d = errorsOf(modules('db: { type: postgres, with: { availability: hihg } }')).find((x) => x.code === 'ERR_INPUT_INVALID_VALUE');
    expect(d?.fix?.patch).toEqual([{ op: 'replace', path: '/modules/db/with/availability', value: 'high' }]);
  });
});

describe('self-description', () => {
  beforeAll(() => ensureBuilt());

  it('`modules describe service --json` shows replicas, autoscale and resources with their sub-fields', () => {
    const doc = json(aninfra(['modules', 'describe', 'service', '--json'])) as { module: { inputs: { properties: Record<string, JsonSchema> } } };
    const p = doc.module.inputs.properties;
    expect(p.replicas).toMatchObject({ type: 'integer', minimum: 1, maximum: 20 });
    expect(p.autoscale).toMatchObject({ type: 'object', required: ['max'], properties: { min: { default: 1 }, max: { maximum: 20 }, cpu: { default: 80, maximum: 100 } } });
    expect(Object.keys((p.resources?.properties ?? {}) as object)).toEqual(['cpu', 'memory']);
    for (const field of ['replicas', 'autoscale', 'resources']) expect(String(p[field]?.description)).not.toBe('undefined');
  });

  it('`modules describe postgres --json` shows availability and backup', () => {
    const doc = json(aninfra(['modules', 'describe', 'postgres', '--json'])) as { module: { inputs: { properties: Record<string, JsonSchema> } } };
    const p = doc.module.inputs.properties;
    expect(p.availability).toMatchObject({ enum: ['standard', 'high'], default: 'standard' });
    expect(p.backup).toMatchObject({ type: 'object', properties: { schedule: { default: '@daily' }, retain: { default: 7, minimum: 1, maximum: 365 } } });
  });

  it('`modules describe gateway` lists the design fields and their sub-fields', () => {
    const r = aninfra(['modules', 'describe', 'gateway']);
    expect(r.code).toBe(0);
    for (const field of ['replicas', 'autoscale', 'autoscale.min', 'autoscale.max', 'autoscale.cpu', 'resources', 'resources.cpu', 'resources.memory']) {
      expect(r.stdout).toMatch(new RegExp(`^\\s+${field.replace('.', '\\.')}\\s`, 'm'));
    }
  });

  it('the generated docs list each design field with the module types that take it', () => {
    const text = llmsTxt(tools);
    expect(text).toContain('## Design fields');
    for (const field of ['replicas', 'autoscale', 'resources']) expect(text).toContain(`- ${field} (${SCALED.join(', ')}): `);
    for (const field of ['availability', 'backup']) expect(text).toContain(`- ${field} (${STORES.join(', ')}): `);
    for (const sub of ['autoscale.min', 'autoscale.max', 'autoscale.cpu', 'resources.cpu', 'resources.memory', 'backup.schedule', 'backup.retain']) expect(text).toContain(`  - ${sub}: `);
    expect(text).toContain('autoscale{min=1, max (required), cpu=80}');
  });
});
