/**
 * replicas-not-with-autoscale: `replicas` written beside `autoscale` is ERR_REPLICAS_WITH_AUTOSCALE
 * at the replicas, fixed by removing it; its value becomes autoscale.min when min is not written
 * and it fits under max.
 */
import { replicasNotWithAutoscale } from '../../../../src/compiler/validate/rules/replicas-not-with-autoscale.js';
import { modules } from '../../../helpers/spec.js';
import { ruleTables, type InvalidRow, type ValidRow } from './rule-table.js';

const svc = (name: string, extra: string) => `${name}: { type: service, with: { runtime: image, image: "nginx:1.27", ${extra}, resources: { cpu: "250m" } } }`;

const valid: ValidRow[] = [
  { name: 'replicas alone', spec: modules(svc('api', 'replicas: 3')) },
  { name: 'autoscale alone', spec: modules(svc('api', 'autoscale: { min: 2, max: 5 }')) },
  { name: 'neither (one instance)', spec: modules(svc('api', 'port: 8080')) },
  { name: 'a gateway with replicas', spec: modules(`${svc('api', 'port: 8080')}\nedge: { type: gateway, with: { replicas: 2, routes: [{ path: /, to: api }] } }`) },
];

const invalid: InvalidRow[] = [
  {
    name: 'replicas 3 and autoscale without min (fix: replicas becomes min)',
    spec: modules(svc('api', 'replicas: 3, autoscale: { max: 8 }')),
    code: 'ERR_REPLICAS_WITH_AUTOSCALE', path: '/modules/api/with/replicas', at: '5:80',
    fix: [{ op: 'remove', path: '/modules/api/with/replicas' }, { op: 'add', path: '/modules/api/with/autoscale/min', value: 3 }],
  },
  {
    name: 'replicas and autoscale with its own min (fix: remove replicas)',
    spec: modules(svc('api', 'autoscale: { min: 2, max: 8 }, replicas: 4')),
    code: 'ERR_REPLICAS_WITH_AUTOSCALE', path: '/modules/api/with/replicas', at: '5:111',
    fix: [{ op: 'remove', path: '/modules/api/with/replicas' }],
  },
  {
    name: 'replicas above autoscale max (fix: remove replicas only)',
    spec: modules(svc('api', 'replicas: 10, autoscale: { max: 4 }')),
    code: 'ERR_REPLICAS_WITH_AUTOSCALE', path: '/modules/api/with/replicas', at: '5:80',
    fix: [{ op: 'remove', path: '/modules/api/with/replicas' }],
  },
  {
    name: 'replicas 1 written beside autoscale on a worker',
    spec: modules('jobs: { type: worker, with: { runtime: image, image: "busybox:1.36", replicas: 1, autoscale: { min: 1, max: 3 }, resources: { cpu: "1" } } }'),
    code: 'ERR_REPLICAS_WITH_AUTOSCALE', path: '/modules/jobs/with/replicas', at: '5:82',
    fix: [{ op: 'remove', path: '/modules/jobs/with/replicas' }],
  },
];

ruleTables(replicasNotWithAutoscale, valid, invalid);
