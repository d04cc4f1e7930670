/**
 * autoscale-range-valid: autoscale.min above autoscale.max is ERR_AUTOSCALE_RANGE at the min,
 * fixed by swapping the two.
 */
import { autoscaleRangeValid } from '../../../../src/compiler/validate/rules/autoscale-range-valid.js';
import { modules } from '../../../helpers/spec.js';
import { ruleTables, type InvalidRow, type ValidRow } from './rule-table.js';

const CPU = 'resources: { cpu: "250m" }';
const svc = (name: string, autoscale: string) => `${name}: { type: service, with: { runtime: image, image: "nginx:1.27", autoscale: ${autoscale}, ${CPU} } }`;
const worker = (name: string, autoscale: string) => `${name}: { type: worker, with: { runtime: image, image: "busybox:1.36", autoscale: ${autoscale}, ${CPU} } }`;
const gateway = (autoscale: string) => `edge: { type: gateway, with: { routes: [{ path: /, to: api }], autoscale: ${autoscale}, ${CPU} } }`;

const valid: ValidRow[] = [
  { name: 'min below max', spec: modules(svc('api', '{ min: 2, max: 6 }')) },
  { name: 'min equal to max (a fixed count)', spec: modules(svc('api', '{ min: 3, max: 3, cpu: 60 }')) },
  { name: 'max alone (min defaults to 1)', spec: modules(svc('api', '{ max: 4 }')) },
  { name: 'a worker and a gateway', spec: modules(`${svc('api', '{ max: 4 }')}\n${worker('jobs', '{ min: 1, max: 20 }')}\n${gateway('{ min: 2, max: 3 }')}`) },
];

const invalid: InvalidRow[] = [
  {
    name: 'a service with min 5 and max 2 (fix: swap)',
    spec: modules(svc('api', '{ min: 5, max: 2 }')),
    code: 'ERR_AUTOSCALE_RANGE', path: '/modules/api/with/autoscale/min', at: '5:88',
    fix: [{ op: 'replace', path: '/modules/api/with/autoscale/min', value: 2 }, { op: 'replace', path: '/modules/api/with/autoscale/max', value: 5 }],
  },
  {
    name: 'a worker with min 20 and max 1',
    spec: modules(worker('jobs', '{ max: 1, min: 20 }')),
    code: 'ERR_AUTOSCALE_RANGE', path: '/modules/jobs/with/autoscale/min', at: '5:98',
    fix: [{ op: 'replace', path: '/modules/jobs/with/autoscale/min', value: 1 }, { op: 'replace', path: '/modules/jobs/with/autoscale/max', value: 20 }],
  },
  {
    name: 'a gateway with min 3 and max 2',
    spec: modules(`${svc('api', '{ max: 4 }')}\n${gateway('{ min: 3, max: 2, cpu: 50 }')}`),
    code: 'ERR_AUTOSCALE_RANGE', path: '/modules/edge/with/autoscale/min', at: '6:84',
    fix: [{ op: 'replace', path: '/modules/edge/with/autoscale/min', value: 2 }, { op: 'replace', path: '/modules/edge/with/autoscale/max', value: 3 }],
  },
];

ruleTables(autoscaleRangeValid, valid, invalid);
