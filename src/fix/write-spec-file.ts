/**
 * Writing a fixed spec back so the file stays the file it was (issue 9 item 24): a symlinked spec
 * is written through the link to its target, never replaced by a regular file, because the
 * target is the file `validate` read and the user edits; replacing the link would silently fork the
 * spec. (Safety: the CLI writes only what the user's own permissions allow on a path they named, and
 * the MCP server hands in a path already resolved inside its workdir.)
 *
 * The target keeps its mode and owner: the new text goes to a temporary file beside the target,
 * which gets the target's mode and owner before it is renamed over it, so readers see the old or the
 * new file, never half of either. Where the owner cannot be given to the new file (no privilege
 * to chown) or the target has other hard links, which a rename would cut, the text is written
 * into the existing file instead: same inode, owner, mode and links, without the atomic swap.
 */
import { closeSync, fchmodSync, fchownSync, fsyncSync, ftruncateSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function writeSpecFile(path: string, text: string): void {
  const target = realpathSync(path);
  const st = statSync(target);
  if (st.nlink > 1 || !replaceAtomically(target, text, st)) writeInPlace(target, text);
}

function replaceAtomically(target: string, text: string, st: { mode: number; uid: number; gid: number }): boolean {
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    if (st.uid !== process.getuid?.() || st.gid !== process.getgid?.()) {
      try {
        fchownSync(fd, st.uid, st.gid);
      } catch {
        closeSync(fd);
        rmSync(temp, { force: true });
        return false;
      }
    }
    // After chown, which clears set-id bits.
    fchmodSync(fd, st.mode & 0o7777);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(temp, { force: true });
    throw e;
  }
  renameSync(temp, target);
  return true;
}

function writeInPlace(target: string, text: string): void {
  const fd = openSync(target, 'r+');
  try {
    const bytes = Buffer.from(text, 'utf8');
    writeSync(fd, bytes, 0, bytes.length, 0);
    ftruncateSync(fd, bytes.length);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
