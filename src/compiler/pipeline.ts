/**
 * compile(): the only place that chains the stages. read → parse → validate → resolve → lower (the
 * system design, InfraIR v2) → the target's lowering (its model) → emit; each runs only when the
 * one before produced no errors, warnings pass through.
 * Codes: ERR_TARGET_UNSUPPORTED_KIND.
 */
import { relative, dirname, resolve as resolvePath } from 'node:path';
import { diagnostic, hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import type { EmittedFile, Target, TargetModel } from './emit/target.js';
import { emitProgram, lowerForTarget } from './emit/emit-program.js';
import type { InfraIR } from './lower/ir.js';
import { lowerToIr } from './lower/lower-to-ir.js';
import { mergePlatform, type PlatformSettings } from './lower/platform-settings.js';
import { defaultParseLimits, parseSpec, type ParseLimits, type SpecDocument } from './parse/parse-spec.js';
import { applyEnvironment, relocate, type Overlay } from './parse/environment.js';
import { MAX_SYSTEM_NAME } from './validate/resource-names.js';
import { resolveGraph, type ResolvedGraph } from './resolve/resolve-graph.js';
import type { HostFiles } from './source/host-files.js';
import type { SourceFile } from './source/source-file.js';
import { locate, validateSpec, type ValidatedSpec } from './validate/validate-spec.js';
import type { TargetName } from './validate/spec-types.js';
import type { SchemaChecker } from './validate/ajv.js';
import type { ModuleRegistry } from '../modules/descriptor.js';

export interface CompileOptions {
  readonly registry: ModuleRegistry;
  /** Looks a target up by name; emit runs only when given. */
  readonly targets?: (name: TargetName) => Target | undefined;
  /** Every target's name, from the target registry (the compiler never imports it): the `target:` enum. */
  readonly targetNames?: readonly TargetName[];
  readonly target?: TargetName;
  /** Directory the emitted files are written to (build contexts are made relative to the spec from there). */
  readonly outDir?: string | ((system: string, target: TargetName, specName: string | undefined) => string);
  readonly toolVersion?: string;
  readonly limits?: ParseLimits;
  /** A schema checker to reuse across compilations (compiled validators are cached in it). */
  readonly schemas?: SchemaChecker;
  /**
   * Platform settings from outside the spec (--namespace, --context…: `{ kubernetes: { namespace } }`),
   * merged over the spec's `platform:` key by key (Compilation.platform; InfraIR's `platform`).
   */
  readonly platform?: PlatformSettings;
  /** Image mapping from outside the spec (--images), applied when lowering. */
  readonly images?: Readonly<Record<string, string>>;
  /**
   * Id of the state directory that owns the system's resources (label `aninfra.owner`), when known;
   * or a function of the spec's own name (Compilation.specName), called once the spec is parsed,
   * so a caller needs no parse of its own to learn the name.
   */
  readonly owner?: string | ((specName: string) => string | undefined);
  /**
   * Content hash of a build context, given the context as written in the spec (`with.build`,
   * relative to the spec file); undefined when unknown. Supplied by the plan layer, which reads
   * the files; the compiler only calls it.
   */
  readonly contextHash?: (context: string) => string | undefined;
  /**
   * The host's files (realpath and kind): build contexts, Dockerfiles and served roots are checked
   * to exist and to resolve inside the spec's directory. Without it only the written paths are
   * checked. The compiler never touches the file system itself.
   */
  readonly files?: HostFiles;
  /**
   * Leave `document` out of a compilation that got past resolve, and let it be collected before
   * lowering: plan and apply never read it, and it is the largest stage output (~80 MB of a
   * 10,000-module spec's heap). Compilations that end earlier keep it (fixes and diagnostics use it).
   */
  readonly dropDocument?: boolean;
  /** Stop after this stage. */
  readonly until?: 'validate' | 'resolve' | 'lower' | 'emit';
  /** The environment whose overlay (`environments.<env>`) is applied over the spec before validation. */
  readonly env?: string;
}

export interface Compilation {
  readonly source: SourceFile;
  /**
   * `metadata.name` of the parsed spec, before an environment's overlay, when it is a well-formed
   * system name (set even when the spec does not validate: state stays reachable by it).
   */
  readonly specName?: string;
  readonly document?: SpecDocument;
  readonly validated?: ValidatedSpec;
  readonly graph?: ResolvedGraph;
  /** The system design (InfraIR v2). */
  readonly design?: InfraIR;
  /** The target's model lowered from the design: what plans diff and the journal stores. */
  readonly ir?: TargetModel;
  /** The spec's platform settings with CompileOptions.platform merged over them (set once the spec validated). */
  readonly platform?: PlatformSettings;
  readonly target?: Target;
  readonly files?: readonly EmittedFile[];
  readonly diagnostics: readonly Diagnostic[];
  readonly ok: boolean;
  /** The environment compiled (CompileOptions.env), when one was. */
  readonly environment?: string;
}

export function compile(source: SourceFile, options: CompileOptions): Compilation {
  const diagnostics: Diagnostic[] = [];
  let overlay: Overlay | undefined;
  let specName: string | undefined;
  const done = (partial: Omit<Compilation, 'source' | 'diagnostics' | 'ok'>): Compilation => {
    // Diagnostics about values the environment's overlay set point into the overlay.
    const sorted = sortDiagnostics(diagnostics.map((d) => relocate(d, overlay)));
    // SystemSpec.platform (the spec's `platform:` key) as validated; the overrides were checked by their caller.
    const platform = partial.validated ? { platform: mergePlatform((partial.validated.spec as { platform?: PlatformSettings }).platform, options.platform) } : {};
    return { source, ...(specName !== undefined ? { specName } : {}), ...partial, ...platform, ...(options.env !== undefined ? { environment: options.env } : {}), diagnostics: sorted, ok: !hasErrors(sorted) };
  };

  const specDir = dirname(resolvePath(source.path));
  // parse → validate → resolve in a scope of their own: with `dropDocument` nothing outside it
  // holds the parsed document once the graph is resolved, so it can be collected before lowering.
  const front = (): { ended: Compilation } | { validated: ValidatedSpec; graph: ResolvedGraph; document?: SpecDocument } => {
    const parsed = parseSpec(source, options.limits ?? defaultParseLimits);
    diagnostics.push(...parsed.diagnostics);
    if (!parsed.value) return { ended: done({}) };
    specName = specSystemName(parsed.value.value);
    const environmental = applyEnvironment(parsed.value, options.env, { maxSystemName: MAX_SYSTEM_NAME });
    diagnostics.push(...environmental.diagnostics);
    if (!environmental.value) return { ended: done({ document: parsed.value }) };
    const document = environmental.value.document;
    overlay = environmental.value.overlay;

    const validated = validateSpec(document, {
      registry: options.registry,
      specDir,
      ...(options.files ? { files: options.files } : {}),
      ...(options.target ? { target: options.target } : {}),
      ...(options.targets ? { targetNamed: options.targets } : {}),
      ...(options.targetNames ? { targetNames: options.targetNames } : {}),
      ...(options.schemas ? { schemas: options.schemas } : {}),
    });
    diagnostics.push(...validated.diagnostics);
    if (!validated.value || options.until === 'validate') return { ended: done({ document, ...(validated.value ? { validated: validated.value } : {}) }) };

    const resolved = resolveGraph(validated.value, { registry: options.registry });
    diagnostics.push(...resolved.diagnostics.map((d) => locate(d, document.index)));
    if (!resolved.value || options.until === 'resolve') return { ended: done({ document, validated: validated.value, ...(resolved.value ? { graph: resolved.value } : {}) }) };
    return { validated: validated.value, graph: resolved.value, ...(options.dropDocument ? {} : { document }) };
  };
  const started = front();
  if ('ended' in started) return started.ended;
  const { validated, graph } = started;
  const kept = started.document ? { document: started.document } : {};

  const owner = typeof options.owner === 'function' ? (specName !== undefined ? options.owner(specName) : undefined) : options.owner;
  const lowered = lowerToIr(graph, {
    ...(options.images ? { images: options.images } : {}),
    ...(owner ? { owner } : {}),
    ...(options.contextHash ? { contextHash: options.contextHash } : {}),
    ...(options.files ? { files: options.files, specDir } : {}),
    platform: mergePlatform((validated.spec as { platform?: PlatformSettings }).platform, options.platform),
  });
  diagnostics.push(...lowered.diagnostics);
  const designed = { ...kept, validated, graph };
  if (!lowered.value || !options.targets) return done({ ...designed, ...(lowered.value ? { design: lowered.value } : {}) });
  const design = lowered.value;

  const target = options.targets(graph.target);
  if (!target) {
    diagnostics.push(diagnostic('ERR_INTERNAL', { detail: `no target named ${graph.target}` }));
    return done({ ...designed, design });
  }
  const model = lowerForTarget(design, target, { toolVersion: options.toolVersion ?? '0.0.0' });
  diagnostics.push(...model.diagnostics);
  if (!model.value || options.until === 'lower') return done({ ...designed, design, target, ...(model.value ? { ir: model.value } : {}) });

  const outDir = options.outDir === undefined ? specDir : resolvePath(typeof options.outDir === 'string' ? options.outDir : options.outDir(graph.system, graph.target, specName));
  const emitted = emitProgram(model.value, target, { specDirFromOut: relative(outDir, specDir) || '.', outDirFromSpec: relative(specDir, outDir) || '.', toolVersion: options.toolVersion ?? '0.0.0' });
  diagnostics.push(...emitted.diagnostics);
  return done({ ...designed, design, ir: model.value, target, ...(emitted.value ? { files: emitted.value } : {}) });
}

const SYSTEM_NAME = /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/;

/** `metadata.name` of a parsed spec value when it is a well-formed system name (the spec need not validate). */
export function specSystemName(value: Readonly<Record<string, unknown>>): string | undefined {
  const metadata = value.metadata;
  const name = metadata !== null && typeof metadata === 'object' ? (metadata as { name?: unknown }).name : undefined;
  return typeof name === 'string' && SYSTEM_NAME.test(name) ? name : undefined;
}
