/**
 * compose: a docker-compose.yml (Compose Specification, readable by docker-compose v1.27+ and
 * `docker compose` v2) from the same IR. Every string is data in a YAML document; `$` is escaped
 * as `$$` so Compose interpolation never reads spec text, and secrets appear only as `${VAR}`
 * placeholders the engine supplies at run time (see `composeSecretVariable`).
 */
import type { ContainerNode, DockerImageNode, DockerNode, DockerVolumeNode, NetworkNode } from './docker-family/model.js';
import { resourceNames } from '../compiler/validate/resource-names.js';
import type { Value } from '../compiler/resolve/value.js';
import type { EmittedFile, Target } from '../compiler/emit/target.js';
import { DOCKER_FAMILY_KINDS } from './docker-family/kinds.js';
import { lowerDockerFamily } from './docker-family/lower.js';
import { dockerFamilyRealization } from './docker-family/realization.js';
import { dockerPlanRules } from './docker-family/plan-rules.js';
import { generatedDockerfilePath } from '../modules/design/dockerfile.js';
import { posix } from 'node:path';

export const composeTarget: Target<DockerNode> = {
  name: 'compose',
  summary: 'docker-compose.yml with health-gated depends_on, applied with the Docker CLI',
  supports: DOCKER_FAMILY_KINDS,
  realization: dockerFamilyRealization('generated at apply time by the engine and passed to Compose as an ${ANINFRA_SECRET_*} variable, never written into docker-compose.yml; kept in the state directory (.aninfra/) for the next apply'),
  engines: ['compose'],
  lower: (ir) => lowerDockerFamily(ir, 'compose'),
  plan: dockerPlanRules,
  emit(ir, ctx) {
    const network = ir.nodes.find((n): n is NetworkNode => n.kind === 'network');
    const images = new Map(ir.nodes.filter((n): n is DockerImageNode => n.kind === 'image').map((n) => [n.id, n]));
    const volumes = new Map(ir.nodes.filter((n): n is DockerVolumeNode => n.kind === 'volume').map((n) => [n.id, n]));
    const containers = ir.nodes.filter((n): n is ContainerNode => n.kind === 'container');
    const byId = new Map(containers.map((c) => [c.id, c]));
    const files: EmittedFile[] = [];
    for (const image of images.values()) {
      if (image.source.kind === 'build' && image.source.generatedDockerfile !== undefined) files.push({ path: generatedDockerfilePath(moduleOf(image)), content: image.source.generatedDockerfile });
    }
    const services: Record<string, unknown> = {};
    for (const c of containers) {
      const image = images.get(c.image);
      if (!image) throw new Error(`container ${c.id} has no image node ${c.image}`);
      const mounts: unknown[] = c.mounts.map((m) =>
        m.kind === 'volume'
          ? { type: 'volume', source: esc(volumes.get(m.volume)?.name ?? m.volume), target: esc(m.target), ...(m.readOnly ? { read_only: true } : {}) }
          : { type: 'bind', source: esc(joinPath(ctx.specDirFromOut, m.source)), target: esc(m.target), ...(m.readOnly ? { read_only: true } : {}) },
      );
      for (const f of c.files) {
        const local = `files/${c.name}/${f.path.replace(/^\/+/, '').replace(/\//g, '__')}`;
        files.push({ path: local, content: f.content, readOnly: true });
        mounts.push({ type: 'bind', source: `./${local}`, target: esc(f.path), read_only: true });
      }
      const dependsOn: Record<string, { condition: string }> = {};
      for (const d of c.dependsOn) {
        const dep = byId.get(d);
        if (dep) dependsOn[dep.name] = { condition: dep.runsToCompletion ? 'service_completed_successfully' : dep.healthcheck ? 'service_healthy' : 'service_started' };
      }
      const hc = c.healthcheck;
      services[c.name] = {
        // Compose v2 would name it `<project>-<service>-1`, as ambiguous as `<system>-<module>` was.
        container_name: esc(resourceNames.container(ir.system, c.name)),
        image: esc(image.ref),
        ...(image.source.kind === 'build'
          ? {
              build: {
                context: esc(joinPath(ctx.specDirFromOut, image.source.context)),
                ...(image.source.dockerfile ? { dockerfile: esc(image.source.dockerfile) } : {}),
                ...(image.source.generatedDockerfile !== undefined ? generatedDockerfileEntry(ctx.outDirFromSpec, image.source.context, moduleOf(image)) : {}),
                ...(Object.keys(image.source.args).length > 0 ? { args: escRecord(image.source.args) } : {}),
                labels: escRecord(image.labels),
              },
            }
          : {}),
        ...(c.entrypoint ? { entrypoint: c.entrypoint.map(esc) } : {}),
        ...(c.command ? { command: c.command.map(esc) } : {}),
        ...(Object.keys(c.env).length > 0 ? { environment: Object.fromEntries(Object.keys(c.env).sort().map((k) => [k, composeValue(c.env[k] ?? [])])) } : {}),
        ...(c.ports.some((p) => p.host !== undefined) ? { ports: c.ports.filter((p) => p.host !== undefined).map((p) => `${p.hostIp}:${p.host}:${p.container}/${p.protocol}`) } : {}),
        ...(mounts.length > 0 ? { volumes: mounts } : {}),
        ...(network ? { networks: { [network.name]: { aliases: c.aliases.map(esc) } } } : {}),
        ...(Object.keys(dependsOn).length > 0 ? { depends_on: dependsOn } : {}),
        ...(hc ? { healthcheck: { test: hc.test.map(esc), interval: `${hc.intervalSeconds}s`, timeout: `${hc.timeoutSeconds}s`, retries: hc.retries, start_period: `${hc.startPeriodSeconds}s` } } : {}),
        restart: c.restart,
        labels: escRecord(c.labels),
      };
    }
    const document = {
      services,
      ...(network ? { networks: { [network.name]: { name: network.name, driver: 'bridge', labels: escRecord(network.labels) } } } : {}),
      ...(volumes.size > 0 ? { volumes: Object.fromEntries([...volumes.values()].map((v) => [v.name, { name: v.name, labels: escRecord(v.labels) }])) } : {}),
    };
    const header = `# Generated by aninfra ${ctx.toolVersion} from system '${ir.system}'. Do not edit: change the spec and run aninfra plan.\n# Secrets are \${ANINFRA_SECRET_*} variables supplied by \`aninfra apply\`; they are never written here.\n`;
    return [{ path: 'docker-compose.yml', content: header + toYaml(document) }, ...files];
  },
};

