/**
 * labels-unreserved: labels in namespaces Docker, Compose, Kubernetes, Pulumi or aninfra read are
 * refused (module labels and metadata.labels), with a fix removing the label.
 */
import { labelsUnreserved } from '../../../../src/compiler/validate/rules/labels-unreserved.js';
import { modules } from '../../../helpers/spec.js';
import { ruleTables, type InvalidRow, type ValidRow } from './rule-table.js';

const valid: ValidRow[] = [
  { name: 'plain keys', spec: modules('cache: { type: redis, labels: { team: a, tier: gold } }') },
  { name: 'a domain that only resembles a reserved one', spec: modules('cache: { type: redis, labels: { example.com/docker: a, mykubernetes.io/x: b, com.dockerhub.x: c } }') },
];

const invalid: InvalidRow[] = [
  {
    name: 'com.docker.compose.project moves a container into another project',
    spec: modules('cache: { type: redis, labels: { com.docker.compose.project: other } }'),
    code: 'ERR_LABEL_RESERVED_PREFIX', path: '/modules/cache/labels/com.docker.compose.project', at: '5:35',
    fix: [{ op: 'remove', path: '/modules/cache/labels/com.docker.compose.project' }],
  },
  {
    name: 'aninfra.system in metadata.labels',
    spec: 'apiVersion: aninfra/v1\nkind: System\nmetadata: { name: demo, labels: { aninfra.system: victim } }\nmodules: {}\n',
    code: 'ERR_LABEL_RESERVED_PREFIX', path: '/metadata/labels/aninfra.system', at: '3:35',
    fix: [{ op: 'remove', path: '/metadata/labels/aninfra.system' }],
  },
  {
    name: 'a kubernetes.io subdomain',
    spec: modules('cache: { type: redis, labels: { node.kubernetes.io/role: x } }'),
    code: 'ERR_LABEL_RESERVED_PREFIX', path: '/modules/cache/labels/node.kubernetes.io~1role', at: '5:35',
    fix: [{ op: 'remove', path: '/modules/cache/labels/node.kubernetes.io~1role' }],
  },
  {
    name: 'a Pulumi label',
    spec: modules('cache: { type: redis, labels: { io.pulumi.stack: x, team: a } }'),
    code: 'ERR_LABEL_RESERVED_PREFIX', path: '/modules/cache/labels/io.pulumi.stack', at: '5:35',
    fix: [{ op: 'remove', path: '/modules/cache/labels/io.pulumi.stack' }],
  },
];

ruleTables(labelsUnreserved, valid, invalid);
