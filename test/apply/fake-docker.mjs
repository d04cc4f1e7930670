#!/usr/bin/env node
// A fake `docker` CLI for the operation tests (ANINFRA_DOCKER points here): it keeps containers,
// networks, volumes and images in the JSON file $FAKE_DOCKER_STATE, answers the commands aninfra
// runs, and logs every call. `up` creates what the compose file declares; `failUp`/`failDown` in
// the state make those commands fail with the given stderr.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

const file = process.env.FAKE_DOCKER_STATE;
const state = JSON.parse(readFileSync(file, 'utf8'));
state.containers ??= [];
state.networks ??= {};
state.volumes ??= {};
state.images ??= {};
state.calls ??= [];
const args = process.argv.slice(2);
state.calls.push(args);
let code = 0;
const out = [];
const err = [];
// Atomic, so a call running in parallel (aninfra inspects networks and volumes at once) never reads half a file.
const save = () => {
  const temp = `${file}.${process.pid}`;
  writeFileSync(temp, JSON.stringify(state, null, 2));
  renameSync(temp, file);
};
const labelFilters = () => args.flatMap((a, i) => (args[i - 1] === '--filter' && a.startsWith('label=') ? [a.slice(6).split('=')] : []));
const matches = (labels) => labelFilters().every(([k, v]) => (v === undefined ? k in labels : labels[k] === v));
const formatOwner = (name, labels) => `${name}\t${labels['aninfra.owner'] ?? '<no value>'}`;
const after = (flag) => args[args.indexOf(flag) + 1];
const positional = (from) => args.slice(from).filter((a, i, all) => !a.startsWith('--') && !['--format', '--filter'].includes(all[i - 1]));

const [cmd, sub] = args;
if (cmd === 'info') out.push('24.0.0');
else if (cmd === 'compose') compose(args.slice(1));
else if (cmd === 'ps') {
  const list = state.containers.filter((c) => matches(c.labels));
  if (args.includes('-q')) out.push(...list.map((c) => c.id));
  else out.push(...list.map((c) => formatOwner(c.name, c.labels)));
} else if (cmd === 'inspect') {
  const ids = positional(1);
  const list = ids.map((id) => state.containers.find((c) => c.id === id)).filter(Boolean);
  out.push(
    JSON.stringify(
      list.map((c) => ({
        Id: c.id,
        Name: `/${c.name}`,
        RestartCount: c.restartCount ?? 0,
        Config: { Image: c.image ?? 'img', Env: c.env ?? [], Labels: c.labels, Healthcheck: c.health === 'none' ? undefined : { Test: ['CMD', 'true'] } },
        State: { Status: c.state, ExitCode: 0, StartedAt: '2026-01-01T00:00:00Z', ...(c.health === 'none' ? {} : { Health: { Status: c.health } }) },
        NetworkSettings: { Ports: {}, Networks: {} },
      })),
    ),
  );
  if (list.length < ids.length) code = 1;
} else if (cmd === 'network' || cmd === 'volume') {
  const store = cmd === 'network' ? state.networks : state.volumes;
  if (sub === 'ls') out.push(...Object.entries(store).filter(([, l]) => matches(l)).map(([n, l]) => formatOwner(n, l)));
  else if (sub === 'inspect') {
    for (const name of positional(2)) {
      if (!(name in store)) {
        err.push(`Error: No such ${cmd}: ${name}`);
        code = 1;
      } else out.push(after('--format').includes('json') ? JSON.stringify(store[name]) : name);
    }
  } else if (sub === 'rm') for (const name of positional(2)) delete store[name];
} else if (cmd === 'image' && sub === 'inspect') {
  const ref = positional(2)[0];
  if (ref in state.images) {
    const l = state.images[ref];
    out.push([l['aninfra.context-hash'] ?? '', l['aninfra.system'] ?? '', l['aninfra.owner'] ?? ''].join(' '));
  } else code = 1;
} else if (cmd === 'images') out.push(...Object.entries(state.images).filter(([, l]) => matches(l)).map(([ref, l]) => `${l.id ?? ref}\t${ref}`));
else if (cmd === 'rm') state.containers = state.containers.filter((c) => !positional(1).includes(c.id));
else if (cmd === 'rmi') for (const ref of positional(1)) delete state.images[ref];
else if (cmd === 'build') {
  const labels = {};
  args.forEach((a, i) => {
    if (args[i - 1] === '--label') {
      const [k, ...v] = a.split('=');
      labels[k] = v.join('=');
    }
  });
  state.images[after('-t')] = labels;
} else if (cmd === 'logs') out.push('');
save();
if (out.length) process.stdout.write(out.join('\n') + '\n');
if (err.length) process.stderr.write(err.join('\n') + '\n');
process.exit(code);

function compose(rest) {
  if (rest[0] === 'version') {
    out.push('2.24.0');
    return;
  }
  const project = rest[rest.indexOf('-p') + 1];
  const doc = parse(readFileSync(rest[rest.indexOf('-f') + 1], 'utf8'));
  const action = rest.find((a) => a === 'up' || a === 'down');
  if (action === 'up') {
    if (state.failUp) {
      err.push(state.failUp);
      code = 1;
      return;
    }
    for (const [name, n] of Object.entries(doc.networks ?? {})) state.networks[n.name ?? name] ??= n.labels ?? {};
    for (const [name, v] of Object.entries(doc.volumes ?? {})) state.volumes[v.name ?? name] ??= v.labels ?? {};
    for (const [service, s] of Object.entries(doc.services ?? {})) {
      const existing = state.containers.find((c) => c.labels['com.docker.compose.project'] === project && c.labels['com.docker.compose.service'] === service);
      if (existing && !rest.includes('--force-recreate') && existing.state === 'running') continue;
      state.containers = state.containers.filter((c) => c !== existing);
      state.containers.push({
        id: `${project}-${service}-${state.calls.length}`.padEnd(64, '0'),
        name: `${project}-${service}-1`,
        image: s.image,
        // As Compose passes it: `$$` is a dollar, `${VAR}` the variable of compose's environment.
        env: Object.entries(s.environment ?? {}).map(([k, v]) => `${k}=${String(v).replace(/\$\$|\$\{([A-Za-z0-9_]+)\}/g, (m, name) => (name ? (process.env[name] ?? '') : '$'))}`),
        labels: { ...(s.labels ?? {}), 'com.docker.compose.project': project, 'com.docker.compose.service': service },
        state: 'running',
        health: s.healthcheck ? 'healthy' : 'none',
        // `upAs` in the state: how `up` leaves a service's container (e.g. crash-looping under its restart policy).
        ...(state.upAs?.[service] ?? {}),
      });
    }
  } else if (action === 'down') {
    if (state.failDown) {
      err.push(state.failDown);
      code = 1;
      return;
    }
    state.containers = state.containers.filter((c) => c.labels['com.docker.compose.project'] !== project);
    for (const [name, n] of Object.entries(doc.networks ?? {})) delete state.networks[n.name ?? name];
  }
}
