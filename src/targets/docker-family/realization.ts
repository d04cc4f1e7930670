/**
 * How the docker family (docker, compose) realizes each design kind and field: one sentence each,
 * shown per module by `modules describe` and the generated docs. `secret` differs between the two
 * (Pulumi generates it; Compose receives it from the engine), so each target passes its own.
 */
import type { Realization } from '../../compiler/emit/target.js';

export function dockerFamilyRealization(secret: string): Realization {
  return {
    workload:
      'one container per replica on the system network, reachable by the module name (a network alias), health-checked from the probes, published on 127.0.0.1 only; an nginx load balancer container in front when it runs more than one replica',
    store: 'one container with its data on a named volume (`<system>--<module>--data`), reachable by the module name, health-gated before its users start',
    gateway: 'one nginx container whose generated routes resolve the modules through Docker\'s DNS, published on 127.0.0.1:<port>',
    schedule: 'one container whose loop runs the command on the schedule (checked once a minute, UTC), one run at a time',
    task: 'one container with restart `no`, run again only when its own inputs change (image, command, env, mounts, dependencies; label `aninfra.task-inputs`); the containers after it are created only once it exited 0 (compose: `depends_on: service_completed_successfully`; docker: run attached, dependants gated on its exit code), a non-zero exit fails the apply (ERR_ENGINE_TASK_FAILED)',
    secret,
    volume: 'a named Docker volume `<system>--<module>--<purpose>`, kept when the spec says so',
    image: 'pulled by reference (through the spec\'s images: mapping), or built from the module\'s directory and tagged `<system>--<module>:<content hash>`',
    'host-directory': 'a bind mount of a directory of the applying machine, relative to the spec file',
    replicas: 'that many containers behind one nginx load balancer container; a gateway runs one (WARN_TARGET_GATEWAY_SINGLE)',
    autoscale: 'no scaling on load: runs `min` replicas (WARN_TARGET_AUTOSCALE_FIXED)',
    resources: 'not reserved or limited (WARN_TARGET_RESOURCES_IGNORED)',
    availability: 'one instance on one host whatever the level; `high` warns (WARN_TARGET_AVAILABILITY_SINGLE_HOST)',
    backup: 'a backup container running the store\'s own image and dump tool on the schedule, writing `<module>-<UTC timestamp>.<ext>` to a kept volume `<system>--<module>--backups` and keeping the `retain` newest (`aninfra backups`, `aninfra restore`)',
  };
}