/** The variable that carries a generated secret into Compose: ANINFRA_SECRET_<MODULE>_<KEY>. */
export function composeSecretVariable(module: string, key: string): string {
  return `ANINFRA_SECRET_${module}_${key}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

function composeValue(value: Value): string {
  return value
    .map((p) => {
      switch (p.kind) {
        case 'text':
          return esc(p.text);
        case 'secret':
          return `\${${composeSecretVariable(p.module, p.name)}}`;
        case 'host-env':
          return `\${${p.name}}`;
        case 'ref':
          // The docker-family lowering resolves every reference to a module name.
          throw new Error(`internal: unresolved reference to ${p.module}.${p.output}`);
        default: {
          const never: never = p;
          throw new Error(`unsupported value ${JSON.stringify(never)}`);
        }
      }
    })
    .join('');
}

/** Compose interpolates `$`; a literal dollar is `$$`. */
function esc(s: string): string {
  return s.replace(/\$/g, '$$$$');
}

function escRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.keys(r).sort().map((k) => [k, esc(r[k] ?? '')]));
}

/** A spec-relative path as seen from the output directory; an absolute path stays as it is. */
function moduleOf(image: DockerImageNode): string {
  return image.provenance.module ?? image.id.replace(/^image:/, '');
}

/**
 * `build.dockerfile` for a generated Dockerfile: Compose (v2 and docker-compose 1.29) resolves a
 * relative one from the build context, so name the file this program writes relative to the
 * context (both are relative to the spec's directory). Unknown without the output directory's
 * place, or for an absolute context: then no entry (the engine builds with `-f` itself).
 */
function generatedDockerfileEntry(outDirFromSpec: string | undefined, context: string, module: string): { dockerfile?: string } {
  if (outDirFromSpec === undefined || context.startsWith('/') || outDirFromSpec.startsWith('/')) return {};
  // A root deep enough that no leading '..' of either path is clamped at '/' (which would drop it).
  const ups = (p: string): number => p.split('/').filter((s) => s === '..').length;
  const root = '/' + Array.from({ length: ups(context) + ups(outDirFromSpec) + 1 }, (_, i) => `d${i}`).join('/');
  const rel = posix.relative(posix.join(root, context), posix.join(root, outDirFromSpec, generatedDockerfilePath(module)));
  return { dockerfile: esc(rel) };
}

function joinPath(base: string, rel: string): string {
  if (rel.startsWith('/')) return rel;
  const joined = `${base.replace(/\/+$/, '')}/${rel.replace(/^\.\//, '')}`;
  return joined.startsWith('/') || joined.startsWith('.') ? joined : `./${joined}`;
}

/**
 * Block-style YAML for the compose document: plain data only (maps, lists, strings, numbers,
 * booleans). Every string is written as a JSON string, which YAML reads as a double-quoted
 * scalar with the same escapes, so no value can be mistaken for another type or break the
 * structure; keys are bare only when they are plain identifiers. A general YAML serializer cost
 * a quarter of a 1,000-module plan. Written into one list of pieces joined once (nested blocks are
 * not built as strings of their own and copied into their parents').
 */
function toYaml(value: unknown): string {
  const out: string[] = [];
  writeNode(out, value, 0, true);
  return out.join('');
}

/** A node at `indent`; `firstPad` false when it continues a list item's dash line (`- key: value`). */
function writeNode(out: string[], value: unknown, indent: number, firstPad: boolean): void {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]\n');
      return;
    }
    const pad = '  '.repeat(indent);
    for (const item of value) {
      out.push(`${pad}-`);
      writeBlock(out, item, indent + 1, true);
    }
    return;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 0) {
      out.push('{}\n');
      return;
    }
    const pad = '  '.repeat(indent);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      // Each service (a key one level down) is joined on its own into a flat string: the whole
      // file as one list of millions of pieces held them all until the end.
      const into = indent === 1 ? [] : out;
      into.push(`${i === 0 && !firstPad ? '' : pad}${yamlKey(key)}:`);
      writeBlock(into, record[key], indent + 1, false);
      if (into !== out) out.push(into.join(''));
    }
    return;
  }
  out.push(`${scalar(value)}\n`);
}

/** The text after `key:` or `-`: a scalar or empty collection on the same line, else a nested block. */
function writeBlock(out: string[], value: unknown, indent: number, listItem: boolean): void {
  const empty = (Array.isArray(value) && value.length === 0) || (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);
  if (value === null || typeof value !== 'object' || empty) {
    out.push(' ');
    writeNode(out, value, indent, true);
  } else if (listItem && !Array.isArray(value)) {
    // A map inside a list starts on the dash line: `- key: value`.
    out.push(' ');
    writeNode(out, value, indent, false);
  } else {
    out.push('\n');
    writeNode(out, value, indent, true);
  }
}

function scalar(value: unknown): string {
  // JSON escapes C0 controls, quotes and lone surrogates; YAML also wants DEL, C1 controls, the
  // Unicode line separators and the BOM escaped inside a double-quoted scalar.
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null || value === undefined) return 'null';
  throw new Error(`cannot write ${typeof value} as YAML`);
}

function yamlKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(key) ? key : scalar(key);
}
