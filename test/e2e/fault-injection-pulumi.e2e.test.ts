/**
 * Fault injection on a real Docker daemon, Pulumi engine (target `docker`): SIGTERM, SIGHUP and
 * EPIPE hit an apply while `pulumi up` builds the image (the image resource's step event) and
 * during the health wait (the provider's `wait` on the container: the step event for the notes
 * container seen and Docker reporting its health `starting`). The checks (a)–(e) after each fault
 * are the compose suite's (test/helpers/fault-injection.ts). Runs when scripts/pulumi-engine.sh
 * finds an engine (required with ANINFRA_PULUMI_E2E=required); one small system (redis + one built
 * node service) shared by the cases in order, destroyed and purged by label in afterAll.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { dockerLines, e2eEnabled, pulumiBinDir } from '../helpers/e2e.js';
import { closeFaultWorkspace, faultCase, FAULTS, openFaultWorkspace, type FaultWorkspace, type ProgressEvent } from '../helpers/fault-injection.js';

const bin = e2eEnabled() ? pulumiBinDir() : undefined;
const system = `e2e-fault-pulumi-${process.pid}`;
const BASE = 'base';

type Moment = 'the image build in `pulumi up`' | 'the health wait';
const MOMENTS: readonly Moment[] = ['the image build in `pulumi up`', 'the health wait'];
/**
 * A fresh detector per case: the first step of `pulumi up` (`<op> notes …`, the image: a changed
 * build context replaces it first), or, once a step event names the notes container, Docker
 * reporting that container `health: starting` (the provider's wait).
 */
function detector(moment: Moment): (e: ProgressEvent) => boolean {
  if (moment === 'the image build in `pulumi up`') return (e) => e.type === 'progress' && /^(create|update|replace|create-replacement) notes …$/.test(e.message);
  let armed = false;
  return (e) => {
    if (e.type === 'progress' && /docker:index\/container:Container notes$/.test(e.message)) armed = true;
    if (!armed || e.type !== 'tick') return false;
    const rows = dockerLines(['ps', '--filter', `name=^/?${system}--notes$`, '--format', '{{.Status}}']);
    return rows.some((r) => /health: starting/.test(r));
  };
}

/** The notes service listens only after 4 s, so the provider's health wait lasts a while. */
function specText(greeting: string): string {
  return `apiVersion: aninfra/v1
kind: System
metadata:
  name: ${system}
target: docker
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

describe.runIf(bin !== undefined)('fault injection on a real Docker daemon (Pulumi engine)', { timeout: 900_000 }, () => {
  let w: FaultWorkspace | undefined;

  beforeAll(async () => {
    w = await openFaultWorkspace(system, specText, BASE, { PATH: `${bin ?? ''}:${process.env.PATH ?? ''}` });
  }, 300_000);

  afterAll(() => closeFaultWorkspace(system, w), 180_000);

  const cases = FAULTS.flatMap((fault) => MOMENTS.map((moment) => ({ fault, moment })));
  it.each(cases)('$fault during $moment: the journal settles, plan tells the truth, the next apply converges', async ({ fault, moment }) => {
    if (!w) throw new Error('no workspace: beforeAll failed');
    await faultCase(w, fault, moment, detector(moment), BASE);
  });
});
