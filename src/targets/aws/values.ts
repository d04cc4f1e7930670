/**
 * Design values (src/compiler/resolve/value.ts) as aws model values: text stays text, a generated
 * secret is its random password, a host-env value is read at apply time, and a reference to a
 * module's output becomes the apply-time attribute of the resource realizing it (an RDS address, a
 * replication group's endpoint, a broker's host, a distribution's domain, a Cloud Map name).
 * Managed services speak TLS on their own ports: a URL built for the design's port and plain
 * scheme (`redis://…:6379`, `amqp://…:5672`, `http://…:9000`) is rewritten to the managed one
 * (`rediss://`, `amqps://…:5671`, `https://`). A URL to a service that needs connection options
 * (DocumentDB: `tls=true&retryWrites=false`) gets them added to its query string.
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
  /** A port the service's URLs leave out after the rewrite (443 for HTTPS). */
  readonly defaultPort?: number;
  /** Outputs that are not the host (an S3 bucket's name), by output name. */
  readonly outputs?: Readonly<Record<string, AwsValue>>;
  /** Query parameters (`a=b&c=d`) a URL to the service must carry; ones the URL sets already are kept as written. */
  readonly query?: string;
}

export type EndpointOf = (module: string) => Endpoint | undefined;

export function awsValue(value: Value, endpointOf: EndpointOf): AwsValue {
  const refs = value.flatMap((p) => (p.kind === 'ref' ? [p.module] : []));
  const rewrites = refs.map(endpointOf).filter((e): e is Endpoint => e !== undefined);
  const parts: AwsValue[] = [];
  value.forEach((p, i) => {
    const previous: ValuePart | undefined = value[i - 1];
    const part = partValue(p, previous, rewrites, endpointOf);
    const query = previous?.kind === 'ref' ? endpointOf(previous.module)?.query : undefined;
    // Only a URL (`scheme://` before the host) to the service takes its query parameters.
    const isUrl = value.slice(0, i - 1).some((x) => x.kind === 'text' && x.text.includes('://'));
    parts.push(typeof part === 'string' && query !== undefined && isUrl ? withQuery(part, query) : part);
  });
  // A URL ending at the host of such a service takes its parameters too.
  const last = value[value.length - 1];
  const trailing = last?.kind === 'ref' ? endpointOf(last.module)?.query : undefined;
  if (trailing !== undefined && value.slice(0, -1).some((x) => x.kind === 'text' && x.text.includes('://'))) parts.push(withQuery('', trailing));
  // Adjacent literal parts (a host known at compile time, the URL around it) join into one.
  const joined = parts.reduce<AwsValue[]>((acc, x) => {
    const prev = acc[acc.length - 1];
    if (typeof x === 'string' && typeof prev === 'string') acc[acc.length - 1] = prev + x;
    else if (x !== '') acc.push(x);
    return acc;
  }, []);
  if (joined.length === 0) return '';
  if (joined.length === 1 && typeof joined[0] === 'string') return joined[0];
  return concatOf(...joined);
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
        const endpoint = endpointOf(previous.module);
        if (m && mapped !== undefined) text = `${mapped === endpoint?.defaultPort ? '' : `:${mapped}`}${text.slice(m[0].length)}`;
      }
      return text;
    }
    case 'secret':
      return { $secret: p.module, key: p.name };
    case 'host-env':
      return { $hostEnv: p.name };
    case 'ref': {
      const endpoint = endpointOf(p.module);
      return endpoint?.outputs?.[p.output] ?? endpoint?.host ?? p.module;
    }
    default: {
      const never: never = p;
      throw new Error(`internal: unknown value part ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The text right after a URL's host (`:port/path?query#fragment…`) with `query`'s parameters added
 * to its query string; a parameter the URL already sets keeps its value.
 */
export function withQuery(afterHost: string, query: string): string {
  const m = /^(:[0-9]{1,5})?(\/[^?#\s]*)?(\?[^#\s]*)?/.exec(afterHost);
  const head = m?.[0] ?? '';
  // A MongoDB URL needs the `/` before its options even without a database.
  const path = `${m?.[1] ?? ''}${m?.[2] ?? '/'}`;
  const existing = (m?.[3] ?? '').slice(1);
  const has = new Set(existing.split('&').filter((x) => x !== '').map((x) => x.split('=')[0]));
  const added = query.split('&').filter((x) => x !== '' && !has.has(x.split('=')[0]));
  if (added.length === 0) return afterHost;
  const all = [...(existing === '' ? [] : [existing]), ...added].join('&');
  return `${path}?${all}${afterHost.slice(head.length)}`;
}

/** A value holds a secret when any part is a generated password or a host-env value. */
export function hasSecret(v: AwsValue): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(hasSecret);
  const o = v as Readonly<Record<string, AwsValue>>;
  if (Object.hasOwn(o, '$secret') || Object.hasOwn(o, '$hostEnv')) return true;
  return Object.values(o).some(hasSecret);
}
