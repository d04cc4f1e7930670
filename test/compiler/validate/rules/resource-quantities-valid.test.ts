/**
 * resource-quantities-valid: resources.cpu / resources.memory that are not Kubernetes quantities
 * every target can realize are ERR_RESOURCE_QUANTITY at the value, with a fix where the meaning is
 * clear ('512MB' → '512Mi') and none otherwise.
 */
import { resourceQuantitiesValid } from '../../../../src/compiler/validate/rules/resource-quantities-valid.js';
import { modules } from '../../../helpers/spec.js';
import { ruleTables, type InvalidRow, type ValidRow } from './rule-table.js';

/** One service line whose resources value starts at column 88 of line 5 when `field` is cpu, 91 when memory. */
const svc = (field: 'cpu' | 'memory', value: string) => modules(`api: { type: service, with: { runtime: image, image: "nginx:1.27", resources: { ${field}: ${JSON.stringify(value)} } } }`);
const AT = { cpu: '5:88', memory: '5:91' } as const;

const valid: ValidRow[] = [
  ...['500m', '1', '0.5', '2.25', '0.001', '1m', '64'].map((v) => ({ name: `cpu ${v}`, spec: svc('cpu', v) })),
  ...['512Mi', '1Gi', '256M', '1.5Gi', '6Mi', '10000000', '2G', '1Ti'].map((v) => ({ name: `memory ${v}`, spec: svc('memory', v) })),
  {
    name: 'both on a worker and a gateway',
    spec: modules(
      'api: { type: service, with: { runtime: image, image: "nginx:1.27" } }\n' +
        'jobs: { type: worker, with: { runtime: image, image: "busybox:1.36", resources: { cpu: "100m", memory: "64Mi" } } }\n' +
        'edge: { type: gateway, with: { routes: [{ path: /, to: api }], resources: { cpu: "0.25", memory: "128Mi" } } }',
    ),
  },
];

const fixed: [field: 'cpu' | 'memory', written: string, meant: string][] = [
  ['memory', '512MB', '512Mi'],
  ['memory', '1g', '1Gi'],
  ['memory', '1 GB', '1Gi'],
  ['memory', '2GiB', '2Gi'],
  ['memory', '512m', '512Mi'],
  ['memory', '512', '512Mi'],
  ['memory', '256 Mi', '256Mi'],
  ['cpu', '0.5 cores', '0.5'],
  ['cpu', '2 vCPU', '2'],
  ['cpu', '.5', '0.5'],
  ['cpu', '250 millicores', '250m'],
  ['cpu', '100mc', '100m'],
];

const unfixed: [field: 'cpu' | 'memory', written: string][] = [
  ['cpu', '0'],
  ['cpu', '0m'],
  ['cpu', '1.5m'],
  ['cpu', '0.0005'],
  ['cpu', '50%'],
  ['cpu', 'lots'],
  ['memory', '1Ki'],
  ['memory', '4'],
  ['memory', 'plenty'],
  ['memory', '1e9'],
];

const invalid: InvalidRow[] = [
  ...fixed.map(([field, written, meant]) => ({
    name: `${field} '${written}' (fix: '${meant}')`,
    spec: svc(field, written),
    code: 'ERR_RESOURCE_QUANTITY' as const,
    path: `/modules/api/with/resources/${field}`,
    at: AT[field],
    fix: [{ op: 'replace' as const, path: `/modules/api/with/resources/${field}`, value: meant }],
  })),
  ...unfixed.map(([field, written]) => ({
    name: `${field} '${written}' (no fix)`,
    spec: svc(field, written),
    code: 'ERR_RESOURCE_QUANTITY' as const,
    path: `/modules/api/with/resources/${field}`,
    at: AT[field],
    fix: null,
  })),
  {
    name: 'a gateway memory quantity',
    spec: modules('api: { type: service, with: { runtime: image, image: "nginx:1.27" } }\nedge: { type: gateway, with: { routes: [{ path: /, to: api }], resources: { memory: "128MB" } } }'),
    code: 'ERR_RESOURCE_QUANTITY', path: '/modules/edge/with/resources/memory', at: '6:87',
    fix: [{ op: 'replace', path: '/modules/edge/with/resources/memory', value: '128Mi' }],
  },
];

ruleTables(resourceQuantitiesValid, valid, invalid);
