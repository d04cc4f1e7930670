/**
 * The Pulumi TypeScript program of the aws target: one plain `aws.*` resource per model node
 * (`@pulumi/random` for generated passwords, `@pulumi/docker` Image for builds pushed to ECR),
 * its arguments printed from the node's data, apply-time values rendered as Pulumi expressions,
 * all through one explicit `aws.Provider` in the model's region. Every literal goes through the
 * printer; identifiers derive from node ids through `identifier()`.
 */
import type { EmitContext, EmittedFile } from '../../compiler/emit/target.js';
import { printProgram } from '../../compiler/emit/printer/print-ts.js';
import { arr, bool, call, identifier, member, newExpr, num, obj, ref, str, type Expr, type Identifier, type Stmt } from '../../compiler/emit/printer/ts-ast.js';
import { generatedDockerfilePath } from '../../modules/design/dockerfile.js';
import { subnetIds } from './lower-network.js';
import { randomId } from './lower-secrets.js';
import { specialKey, type AwsModel, type AwsNode, type AwsValue } from './model.js';
import { AWS_RUNTIME_HELPER } from './runtime-helper.js';

/** SDK versions the emitted project pins; they match aninfra's own dependencies. */
export const AWS_SDK_VERSIONS = { '@pulumi/aws': '7.48.0', '@pulumi/docker': '5.2.0', '@pulumi/pulumi': '3.248.0', '@pulumi/random': '4.21.2' } as const;

const pulumi = ref(identifier('pulumi'));
const runtime = ref(identifier('runtime'));
const provider = ref(identifier('provider'));
const network = ref(identifier('network'));
const zones = ref(identifier('zones'));

/** `aws.ec2.Vpc/private-a` → `aws_ec2_Vpc_private_a`. */
export const varName = (id: string): Identifier => identifier(id.replace(/[^A-Za-z0-9_]/g, '_'));

/** Pulumi type token of a model node, as engine events and mocks report it (`aws:ec2/vpc:Vpc`). */
export function resourceType(node: Pick<AwsNode, 'kind'>): string {
  const parts = node.kind.split('.');
  const pkg = parts[0] ?? '';
  const cls = parts[parts.length - 1] ?? '';
  const mod = parts.length > 2 ? parts.slice(1, -1).join('/') : 'index';
  return `${pkg}:${mod}/${cls.charAt(0).toLowerCase()}${cls.slice(1)}:${cls}`;
}

