/**
 * Stray containers before a Pulumi `up`: a container of this system and owner that Pulumi's state
 * does not hold (created by a `pulumi up` orphaned by kill -9) is picked for removal; containers in
 * the state, of another owner or of another system never are.
 */
import { describe, expect, it } from 'vitest';
import type { LiveContainer } from '../../src/engine/docker-cli.js';
import { knownContainers, strayContainers } from '../../src/engine/pulumi-strays.js';

function container(name: string, id: string, labels: Record<string, string>): LiveContainer {
  return { id, name, module: 'notes', service: name, image: 'img', state: 'running', health: 'healthy', exitCode: 0, ports: [], env: [], labels, networks: [], healthTest: [], startedAt: '', restartCount: 0 };
}

const mine = { 'aninfra.system': 'sys', 'aninfra.owner': 'me' };
const deployment = {
  resources: [
    { type: 'pulumi:pulumi:Stack', urn: 'urn:pulumi:sys::p::pulumi:pulumi:Stack::p-sys' },
    { type: 'docker:index/container:Container', id: 'aaa', outputs: { name: 'sys--db', id: 'aaa' } },
    { type: 'docker:index/volume:Volume', id: 'sys--notes', outputs: { name: 'sys--notes' } },
  ],
};

describe('knownContainers', () => {
  it('takes the ids of docker containers only', () => {
    expect([...knownContainers(deployment)]).toEqual(['aaa']);
  });
  it('is empty for a new stack without resources', () => {
    expect(knownContainers({}).size).toBe(0);
    expect(knownContainers(undefined).size).toBe(0);
  });
});

describe('strayContainers', () => {
  it('picks only containers of this system and owner missing from the state', () => {
    const live = [
      container('sys--db', 'aaa', mine),
      container('sys--notes', 'bbb', mine),
      container('sys--web', 'ccc', { ...mine, 'aninfra.owner': 'other' }),
      container('sys--api', 'ddd', { 'aninfra.system': 'sys' }),
      container('x--notes', 'eee', { ...mine, 'aninfra.system': 'x' }),
    ];
    expect(strayContainers(live, 'sys', 'me', knownContainers(deployment)).map((c) => c.id)).toEqual(['bbb']);
  });
  it('keeps a container the state knows by id even when renamed', () => {
    expect(strayContainers([container('renamed', 'aaa', mine)], 'sys', 'me', knownContainers(deployment))).toEqual([]);
  });
  it('picks a container that took the name of one in the state under a new id (an orphaned replace)', () => {
    expect(strayContainers([container('sys--db', 'fff', mine)], 'sys', 'me', knownContainers(deployment)).map((c) => c.id)).toEqual(['fff']);
  });
  it('removes every container of the system when the state holds none', () => {
    expect(strayContainers([container('sys--notes', 'bbb', mine)], 'sys', 'me', knownContainers({ resources: [] })).map((c) => c.id)).toEqual(['bbb']);
  });
});
