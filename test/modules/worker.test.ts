import { describe, expect, it } from 'vitest';
import { text } from '../../src/compiler/resolve/value.js';
import { worker } from '../../src/modules/worker.js';
import { checkInputs, container, containers, images, lowerModule, makeInstance } from './fixtures.js';

const py = { runtime: 'python', build: './workers/mailer' };

describe('worker inputs', () => {
  it('fills the replica default and has no port-related inputs', () => {
    expect(checkInputs(worker, py).value).toEqual({ ...py, replicas: 1 });
    for (const field of ['port', 'protocol', 'publish']) expect(checkInputs(worker, { ...py, [field]: 8080 }).ok).toBe(false);
  });

  it('accepts only a command as health probe', () => {
    expect(checkInputs(worker, { ...py, health: { command: ['check'] } }).ok).toBe(true);
    expect(checkInputs(worker, { ...py, health: { path: '/health' } }).ok).toBe(false);
    expect(checkInputs(worker, { ...py, health: {} }).ok).toBe(false);
  });

  it('checks build and image like a service', () => {
    expect(worker.conflicts?.({ runtime: 'image' }).map((c) => c.path)).toEqual(['/with/runtime']);
    expect(worker.conflicts?.({ runtime: 'go', build: '.', image: 'x:1' }).map((c) => c.path)).toEqual(['/with/image']);
    expect(worker.conflicts?.(py)).toEqual([]);
  });
});

describe('worker descriptor facts', () => {
  it('provides nothing, uses connections, outputs nothing', () => {
    expect(worker.capabilities).toEqual({ provides: [], uses: ['connection'] });
    expect(worker.outputValues(makeInstance(worker, 'mailer', py))).toEqual({});
    expect(worker.inject).toEqual({});
    expect(worker.ports).toEqual([]);
  });
});

describe('worker lowering', () => {
  it('runs one unpublished container from the built image with the instance env', () => {
    const nodes = lowerModule(worker, 'mailer', { ...py, command: ['python3', '-m', 'mailer'] }, { env: { QUEUE_URL: text('amqp://q') } });
    expect(images(nodes)).toEqual([expect.objectContaining({ id: 'image:mailer', ref: 'shop--mailer:latest', provenance: expect.objectContaining({ rule: 'worker-build' }) })]);
    const c = container(nodes, 'container:mailer');
    expect(c.command).toEqual(['python3', '-m', 'mailer']);
    expect(c.env).toEqual({ QUEUE_URL: text('amqp://q') });
    expect(c.ports).toEqual([]);
    expect(c.healthcheck).toBeUndefined();
    expect(c.aliases).toEqual(['mailer']);
  });

  it('runs replicas as <name>--i without a load balancer', () => {
    const nodes = lowerModule(worker, 'mailer', { ...py, replicas: 3 });
    expect(containers(nodes).map((c) => [c.id, c.name, c.aliases[0]])).toEqual([
      ['container:mailer--1', 'mailer--1', 'mailer--1'],
      ['container:mailer--2', 'mailer--2', 'mailer--2'],
      ['container:mailer--3', 'mailer--3', 'mailer--3'],
    ]);
    expect(images(nodes).map((i) => i.id)).toEqual(['image:mailer']);
    expect(containers(nodes)[1]?.provenance.detail).toContain('replica 2 of 3');
  });

  it('turns health.command into an exec probe', () => {
    const c = container(lowerModule(worker, 'idx', { runtime: 'image', image: 'ghcr.io/acme/indexer:2.1', health: { command: ['indexer', 'ping'] } }), 'container:idx');
    expect(c.healthcheck?.test).toEqual(['CMD', 'indexer', 'ping']);
    expect(c.image).toBe('image:idx');
  });
});
