/**
 * The catalog of every diagnostic code: the only home of codes, templates and explanations.
 *
 * Codes are permanent. Never rename or reuse one; a retired code stays here with `retired: true`.
 * Templates name their placeholders (`{module}`); `diagnostic()` makes a missing one a compile error.
 * Each entry's `explain` feeds `aninfra explain CODE` and the generated docs, so they cannot drift.
 */

export type Severity = 'error' | 'warning' | 'info';
export type Stage = 'read' | 'parse' | 'validate' | 'resolve' | 'lower' | 'emit' | 'state' | 'engine' | 'prereq' | 'cli' | 'internal';

export interface CatalogEntry {
  readonly severity: Severity;
  readonly stage: Stage;
  readonly title: string;
  readonly template: string;
  /** Process exit code when this is the worst diagnostic of a command. */
  readonly exit: 1 | 3 | 4 | 5;
  readonly explain: { readonly cause: string; readonly fix: string; readonly example: string };
  readonly retired?: boolean;
}

const entry = <T extends CatalogEntry>(e: T): T => e;

export const catalog = {
  // ── read / parse ────────────────────────────────────────────────────────────
  ERR_SPEC_FILE_NOT_FOUND: entry({
    severity: 'error', stage: 'read', exit: 1, title: 'Spec file not found',
    template: "cannot read spec file '{file}': {reason}",
    explain: {
      cause: 'The spec path given on the command line does not exist or cannot be read.',
      fix: 'Pass the path of an existing spec, or create one with `aninfra init`.',
      example: 'aninfra validate aninfra.yaml   # with aninfra.yaml present',
    },
  }),
  ERR_YAML_NOT_TEXT: entry({
    severity: 'error', stage: 'read', exit: 1, title: 'File is not text',
    template: 'the spec is not UTF-8 text ({reason})',
    explain: {
      cause: 'The file contains NUL bytes or invalid UTF-8, so it is binary data, not a YAML spec.',
      fix: 'Point the command at the YAML spec file; re-save it as UTF-8.',
      example: 'file aninfra.yaml   # should say: ASCII text or UTF-8 Unicode text',
    },
  }),
  ERR_YAML_TOO_LARGE: entry({
    severity: 'error', stage: 'read', exit: 1, title: 'Spec file too large',
    template: 'the spec is {size} bytes; the limit is {limit} bytes',
    explain: {
      cause: 'A system spec is a short description; files beyond the limit are refused before parsing so a huge input cannot exhaust memory.',
      fix: 'Split generated content out of the spec; raise the limit only if a real spec needs it (ANINFRA_MAX_SPEC_BYTES).',
      example: 'A 10,000-module spec is about 1 MB and is accepted.',
    },
  }),
  ERR_YAML_EMPTY: entry({
    severity: 'error', stage: 'parse', exit: 1, title: 'Spec is empty',
    template: 'the spec is empty',
    explain: {
      cause: 'The file holds no YAML document (only whitespace or comments).',
      fix: 'Write a spec, or start from `aninfra init`.',
      example: 'apiVersion: aninfra/v1\nkind: System\nmetadata: { name: demo }\nmodules: {}',
    },
  }),
  ERR_YAML_SYNTAX: entry({
    severity: 'error', stage: 'parse', exit: 1, title: 'YAML syntax error',
    template: 'YAML syntax error: {detail}',
    explain: {
      cause: 'The text is not valid YAML (bad indentation, an unclosed quote or bracket, a tab used for indentation, …).',
      fix: 'Correct the YAML at the reported line and column.',
      example: 'modules:\n  db: { type: postgres    # missing closing brace',
    },
  }),
  ERR_YAML_DUPLICATE_KEY: entry({
    severity: 'error', stage: 'parse', exit: 1, title: 'Duplicate key',
    template: "key '{key}' appears more than once in the same mapping",
    explain: {
      cause: 'A mapping holds the same key twice; YAML parsers disagree on which value wins, so aninfra refuses both.',
      fix: 'Keep one of the entries (rename the other if both modules are wanted).',
      example: 'modules:\n  db: { type: postgres }\n  db: { type: mysql }   # rename to db2',
    },
  }),
  ERR_YAML_TOO_DEEP: entry({
    severity: 'error', stage: 'parse', exit: 1, title: 'Nesting too deep',
    template: 'the spec nests deeper than {limit} levels',
    explain: {
      cause: 'Pathologically nested documents are refused so they cannot exhaust the stack.',
      fix: 'Flatten the structure; real specs nest fewer than 10 levels.',
      example: 'modules.api.with.routes[0].path is 6 levels deep.',
    },
  }),
  ERR_YAML_ALIAS_LIMIT: entry({
    severity: 'error', stage: 'parse', exit: 1, title: 'Too many aliases',
    template: 'the spec expands YAML aliases beyond the limit of {limit} (billion-laughs protection)',
    explain: {
      cause: 'Aliases (`*name`) that expand exponentially are a denial-of-service attack on YAML parsers.',
      fix: 'Write the values out, or use fewer aliases.',
      example: 'a: &a [x, x]\nb: &b [*a, *a]   # each level doubles the size',
    },
  }),
  ERR_YAML_UNSUPPORTED_TAG: entry({
    severity: 'error', stage: 'parse', exit: 1, title: 'Unsupported YAML tag',
    template: "YAML tag '{tag}' is not allowed in a spec",
    explain: {
      cause: 'Specs are plain data: strings, numbers, booleans, lists and maps. Custom or binary tags could smuggle code or bytes.',
      fix: 'Remove the tag and write the value as plain YAML.',
      example: 'port: !!js/function "..."   # write: port: 8080',
    },
  }),
  ERR_YAML_MULTIPLE_DOCUMENTS: entry({
    severity: 'error', stage: 'parse', exit: 1, title: 'More than one YAML document',
    template: 'the file holds {count} YAML documents; a spec is exactly one',
    explain: {
      cause: 'A `---` separator starts a second document; a spec file describes one system.',
      fix: 'Move the other documents to files of their own.',
      example: 'aninfra validate a.yaml && aninfra validate b.yaml',
    },
  }),
  ERR_YAML_NOT_A_MAPPING: entry({
    severity: 'error', stage: 'parse', exit: 1, title: 'Spec is not a mapping',
    template: 'the spec must be a mapping at the top level, found {found}',
    explain: {
      cause: 'The top of the document is a list or a scalar; a spec is a mapping with apiVersion, kind, metadata and modules.',
      fix: 'Start the file with `apiVersion: aninfra/v1`.',
      example: 'apiVersion: aninfra/v1\nkind: System\nmetadata: { name: demo }\nmodules: {}',
    },
  }),
  // ── spec schema ─────────────────────────────────────────────────────────────
  ERR_SPEC_UNKNOWN_FIELD: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Unknown field',
    template: "unknown field '{field}' in {where}",
    explain: {
      cause: 'The spec has a field the schema does not define, often a typo; unknown fields are errors so a misspelling never passes silently.',
      fix: 'Rename it to the suggested field, or remove it. `aninfra schema` lists every field.',
      example: 'modules:\n  api: { type: service, usses: [db] }   # write: uses',
    },
  }),
  ERR_SPEC_MISSING_FIELD: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Missing required field',
    template: "{where} is missing the required field '{field}'",
    explain: {
      cause: 'A field the spec format requires is absent.',
      fix: 'Add the field; the attached fix inserts a valid default where one exists.',
      example: 'modules:\n  db: { version: "16" }   # add: type: postgres',
    },
  }),
  ERR_SPEC_WRONG_TYPE: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Wrong type',
    template: '{where} must be {expected}, found {found}',
    explain: {
      cause: 'A value has the wrong YAML type (a list where a map is expected, a number where a string is expected, …).',
      fix: 'Write the value with the expected type; quote strings that look like numbers.',
      example: 'metadata: { name: 42 }   # write: name: "app42"',
    },
  }),
  ERR_SPEC_INVALID_VALUE: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Invalid value',
    template: '{where} must be one of {allowed}, found {found}',
    explain: {
      cause: 'The value is not among the allowed values for this field.',
      fix: 'Use one of the listed values; the fix picks the nearest.',
      example: 'target: dokcer   # write: target: docker',
    },
  }),
  ERR_SPEC_INVALID_NAME: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Invalid name',
    template: "{what} '{name}' is not a valid name: {rule}",
    explain: {
      cause: 'System and module names become container, network, volume and DNS names, so they must be DNS labels: lowercase letters, digits and dashes, starting with a letter; systems at most 24 characters and modules at most 31, so that `<system>--<module>--data` is still a 63-character DNS label.',
      fix: 'Rename it; the fix proposes a sanitized name.',
      example: 'modules:\n  Billing_DB: { type: postgres }   # write: billing-db',
    },
  }),
  ERR_SPEC_INVALID_FORMAT: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Invalid format',
    template: '{where} {problem}',
    explain: {
      cause: 'A string or number breaks a format rule of its field (pattern, length, range or item count).',
      fix: 'Change the value to satisfy the stated rule.',
      example: 'env:\n  "1BAD": x   # environment names match [A-Za-z_][A-Za-z0-9_]*',
    },
  }),
  ERR_SPEC_API_VERSION: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Unsupported apiVersion',
    template: "apiVersion '{found}' is not supported; use '{expected}'",
    explain: {
      cause: 'The spec declares a format version this aninfra does not read.',
      fix: 'Set `apiVersion: aninfra/v1`.',
      example: 'apiVersion: aninfra/v1',
    },
  }),
  // ── environments ────────────────────────────────────────────────────────────
  ERR_ENV_UNKNOWN: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Unknown environment',
    template: "environment '{env}' is not defined{suggestion}; the spec has {known}",
    explain: {
      cause: '`--env NAME` (or `env` in MCP and HTTP) names an environment that is not a key of the spec\'s top-level `environments:` map, or the spec has no `environments:` at all.',
      fix: 'Use one of the listed environments (the hint names the nearest: rerun with `--env` set to it), or add an overlay for the new environment under `environments:`. Each environment is a JSON Merge Patch over the rest of the spec; `{}` deploys the base as is.',
      example: 'environments:\n  dev: { target: compose }\n  prod: { target: kubernetes, modules: { api: { with: { replicas: 3 } } } }\n# aninfra plan --env prod',
    },
  }),
  ERR_ENV_PATCH_FORBIDDEN: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Environment changes a fixed field',
    template: "environment '{env}' may not change {field}",
    explain: {
      cause: 'An environment overlay sets `environments` (overlays do not nest) or `metadata.name` (an environment deploys as `<system>-<env>` and keeps its state in `.aninfra/<system>@<env>/`, both derived from the base name), or replaces `metadata` as a whole.',
      fix: 'Remove the field from the overlay (the attached fix does); change `metadata.description` or `metadata.labels` instead of the whole `metadata`.',
      example: 'environments:\n  prod:\n    metadata: { name: prod-app }   # remove: the system is <name>-prod already',
    },
  }),
  ERR_ENV_NAME_TOO_LONG: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Environment system name too long',
    template: "environment '{env}' deploys system '{system}' as '{deployed}', {length} characters; system names have at most {limit}",
    explain: {
      cause: 'An environment deploys as `<system>-<env>`, and that name prefixes every container, network and volume, so it must still be a system name of at most 24 characters.',
      fix: 'Use a shorter environment name (or a shorter `metadata.name`).',
      example: 'metadata: { name: teamdocs-platform }\nenvironments:\n  staging-europe: {}   # teamdocs-platform-staging-europe is too long: call it eu',
    },
  }),
  // ── modules and inputs ──────────────────────────────────────────────────────
  ERR_MODULE_UNKNOWN_TYPE: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Unknown module type',
    template: "module '{module}' has unknown type '{type}'",
    explain: {
      cause: 'No module descriptor has this type. `aninfra modules list` shows every type.',
      fix: 'Use a listed type; the fix picks the nearest by edit distance.',
      example: 'db: { type: postgress }   # write: type: postgres',
    },
  }),
  ERR_MODULE_UNSUPPORTED_VERSION: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Unsupported module version',
    template: "module '{module}' asks for {type} version '{version}'; supported: {supported}",
    explain: {
      cause: 'The descriptor does not support the requested version.',
      fix: 'Use a supported version (or omit `version` for the default).',
      example: 'db: { type: postgres, version: "16" }',
    },
  }),
  ERR_INPUT_UNKNOWN_FIELD: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Unknown module input',
    template: "module '{module}' ({type}) has no input '{field}'",
    explain: {
      cause: 'The `with:` block names an input the descriptor does not declare. `aninfra modules describe TYPE` lists them.',
      fix: 'Rename it to the suggested input, or remove it.',
      example: 'api: { type: service, with: { prot: 8080 } }   # write: port',
    },
  }),
  ERR_INPUT_MISSING_REQUIRED: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Missing required module input',
    template: "module '{module}' ({type}) is missing the required input '{field}'",
    explain: {
      cause: 'The descriptor requires this input and it has no default.',
      fix: 'Add it under `with:`; the fix inserts the value from the descriptor example.',
      example: 'api: { type: service, with: { runtime: node, port: 8080 } }',
    },
  }),
  ERR_INPUT_WRONG_TYPE: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Module input has the wrong type',
    template: "input {where} of module '{module}' must be {expected}, found {found}",
    explain: {
      cause: 'A `with:` value has the wrong type for the descriptor.',
      fix: 'Write it with the expected type.',
      example: 'with: { port: "eighty" }   # write: port: 8080',
    },
  }),
  ERR_INPUT_INVALID_VALUE: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Module input has an invalid value',
    template: "input {where} of module '{module}' must be one of {allowed}, found {found}",
    explain: {
      cause: 'The value is not among those the descriptor allows.',
      fix: 'Use one of the listed values; the fix picks the nearest.',
      example: 'with: { runtime: nodejs }   # write: runtime: node',
    },
  }),
  ERR_INPUT_INVALID_FORMAT: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Module input breaks a format rule',
    template: "input {where} of module '{module}' {problem}",
    explain: {
      cause: 'A `with:` value breaks a rule of its input (range, pattern, length, item count).',
      fix: 'Change the value to satisfy the stated rule.',
      example: 'with: { port: 70000 }   # ports are 1-65535',
    },
  }),
  ERR_INPUT_CONFLICT: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Conflicting module inputs',
    template: "module '{module}' ({type}): {problem}",
    explain: {
      cause: 'Two inputs cannot be used together, or one requires another.',
      fix: 'Keep one of them, as the message says.',
      example: 'with: { image: "nginx:1.27", build: ./web }   # a service has an image or a build, not both',
    },
  }),
  // ── design fields (replicas, autoscale, resources, backup) ──────────────────
  ERR_AUTOSCALE_RANGE: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Autoscale minimum above maximum',
    template: "module '{module}': autoscale min {min} is greater than max {max}",
    explain: {
      cause: 'autoscale.min is the fewest instances a module runs and autoscale.max the most; with min above max no number of instances satisfies both.',
      fix: 'Swap the two (the fix does), or lower min to max for a fixed count.',
      example: 'api: { type: service, with: { runtime: node, build: ./api, autoscale: { min: 2, max: 6 } } }',
    },
  }),
  ERR_REPLICAS_WITH_AUTOSCALE: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'replicas together with autoscale',
    template: "module '{module}' sets both replicas ({replicas}) and autoscale ({min}-{max}); with autoscale the number of instances is not fixed",
    explain: {
      cause: 'replicas fixes the number of instances, autoscale lets it move between min and max; a module takes one or the other, or the two would fight over the count.',
      fix: "Remove replicas; the fix does, and moves its value to autoscale.min when min is not written and the value is at most max.",
      example: 'with: { autoscale: { min: 2, max: 8, cpu: 70 } }   # instead of replicas: 2 beside autoscale',
    },
  }),
  ERR_RESOURCE_QUANTITY: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Invalid resource quantity',
    template: "module '{module}' resources.{resource}: {problem}",
    explain: {
      cause: "resources.cpu and resources.memory are Kubernetes quantities: CPU in cores ('1', '0.5') or millicores ('500m', at least 1m), memory in bytes with a unit Ki, Mi, Gi, Ti (powers of 1024) or k, M, G, T (powers of 1000), at least 6Mi. '512MB', '1g', '0.5 cores' and '512m' (milli-bytes to Kubernetes) are not.",
      fix: "Write the quantity as stated; where the meaning is clear the fix does ('512MB' → '512Mi', '0.5 cores' → '0.5', '250 millicores' → '250m').",
      example: 'with: { resources: { cpu: "500m", memory: "512Mi" } }',
    },
  }),
  ERR_BACKUP_SCHEDULE: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Invalid backup schedule',
    template: "backup schedule '{schedule}' of module '{module}' is not a cron expression aninfra can run: {problem}",
    explain: {
      cause: 'backup.schedule is a 5-field cron expression (minute 0-59, hour 0-23, day-of-month 1-31, month 1-12 or JAN-DEC, day-of-week 0-6 or SUN-SAT, 0 = Sunday; with *, ranges a-b, lists a,b and steps */n) or @hourly, @daily, @weekly, @monthly, @yearly, read in UTC. The message names the field at fault: a wrong field count (a seconds field, a year field), a value out of range, a step of 0 or wider than its field, or days that never occur.',
      fix: 'Correct the named field. The fix drops a leading seconds field of 0 and turns @every intervals that cron can express into cron (@every 6h → 0 */6 * * *).',
      example: 'db: { type: postgres, with: { backup: { schedule: "30 2 * * *", retain: 14 } } }   # 02:30 UTC every day',
    },
  }),
  WARN_AUTOSCALE_NO_CPU_REQUEST: entry({
    severity: 'warning', stage: 'validate', exit: 1, title: 'Autoscale without a CPU request',
    template: "module '{module}' autoscales at {cpu}% CPU but sets no resources.cpu, the amount that percentage is taken of",
    explain: {
      cause: 'autoscale.cpu is a percentage of each instance\'s CPU request (resources.cpu). Without one, a Kubernetes HorizontalPodAutoscaler cannot compute utilisation and never scales; the module stays at autoscale.min.',
      fix: 'Add resources.cpu with what one instance needs at normal load; aninfra cannot guess it, so there is no automatic fix.',
      example: 'with: { autoscale: { min: 2, max: 8, cpu: 70 }, resources: { cpu: "250m", memory: "256Mi" } }',
    },
  }),
  ERR_TARGET_UNSUPPORTED_MODULE: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Module type not supported by target',
    template: "module '{module}' has type '{type}', which target '{target}' does not support (supported: {supported})",
    explain: {
      cause: 'The chosen target cannot materialize this module type.',
      fix: 'Pick a target the module supports, or another module type.',
      example: 'target: docker',
    },
  }),
  ERR_TARGET_UNSUPPORTED_KIND: entry({
    severity: 'error', stage: 'lower', exit: 1, title: 'Design element not realized by target',
    template: "module '{module}' needs a {kind}, which target '{target}' does not realize (it realizes: {supported})",
    explain: {
      cause: "The system design of the spec has an element (workload, store, gateway, schedule, volume…) the chosen target cannot deploy.",
      fix: 'Pick a target that realizes it (`aninfra modules describe <type>` lists how each target realizes a module), or drop the module.',
      example: 'target: compose',
    },
  }),
  WARN_TARGET_AUTOSCALE_FIXED: entry({
    severity: 'warning', stage: 'lower', exit: 1, title: 'Autoscaling runs a fixed count on this target',
    template: "module '{module}' asks for autoscale {min}-{max}; target '{target}' cannot scale on load and runs {min} replicas",
    explain: {
      cause: 'Docker and Compose have no autoscaler: the workload runs `autoscale.min` containers, always.',
      fix: 'Accept the fixed count, set `replicas:` instead of `autoscale:`, or deploy with a target that scales (kubernetes).',
      example: 'with: { replicas: 2 }',
    },
  }),
  WARN_TARGET_RESOURCES_IGNORED: entry({
    severity: 'warning', stage: 'lower', exit: 1, title: 'Resource requests not enforced on this target',
    template: "module '{module}' sets resources; target '{target}' does not reserve or limit CPU and memory, so they are not enforced",
    explain: {
      cause: 'The docker family runs containers without CPU or memory limits; `resources:` (Kubernetes quantities) is kept in the design for targets that schedule by it.',
      fix: 'Nothing for local use; deploy with kubernetes to have the requests enforced.',
      example: 'with: { resources: { cpu: "500m", memory: "512Mi" } }',
    },
  }),
  WARN_TARGET_AVAILABILITY_SINGLE_HOST: entry({
    severity: 'warning', stage: 'lower', exit: 1, title: 'High availability on one host',
    template: "module '{module}' asks for availability high; target '{target}' runs one instance on one host",
    explain: {
      cause: 'Docker and Compose run every store as one container on the local host: there is no second instance to fail over to.',
      fix: 'Use availability standard for local systems, or deploy with a target that spreads instances (kubernetes).',
      example: 'with: { availability: standard }',
    },
  }),
  WARN_TARGET_GATEWAY_SINGLE: entry({
    severity: 'warning', stage: 'lower', exit: 1, title: 'Gateway runs one instance on this target',
    template: "gateway '{module}' asks for {replicas} replicas; target '{target}' runs one, published on 127.0.0.1:{port}",
    explain: {
      cause: 'On Docker the gateway is the one container publishing the host port; a host port can be bound only once.',
      fix: 'Drop `replicas:` (or `autoscale:`) from the gateway for local systems; kubernetes runs several behind its Service.',
      example: 'edge: { type: gateway, with: { routes: [{ path: /, to: web }] } }',
    },
  }),
  ERR_TARGET_UNSUPPORTED_FIELD: entry({
    severity: 'error', stage: 'lower', exit: 1, title: 'Design field not realizable on target',
    template: "module '{module}': {field} cannot be realized by target '{target}': {reason}",
    explain: {
      cause: 'The module asks for something the chosen target has no way to provide, such as a host directory mounted into a Kubernetes pod (cluster nodes do not have the spec directory).',
      fix: 'Pick a target that realizes the field (docker or compose), or change the module (a static site: build an image that contains the files and run it as a service).',
      example: 'site: { type: service, with: { build: ./site, port: 8080 } }   # instead of a static-site bind mount on kubernetes',
    },
  }),
  WARN_TARGET_SCHEDULE_APPROXIMATED: entry({
    severity: 'warning', stage: 'lower', exit: 1, title: 'Schedule approximated by the target',
    template: "module '{module}': schedule '{schedule}' runs as '{cron}' on target '{target}' ({reason})",
    explain: {
      cause: 'The target schedules with 5-field cron expressions whose smallest step is one minute; an interval that cron cannot express exactly runs at the nearest cron schedule.',
      fix: 'Write the schedule as whole minutes that divide an hour (`@every 15m`), whole hours that divide a day, or a cron expression.',
      example: 'schedule: "@every 5m"',
    },
  }),
  WARN_AWS_REGION_UNPRICED: entry({
    severity: 'warning', stage: 'lower', exit: 1, title: 'No price table for the region',
    template: "the cost estimate has no price table for region '{region}' and uses the prices of {fallback} (priced regions: {priced})",
    explain: {
      cause: 'The plan estimates the monthly cost of an aws design from the price tables committed in src/targets/aws/prices/, one per region; the region the system deploys to has none, so the amounts are those of another region and may be off by the regional difference (often 5-20%).',
      fix: 'Read the estimate as approximate, or add a table src/targets/aws/prices/<region>.json (same fields as us-east-1.json, with its date and source) and list it in src/targets/aws/cost-prices.ts.',
      example: 'platform: { aws: { region: eu-west-1 } }   # a priced region',
    },
  }),
  WARN_AWS_HTTP_ONLY: entry({
    severity: 'warning', stage: 'lower', exit: 1, title: 'Gateway served over plain HTTP on AWS',
    template: "gateway '{module}' is served over plain HTTP on port 80: set platform.aws.certificateArn (or --certificate-arn) for HTTPS",
    explain: {
      cause: 'The aws target realizes a gateway as an Application Load Balancer; without an ACM certificate ARN its only listener is HTTP on port 80, so traffic to the system is not encrypted.',
      fix: 'Request or import a certificate in ACM for the gateway\'s domain and set its ARN as platform.aws.certificateArn in the spec or pass --certificate-arn; the listener is then HTTPS on 443.',
      example: 'platform: { aws: { certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-…" } }',
    },
  }),
  WARN_AWS_PREFIX_NOT_STRIPPED: entry({
    severity: 'warning', stage: 'lower', exit: 1, title: 'Route prefix not stripped on AWS',
    template: "gateway '{module}': route '{path}' to '{to}' asks to strip the prefix, which an Application Load Balancer cannot do: '{to}' receives the full path",
    explain: {
      cause: 'Application Load Balancer listener rules forward the request path unchanged; they cannot rewrite it, so `stripPrefix: true` is not realized on the aws target.',
      fix: 'Serve the routed module under the prefix (make it accept requests on /api/...), or route it at `/`.',
      example: 'routes: [{ path: /api, to: api }]   # api serves /api/...',
    },
  }),
  WARN_AWS_DOCUMENTDB_COMPAT: entry({
    severity: 'warning', stage: 'lower', exit: 1, title: 'mongodb realized by DocumentDB',
    template: "module '{module}' (mongodb {version}) runs on Amazon DocumentDB, which implements a subset of the MongoDB API",
    explain: {
      cause: 'AWS has no managed MongoDB; the aws target realizes mongodb as a DocumentDB cluster, which is compatible with the MongoDB wire protocol but lacks some operators, index types and features, and requires TLS.',
      fix: 'Check the application against the DocumentDB compatibility list (https://docs.aws.amazon.com/documentdb/latest/developerguide/functional-differences.html), or run MongoDB Atlas and declare it as an external module.',
      example: 'docs-db: { type: external, with: { endpoint: "mongodb+srv://cluster0.example.mongodb.net" } }',
    },
  }),
  WARN_AWS_NO_MANAGED_NATS: entry({
    severity: 'warning', stage: 'lower', exit: 1, title: 'No managed service for this store on AWS',
    template: "module '{module}' ({engine}) has no managed AWS service: it runs as an ECS service whose data does not outlive its task",
    explain: {
      cause: 'AWS offers no managed NATS (or other engine of this module); the aws target runs its image as an ECS Fargate service, reachable by its users, with task storage that is lost when the task is replaced.',
      fix: 'Accept ephemeral storage (core NATS keeps none), or run the broker elsewhere and declare it as an external module.',
      example: 'bus: { type: external, with: { endpoint: "nats://nats.example.internal:4222" } }',
    },
  }),
  // ── dependencies, references, graph ─────────────────────────────────────────
  ERR_DEP_UNKNOWN_MODULE: entry({
    severity: 'error', stage: 'resolve', exit: 1, title: 'Dependency on an undefined module',
    template: "module '{module}' {via} '{target}', which is not defined",
    explain: {
      cause: 'A `uses:` entry or a route points at a module name that does not exist in `modules:`.',
      fix: 'Rename it to the suggested module, or add the missing module.',
      example: 'api: { type: service, uses: [databse] }   # write: database',
    },
  }),
  ERR_DEP_SELF: entry({
    severity: 'error', stage: 'resolve', exit: 1, title: 'Module depends on itself',
    template: "module '{module}' lists itself in {via}",
    explain: {
      cause: 'A module cannot use itself.',
      fix: 'Remove the entry.',
      example: 'api: { type: service, uses: [db] }',
    },
  }),
  ERR_DEP_CAPABILITY_MISMATCH: entry({
    severity: 'error', stage: 'resolve', exit: 1, title: 'Dependency cannot provide what is needed',
    template: "module '{module}' ({type}) needs {needed} from '{target}', but {targetType} provides {provided}",
    explain: {
      cause: 'Each module type declares capabilities it provides and needs. A gateway routes only to modules that serve HTTP; a service can only use modules that offer a connection.',
      fix: 'Point the edge at a module that provides the capability, or remove it.',
      example: 'edge: { type: gateway, with: { routes: [ { path: /, to: api } ] } }   # api is a service, not a worker',
    },
  }),
  ERR_GRAPH_CYCLE: entry({
    severity: 'error', stage: 'resolve', exit: 1, title: 'Dependency cycle',
    template: 'dependency cycle: {cycle}',
    explain: {
      cause: 'Modules depend on each other in a loop, so no start order exists. Every edge of the loop is listed in `related`.',
      fix: 'Remove one edge of the cycle (the fix removes the edge that closes it); a service that only needs to call another later can take its URL through `env` instead.',
      example: 'a: { type: service, uses: [b] }\nb: { type: service, uses: [a] }   # drop one of the two',
    },
  }),
  ERR_REF_SYNTAX: entry({
    severity: 'error', stage: 'resolve', exit: 1, title: 'Malformed reference',
    template: "malformed reference '{text}': {detail}",
    explain: {
      cause: 'A string contains `${` that does not form a `${module.output}` reference.',
      fix: 'Complete the reference, or escape a literal `${` as `$${`.',
      example: 'env: { ISSUER: "${auth.issuer}", LITERAL: "$${HOME}" }',
    },
  }),
  ERR_REF_UNKNOWN_MODULE: entry({
    severity: 'error', stage: 'resolve', exit: 1, title: 'Reference to an undefined module',
    template: "reference '{ref}' names module '{target}', which is not defined",
    explain: {
      cause: 'The module part of `${module.output}` is not a module of this spec.',
      fix: 'Use the suggested module name.',
      example: 'env: { ISSUER: "${auth.issuer}" }   # with a module named auth',
    },
  }),
  ERR_REF_UNKNOWN_OUTPUT: entry({
    severity: 'error', stage: 'resolve', exit: 1, title: 'Reference to an undeclared output',
    template: "reference '{ref}': {targetType} module '{target}' has no output '{output}' (outputs: {outputs})",
    explain: {
      cause: 'The module exists but its descriptor declares no such output. `aninfra modules describe TYPE` lists outputs.',
      fix: 'Use one of the listed outputs; the fix picks the nearest.',
      example: 'env: { DSN: "${db.url}" }',
    },
  }),
  ERR_REF_SECRET_OUTSIDE_ENV: entry({
    severity: 'error', stage: 'resolve', exit: 1, title: 'Secret output used outside env',
    template: "reference '{ref}' is a secret output and may only be used in env, not in {where}",
    explain: {
      cause: 'Secret outputs (passwords, keys, URLs containing them) flow only into container environment variables. Labels and names are visible to anyone who can list containers.',
      fix: 'Move the reference into `env:`.',
      example: 'env: { DB_PASSWORD: "${db.password}" }',
    },
  }),
  ERR_REF_NOT_ALLOWED: entry({
    severity: 'error', stage: 'resolve', exit: 1, title: 'Reference where only literals are allowed',
    template: "{where} must be a literal; references like '{ref}' are resolved only in env and labels",
    explain: {
      cause: 'Inputs such as images, ports and paths are fixed at compile time, so they cannot depend on another module output.',
      fix: 'Write the literal value, or move the reference into `env:`.',
      example: 'with: { image: "ghcr.io/acme/api:1.2.0" }',
    },
  }),
  WARN_REF_IMPLICIT_DEPENDENCY: entry({
    severity: 'warning', stage: 'resolve', exit: 1, title: 'Reference to a module not in uses',
    template: "module '{module}' references '{target}' but does not list it in uses; the dependency is added implicitly",
    explain: {
      cause: 'A `${module.output}` reference makes the module depend on another one; the graph adds the edge, and the spec reads clearer with it said.',
      fix: 'Add the module to `uses:` (the fix does).',
      example: 'api: { type: service, uses: [auth], env: { ISSUER: "${auth.issuer}" } }',
    },
  }),
  WARN_ENV_OVERRIDES_INJECTED: entry({
    severity: 'warning', stage: 'resolve', exit: 1, title: 'env overrides an injected variable',
    template: "env '{name}' of module '{module}' overrides the variable injected by its use of '{target}'",
    explain: {
      cause: 'Each `uses:` edge injects variables (DB_URL, DB_HOST, …). Setting one of them in `env:` replaces the injected value.',
      fix: 'Remove the env entry, or give the dependency another prefix with `uses: [{ module: db, as: MAIN_DB }]`.',
      example: 'uses: [{ module: db, as: ACCOUNTS_DB }]',
    },
  }),
  ERR_ENV_CONFLICT: entry({
    severity: 'error', stage: 'resolve', exit: 1, title: 'Two dependencies inject the same variable',
    template: "module '{module}': '{first}' and '{second}' both inject {name}",
    explain: {
      cause: 'Two `uses:` edges produce the same environment prefix.',
      fix: 'Give one of them its own prefix with `{ module: NAME, as: PREFIX }`.',
      example: 'uses: [db, { module: db-replica, as: REPLICA_DB }]',
    },
  }),
  ERR_PORT_COLLISION: entry({
    severity: 'error', stage: 'resolve', exit: 1, title: 'Host port published twice',
    template: "host port {port} is published by both '{first}' and '{second}'",
    explain: {
      cause: 'Two modules publish the same port on the host, so the second cannot start.',
      fix: 'Publish one of them on another port (the fix picks the next free one).',
      example: 'web: { type: static-site, with: { root: ./site, publish: 8081 } }',
    },
  }),
  ERR_NAME_COLLISION: entry({
    severity: 'error', stage: 'resolve', exit: 1, title: 'Generated name collides',
    template: "module '{module}' would create '{name}', which module '{other}' also creates",
    explain: {
      cause: 'aninfra synthesizes names from module names (a replicated service `api` gets `api--1`, `api--2`); another module already has such a name.',
      fix: 'Rename one of the modules.',
      example: 'api (replicas: 2) and api--1 cannot both exist',
    },
  }),
  ERR_NAME_RESERVED_SEPARATOR: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Name contains the reserved separator',
    template: "{what} '{name}' contains '--', which aninfra reserves to separate the parts of the names it derives",
    explain: {
      cause: 'aninfra names resources `<system>--<module>--data`, `<system>--<container>`, `<module>--<replica>`; a `--` inside a system or module name would make two different systems or modules share a name (and a volume).',
      fix: 'Use single dashes; the fix does that when the new name is free and nothing refers to the module by name.',
      example: 'modules:\n  orders--db: { type: postgres }   # write: orders-db',
    },
  }),
  ERR_ENV_MODULE_OWNED: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'env sets a variable the module owns',
    template: "env '{name}' of module '{module}' would override a variable the {type} module sets itself",
    explain: {
      cause: 'A module type owns some environment variables (postgres: PGDATA, POSTGRES_PASSWORD, …; `aninfra modules describe TYPE` lists them under ownedEnv). Overriding one silently breaks what the module guarantees, e.g. data no longer living in the kept volume.',
      fix: 'Remove the env entry (the fix does); use the module inputs (`with:`) to change what they allow.',
      example: 'db: { type: postgres, env: { PGDATA: /tmp/pgdata } }   # remove PGDATA',
    },
  }),
  ERR_SPEC_NUL_CHARACTER: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'NUL character in a value',
    template: '{where} contains a NUL character (\\0), which no process argument, environment variable or label can hold',
    explain: {
      cause: 'Environment values, commands and labels reach Docker as C strings; a NUL character (U+0000) is accepted by YAML but makes the container fail late, at apply time.',
      fix: 'Remove the NUL character (often a stray "\\0" escape in a double-quoted string).',
      example: 'env:\n  GREETING: "hello\\0"   # write: "hello"',
    },
  }),
  ERR_LABEL_RESERVED_PREFIX: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Label in a reserved namespace',
    template: "label '{key}' is in the namespace '{prefix}', reserved for {owner}",
    explain: {
      cause: 'Docker, Compose, Kubernetes, Pulumi and aninfra itself read labels in their own namespaces (com.docker.compose.project, aninfra.system, …); a spec label there could move a container into another project or system.',
      fix: 'Rename or remove the label (the fix removes it).',
      example: 'labels:\n  com.docker.compose.project: other   # remove; use e.g. team: payments',
    },
  }),
  ERR_PATH_OUTSIDE_SPEC_DIR: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Host path outside the spec directory',
    template: "{what} '{path}' resolves to '{resolved}', outside the spec's directory '{root}'",
    explain: {
      cause: 'Build contexts and served directories are sent to Docker or mounted into containers; one outside the spec directory (an absolute path, `..`, or a symbolic link that leads out) would ship host files such as /etc into an image or a web server.',
      fix: 'Put the directory inside the folder holding the spec and refer to it relatively (./services/api).',
      example: 'with: { runtime: node, build: ./services/api }   # not ../../etc or /',
    },
  }),
  ERR_PATH_NOT_FOUND: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Host path missing',
    template: "{what} '{path}' resolves to '{resolved}', which is not an existing {kind}",
    explain: {
      cause: 'A build context or served directory must be an existing directory, and a dockerfile an existing file inside its context, when the spec is compiled.',
      fix: 'Create it, or correct the path (relative to the spec file; a dockerfile relative to the build context).',
      example: 'with: { runtime: node, build: ./api }   # with ./api/Dockerfile present',
    },
  }),
  ERR_PATH_OUTSIDE_CONTEXT: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Dockerfile outside its build context',
    template: "dockerfile '{path}' resolves to '{resolved}', outside the build context '{context}'",
    explain: {
      cause: 'The dockerfile is read from the build context; a path with `..` or a symbolic link that leads out of the context would build from a host file.',
      fix: 'Keep the Dockerfile inside the build context and name it relative to the context.',
      example: 'with: { build: ./api, dockerfile: docker/Dockerfile }',
    },
  }),
  ERR_BUILD_NOTHING_TO_BUILD: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Build context has nothing to build',
    template: "build context '{path}' of module '{module}' holds no Dockerfile and nothing a {runtime} image can be built from: it needs {missing}",
    explain: {
      cause: "A program built from a directory needs a Dockerfile there, or, for runtime node, python or go, the files aninfra generates one from: package.json (node), a program to start such as app.py or main.py (python), go.mod (go). Without them the build would fail at apply with Docker's 'Dockerfile: no such file'.",
      fix: 'Add the manifest (npm init, go mod init) or your own Dockerfile to the build context, or correct `build` and `runtime`.',
      example: 'with: { runtime: node, build: ./api }   # ./api holds package.json (with a start script) and server.js',
    },
  }),
  ERR_BUILD_NO_ENTRY: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Nothing says what the built program runs',
    template: "build context '{path}' of module '{module}' has no Dockerfile, and aninfra cannot tell how to start the {runtime} program: it needs {missing}",
    explain: {
      cause: "Without a Dockerfile aninfra generates one, whose command comes from the context: the `start` script or `main` of package.json (else index.js) for node, app.py or main.py for python. None of them is there and the module gives no `command`.",
      fix: 'Give the module a `command`, or add the start script / entry file, or a Dockerfile with a CMD.',
      example: 'with: { runtime: python, build: ./worker, command: [python, -m, worker] }',
    },
  }),
  ERR_BUILD_MANIFEST_INVALID: entry({
    severity: 'error', stage: 'validate', exit: 1, title: 'Build manifest does not parse',
    template: "build context '{path}' of module '{module}' has no Dockerfile, and its manifest cannot be read: it needs {missing}",
    explain: {
      cause: "aninfra generates the Dockerfile of a node program from its package.json, which must be a JSON object (at most 1 MiB).",
      fix: 'Fix package.json (npm pkg get name shows whether npm can read it), or add a Dockerfile.',
      example: '{ "name": "api", "scripts": { "start": "node server.js" } }',
    },
  }),
  // ── emit ────────────────────────────────────────────────────────────────────
  ERR_EMIT_UNSAFE_IDENTIFIER: entry({
    severity: 'error', stage: 'emit', exit: 1, title: 'Name cannot become an identifier',
    template: "'{name}' cannot be turned into a safe identifier in the emitted program",
    explain: {
      cause: 'Emitted programs derive identifiers from module names; a name that cannot be made a safe identifier is refused rather than copied raw.',
      fix: 'Rename the module to a DNS label.',
      example: 'modules: { billing-db: { type: postgres } }',
    },
  }),
  // ── state, engine, prerequisites ────────────────────────────────────────────
  ERR_STATE_LOCKED: entry({
    severity: 'error', stage: 'state', exit: 4, title: 'State is locked',
    template: 'state is locked by {holder}; another apply or destroy is running',
    explain: {
      cause: 'Only one command may change a system at a time; the lock file in .aninfra/ names its holder.',
      fix: 'Wait for the other command. If its process is gone, rerun with --break-lock.',
      example: 'aninfra apply --break-lock',
    },
  }),
  ERR_STATE_STALE_PLAN: entry({
    severity: 'error', stage: 'state', exit: 4, title: 'Saved plan is stale',
    template: 'the saved plan no longer matches: {reason}',
    explain: {
      cause: 'A plan saved with `plan --out` is applied only against the spec and state it was made from.',
      fix: 'Run `aninfra plan --out plan.json` again, review it, then apply it.',
      example: 'aninfra plan --out plan.json && aninfra apply plan.json',
    },
  }),
  ERR_STATE_CORRUPT: entry({
    severity: 'error', stage: 'state', exit: 4, title: 'State journal unreadable',
    template: "state file '{file}' cannot be read: {reason}",
    explain: {
      cause: 'A file under .aninfra/ is not what aninfra wrote (edited by hand, or a disk problem). Writes are atomic, so an interrupted apply does not cause this.',
      fix: 'Restore the file from backup, or move .aninfra/ away and re-apply.',
      example: 'mv .aninfra .aninfra.broken && aninfra apply',
    },
  }),
  ERR_STATE_FOREIGN_OWNER: entry({
    severity: 'error', stage: 'state', exit: 4, title: 'System owned by another state directory',
    template: "system '{system}' belongs to another state directory (owner {owner}): {resources}",
    explain: {
      cause: 'Every resource aninfra creates carries the label aninfra.owner, the id of the state directory that applied it. The same system name applied from another directory would take over (and could delete) the first one\'s containers and data, so it is refused before anything is touched.',
      fix: 'Rename the system (metadata.name), or run the command from the directory that owns it; pass --adopt only to take the system over on purpose.',
      example: 'aninfra apply --adopt',
    },
  }),
  ERR_STATE_SECRETS_LOST: entry({
    severity: 'error', stage: 'state', exit: 4, title: 'Applied secrets are missing',
    template: "secrets {names} were applied before but are missing from '{file}'",
    explain: {
      cause: 'The secret store lost values an earlier revision applied (the file was deleted or replaced). Generating new ones silently would break stateful modules, which keep the old password in their data.',
      fix: 'Restore the secrets file from a backup; or pass --regenerate-secrets to accept new values (stateful modules keep their old password until their data is reset); or `aninfra destroy --delete-data` and apply again.',
      example: 'aninfra apply --regenerate-secrets',
    },
  }),
  ERR_STATE_KEY_MISSING: entry({
    severity: 'error', stage: 'state', exit: 4, title: 'Secret key missing',
    template: "the key for the stored secrets ({store}) is not at '{file}' and no ANINFRA_SECRET_KEY or ANINFRA_PASSPHRASE is set",
    explain: {
      cause: 'Generated secrets are encrypted with a key kept outside the project tree (the user config dir, ANINFRA_SECRET_KEY_FILE, ANINFRA_SECRET_KEY or ANINFRA_PASSPHRASE). Without it the stored secrets cannot be read, and aninfra never silently makes a new key for an existing store.',
      fix: 'Restore the key file from a backup (or point ANINFRA_SECRET_KEY_FILE at it). status and destroy work without the key; to start over with new secrets, destroy --delete-data and apply again.',
      example: 'ANINFRA_SECRET_KEY_FILE=~/backup/teamdocs.key aninfra apply',
    },
  }),
  ERR_STATE_REVISION_CORRUPT: entry({
    severity: 'error', stage: 'state', exit: 4, title: 'Journal revision unreadable',
    template: "journal revision {revision} ('{file}') is unreadable and is skipped: {reason}",
    explain: {
      cause: 'A revision file in the journal is truncated, edited by hand or not a revision record. Commands skip it and carry on from the last readable revision.',
      fix: 'Restore the file from a backup, or move it out of the journal directory once you have checked what it held (`aninfra history` lists the readable revisions).',
      example: 'mv .aninfra/teamdocs/journal/000007.json /tmp/',
    },
  }),
  WARN_STATE_LOCK_RECOVERED: entry({
    severity: 'warning', stage: 'state', exit: 4, title: 'Stale lock recovered',
    template: 'took over the lock of {holder}, which is no longer running; {children}',
    explain: {
      cause: 'A previous command was killed while it held the lock (kill -9, a crash, a closed terminal). Its process is gone on this host, so the lock is taken over automatically and any of its child processes still running are stopped first.',
      fix: 'Nothing to do: the interrupted revision is marked interrupted and this command converges the system.',
      example: 'aninfra apply',
    },
  }),
  ERR_STATE_NO_REVISION: entry({
    severity: 'error', stage: 'state', exit: 4, title: 'No such revision',
    template: '{reason}',
    explain: {
      cause: 'The command needs an applied revision (rollback, status) and there is none or not the one asked for.',
      fix: 'Look at `aninfra history` for the revisions that exist.',
      example: 'aninfra rollback --to 3',
    },
  }),
  ERR_ENGINE_FAILED: entry({
    severity: 'error', stage: 'engine', exit: 3, title: 'Engine failed',
    template: '{engine} failed: {reason}',
    explain: {
      cause: 'The engine (docker compose or Pulumi) returned an error while changing resources.',
      fix: 'Read the per-module results and log tails; fix the cause and apply again, or roll back.',
      example: 'aninfra status --json',
    },
  }),
  ERR_ENGINE_MODULE_UNHEALTHY: entry({
    severity: 'error', stage: 'engine', exit: 3, title: 'Module did not become healthy',
    template: "module '{module}' is {health} after {seconds}s",
    explain: {
      cause: 'The module started but its readiness probe did not pass within the timeout (or it exited).',
      fix: 'Read the log tail in the diagnostic; fix the module and apply again, or `aninfra rollback`.',
      example: 'aninfra apply --timeout 120',
    },
  }),
  ERR_ENGINE_TASK_FAILED: entry({
    severity: 'error', stage: 'engine', exit: 3, title: 'Task did not complete successfully',
    template: "task '{module}' exited with status {exitCode}; the modules after it were not started",
    explain: {
      cause: 'A `task` module (run to completion, e.g. migrations) exited with a non-zero status, or did not finish within the timeout (status -1); the modules that use it or start after it wait for its success.',
      fix: 'Read the log tail in the diagnostic, fix the task (its command, image or the data it expects) and apply again.',
      example: 'migrate: { type: task, with: { runtime: node, build: ./api, command: [node, migrate.js] } }',
    },
  }),
  ERR_ENGINE_INTERRUPTED: entry({
    severity: 'error', stage: 'engine', exit: 3, title: 'Apply interrupted',
    template: 'the {operation} was interrupted by {signal}; the revision is marked interrupted and the next apply converges',
    explain: {
      cause: 'The process received a signal while changing resources.',
      fix: 'Run apply again; it reconciles whatever was left half-done.',
      example: 'aninfra apply',
    },
  }),
  ERR_PREREQ_DOCKER: entry({
    severity: 'error', stage: 'prereq', exit: 5, title: 'Docker not available',
    template: 'Docker is not available: {reason}',
    explain: {
      cause: 'The compose engine needs the Docker CLI and a running daemon.',
      fix: 'Install Docker (Debian: apt-get install docker.io docker-compose) and start the daemon.',
      example: 'docker info',
    },
  }),
  ERR_PREREQ_COMPOSE: entry({
    severity: 'error', stage: 'prereq', exit: 5, title: 'Docker Compose not available',
    template: 'Docker Compose is not available: {reason}',
    explain: {
      cause: 'The compose engine drives the Docker Compose plugin (`docker compose`, release 2 or later) or v1 (`docker-compose`); ANINFRA_COMPOSE=plugin|v1 asks for one of them, auto (the default) takes the plugin when present, else v1.',
      fix: 'Install the compose plugin, or Debian\'s docker-compose package; or choose the one that is installed with ANINFRA_COMPOSE.',
      example: 'apt-get install docker-compose',
    },
  }),
  ERR_PREREQ_COMPOSE_CHOICE: entry({
    severity: 'error', stage: 'prereq', exit: 5, title: 'Unknown Compose choice',
    template: "ANINFRA_COMPOSE is '{value}'; it must be plugin, v1 or auto",
    explain: {
      cause: 'ANINFRA_COMPOSE chooses the Compose CLI of the compose engine: plugin (`docker compose`), v1 (`docker-compose`) or auto (the plugin when present, else v1).',
      fix: 'Set ANINFRA_COMPOSE to plugin, v1 or auto, or unset it.',
      example: 'ANINFRA_COMPOSE=v1 aninfra apply',
    },
  }),
  ERR_PREREQ_IMAGE_MISSING: entry({
    severity: 'error', stage: 'prereq', exit: 5, title: 'Image not present locally',
    template: "image '{image}' for module '{module}' is not present locally and pulling is disabled",
    explain: {
      cause: 'With --pull never (or an image mapping to local images) every image must already exist, so no registry is contacted.',
      fix: 'Build or load the image, or map it to a local one with --images.',
      example: 'aninfra apply --images images.yaml',
    },
  }),
  ERR_PREREQ_PULUMI: entry({
    severity: 'error', stage: 'prereq', exit: 5, title: 'Pulumi CLI not available',
    template: 'the Pulumi engine needs the `pulumi` CLI: {reason}',
    explain: {
      cause: 'The docker target runs the emitted program through the Pulumi Automation API, which drives the `pulumi` binary and its plugins.',
      fix: 'Install the Pulumi CLI (https://www.pulumi.com/docs/install/) or build it with scripts/pulumi-engine.sh and put its bin dir on PATH; or use `--target compose`.',
      example: 'PATH="$(scripts/pulumi-engine.sh):$PATH" aninfra apply --target docker',
    },
  }),
  ERR_PREREQ_KUBERNETES: entry({
    severity: 'error', stage: 'prereq', exit: 5, title: 'Kubernetes cluster not reachable',
    template: 'the kubernetes target needs a reachable cluster: {reason}',
    explain: {
      cause: 'The kubernetes engine applies through the current kubeconfig (KUBECONFIG, else ~/.kube/config; --context or ANINFRA_KUBE_CONTEXT picks a context) and reads pods with kubectl; one of them is missing or the API server does not answer. Nothing was changed and no revision was opened.',
      fix: 'Point KUBECONFIG at a running cluster and put kubectl on PATH; for the local test cluster run scripts/local-cluster.sh up (its last line is the kubeconfig) and add `scripts/local-cluster.sh bin` to PATH.',
      example: 'KUBECONFIG=$(scripts/local-cluster.sh up | tail -n 1) aninfra apply --target kubernetes',
    },
  }),
  ERR_PREREQ_AWS_CREDENTIALS: entry({
    severity: 'error', stage: 'prereq', exit: 5, title: 'AWS credentials not found',
    template: 'the aws target needs AWS credentials: {reason}',
    explain: {
      cause: 'The aws engine applies through the Pulumi AWS provider with the standard AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or a ~/.aws/credentials (or AWS_SHARED_CREDENTIALS_FILE) file. None was found, so nothing was started and no revision was opened.',
      fix: 'Export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, set AWS_PROFILE to a profile of ~/.aws/config, or run `aws configure`.',
      example: 'AWS_PROFILE=prod aninfra apply --target aws',
    },
  }),
  ERR_PREREQ_SECRET_ENV: entry({
    severity: 'error', stage: 'prereq', exit: 5, title: 'Secret from the environment missing',
    template: "module '{module}' needs the environment variable {name}, which is not set",
    explain: {
      cause: 'An external module reads its secrets (API keys) from the environment of the applying process, so they never appear in the spec or the state.',
      fix: 'Export the variable before apply (in CI, from the secret store).',
      example: 'STRIPE_SECRET_KEY=sk_test_... aninfra apply',
    },
  }),
  ERR_STATE_NOT_APPLIED: entry({
    severity: 'error', stage: 'state', exit: 4, title: 'Nothing applied yet',
    template: "system '{system}' has no applied revision in {dir}",
    explain: {
      cause: 'status, history, rollback and destroy read the journal that apply writes; there is none for this system.',
      fix: 'Run `aninfra apply` first, or pass the --state-dir the system was applied with.',
      example: 'aninfra apply aninfra.yaml && aninfra status',
    },
  }),
  // ── backups and restore ─────────────────────────────────────────────────────
  ERR_STATE_MODULE_NOT_STATEFUL: entry({
    severity: 'error', stage: 'state', exit: 4, title: 'Module keeps no data',
    template: "module '{module}' {reason}: only stateful modules have backups",
    explain: {
      cause: 'restore and backups work on a stateful module of the spec (postgres, mysql, redis, mongodb, rabbitmq, …); the module named is missing or keeps no data.',
      fix: 'Pass --module with the name of a stateful module of the spec.',
      example: 'aninfra restore aninfra.yaml --module db',
    },
  }),
  ERR_STATE_BACKUPS_NOT_ENABLED: entry({
    severity: 'error', stage: 'state', exit: 4, title: 'Backups not enabled',
    template: "module '{module}' has no backups: {reason}",
    explain: {
      cause: 'The module has no `backup:` policy in the spec, the applied system has no backup volume (docker, compose) or backup claim (kubernetes) for it yet, or the system runs on a target whose engine keeps no backups aninfra can restore.',
      fix: 'Add `backup: { schedule, retain }` under the module\'s `with:` and apply; backups appear at the next scheduled time.',
      example: 'with: { backup: { schedule: "0 3 * * *", retain: 7 } }',
    },
  }),
  ERR_STATE_NO_BACKUP: entry({
    severity: 'error', stage: 'state', exit: 4, title: 'No such backup',
    template: "module '{module}' has no backup {which}",
    explain: {
      cause: 'The backup volume holds no finished dump of the module (none was due yet, every dump failed), or --backup names a file that is not there.',
      fix: 'List the backups with `aninfra backups SPEC --module M` and pass one of their names, or wait for the next scheduled dump (the backup container logs each one).',
      example: 'aninfra backups aninfra.yaml --module db',
    },
  }),
  ERR_ENGINE_RESTORE_FAILED: entry({
    severity: 'error', stage: 'engine', exit: 3, title: 'Restore failed',
    template: "restoring '{backup}' into module '{module}' failed: {reason}",
    explain: {
      cause: "The restore command exited non-zero in its one-off container or pod (the store was unreachable, or refused the dump), or did not finish in time; the store may hold a partial restore.",
      fix: 'Check that the module is healthy (`aninfra status`), read the reason, and run the restore again; the backup file itself is unchanged.',
      example: 'aninfra status && aninfra restore aninfra.yaml --module db',
    },
  }),
  ERR_ENGINE_STORE_NOT_RUNNING: entry({
    severity: 'error', stage: 'engine', exit: 3, title: 'Store not running',
    template: "module '{module}' is not running ({reason}): a restore needs the store up",
    explain: {
      cause: 'A restore streams the dump into the running store, and the store has no ready instance (its container or StatefulSet is missing, or its pod is not ready); nothing was changed.',
      fix: 'Apply the system (or wait until `aninfra status` shows the module healthy), then run the restore again.',
      example: 'aninfra apply && aninfra restore aninfra.yaml --module db',
    },
  }),
  WARN_BACKUP_ENGINE_UNSUPPORTED: entry({
    severity: 'warning', stage: 'lower', exit: 1, title: 'Backups not available for this store',
    template: "module '{module}': no backups are scheduled for {engine}: {reason}",
    explain: {
      cause: "The store's image has no tool that can dump its data while it runs, so aninfra cannot schedule backups for it on this target.",
      fix: 'Back up the module\'s data volume yourself (stop the module, copy the volume), or remove `backup:` to silence this.',
      example: 'docker run --rm -v demo--events--data:/data -v $PWD:/out local/debian:bookworm tar czf /out/events.tgz -C /data .',
    },
  }),
  // ── plan (data safety) ──────────────────────────────────────────────────────
  ERR_PLAN_PROGRAM_DIR: entry({
    severity: 'error', stage: 'cli', exit: 1, title: 'Program directory refused',
    template: "cannot write the program into '{dir}': {reason}",
    explain: {
      cause: 'aninfra writes a program only into a new or empty directory, or one it wrote before (it holds a .aninfra-program marker). Any other directory (a spec folder given as --emit-dir .) is left exactly as it is.',
      fix: 'Pass an --emit-dir that does not exist yet (or is empty), or leave --emit-dir out to use .aninfra/<system>/program/<target>.',
      example: 'aninfra plan aninfra.yaml --emit-dir ./out',
    },
  }),
  ERR_PLAN_DATA_LOSS: entry({
    severity: 'error', stage: 'cli', exit: 1, title: 'Plan loses stored data',
    template: 'the plan would delete or strand stored data: {changes}',
    explain: {
      cause: 'apply, apply of a saved plan and rollback refuse a plan that deletes a kept volume, removes or renames a stateful module, changes its type, or changes its major version, because the data cannot be brought back.',
      fix: 'Back up the data (or migrate it), then rerun the same command with --allow-data-loss (MCP: allowDataLoss: true). To keep the data, undo the spec change instead.',
      example: 'aninfra plan   # shows DATA LOSS / DATA RISK lines\naninfra apply --allow-data-loss',
    },
  }),
  WARN_PLAN_MODULE_REMOVED: entry({
    severity: 'warning', stage: 'cli', exit: 1, title: 'Stateful module removed',
    template: "module '{module}' ({type}) is no longer in the spec (removed or renamed): the data in {volume} is lost to the system",
    explain: {
      cause: 'A stateful module keeps its data in a volume named after the module. Removing or renaming the module removes that volume from the system, so its data is deleted or left behind.',
      fix: 'If this is a rename, keep the old name. Otherwise back up the data first; apply refuses until --allow-data-loss is given.',
      example: 'modules:\n  orders-db: { type: postgres }   # renamed from db: the volume of db is not reused',
    },
  }),
  WARN_PLAN_TYPE_CHANGE: entry({
    severity: 'warning', stage: 'cli', exit: 1, title: 'Stateful module changes type',
    template: "module '{module}' changes type from {from} to {to}: the {from} data in {volume} cannot be used by the new type",
    explain: {
      cause: 'The data volume of a stateful module keeps its name when the module type changes, so the new server would start on files another kind of server wrote.',
      fix: 'Give the new module another name (and migrate the data), or keep the type; apply refuses until --allow-data-loss is given.',
      example: 'modules:\n  db: { type: postgres }     # was: { type: mysql }',
    },
  }),
  WARN_PLAN_MAJOR_VERSION: entry({
    severity: 'warning', stage: 'cli', exit: 1, title: 'Stateful module changes major version',
    template: "module '{module}' ({type}) changes major version from {from} to {to}: the data in {volume} may not open with the new version",
    explain: {
      cause: 'Databases write their data files in a format of their major version; a new major version (postgres 16 → 17) refuses to open them without a migration (pg_upgrade, dump and restore).',
      fix: 'Migrate the data (dump and restore into a new module), or keep the version; apply refuses until --allow-data-loss is given.',
      example: 'db: { type: postgres, version: "16" }',
    },
  }),
  WARN_PLAN_VOLUME_REPLACED: entry({
    severity: 'warning', stage: 'cli', exit: 1, title: 'Kept volume replaced',
    template: "{volume} of module '{module}' is {action} ({reason}): the data it holds is lost",
    explain: {
      cause: 'A volume that holds the data of a stateful module is replaced or deleted by this plan.',
      fix: 'Undo the change that replaces the volume, or back up the data; apply refuses until --allow-data-loss is given.',
      example: 'aninfra plan --json   # plan.dataRisks lists the volume and the reason',
    },
  }),
  WARN_PLAN_NOT_CONVERGED: entry({
    severity: 'warning', stage: 'cli', exit: 1, title: 'Last apply did not finish',
    template: 'revision {revision} is {status}: the running system may differ from the journal, so the plan cannot promise there is nothing to do',
    explain: {
      cause: 'A revision newer than the one the plan compares against failed, was interrupted or is still applying; the containers may be half-changed.',
      fix: 'Run `aninfra apply` (after the running apply ends, if one does): it checks the live system and converges it.',
      example: 'aninfra history   # shows the interrupted revision\naninfra apply',
    },
  }),
  // ── drift (`aninfra drift`, status, apply's no-op fast path) ────────────────
  WARN_DRIFT_MISSING: entry({
    severity: 'warning', stage: 'engine', exit: 3, title: 'Drift: unit missing',
    template: "{resourceKind} {resource} of module '{module}' is missing",
    explain: {
      cause: 'The last applied revision runs this container (or Deployment, StatefulSet, pod), and the live system has none: it was removed by hand, by another tool, or never came back after a crash.',
      fix: 'Run `aninfra apply SPEC`: the engine sees the missing unit (there is no "nothing to do" shortcut while something drifted) and creates it again.',
      example: 'docker rm -f shop--api && aninfra drift shop.yaml   # WARN_DRIFT_MISSING, exit 2\naninfra apply shop.yaml',
    },
  }),
  WARN_DRIFT_STOPPED: entry({
    severity: 'warning', stage: 'engine', exit: 3, title: 'Drift: unit stopped',
    template: "{resourceKind} {resource} of module '{module}' is not running ({state})",
    explain: {
      cause: 'The container exists but is exited, created, paused or dead (stopped by hand, or crashed and not restarted), or the pods of the module failed.',
      fix: 'Run `aninfra apply SPEC`: it starts the unit again and waits until it is healthy. If it stops again, read its logs (`docker logs NAME`).',
      example: 'docker stop shop--api && aninfra drift shop.yaml   # WARN_DRIFT_STOPPED\naninfra apply shop.yaml',
    },
  }),
  WARN_DRIFT_UNHEALTHY: entry({
    severity: 'warning', stage: 'engine', exit: 3, title: 'Drift: unit unhealthy',
    template: "{resourceKind} {resource} of module '{module}' runs but is not healthy ({state})",
    explain: {
      cause: 'The unit runs but its health check fails, it keeps restarting, or its pods wait in a broken state (CrashLoopBackOff, ImagePullBackOff…).',
      fix: 'Run `aninfra apply SPEC`, which recreates what drifted and waits for health; if the module stays unhealthy its log tail in apply\'s ERR_ENGINE_MODULE_UNHEALTHY says why.',
      example: 'aninfra drift shop.yaml   # WARN_DRIFT_UNHEALTHY for api\naninfra apply shop.yaml',
    },
  }),
  WARN_DRIFT_IMAGE: entry({
    severity: 'warning', stage: 'engine', exit: 3, title: 'Drift: another image',
    template: "{resourceKind} {resource} of module '{module}' runs image {actual}, the applied revision says {expected}",
    explain: {
      cause: 'The unit was recreated by hand, or changed with `kubectl set image`, so it runs another image than the one the last applied revision chose.',
      fix: 'Run `aninfra apply SPEC` to return to the revision\'s image; to keep the new image, change the spec (image, version) and apply that.',
      example: 'kubectl set image deployment/api api=nginx:1.26 && aninfra drift shop.yaml   # WARN_DRIFT_IMAGE\naninfra apply shop.yaml',
    },
  }),
  WARN_DRIFT_ENV: entry({
    severity: 'warning', stage: 'engine', exit: 3, title: 'Drift: another environment',
    template: "{resourceKind} {resource} of module '{module}' has environment variables that differ from the applied revision: {names}",
    explain: {
      cause: 'Variables the revision sets are absent or hold other values (the unit was recreated or edited by hand). Values that hold a secret are compared on their literal parts only, and no value is ever printed: only the names.',
      fix: 'Run `aninfra apply SPEC` to restore the revision\'s environment; to keep a value, put it in the spec (`env:`) and apply.',
      example: 'kubectl set env deployment/api LOG_LEVEL=debug && aninfra drift shop.yaml   # WARN_DRIFT_ENV: LOG_LEVEL',
    },
  }),
  WARN_DRIFT_NETWORK_MISSING: entry({
    severity: 'warning', stage: 'engine', exit: 3, title: 'Drift: network missing',
    template: '{resourceKind} {resource} of the system is missing',
    explain: {
      cause: 'The system network was removed by hand (after disconnecting its containers) or by `docker network prune`; the containers can no longer reach each other by name.',
      fix: 'Run `aninfra apply SPEC`: it recreates the network and the containers that must join it.',
      example: 'docker network rm shop--net && aninfra drift shop.yaml   # WARN_DRIFT_NETWORK_MISSING\naninfra apply shop.yaml',
    },
  }),
  WARN_DRIFT_VOLUME_MISSING: entry({
    severity: 'warning', stage: 'engine', exit: 3, title: 'Drift: volume missing',
    template: "{resourceKind} {resource} of module '{module}' is missing: the data it held is not there",
    explain: {
      cause: 'A named volume (on kubernetes: the persistent volume claim of a stateful module) the revision keeps data in does not exist: it was deleted by hand or by a prune.',
      fix: 'Run `aninfra apply SPEC` to create an empty one; restore the data from a backup afterwards (`aninfra restore SPEC --module M`).',
      example: 'aninfra apply shop.yaml && aninfra restore shop.yaml --module db',
    },
  }),
  WARN_DRIFT_UNKNOWN_RESOURCE: entry({
    severity: 'warning', stage: 'engine', exit: 3, title: 'Drift: resource the revision does not know',
    template: "{resourceKind} {resource} carries the labels of system '{system}' but the applied revision does not know it",
    explain: {
      cause: 'Something labelled `aninfra.system=<system>` exists that the last applied revision did not create: a container started by hand with those labels, a leftover of a removed module (its kept data volume), or a resource of another state directory. apply neither uses nor removes it.',
      fix: 'Look at it first; if it is not needed, remove it with the command in the hint (aninfra never runs it). A kept data volume holds data: back it up before removing it.',
      example: 'docker rm -f shop--stray',
    },
  }),
  // ── CLI ─────────────────────────────────────────────────────────────────────
  ERR_CLI_USAGE: entry({
    severity: 'error', stage: 'cli', exit: 1, title: 'Bad command line',
    template: '{detail}',
    explain: {
      cause: 'An unknown command, option or argument.',
      fix: 'See `aninfra --help` or `aninfra COMMAND --help`.',
      example: 'aninfra plan aninfra.yaml --json',
    },
  }),
  ERR_CLI_UNKNOWN_CODE: entry({
    severity: 'error', stage: 'cli', exit: 1, title: 'Unknown diagnostic code',
    template: "no diagnostic code '{code}'",
    explain: {
      cause: '`aninfra explain` was given a code that is not in the catalog.',
      fix: 'Use a code printed by aninfra; `aninfra explain --list` shows all.',
      example: 'aninfra explain ERR_GRAPH_CYCLE',
    },
  }),
  // ── agent interface: fixes, MCP, compose import ────────────────────────────
  ERR_FIX_NOT_FOUND: entry({
    severity: 'error', stage: 'cli', exit: 1, title: 'No such fix',
    template: "no diagnostic '{code}' at '{path}' offers a fix",
    explain: {
      cause: 'apply_fix (or `aninfra fix --code`) names a diagnostic by code and JSON pointer, and the current spec has no diagnostic with that code at that pointer carrying a fix. The spec may have changed since it was validated, or the diagnostic states its remedy in words only.',
      fix: 'Validate the spec again and pick a code and path from a diagnostic that has a `fix`; the hint lists the fixes available now.',
      example: 'apply_fix { spec, code: "ERR_MODULE_UNKNOWN_TYPE", path: "/modules/db/type" }',
    },
  }),
  ERR_FIX_PATCH_FAILED: entry({
    severity: 'error', stage: 'cli', exit: 1, title: 'Fix cannot be applied',
    template: "the fix '{title}' cannot be applied: {reason}",
    explain: {
      cause: "A diagnostic's JSON Patch did not apply to the YAML document (a path it names is missing, goes through a YAML alias, or a `test` op failed). Nothing was changed.",
      fix: 'Make the edit by hand as the diagnostic describes, then validate again.',
      example: 'modules:\n  api: { type: service, uses: *shared }   # an alias: edit the anchored list instead',
    },
  }),
  ERR_MCP_INVALID_ARGUMENTS: entry({
    severity: 'error', stage: 'cli', exit: 1, title: 'Invalid tool arguments',
    template: "tool '{tool}': {problem}",
    explain: {
      cause: "An MCP tool was called with arguments its input schema does not accept: a required one missing, an unknown one, or a wrong type. A spec is passed inline as `spec` (YAML text) or as a file `path`, never both.",
      fix: "Call the tool again with arguments matching its inputSchema (tools/list shows it).",
      example: 'validate_spec { "spec": "apiVersion: aninfra/v1\\nkind: System\\n..." }',
    },
  }),
  ERR_MCP_UNKNOWN_TOOL: entry({
    severity: 'error', stage: 'cli', exit: 1, title: 'Unknown tool',
    template: "no tool named '{tool}'",
    explain: {
      cause: 'The MCP client called a tool name the aninfra server does not have.',
      fix: 'Use a name from tools/list; the hint names the nearest one.',
      example: 'validate_spec, apply_fix, plan, apply, status',
    },
  }),
  ERR_MCP_PATH_OUTSIDE_WORKDIR: entry({
    severity: 'error', stage: 'cli', exit: 1, title: 'Path outside the MCP workdir',
    template: "tool '{tool}': argument '{argument}' resolves to '{resolved}', outside the workdir '{workdir}'",
    explain: {
      cause: "The MCP server's --workdir is a boundary: every file a tool reads or writes (path, file, images, stateDir, the state directory beside a spec) must resolve, with symlinks followed, inside it. The argument used `..`, an absolute path, or a symbolic link that leads out.",
      fix: 'Pass a path inside the workdir (relative paths resolve against it), or start the server with a --workdir that contains the files.',
      example: 'validate_spec { "path": "specs/aninfra.yaml" }   # not "../../etc/shadow"',
    },
  }),
  ERR_MCP_UNRECOGNIZED_FILE: entry({
    severity: 'error', stage: 'cli', exit: 1, title: 'File is not what the tool reads',
    template: "tool '{tool}': argument '{argument}' names '{file}', which is not {expected} ({problem}); its content is not shown",
    explain: {
      cause: "A tool was pointed at a file that is not a spec (no `apiVersion: aninfra/…`), a Compose file (no `services:`) or an image mapping. Its diagnostics would quote the file's text, so the MCP server reports only where the first problem is (range: line and column), never the content.",
      fix: 'Point the tool at the right file, or pass the text inline (spec, compose) to see every diagnostic.',
      example: 'validate_spec { "path": "aninfra.yaml" }   # a file starting with apiVersion: aninfra/v1',
    },
  }),
  ERR_HTTP_UNAUTHORIZED: entry({
    severity: 'error', stage: 'cli', exit: 1, title: 'Bearer token missing or wrong',
    template: '{endpoint} changes state and needs the bearer token: {problem}',
    explain: {
      cause: "The HTTP API (`aninfra serve`) requires `Authorization: Bearer <token>` on every endpoint that changes state (plan, fix, apply, rollback, destroy, cancelling an operation). The request had no such header, or another token.",
      fix: 'Send the token the server wrote on its first start (mode 0600, `.aninfra/http-token` in the workdir, or the --token-file given) as `Authorization: Bearer <token>`.',
      example: 'curl -H "Authorization: Bearer $(cat .aninfra/http-token)" -H "content-type: application/json" -d \'{"spec":"…"}\' http://127.0.0.1:7080/v1/plan',
    },
  }),
  ERR_HTTP_NOT_FOUND: entry({
    severity: 'error', stage: 'cli', exit: 1, title: 'No such endpoint',
    template: 'no endpoint {method} {path}',
    explain: {
      cause: 'The request named a path (or a method on it) the HTTP API does not have.',
      fix: 'Use a path of the OpenAPI document the server serves at GET /openapi.json; the hint names the nearest one.',
      example: 'POST /v1/validate, POST /v1/plan, POST /v1/apply, GET /v1/systems/{name}',
    },
  }),
  ERR_HTTP_MALFORMED_JSON: entry({
    severity: 'error', stage: 'cli', exit: 1, title: 'Request body is not JSON',
    template: 'the request body is not a JSON document: {problem}',
    explain: {
      cause: 'A request declared `content-type: application/json` but its body did not parse as JSON (or was empty, or tried to set __proto__).',
      fix: 'Send one JSON object, e.g. built with JSON.stringify; the spec itself goes in as a string field (spec).',
      example: '{"spec": "apiVersion: aninfra/v1\\nkind: System\\n…"}',
    },
  }),
  ERR_HTTP_UNSUPPORTED_MEDIA_TYPE: entry({
    severity: 'error', stage: 'cli', exit: 1, title: 'Request body is not application/json',
    template: "the request body has content type '{type}'; the API takes application/json",
    explain: {
      cause: 'A request with a body declared another content type (text/plain, a form, YAML …) or none. Every endpoint with a body takes one JSON object.',
      fix: 'Send `content-type: application/json` and a JSON body; a YAML spec goes in as the string field spec.',
      example: 'curl -H "content-type: application/json" -d \'{"spec":"…"}\' http://127.0.0.1:7080/v1/validate',
    },
  }),
  ERR_HTTP_BODY_TOO_LARGE: entry({
    severity: 'error', stage: 'cli', exit: 1, title: 'Request body too large',
    template: 'the request body is larger than the limit of {limit} bytes',
    explain: {
      cause: 'The HTTP API refuses bodies above a fixed size (the spec size limit plus room for the JSON around it), before reading them whole.',
      fix: 'Send a smaller spec, or place the spec in a file inside the workdir and pass its path instead of its text.',
      example: '{"path": "specs/big-system.yaml"}',
    },
  }),
  ERR_HTTP_INVALID_REQUEST: entry({
    severity: 'error', stage: 'cli', exit: 1, title: 'Request does not match the endpoint schema',
    template: '{endpoint}: {problem}',
    explain: {
      cause: "The body, query or path parameters did not match the endpoint's JSON Schema (published in GET /openapi.json): a missing or unknown field, or a value of the wrong type.",
      fix: "Send what the endpoint's schema describes; the diagnostic's path points at the offending field.",
      example: 'POST /v1/plan {"spec": "…", "extra": 1}   # unknown field: path /extra',
    },
  }),
  ERR_HTTP_OPERATION_NOT_FOUND: entry({
    severity: 'error', stage: 'cli', exit: 1, title: 'No such operation',
    template: "no operation '{id}' on this server",
    explain: {
      cause: 'The operation id is not one this server started: it was mistyped, or the server restarted (operations live as long as the server; the journal keeps their revisions).',
      fix: "Use the id POST /v1/apply returned; after a restart read the outcome with GET /v1/systems/{name}/history.",
      example: 'GET /v1/operations/3f0c…/events',
    },
  }),
  ERR_IMPORT_UNREADABLE: entry({
    severity: 'error', stage: 'read', exit: 1, title: 'Compose file unreadable',
    template: "cannot read compose file '{file}': {reason}",
    explain: {
      cause: '`aninfra import compose` was given a path that does not exist, is not a regular file, or is not UTF-8 text.',
      fix: 'Pass the path of the docker-compose.yml (or compose.yaml) to import.',
      example: 'aninfra import compose ./docker-compose.yml -o aninfra.yaml',
    },
  }),
  ERR_IMPORT_INVALID_COMPOSE: entry({
    severity: 'error', stage: 'parse', exit: 1, title: 'Not an importable Compose file',
    template: "{file} is not a Compose file aninfra can import: {reason}",
    explain: {
      cause: 'The file is not valid YAML, or it has no `services:` mapping, or a service is neither built nor given an image.',
      fix: 'Check the file with `docker compose config`; every service needs `image:` or `build:`.',
      example: 'services:\n  web: { image: "nginx:1.27", ports: ["8080:80"] }',
    },
  }),
  WARN_IMPORT_UNMAPPED: entry({
    severity: 'warning', stage: 'cli', exit: 1, title: 'Compose feature not carried over',
    template: "service '{service}': {feature} is not carried over: {reason}",
    explain: {
      cause: 'The Compose file uses something aninfra synthesizes itself (networks, data volumes, database passwords) or has no equivalent for (bind mounts into programs, privileges, custom entrypoints, env files). The imported spec leaves it out rather than guessing.',
      fix: 'Read each warning: most need nothing (aninfra creates the network, volumes and secrets); for the others move the behaviour into the image or the program, or model it with another module.',
      example: 'services:\n  db:\n    image: postgres:16\n    volumes: ["pgdata:/var/lib/postgresql/data"]   # aninfra gives db its own volume',
    },
  }),
  WARN_IMPORT_VARIABLE_UNSET: entry({
    severity: 'warning', stage: 'cli', exit: 1, title: 'Compose variable without a value',
    template: "'{variable}' has no default in the Compose file; {effect}",
    explain: {
      cause: 'Compose fills `${VAR}` from the shell or an .env file when it runs. The importer reads neither (so host secrets never land in the spec) and only uses defaults written as `${VAR:-default}`.',
      fix: 'Add the value to the module under `env:` after import; for a secret, use an `external` module with `fromEnv`, or a reference such as `${db.password}`.',
      example: 'environment:\n  LOG_LEVEL: ${LOG_LEVEL:-info}   # imported as LOG_LEVEL: info',
    },
  }),
  WARN_IMPORT_RENAMED: entry({
    severity: 'warning', stage: 'cli', exit: 1, title: 'Compose service renamed',
    template: "Compose service '{service}' becomes module '{module}'",
    explain: {
      cause: 'Module names are DNS labels (lowercase letters, digits and dashes, at most 40 characters) because they become container and host names; the Compose name is not one.',
      fix: 'Nothing, unless other programs reach this service by its old host name: update those addresses (or use the injected PREFIX_HOST variables).',
      example: 'services:\n  api_server: ...   # becomes module api-server',
    },
  }),
  WARN_IMPORT_VERSION_CHANGED: entry({
    severity: 'warning', stage: 'cli', exit: 1, title: 'Imported image version not supported',
    template: "service '{service}' runs {image}; module type {type} supports versions {supported}, so the spec uses {version}",
    explain: {
      cause: 'The Compose service runs an image version the module descriptor does not support; the imported module uses the nearest supported version instead. Data written by another major version may need migrating.',
      fix: 'Keep the chosen version (and migrate data), or run the old version as a `service` with `runtime: image`.',
      example: 'db: { type: postgres, version: "16" }',
    },
  }),
  WARN_IMPORT_ENV_REWRITTEN: entry({
    severity: 'warning', stage: 'cli', exit: 1, title: 'Imported env value now references a module output',
    template: "service '{service}': env {name} now takes {reference} instead of the value written in the Compose file",
    explain: {
      cause: "aninfra generates each database's password and derives its connection URL, so literal credentials and URLs naming another Compose service would be wrong after import. The importer replaced them with references to that module's outputs.",
      fix: 'Nothing; check that the program reads the variable as before. The uses: edge also injects PREFIX_URL, PREFIX_PASSWORD and friends.',
      example: 'env: { DATABASE_URL: "${db.url}" }',
    },
  }),
  WARN_IMPORT_PORT_LOOPBACK: entry({
    severity: 'warning', stage: 'cli', exit: 1, title: 'Imported port now published on 127.0.0.1 only',
    template: "service '{service}': port {port} was published on {hostIp}; the spec publishes it on 127.0.0.1 only",
    explain: {
      cause: 'Compose publishes a port on every interface unless `host_ip` (or an address before the host port) says otherwise. aninfra publishes ports on 127.0.0.1 only, so other machines can no longer reach it.',
      fix: 'Nothing for local use. To serve other machines, put a reverse proxy or tunnel in front of 127.0.0.1:<port>.',
      example: 'ports: ["8080:80"]   # was reachable on every interface; now on 127.0.0.1:8080',
    },
  }),
  WARN_IMPORT_HEALTHCHECK_CHANGED: entry({
    severity: 'warning', stage: 'cli', exit: 1, title: 'Imported health check changed',
    template: "service '{service}': healthcheck {what} is not kept: {reason}",
    explain: {
      cause: "A module probes with its own timings (every 2s, 5s timeout, 30 retries, 5s start period), and the database, cache and queue modules with their own probe: a spec cannot set a health check's interval, timeout, retries or start period, nor replace a database module's probe. `lost` lists the Compose values.",
      fix: "Usually nothing. If the program needs longer to start than the module's probe allows, make it answer the probe earlier, or run it as a `service` with `runtime: image` and its own health command.",
      example: 'healthcheck: { test: ["CMD", "pg_isready"], interval: 30s }   # the postgres module runs pg_isready itself',
    },
  }),
  WARN_IMPORT_IMAGE_TAG_CHANGED: entry({
    severity: 'warning', stage: 'cli', exit: 1, title: 'Imported image tag changed',
    template: "service '{service}' runs {image}; the {type} module runs {moduleImage} instead",
    explain: {
      cause: "A module runs its descriptor's image for the chosen version, so a tag variant (`-alpine`, `-bookworm`), a floating tag (`latest`, none) or another publisher's image (bitnami/…) becomes that image, pinned to a version.",
      fix: 'Nothing if the module image suits you; to keep a specific image, map the public image to it with an image mapping (`images:` in the spec or `--images`).',
      example: 'redis:7-alpine   # the redis module runs redis:7',
    },
  }),
  WARN_IMPORT_RESTART_CHANGED: entry({
    severity: 'warning', stage: 'cli', exit: 1, title: 'Imported restart policy changed',
    template: "service '{service}': restart: {restart} becomes unless-stopped",
    explain: {
      cause: 'aninfra restarts every long-running container unless it was stopped, and a spec has no restart setting; `always`, `on-failure` and `"no"` from Compose are not kept.',
      fix: 'Nothing for services and workers. A program meant to run once (migrations, seeding) is reported as WARN_IMPORT_ONE_SHOT instead.',
      example: 'restart: always   # imported as the module default, unless-stopped',
    },
  }),
  WARN_IMPORT_ONE_SHOT: entry({
    severity: 'warning', stage: 'cli', exit: 1, title: 'One-shot Compose service imported as a task, not all kept',
    template: "service '{service}' runs once ({why}); it becomes a task run on every apply, and {ordering}",
    explain: {
      cause: "The Compose service runs to completion (a migration or seed job: other services wait for `service_completed_successfully`, or it has `restart: \"no\"` and a profile) and becomes a `task` module; the services that waited for it start after it (`after:`). A task runs on every apply that changes the system and is never restarted, so a profile that kept it from running by default, or a restart policy, is not kept. `lost` lists them.",
      fix: 'Make the task idempotent (safe to run on every apply), or remove the module when it should only run by hand.',
      example: 'seed: { image: app, command: ["npm", "run", "seed"], restart: "no", profiles: [demo] }',
    },
  }),
  ERR_INTERNAL: entry({
    severity: 'error', stage: 'internal', exit: 3, title: 'Internal error',
    template: 'internal error: {detail}',
    explain: {
      cause: 'A bug in aninfra, not in your spec.',
      fix: 'Rerun with --debug and report the stack trace with the spec that caused it.',
      example: 'aninfra plan --debug',
    },
  }),
} as const satisfies Record<string, CatalogEntry>;

export type Code = keyof typeof catalog;

export function isCode(value: string): value is Code {
  return Object.prototype.hasOwnProperty.call(catalog, value);
}

/**
 * The exit code a code brings about on its own: an error's `exit`; 0 for warnings and notes,
 * which never change a command's exit code (what `explain` and the generated docs state).
 */
export function exitCodeOf(code: Code): number {
  const e: CatalogEntry = catalog[code];
  return e.severity === 'error' ? e.exit : 0;
}
