/**
 * Fault injection on a real Docker daemon (compose engine): kill -9, SIGTERM, SIGHUP and EPIPE
 * (stdout and stderr readers gone) hit an apply during the image build, during `compose up` and
 * during the health wait, each moment detected from the progress events (`--json` on stderr).
 * The checks (a)–(e) after every fault are shared with the Pulumi suite
 * (test/helpers/fault-injection.ts; test/e2e/fault-injection-pulumi.e2e.test.ts).
 * One small system (redis + one built node service) is shared by the cases, which run in order;
 * it is destroyed and purged by label in afterAll, also on failure.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { e2eEnabled } from '../helpers/e2e.js';
import { closeFaultWorkspace, faultCase, FAULTS, openFaultWorkspace, type FaultWorkspace, type ProgressEvent } from '../helpers/fault-injection.js';

const enabled = e2eEnabled();
const system = `e2e-fault-${process.pid}`;
/** The greeting of the last good spec, which every case returns to after its fault. */
const BASE = 'base';

type Moment = 'build' | 'up' | 'health';
const MOMENTS: readonly Moment[] = ['build', 'up', 'health'];
const MOMENT_NAME: Record<Moment, string> = { build: 'the image build', up: '`compose up`', health: 'the health wait' };

/** A fresh detector per case: the build announced, Compose talking after it, the first module healthy. */
function detector(moment: Moment): (e: ProgressEvent) => boolean {
  let built = false;
  return (e) => {
    if (/building image/.test(e.message)) built = true;
    if (moment === 'build') return e.type === 'progress' && /building image/.test(e.message);
    if (moment === 'up') return e.type === 'progress' && built && /\bContainer\b/.test(e.message);
    return e.type === 'module' && /is (healthy|running)/.test(e.message);
  };
}

/**
 * The spec: the notes service starts listening only after 4 s, so the health wait outlasts the
 * first module becoming healthy; `greeting` and `marker` (a file in the build context) change per
 * step, so every apply builds, recreates the service and waits for it.
 */
function specText(greeting: string): string {
  return `apiVersion: aninfra/v1
kind: System
metadata:
  name: ${system}
target: compose
modules:
  cache:
    type: redis
    version: "7"
  notes:
    type: service
    with:
      runtime: node
      build: ./notes-api
      port: 8080
      command: [node, -e, "setTimeout(() => require('/app/server.js'), 4000)"]
    uses: [cache]
    env:
      GREETING: ${greeting}
`;
}

describe.runIf(enabled)('fault injection on a real Docker daemon (compose engine)', { timeout: 900_000 }, () => {
  // Made in beforeAll, so a run that filters every case out leaves no directory behind.
  let w: FaultWorkspace | undefined;

  beforeAll(async () => {
    w = await openFaultWorkspace(system, specText, BASE);
  }, 300_000);

  afterAll(() => closeFaultWorkspace(system, w), 180_000);

  const cases = FAULTS.flatMap((fault) => MOMENTS.map((moment) => ({ fault, moment })));
  it.each(cases)('$fault during $moment: the journal settles, plan tells the truth, the next apply converges', async ({ fault, moment }) => {
    if (!w) throw new Error('no workspace: beforeAll failed');
    await faultCase(w, fault, MOMENT_NAME[moment], detector(moment), BASE);
  });
});
