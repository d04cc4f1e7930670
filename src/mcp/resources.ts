/**
 * MCP resources: the spec JSON Schema, the module catalog (and each module type), the error
 * catalog and the generated llms.txt, all read from the same catalogs the CLI prints.
 */
import { docsDocument, llmsTxt } from '../operations/docs.js';
import { describeDocument, listDocument } from '../operations/modules.js';
import { explainDocument } from '../operations/explain.js';
import { catalog } from '../compiler/diagnostics/codes.js';
import { publishedSchema } from '../compiler/validate/spec-schema.js';
import { targetNames } from '../targets/index.js';
import { descriptors, registry } from '../modules/index.js';
import { tools } from './tools/index.js';

export interface ResourceEntry {
  readonly uri: string;
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly mimeType: string;
}

export const MODULE_TEMPLATE = 'aninfra://modules/{type}';

export function resourceList(): ResourceEntry[] {
  return [
    { uri: 'aninfra://schema/spec.json', name: 'spec-schema', title: 'Spec JSON Schema', description: 'JSON Schema of a spec, with every module type\'s inputs.', mimeType: 'application/schema+json' },
    { uri: 'aninfra://modules', name: 'modules', title: 'Module catalog', description: 'Every module type with category, summary, versions and targets.', mimeType: 'application/json' },
    { uri: 'aninfra://codes', name: 'codes', title: 'Diagnostic codes', description: 'Every diagnostic code with its cause, fix and example.', mimeType: 'application/json' },
    { uri: 'aninfra://docs/llms.txt', name: 'llms.txt', title: 'aninfra for agents', description: 'Generated guide: workflow, tools, module types and codes.', mimeType: 'text/plain' },
    { uri: 'aninfra://docs/aninfra.json', name: 'docs', title: 'aninfra docs as data', description: 'What `aninfra docs --json` prints: tools with schemas, module descriptors, codes.', mimeType: 'application/json' },
    ...descriptors.map((d) => ({ uri: `aninfra://modules/${d.kind}`, name: `module-${d.kind}`, title: `Module type ${d.kind}`, description: d.summary, mimeType: 'application/json' })),
  ];
}

/** The text of a resource, or undefined for an unknown URI. */
export function readResource(uri: string): { mimeType: string; text: string } | undefined {
  const json = (value: unknown): { mimeType: string; text: string } => ({ mimeType: 'application/json', text: JSON.stringify(value, null, 2) });
  switch (uri) {
    case 'aninfra://schema/spec.json':
      return { mimeType: 'application/schema+json', text: JSON.stringify(publishedSchema(descriptors, targetNames), null, 2) };
    case 'aninfra://modules':
      return json({ modules: listDocument() });
    case 'aninfra://codes':
      return json({ codes: Object.keys(catalog).map((c) => explainDocument(c)) });
    case 'aninfra://docs/llms.txt':
      return { mimeType: 'text/plain', text: llmsTxt(tools) };
    case 'aninfra://docs/aninfra.json':
      return json(docsDocument(tools));
    default: {
      const m = /^aninfra:\/\/modules\/([a-z][a-z0-9-]*)$/.exec(uri);
      const d = m ? registry.get(m[1] as string) : undefined;
      return d ? json(describeDocument(d)) : undefined;
    }
  }
}