export function emitProgram(model: AwsModel, ctx: EmitContext): EmittedFile[] {
  const usesDocker = model.nodes.some((n) => n.kind.startsWith('docker.'));
  const created = model.vpcId === undefined;
  const statements: Stmt[] = [
    { k: 'import-star', name: identifier('pulumi'), from: '@pulumi/pulumi' },
    { k: 'import-star', name: identifier('aws'), from: '@pulumi/aws' },
    { k: 'import-star', name: identifier('random'), from: '@pulumi/random' },
    ...(usesDocker ? [{ k: 'import-star', name: identifier('docker'), from: '@pulumi/docker' } as const] : []),
    { k: 'import-star', name: identifier('runtime'), from: './aninfra-runtime' },
    { k: 'blank' },
    { k: 'comment', text: 'Every AWS resource goes through this provider: the region of the spec (platform.aws.region) or --region; credentials are the standard AWS ones.' },
    { k: 'const', name: identifier('provider'), init: newExpr(member(ref(identifier('aws')), 'Provider'), str('aninfra-aws'), obj([['region', str(model.region)], ['defaultTags', obj([['tags', obj([['aninfra.system', str(model.system)]])]])]])), exported: false },
  ];
  if (created) statements.push({ k: 'const', name: identifier('zones'), init: call(member(ref(identifier('aws')), 'getAvailabilityZonesOutput'), obj([['state', str('available')]]), obj([['provider', provider]])), exported: false });
  else statements.push({ k: 'comment', text: 'The existing VPC of platform.aws.vpcId and its subnets.' }, { k: 'const', name: identifier('network'), init: call(member(runtime, 'existingNetwork'), str(model.vpcId ?? ''), provider), exported: false });
  statements.push({ k: 'blank' });
  const vars = new Set<string>();
  // Counted once: every subnet list of the program is rendered from it.
  const zonesCount = model.nodes.filter((n) => n.kind === 'aws.ec2.Subnet' && n.name.startsWith('private-')).length;
  const rc: RenderContext = { model, ctx, created, zonesCount, vars: new Map(), refs: new Map(), classes: new Map(), network: new Map() };
  const render = (v: AwsValue): Expr => valueExpr(v, rc);
  for (const node of model.nodes) {
    statements.push({ k: 'comment', text: `${node.id}: ${node.provenance.rule}${node.provenance.module ? ` (module ${node.provenance.module})` : ''}` });
    const name = varOf(node.id, rc);
    if (vars.has(name)) throw new Error(`internal: two resources map to the variable ${name}`);
    vars.add(name);
    statements.push({ k: 'const', name, init: resource(node, render, rc), exported: false });
  }
  statements.push({ k: 'blank' }, { k: 'comment', text: 'Stack outputs, by module: endpoints known after apply. Secret outputs stay encrypted in the state.' });
  const byModule = new Map<string, (readonly [string, Expr])[]>();
  for (const o of model.awsOutputs ?? []) {
    const e = render(o.value);
    const entry = [o.name, o.secret ? call(member(pulumi, 'secret'), e) : e] as const;
    const entries = byModule.get(o.module);
    if (entries) entries.push(entry);
    else byModule.set(o.module, [entry]);
  }
  statements.push({ k: 'const', name: identifier('outputs'), init: obj([...byModule].map(([m, entries]) => [m, obj(entries)] as const)), exported: true });
  const index = printProgram({ header: `// Generated by aninfra ${ctx.toolVersion} from system '${model.system.replace(/[^A-Za-z0-9 ._-]/g, '?')}'. Do not edit: change the spec and run aninfra plan.`, statements });
  return [
    { path: 'Pulumi.yaml', content: `name: ${JSON.stringify(`aninfra-${model.system}`)}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\ndescription: ${JSON.stringify(`aninfra system ${model.system} on AWS`)}\n` },
    { path: 'package.json', content: JSON.stringify({ name: `aninfra-${model.system}`, private: true, main: 'index.ts', dependencies: AWS_SDK_VERSIONS, devDependencies: { '@types/node': '^20.19.0', typescript: '5.9.3' } }, null, 2) + '\n' },
    { path: 'tsconfig.json', content: JSON.stringify({ compilerOptions: { strict: true, target: 'ES2020', module: 'commonjs', moduleResolution: 'node', esModuleInterop: true, skipLibCheck: true, types: ['node'] }, files: ['index.ts'] }, null, 2) + '\n' },
    { path: 'index.ts', content: index },
    { path: 'aninfra-runtime.ts', content: AWS_RUNTIME_HELPER },
    ...(model.images ?? []).flatMap((i) => (i.generatedDockerfile !== undefined ? [{ path: generatedDockerfilePath(i.module), content: i.generatedDockerfile }] : [])),
  ];
}

function classExpr(kind: string): Expr {
  const [head = '', ...rest] = kind.split('.');
  return rest.reduce<Expr>((e, p) => member(e, p), ref(identifier(head)));
}

function resource(node: AwsNode, render: (v: AwsValue) => Expr, rc: RenderContext): Expr {
  const options = obj([
    ['provider', node.kind.startsWith('aws.') || node.kind.startsWith('aninfra.') ? provider : undefined],
    ['dependsOn', node.dependsOn.length > 0 && !node.kind.startsWith('aninfra.') ? arr(node.dependsOn.map((d) => ref(varOf(d, rc)))) : undefined],
    // Data and the credentials that unlock it outlive a destroy; --delete-data removes them.
    ['retainOnDelete', node.retainOnDelete ? call(member(runtime, 'keepData')) : undefined],
    ['additionalSecretOutputs', node.secretOutputs ? arr(node.secretOutputs.map(str)) : undefined],
  ]);
  if (node.kind === 'aninfra.SiteFiles') return call(member(runtime, 'siteFiles'), str(node.name), render(node.args), options);
  let cls = rc.classes.get(node.kind);
  if (cls === undefined) rc.classes.set(node.kind, (cls = classExpr(node.kind)));
  return newExpr(cls, str(node.name), render(node.args), options);
}

