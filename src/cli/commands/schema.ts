/**
 * `aninfra schema`: the published JSON Schema of a spec, with every module type's inputs.
 */
import { publishedSchema } from '../../compiler/validate/spec-schema.js';
import { targetNames } from '../../targets/index.js';
import { descriptors } from '../../modules/index.js';
import type { Io } from '../io.js';

export function schemaCommand(io: Io): number {
  io.document(publishedSchema(descriptors, targetNames));
  return 0;
}
