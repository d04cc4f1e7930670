/**
 * When a container of the docker family counts as settled (apply's wait, the no-op check, status):
 * a task once it exited 0 without restarts, everything else while running (and healthy when it has a
 * health check). A running or failed task is not settled; an exited long-running container is not.
 */
import { describe, expect, it } from 'vitest';
import { containerSettled, taskSucceeded, type LiveContainer } from '../../src/engine/docker-cli.js';

const live = (over: Partial<LiveContainer>): LiveContainer => ({
  id: 'c0ffee',
  name: 'demo--migrate',
  module: 'migrate',
  service: 'migrate',
  image: 'demo--migrate:latest',
  state: 'running',
  health: 'none',
  exitCode: 0,
  ports: [],
  env: [],
  labels: {},
  networks: [],
  healthTest: [],
  startedAt: '2026-11-28T14:00:00Z',
  restartCount: 0,
  ...over,
});

describe('containerSettled', () => {
  const task = { runsToCompletion: true };
  it.each([
    ['a task that exited 0', live({ state: 'exited', exitCode: 0 }), true],
    ['a task still running', live({ state: 'running' }), false],
    ['a task that exited 3', live({ state: 'exited', exitCode: 3 }), false],
    ['a task restarted after a failure', live({ state: 'exited', exitCode: 0, restartCount: 1 }), false],
    ['a task never created', undefined, false],
  ])('%s', (_name, l, expected) => {
    expect(containerSettled(l, task)).toBe(expected);
    expect(taskSucceeded(l)).toBe(expected);
  });

  it('a long-running container settles while running, not after exiting 0', () => {
    expect(containerSettled(live({ state: 'running' }), {})).toBe(true);
    expect(containerSettled(live({ state: 'exited', exitCode: 0 }), {})).toBe(false);
    expect(containerSettled(live({ state: 'running', health: 'starting' }), { healthcheck: {} })).toBe(false);
  });
});