interface RenderContext {
  readonly model: AwsModel;
  readonly ctx: EmitContext;
  readonly created: boolean;
  /** Zones of a created network (its private subnets). */
  readonly zonesCount: number;
  // Printer nodes are immutable, so the ones a program repeats are built once (each validates its identifier).
  /** Variable of each node id. */
  readonly vars: Map<string, Identifier>;
  /** `<variable>.<attr>` by node id and attribute. */
  readonly refs: Map<string, Map<string, Expr>>;
  /** The class expression of each resource kind. */
  readonly classes: Map<string, Expr>;
  /** Each network value of a created network. */
  readonly network: Map<string, Expr>;
}

function varOf(id: string, rc: RenderContext): Identifier {
  let name = rc.vars.get(id);
  if (name === undefined) rc.vars.set(id, (name = varName(id)));
  return name;
}

/** `<variable of id>.<attr>`. */
function attrOf(id: string, attr: string, rc: RenderContext): Expr {
  let byAttr = rc.refs.get(id);
  if (byAttr === undefined) rc.refs.set(id, (byAttr = new Map()));
  let e = byAttr.get(attr);
  if (e === undefined) byAttr.set(attr, (e = member(ref(varOf(id, rc)), attr)));
  return e;
}

function valueExpr(v: AwsValue, rc: RenderContext): Expr {
  if (v === null) return { k: 'null' };
  if (typeof v === 'string') return str(v);
  if (typeof v === 'number') return num(v);
  if (typeof v === 'boolean') return bool(v);
  if (Array.isArray(v)) return arr((v as readonly AwsValue[]).map((x) => valueExpr(x, rc)));
  const o = v as Readonly<Record<string, AwsValue>>;
  switch (specialKey(v)) {
    case '$ref':
      return attrOf(String(o.$ref), String(o.attr), rc);
    case '$concat':
      return call(member(pulumi, 'concat'), ...(o.$concat as readonly AwsValue[]).map((x) => valueExpr(x, rc)));
    case '$json':
      return call(member(pulumi, 'jsonStringify'), valueExpr(o.$json as AwsValue, rc));
    case '$secret':
      return attrOf(randomId(String(o.$secret), String(o.key)), 'result', rc);
    case '$hostEnv':
      return call(member(pulumi, 'secret'), call(member(runtime, 'hostEnv'), str(String(o.$hostEnv))));
    case '$net': {
      const which = String(o.$net);
      let e = rc.network.get(which);
      if (e === undefined) rc.network.set(which, (e = networkExpr(which, rc)));
      return e;
    }
    case '$az':
      return call(member(runtime, 'zone'), zones, num(Number(o.$az)));
    case '$context':
      return str(rc.model.region);
    case '$brokerHost':
      return call(member(runtime, 'brokerHost'), member(ref(varName(String(o.$brokerHost))), 'instances'));
    case '$specPath':
      return call(member(runtime, 'specPath'), str(rc.ctx.specDirFromOut), str(String(o.$specPath)));
    case '$dataPolicy':
      return call(member(runtime, o.$dataPolicy === 'keep' ? 'keepData' : 'deleteData'));
    case '$programPath':
      return call(member(runtime, 'programPath'), str(String(o.$programPath)));
    case '$ecrRegistry':
      return call(member(runtime, 'ecrRegistry'), ref(varName(String(o.$ecrRegistry))), provider);
    case undefined:
      return obj(Object.entries(o).map(([k, x]) => [k, valueExpr(x, rc)] as const));
  }
}

function networkExpr(which: string, rc: RenderContext): Expr {
  if (!rc.created) return member(network, which);
  const zonesCount = rc.zonesCount;
  const ids = (tier: 'public' | 'private') => subnetIds(zonesCount, tier).map((id) => attrOf(id, 'id', rc));
  switch (which) {
    case 'vpcId':
      return attrOf('aws.ec2.Vpc/vpc', 'id', rc);
    case 'publicSubnetIds':
      return arr(ids('public'));
    case 'privateSubnetIds':
      return arr(ids('private'));
    default:
      return ids('private')[0] ?? str('');
  }
}
