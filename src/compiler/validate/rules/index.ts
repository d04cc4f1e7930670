/**
 * The validation rules, in evaluation order. The schema comes first and gates the rest (they rely
 * on a well-typed spec); then module types (others skip modules of unknown type), versions and
 * inputs (inputs fill defaults that later rules read), the design fields' checks beyond the schema
 * (autoscale, replicas, resource quantities, backup schedules), target support, then what inputs and
 * values may reach on the host (paths, then what build contexts hold, owned env, NUL characters,
 * reserved labels), then edges and references, then names and ports, so the clearest error comes
 * first when several fire.
 */
import type { ValidationRule } from '../rule.js';
import { autoscaleHasCpuRequest } from './autoscale-has-cpu-request.js';
import { autoscaleRangeValid } from './autoscale-range-valid.js';
import { backupScheduleValid } from './backup-schedule-valid.js';
import { buildContextComplete } from './build-context-complete.js';
import { dependenciesKnown } from './dependencies-known.js';
import { dependencyCapabilities } from './dependency-capabilities.js';
import { envNotModuleOwned } from './env-not-module-owned.js';
import { generatedNamesUnique } from './generated-names-unique.js';
import { hostPathsConfined } from './host-paths-confined.js';
import { hostPortsUnique } from './host-ports-unique.js';
import { labelsUnreserved } from './labels-unreserved.js';
import { moduleInputsValid } from './module-inputs-valid.js';
import { moduleTargetSupported } from './module-target-supported.js';
import { moduleTypeKnown } from './module-type-known.js';
import { moduleVersionSupported } from './module-version-supported.js';
import { namesUnambiguous } from './names-unambiguous.js';
import { referencesValid } from './references-valid.js';
import { replicasNotWithAutoscale } from './replicas-not-with-autoscale.js';
import { resourceQuantitiesValid } from './resource-quantities-valid.js';
import { specSchemaRule } from './spec-schema.js';
import { stringsWithoutNul } from './strings-without-nul.js';

export const rules: readonly ValidationRule[] = Object.freeze([
  specSchemaRule,
  moduleTypeKnown,
  moduleVersionSupported,
  moduleInputsValid,
  autoscaleRangeValid,
  replicasNotWithAutoscale,
  autoscaleHasCpuRequest,
  resourceQuantitiesValid,
  backupScheduleValid,
  moduleTargetSupported,
  hostPathsConfined,
  buildContextComplete,
  envNotModuleOwned,
  stringsWithoutNul,
  labelsUnreserved,
  dependenciesKnown,
  dependencyCapabilities,
  referencesValid,
  namesUnambiguous,
  generatedNamesUnique,
  hostPortsUnique,
]);
