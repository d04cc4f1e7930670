/**
 * The docker family's plan rules (what its engines change in place, what holds data, what a
 * container is recreated with), checked on the model of the every-module spec.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileText } from '../../src/operations/compile-file.js';
import { dockerPlanRules } from '../../src/targets/docker-family/plan-rules.js';
import { dockerModel, type DockerNode } from '../../src/targets/docker-family/model.js';
import { composeTarget } from '../../src/targets/compose.js';
import { dockerTarget } from '../../src/targets/docker.js';
import { ALL_MODULES } from './fixtures.js';

function nodes(): readonly DockerNode[] {
  const c = compileText(ALL_MODULES.path, readFileSync(ALL_MODULES.path, 'utf8'), { until: 'lower' });
  if (!c.ir) throw new Error(JSON.stringify(c.diagnostics));
  return dockerModel(c.ir).nodes;
}
const byId = (id: string): DockerNode => {
  const n = nodes().find((x) => x.id === id);
  if (!n) throw new Error(id);
  return n;
};

describe('docker-family plan rules', () => {
  it('are the rules of both docker-family targets, which name their engines', () => {
    expect(dockerTarget.plan).toBe(dockerPlanRules);
    expect(composeTarget.plan).toBe(dockerPlanRules);
    expect(dockerTarget.engines).toEqual(['pulumi']);
    expect(composeTarget.engines).toEqual(['compose']);
  });

  it.each([
    ['container:pg', 'envOrigin', true],
    ['container:pg', 'provenance.detail', true],
    ['container:pg', 'dependsOn', true],
    ['container:pg', 'env.POSTGRES_DB', false],
    ['container:pg', 'labels.team', false],
    ['container:pg', 'image', false],
    ['volume:pg-data', 'provenance.detail', true],
    ['volume:pg-data', 'labels.aninfra.rule', false],
    ['secret:pg-password', 'provenance', true],
    ['secret:pg-password', 'length', false],
    ['image:pg', 'ref', false],
  ] as const)('%s: a change of %s applies in place: %s', (id, field, inPlace) => {
    expect(dockerPlanRules.inPlace(byId(id), field)).toBe(inPlace);
  });

  it('holds data in kept volumes only', () => {
    const holding = nodes().filter((n) => dockerPlanRules.holdsData(n)).map((n) => n.id);
    expect(holding).toEqual(['volume:bus-data', 'volume:files-data', 'volume:maria-data', 'volume:mongo-data', 'volume:pg-data', 'volume:rabbit-data']);
  });

  it('recreates a container with its image, volumes, secrets and network', () => {
    expect(dockerPlanRules.recreatedWith?.(byId('container:pg'))).toEqual(expect.arrayContaining(['image:pg', 'volume:pg-data', 'secret:pg-password', 'network:everything']));
    expect(dockerPlanRules.recreatedWith?.(byId('volume:pg-data'))).toEqual([]);
  });
});
