/**
 * `aninfra plan [SPEC]`: compile, write the program for the target (for review only: apply runs
 * its own copy, emitted under the lock), diff the IR against the baseline revision and print
 * create / update / replace / delete per module, with reasons, DATA LOSS / DATA RISK lines and a
 * plan hash. `--out plan.json` saves the plan for `aninfra apply plan.json`. The plan itself is
 * src/operations/plan.ts (computePlan); this file parses flags and renders.
 */
import { relative, resolve } from 'node:path';
import { platformOverrides } from '../../operations/platform-flags.js';
import type { Plan, ResourceChange } from '../../plan/make-plan.js';
import { costLines } from '../../plan/cost-lines.js';
import { dockerfileText, generatedDockerfileOf } from '../show-dockerfile.js';
import { writeFileAtomic } from '../../state/atomic-write.js';
import { readImageMapping } from '../../apply/images-file.js';
import { computePlan, type PlanDocument, type PlanOptions } from '../../operations/plan.js';
import type { Io } from '../io.js';
import { exitCode, printDiagnostics } from './report.js';

export async function planCommand(io: Io, specPath: string, flags: Omit<PlanOptions, 'images' | 'platform'> & { images?: string; enginePreview?: boolean; showDockerfile?: string } & Record<string, unknown>): Promise<number> {
  const { images: imagesFile, enginePreview, showDockerfile, ...rest } = flags;
  const mapping: ReturnType<typeof readImageMapping> = imagesFile ? readImageMapping(imagesFile) : { diagnostics: [] };
  const settings = platformOverrides(rest);
  const refused = [...mapping.diagnostics, ...settings.diagnostics];
  if (refused.length > 0) {
    if (io.json) io.document({ ok: false, diagnostics: refused });
    else printDiagnostics(io, refused, undefined);
    return exitCode(refused) || 1;
  }
  const options: PlanOptions = { ...rest, ...(settings.platform ? { platform: settings.platform } : {}), ...(mapping.images ? { images: mapping.images } : {}) };
  if (enginePreview) return previewCommand(io, specPath, options);
  const result = computePlan(specPath, options);
  const { plan, compilation } = result;
  if (!plan) {
    if (io.json) io.document(result.document);
    else printDiagnostics(io, result.diagnostics, compilation.source);
    return exitCode(result.diagnostics) || 1;
  }
  if (options.out) writeFileAtomic(resolve(options.out), JSON.stringify(result.document, null, 2) + '\n');
  if (showDockerfile !== undefined) {
    const shown = generatedDockerfileOf(compilation, showDockerfile);
    if ('diagnostic' in shown) {
      if (io.json) io.document({ ok: false, diagnostics: [shown.diagnostic] });
      else printDiagnostics(io, [shown.diagnostic], undefined);
      return 1;
    }
    if (io.json) io.document({ ...result.document, module: shown.module, dockerfile: shown.dockerfile });
    else io.out(dockerfileText(shown.dockerfile));
    return 0;
  }
  if (io.json) io.document(result.document);
  else {
    printDiagnostics(io, result.diagnostics, compilation.source);
    printPlan(io, plan, result.document, result.programDir);
    if (options.out) io.out(`saved plan to ${options.out}; apply it with: aninfra apply ${options.out}`);
  }
  return options.detailedExitcode && plan.hasChanges ? 2 : 0;
}

const symbols: Record<ResourceChange['action'], string> = { create: '+', update: '~', replace: '-/+', delete: '-', 'no-op': ' ' };

