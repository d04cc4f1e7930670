/**
 * The published JSON Schema (`aninfra schema`, aninfra.schema.json) describes every property an
 * editor or agent can complete, including kind, metadata, metadata.description, a module's
 * description, platform and every module input (issue 13 part 6). `if` conditions are not shown
 * to anyone and are skipped.
 */
import { targetNames } from '../../../src/targets/index.js';
import { describe, expect, it } from 'vitest';
import { publishedSchema } from '../../../src/compiler/validate/spec-schema.js';
import { descriptors } from '../../../src/modules/index.js';

type Node = { readonly [key: string]: unknown };

function undescribed(schema: unknown, path: string, out: string[]): string[] {
  if (schema === null || typeof schema !== 'object') return out;
  if (Array.isArray(schema)) {
    schema.forEach((s, i) => undescribed(s, `${path}/${i}`, out));
    return out;
  }
  const node = schema as Node;
  for (const [name, property] of Object.entries((node.properties ?? {}) as Record<string, Node>)) {
    if (typeof property.description !== 'string' || property.description.trim() === '') out.push(`${path}/properties/${name}`);
  }
  for (const [key, value] of Object.entries(node)) if (key !== 'if') undescribed(value, `${path}/${key}`, out);
  return out;
}

describe('published schema', () => {
  const schema = publishedSchema(descriptors, targetNames) as Node;
  const properties = schema.properties as Record<string, Node>;

  it('has a description on every property', () => {
    expect(undescribed(schema, '#', [])).toEqual([]);
  });

  it('describes the four properties issue 13 found bare', () => {
    const metadata = properties.metadata as { properties: Record<string, Node> };
    const module = (properties.modules as { additionalProperties: { properties: Record<string, Node> } }).additionalProperties;
    for (const p of [properties.kind, properties.metadata, metadata.properties.description, module.properties.description]) expect(typeof p?.description).toBe('string');
  });

  it('describes each settings key under platform', () => {
    const platform = properties.platform as { properties: Record<string, { properties: Record<string, Node> }> };
    expect(Object.keys(platform.properties.kubernetes?.properties ?? {})).toEqual(['namespace', 'ingressClass', 'storageClass', 'imageRegistry']);
    expect(Object.keys(platform.properties.aws?.properties ?? {})).toEqual(['region', 'certificateArn', 'vpcId']);
  });
});
