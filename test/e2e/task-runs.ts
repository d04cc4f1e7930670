/**
 * The spec the task-rerun suites share (compose with both CLIs, docker with Pulumi): a task appends
 * one row per run into postgres (its tag), a worker `after:` it reads the table; the rows are the
 * count of runs. Not a test file: imported by compose-task-reruns and docker-task e2e tests.
 */
import { dockerLines } from '../helpers/e2e.js';

export function taskSpec(system: string, target: 'compose' | 'docker', o: { tag: string; readerNote?: string; fail?: boolean }): string {
  const script = o.fail
    ? 'echo "migration failed on purpose" >&2; exit 1'
    : `psql "$DB_URL" -v ON_ERROR_STOP=1 -c "create table if not exists runs (tag text)" -c "insert into runs values ('${o.tag}')"`;
  const read = `echo ${o.readerNote ?? 'reader'}; psql "$DB_URL" -At -c "select count(*) from runs" && exec sleep 100000`;
  return `apiVersion: aninfra/v1
kind: System
metadata: { name: ${system} }
target: ${target}
modules:
  db:
    type: postgres
  migrate:
    type: task
    with:
      runtime: image
      image: postgres:16
      command: [/bin/sh, -c, ${JSON.stringify(script)}]
    uses: [db]
  reader:
    type: worker
    with:
      runtime: image
      image: postgres:16
      command: [/bin/sh, -c, ${JSON.stringify(read)}]
      health: { command: [/bin/sh, -c, 'psql "$DB_URL" -At -c "select count(*) from runs"'] }
    uses: [db]
    after: [migrate]
`;
}

/** The tags of every run so far, in insertion order. */
export function runs(system: string): string[] {
  return dockerLines(['exec', `${system}--db`, 'psql', '-U', 'app', '-d', 'db', '-At', '-c', 'select tag from runs']);
}
