/**
 * Tasks (run-to-completion containers) as the docker-family engines see them:
 * - which tasks already ran with the inputs the model asks for (their `aninfra.task-inputs` label
 *   equals the model's, they exited 0 and run the image the model's reference names now): the
 *   compose engine leaves those out of `up`, since both Compose CLIs start an exited container
 *   again on every `up`;
 * - which tasks failed (exited with a non-zero status), as ERR_ENGINE_TASK_FAILED with their log tail:
 *   the Pulumi engine reads them after `up`, whose program only says that something failed.
 * Codes: ERR_ENGINE_TASK_FAILED.
 */
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { ContainerNode, DockerModel } from '../targets/docker-family/model.js';
import { TASK_INPUTS_LABEL } from '../targets/docker-family/task.js';
import { dockerBinary, logTail, taskSucceeded, type LiveContainer } from './docker-cli.js';
import { runProcess } from './run-process.js';

/**
 * Names of the task containers that need no run: exited 0 (never restarted) with the model's input
 * hash, on the image the model's reference resolves to now (a rebuilt or re-pulled image is a change).
 */
export async function unchangedTasks(model: DockerModel, live: ReadonlyMap<string, LiveContainer>, env: NodeJS.ProcessEnv): Promise<string[]> {
  const refs = new Map(model.nodes.flatMap((n) => (n.kind === 'image' ? [[n.id, n.ref] as const] : [])));
  const names: string[] = [];
  for (const c of model.nodes) {
    if (c.kind !== 'container' || !c.runsToCompletion) continue;
    const l = live.get(c.name);
    const wanted = c.labels[TASK_INPUTS_LABEL];
    if (!l || wanted === undefined || l.labels[TASK_INPUTS_LABEL] !== wanted || !taskSucceeded(l)) continue;
    const ref = refs.get(c.image);
    if (ref === undefined || !(await runsImageNow(l, ref, env))) continue;
    names.push(c.name);
  }
  return names.sort();
}

/** The container's image is the one `ref` names now (by id: a tag can move). */
async function runsImageNow(l: LiveContainer, ref: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const r = await runProcess(dockerBinary(env), ['image', 'inspect', '--format', '{{.Id}}', ref], { env, timeoutMs: 20_000 });
  const id = r.code === 0 ? r.stdout.trim() : '';
  return id !== '' && l.imageId === id;
}

export interface FailedTask {
  /** IR container name. */
  readonly name: string;
  readonly module: string;
  readonly exitCode: number;
  readonly logTail: string;
  readonly diagnostic: Diagnostic;
}

/** Task containers of the model that exited with a non-zero status (or were restarted after one). */
export async function failedTasks(model: DockerModel, live: ReadonlyMap<string, LiveContainer>, env: NodeJS.ProcessEnv, redact: (s: string) => string): Promise<FailedTask[]> {
  const tasks = model.nodes.filter((n): n is ContainerNode => n.kind === 'container' && n.runsToCompletion === true);
  const failed: FailedTask[] = [];
  for (const c of tasks) {
    const l = live.get(c.name);
    if (!l || l.state !== 'exited' || taskSucceeded(l)) continue;
    const tail = redact(await logTail(l.id, 20, env));
    const d = diagnostic('ERR_ENGINE_TASK_FAILED', { module: c.module, exitCode: l.exitCode }, { ...(tail ? { hint: `last log lines:\n${tail}` } : {}) });
    failed.push({ name: c.name, module: c.module, exitCode: l.exitCode, logTail: tail, diagnostic: d });
  }
  return failed;
}
