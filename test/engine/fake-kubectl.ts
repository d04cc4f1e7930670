/**
 * A fake `kubectl` for the backup tests (ANINFRA_KUBECTL points at it): it answers the calls
 * src/engine/kube-backups.ts makes from files in its directory (pvc.json, sts.json, pods.json,
 * restore-phase, restore-logs), keeps the manifests it is asked to create, and logs every call to
 * `calls`, so a test can check that each helper pod it created was deleted.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SCRIPT = `#!/bin/sh
d="$FAKE_KUBE_DIR"
echo "$*" >> "$d/calls"
case "$*" in
  *"get --raw=/readyz"*) echo ok ;;
  *"get persistentvolumeclaims"*) cat "$d/pvc.json" ;;
  *"get statefulsets"*) cat "$d/sts.json" ;;
  *"get pods --namespace"*) cat "$d/pods.json" ;;
  *"create -f -"*)
    n=$(ls "$d" | grep -c '^created-')
    cat > "$d/created-$n.json"
    if grep -q '"generateName":"db-list-"' "$d/created-$n.json"; then printf 'db-list-%s' "$n"; else printf 'db-restore-%s' "$n"; fi ;;
  *"get pod db-list-"*) echo '{"metadata":{"name":"db-list"},"status":{"phase":"Succeeded"}}' ;;
  *"get pod db-restore-"*) printf '{"metadata":{"name":"db-restore"},"status":{"phase":"%s"}}\\n' "$(cat "$d/restore-phase")" ;;
  *"logs db-list-"*) cat "$d/listing" ;;
  *"logs db-restore-"*) cat "$d/restore-logs" ;;
  *"delete pod"*) : ;;
  *) echo "fake kubectl: unexpected call: $*" >&2; exit 3 ;;
esac
`;

export interface FakeCluster {
  readonly dir: string;
  /** Environment for the engine: ANINFRA_KUBECTL, KUBECONFIG (an existing file) and FAKE_KUBE_DIR. */
  readonly env: NodeJS.ProcessEnv;
}

export interface FakeState {
  /** The backup claim exists (in namespace `ns`). */
  readonly claim?: boolean;
  /** The store's StatefulSet exists. */
  readonly statefulSet?: boolean;
  /** The store's pod is ready. */
  readonly storeReady?: boolean;
  /** Phase the restore pod ends in ('Pending' never finishes). */
  readonly restorePhase?: 'Succeeded' | 'Failed' | 'Pending';
  readonly restoreLogs?: string;
  /** `name/size/mtime` lines the list pod prints. */
  readonly listing?: string;
}

export function fakeCluster(dir: string, system: string): FakeCluster {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'kubectl'), SCRIPT);
  chmodSync(join(dir, 'kubectl'), 0o755);
  writeFileSync(join(dir, 'kubeconfig'), 'apiVersion: v1\nkind: Config\n');
  setFakeState({ dir }, system, {});
  return { dir, env: { ...process.env, ANINFRA_KUBECTL: join(dir, 'kubectl'), KUBECONFIG: join(dir, 'kubeconfig'), FAKE_KUBE_DIR: dir } };
}

export function setFakeState(c: Pick<FakeCluster, 'dir'>, system: string, s: FakeState): void {
  const labels = { 'aninfra.managed-by': 'aninfra', 'aninfra.system': system, 'aninfra.module': 'db', 'aninfra.rule': 'store-backup' };
  const pvc = s.claim === false ? [] : [{ metadata: { name: 'db-backups', namespace: 'ns', labels } }];
  const sts =
    s.statefulSet === false
      ? []
      : [
          {
            metadata: { name: 'db', namespace: 'ns' },
            spec: {
              selector: { matchLabels: { 'aninfra.system': system, 'aninfra.module': 'db', 'aninfra.rule': 'store' } },
              template: {
                spec: {
                  containers: [
                    {
                      name: 'db',
                      image: 'local/postgres:bookworm',
                      imagePullPolicy: 'IfNotPresent',
                      env: [
                        { name: 'ANINFRA_S_DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-secrets', key: 'password' } } },
                        { name: 'POSTGRES_PASSWORD', value: '$(ANINFRA_S_DB_PASSWORD)' },
                        { name: 'POSTGRES_USER', value: 'app' },
                      ],
                    },
                  ],
                },
              },
            },
          },
        ];
  const ready = s.storeReady !== false;
  const pods = [{ metadata: { name: 'db-0', namespace: 'ns', labels: {} }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } }];
  writeFileSync(join(c.dir, 'pvc.json'), JSON.stringify({ items: pvc }));
  writeFileSync(join(c.dir, 'sts.json'), JSON.stringify({ items: sts }));
  writeFileSync(join(c.dir, 'pods.json'), JSON.stringify({ items: pods }));
  writeFileSync(join(c.dir, 'restore-phase'), s.restorePhase ?? 'Succeeded');
  writeFileSync(join(c.dir, 'restore-logs'), s.restoreLogs ?? '');
  writeFileSync(join(c.dir, 'listing'), s.listing ?? 'db-20260101T030000Z.sql.gz/120/1767236400\ndb-20260102T030000Z.sql.gz/130/1767322800\n');
}

/** The calls the fake got, one argv line each. */
export function fakeCalls(c: Pick<FakeCluster, 'dir'>): string[] {
  const file = join(c.dir, 'calls');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];
}

/** The manifests the fake was asked to create, oldest first. */
export function createdManifests(c: Pick<FakeCluster, 'dir'>): Record<string, unknown>[] {
  return readdirSync(c.dir)
    .filter((f) => /^created-\d+\.json$/.test(f))
    .sort((a, b) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')))
    .map((f) => JSON.parse(readFileSync(join(c.dir, f), 'utf8')) as Record<string, unknown>);
}