function printPlan(io: Io, plan: Plan, document: PlanDocument, programDir: string): void {
  const s = io.style;
  const colour = (a: ResourceChange['action'], t: string): string => (a === 'create' ? s.green(t) : a === 'delete' ? s.red(t) : a === 'replace' ? s.yellow(t) : a === 'update' ? s.cyan(t) : s.dim(t));
  const base =
    plan.destroyedRevision !== undefined ? `system destroyed in revision ${plan.destroyedRevision}: everything is created` : plan.baseRevision !== null ? `against revision ${plan.baseRevision}` : 'nothing applied yet';
  io.out(`${s.bold(`Plan for system '${plan.system}'`)} (target ${plan.target}, ${base})\n`);
  if (plan.converge) io.out(`${s.yellow(s.bold('NOT CONVERGED'))}: revision ${plan.converge.revision} is ${plan.converge.status}; the running system may differ from the journal, and apply will check and converge it\n`);
  const risks = new Map(plan.dataRisks.map((r) => [r.volume, r]));
  for (const m of document.modules) {
    const shown = m.resources.filter((r) => r.action !== 'no-op' || r.dataLoss || r.dataRisk);
    io.out(`${s.bold(m.module)}${m.type ? s.dim(` (${m.type})`) : ''}${m.removed ? s.red('  removed from the spec') : ''}${shown.length === 0 ? s.dim('  no changes') : ''}`);
    for (const r of shown) {
      io.out(`  ${colour(r.action, `${symbols[r.action].padStart(3)} ${r.action.padEnd(7)}`)} ${r.id.padEnd(34)} ${s.dim(`[${r.rule}] ${r.reason}`)}`);
      const risk = risks.get(r.id);
      const label = s.red(s.bold(r.dataLoss ? 'DATA LOSS' : 'DATA RISK'));
      if (risk) io.out(`      ${label}: the stored data of module '${m.module}' ${riskText(risk)}`);
      else if (r.dataLoss) io.out(`      ${label}: this removes the stored data of module '${m.module}'`);
    }
  }
  const sum = plan.summary;
  io.out(`\n${s.bold('Summary')}: ${s.green(`${sum.create} to create`)}, ${s.cyan(`${sum.update} to update`)}, ${s.yellow(`${sum.replace} to replace`)}, ${s.red(`${sum.delete} to delete`)}, ${sum['no-op']} unchanged`);
  if (plan.dataRisks.length > 0) io.out(`${s.red(s.bold(`${plan.dataRisks.length} module(s) lose or risk stored data`))}: apply refuses this plan unless given --allow-data-loss`);
  for (const line of costLines(document, s)) io.out(line);
  io.out(`plan hash ${plan.planHash.slice(0, 16)}  program written to ${relative(process.cwd(), programDir) || '.'}`);
}

function riskText(r: Plan['dataRisks'][number]): string {
  switch (r.kind) {
    case 'module-removed':
      return 'is deleted or left behind: the module is no longer in the spec';
    case 'type-change':
      return `was written by ${r.from} and cannot be read by ${r.to}`;
    case 'major-version':
      return `was written by ${r.type} ${r.from} and may not open with ${r.to}`;
    case 'volume-replaced':
      return `is lost: the volume is ${r.to === 'delete' ? 'deleted' : 'replaced'}`;
    default: {
      const never: never = r.kind;
      return never;
    }
  }
}

/** `plan --engine-preview`: aninfra's plan next to the engine's own preview. */
async function previewCommand(io: Io, specPath: string, options: PlanOptions): Promise<number> {
  const { previewOperation } = await import('../../operations/preview.js');
  const r = await previewOperation(specPath, options);
  if (io.json) io.document(r.document);
  else {
    printDiagnostics(io, r.diagnostics, undefined);
    const p = r.document.preview as { engine: string; agree?: boolean; available?: boolean; onlyInPlan?: string[]; onlyInPreview?: string[] } | undefined;
    if (p?.available === false) io.out(`the ${p.engine} engine has no preview of its own; the plan above is aninfra's`);
    else if (p) io.out(`${p.agree ? io.style.green('✓ plan and engine preview agree') : io.style.red('✗ plan and engine preview differ')} (${p.engine})${p.onlyInPlan?.length ? `\n  only in plan: ${p.onlyInPlan.join(', ')}` : ''}${p.onlyInPreview?.length ? `\n  only in preview: ${p.onlyInPreview.join(', ')}` : ''}`);
  }
  return r.exitCode;
}
