/**
 * Design values (src/compiler/resolve/value.ts) as aws model values: text stays text, a generated
 * secret is its random password, a host-env value is read at apply time, and a reference to a
 * module's output becomes the apply-time attribute of the resource realizing it (an RDS address, a
 * replication group's endpoint, a broker's host, a distribution's domain, a Cloud Map name).
 * Managed services speak TLS on their own ports: a URL built for the design's port and plain
 * scheme (`redis://…:6379`, `amqp://…:5672`, `http://…:9000`) is rewritten to the managed one
 * (`rediss://`, `amqps://…:5671`, `https://…:443`).
 */
import type { Value, ValuePart } from '../../compiler/resolve/value.js';
import { concatOf, type AwsValue } from './model.js';

/** How a module is reached on AWS: its host (an apply-time value) and the port/scheme rewrite of its managed service. */
export interface Endpoint {
  readonly host: AwsValue;
  /** Design port → the managed service's port. */
  readonly ports?: Readonly<Record<number, number>>;
  /** Design URL scheme → the managed service's scheme. */
  readonly schemes?: Readonly<Record<string, string>>;
}

export type EndpointOf = (module: string) => Endpoint | undefined;

export function awsValue(value: Value, endpointOf: EndpointOf): AwsValue {
  const refs = value.flatMap((p) => (p.kind === 'ref' ? [p.module] : []));
  const rewrites = refs.map(endpointOf).filter((e): e is Endpoint => e !== undefined);
  const parts: AwsValue[] = [];
  value.forEach((p, i) => {
    const previous: ValuePart | undefined = value[i - 1];
    parts.push(partValue(p, previous, rewrites, endpointOf));
  });
  if (parts.length === 0) return '';
  if (parts.length === 1 && typeof parts[0] === 'string') return parts[0];
  return concatOf(...parts);
}

function partValue(p: ValuePart, previous: ValuePart | undefined, rewrites: readonly Endpoint[], endpointOf: EndpointOf): AwsValue {
  switch (p.kind) {
    case 'text': {
      let text = p.text;
      for (const e of rewrites) {
        for (const [from, to] of Object.entries(e.schemes ?? {})) if (text.startsWith(`${from}://`)) text = `${to}://${text.slice(from.length + 3)}`;
      }
      // The port right after a reference to a module belongs to that module.
      if (previous?.kind === 'ref') {
        const ports = endpointOf(previous.module)?.ports ?? {};
        const m = /^:([0-9]{1,5})(?![0-9])/.exec(text);
        const mapped = m ? ports[Number(m[1])] : undefined;
        if (m && mapped !== undefined) text = `:${mapped}${text.slice(m[0].length)}`;
      }
      return text;
    }
    case 'secret':
      return { $secret: p.module, key: p.name };
    case 'host-env':
      return { $hostEnv: p.name };
    case 'ref':
      return endpointOf(p.module)?.host ?? p.module;
    default: {
      const never: never = p;
      throw new Error(`internal: unknown value part ${JSON.stringify(never)}`);
    }
  }
}

/** A value holds a secret when any part is a generated password or a host-env value. */
export function hasSecret(v: AwsValue): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(hasSecret);
  const o = v as Readonly<Record<string, AwsValue>>;
  if (Object.hasOwn(o, '$secret') || Object.hasOwn(o, '$hostEnv')) return true;
  return Object.values(o).some(hasSecret);
}
