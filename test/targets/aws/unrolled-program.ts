/**
 * The aws program unrolled: one TypeScript statement per resource, its arguments printed from the
 * model (what index.ts was before the resources became data in aninfra-resources.json). Never
 * emitted: program-typecheck.test.ts typechecks every resource's arguments against the SDK with it,
 * and program-layouts.test.ts runs it beside the data-driven program under Pulumi mocks to show both
 * register the same resources.
 */
import type { EmitContext } from '../../../src/compiler/emit/target.js';
import { printProgram } from '../../../src/compiler/emit/printer/print-ts.js';
import { arr, bool, call, identifier, member, newExpr, num, obj, ref, str, type Expr, type Identifier } from '../../../src/compiler/emit/printer/ts-ast.js';
import { classExpr, preamble, programHeader, varName } from '../../../src/targets/aws/emit-program.js';
import { subnetIds } from '../../../src/targets/aws/lower-network.js';
import { randomId } from '../../../src/targets/aws/lower-secrets.js';
import { specialKey, type AwsModel, type AwsNode, type AwsValue } from '../../../src/targets/aws/model.js';

const pulumi = ref(identifier('pulumi'));
const runtime = ref(identifier('runtime'));
const provider = ref(identifier('provider'));
const network = ref(identifier('network'));
const zones = ref(identifier('zones'));

export function unrolledIndex(model: AwsModel, ctx: EmitContext): string {
  const statements = preamble(model);
  const vars = new Set<string>();
  // Counted once: every subnet list of the program is rendered from it.
  const zonesCount = model.nodes.filter((n) => n.kind === 'aws.ec2.Subnet' && n.name.startsWith('private-')).length;
  const rc: RenderContext = { model, ctx, created: model.vpcId === undefined, zonesCount, vars: new Map(), refs: new Map(), classes: new Map(), network: new Map() };
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
  return printProgram({ header: programHeader(model, ctx), statements });
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
