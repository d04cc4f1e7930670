/**
 * autoscale-has-cpu-request: autoscale without resources.cpu is WARN_AUTOSCALE_NO_CPU_REQUEST at
 * the autoscale block, without a fix (the request is the author's to choose).
 */
import { autoscaleHasCpuRequest } from '../../../../src/compiler/validate/rules/autoscale-has-cpu-request.js';
import { modules } from '../../../helpers/spec.js';
import { ruleTables, type InvalidRow, type ValidRow } from './rule-table.js';

const svc = (name: string, extra: string) => `${name}: { type: service, with: { runtime: image, image: "nginx:1.27", ${extra} } }`;

const valid: ValidRow[] = [
  { name: 'autoscale with a CPU request', spec: modules(svc('api', 'autoscale: { max: 4 }, resources: { cpu: "500m" }')) },
  { name: 'resources without autoscale', spec: modules(svc('api', 'replicas: 2, resources: { memory: "256Mi" }')) },
  { name: 'no design fields at all', spec: modules(svc('api', 'port: 80')) },
];

const invalid: InvalidRow[] = [
  {
    name: 'autoscale and no resources',
    spec: modules(svc('api', 'autoscale: { min: 2, max: 4 }')),
    code: 'WARN_AUTOSCALE_NO_CPU_REQUEST', path: '/modules/api/with/autoscale', at: '5:81',
    fix: null,
  },
  {
    name: 'autoscale and memory only',
    spec: modules(svc('api', 'resources: { memory: "1Gi" }, autoscale: { max: 3, cpu: 50 }')),
    code: 'WARN_AUTOSCALE_NO_CPU_REQUEST', path: '/modules/api/with/autoscale', at: '5:111',
    fix: null,
  },
  {
    name: 'a gateway that autoscales',
    spec: modules(`${svc('api', 'port: 80')}\nedge: { type: gateway, with: { routes: [{ path: /, to: api }], autoscale: { max: 3 } } }`),
    code: 'WARN_AUTOSCALE_NO_CPU_REQUEST', path: '/modules/edge/with/autoscale', at: '6:77',
    fix: null,
  },
];

ruleTables(autoscaleHasCpuRequest, valid, invalid);
