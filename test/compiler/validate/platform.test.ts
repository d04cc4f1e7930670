/**
 * `platform:` (spec v1, additive): per-target settings checked by the spec schema with the
 * existing ERR_SPEC_* diagnostics at their pointers; platform.aws.region defaults to us-east-1.
 */
import { describe, expect, it } from 'vitest';
import { specSchemaRule } from '../../../src/compiler/validate/rules/spec-schema.js';
import { compileYaml, modules } from '../../helpers/spec.js';
import { ruleTables, type InvalidRow, type ValidRow } from './rules/rule-table.js';

const DB = 'db: { type: postgres }';
/** A spec whose `platform:` line is line 4 (the settings start at column 11). */
const withPlatform = (settings: string) => modules(DB, `platform: ${settings}`);

const valid: ValidRow[] = [
  { name: 'no platform', spec: modules(DB) },
  { name: 'an empty platform', spec: withPlatform('{}') },
  {
    name: 'every kubernetes setting',
    spec: withPlatform('{ kubernetes: { namespace: shop-prod, ingressClass: nginx, storageClass: ebs.csi.aws.com, imageRegistry: "registry.example.com:5000/team/apps" } }'),
  },
  { name: 'a registry without a port or path', spec: withPlatform('{ kubernetes: { imageRegistry: ghcr.io } }') },
  { name: 'localhost with a port', spec: withPlatform('{ kubernetes: { imageRegistry: "localhost:5000" } }') },
  {
    name: 'every aws setting',
    spec: withPlatform('{ aws: { region: eu-central-1, certificateArn: "arn:aws:acm:eu-central-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666", vpcId: vpc-0123456789abcdef0 } }'),
  },
  { name: 'a GovCloud region and a short VPC id', spec: withPlatform('{ aws: { region: us-gov-west-1, vpcId: vpc-0a1b2c3d } }') },
];

const invalid: InvalidRow[] = [
  {
    name: 'a namespace with capitals and an underscore (fix: sanitized)',
    spec: withPlatform('{ kubernetes: { namespace: Shop_Prod } }'),
    code: 'ERR_SPEC_INVALID_FORMAT', path: '/platform/kubernetes/namespace', at: '4:38',
    fix: [{ op: 'replace', path: '/platform/kubernetes/namespace', value: 'shop-prod' }],
  },
  {
    name: 'a namespace longer than 63 characters',
    spec: withPlatform(`{ kubernetes: { namespace: ${'n'.repeat(64)} } }`),
    code: 'ERR_SPEC_INVALID_FORMAT', path: '/platform/kubernetes/namespace', at: '4:38',
    fix: null,
  },
  {
    name: 'a misspelled setting (fix: renamed)',
    spec: withPlatform('{ kubernetes: { ingressclass: nginx } }'),
    code: 'ERR_SPEC_UNKNOWN_FIELD', path: '/platform/kubernetes/ingressclass', at: '4:27',
    fix: [{ op: 'move', from: '/platform/kubernetes/ingressclass', path: '/platform/kubernetes/ingressClass' }],
  },
  {
    name: 'a target without settings',
    spec: withPlatform('{ azure: { region: westeurope } }'),
    code: 'ERR_SPEC_UNKNOWN_FIELD', path: '/platform/azure', at: '4:13',
    fix: [{ op: 'remove', path: '/platform/azure' }],
  },
  {
    name: 'a storage class with a space',
    spec: withPlatform('{ kubernetes: { storageClass: "fast ssd" } }'),
    code: 'ERR_SPEC_INVALID_FORMAT', path: '/platform/kubernetes/storageClass', at: '4:41',
    fix: null,
  },
  {
    name: 'a registry given as a URL',
    spec: withPlatform('{ kubernetes: { imageRegistry: "https://registry.example.com" } }'),
    code: 'ERR_SPEC_INVALID_FORMAT', path: '/platform/kubernetes/imageRegistry', at: '4:42',
    fix: null,
  },
  {
    name: 'a region in capitals',
    spec: withPlatform('{ aws: { region: US-EAST-1 } }'),
    code: 'ERR_SPEC_INVALID_FORMAT', path: '/platform/aws/region', at: '4:28',
    fix: null,
  },
  {
    name: 'a VPC id of the wrong length',
    spec: withPlatform('{ aws: { vpcId: vpc-123 } }'),
    code: 'ERR_SPEC_INVALID_FORMAT', path: '/platform/aws/vpcId', at: '4:27',
    fix: null,
  },
  {
    name: 'a certificate ARN of another service',
    spec: withPlatform('{ aws: { certificateArn: "arn:aws:iam::123456789012:role/x" } }'),
    code: 'ERR_SPEC_INVALID_FORMAT', path: '/platform/aws/certificateArn', at: '4:36',
    fix: null,
  },
  {
    name: 'settings that are not a mapping',
    spec: withPlatform('{ kubernetes: shop }'),
    code: 'ERR_SPEC_WRONG_TYPE', path: '/platform/kubernetes', at: '4:25',
    fix: null,
  },
];

ruleTables(specSchemaRule, valid, invalid);

describe('platform settings after validation', () => {
  it('carry platform.aws.region us-east-1 when not written, and the rest as written', () => {
    const c = compileYaml(withPlatform('{ kubernetes: { namespace: shop }, aws: { vpcId: vpc-0a1b2c3d } }'));
    expect(c.ok).toBe(true);
    expect(c.validated?.spec.platform).toEqual({ kubernetes: { namespace: 'shop' }, aws: { region: 'us-east-1', vpcId: 'vpc-0a1b2c3d' } });
  });

  it('add nothing when the spec has no platform', () => {
    expect(compileYaml(modules(DB)).validated?.spec.platform).toBeUndefined();
  });
});
