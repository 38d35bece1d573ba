// PGlite does not lock its data folder, and two processes on one folder silently lose rows.
// This lock file beside the folder lets exactly one process open it. The holder refreshes the
// file's mtime; a lock whose holder died (dead pid on this host, or no refresh for a while) is taken over.
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { StartupError } from '../startup-error.ts';

const REFRESH_EVERY_MS = 10_000;
const STALE_AFTER_MS = 45_000;

export class DataFolderLockedError extends StartupError {
  constructor(readonly dataDir: string, readonly holderPid: number) {
    super(
      `ฐานข้อมูลในเครื่อง (PGlite) ที่ ${dataDir} ถูกเปิดใช้อยู่โดยโปรเซส pid ${holderPid} ` +
        `— ให้หยุดโปรเซสนั้นก่อน (เช่น เซิร์ฟเวอร์ที่รันด้วย npm start) หรือตั้ง DATABASE_URL ให้ใช้ PostgreSQL ` +
        `(the embedded database folder is in use by pid ${holderPid})`,
    );
    this.name = 'DataFolderLockedError';
  }
}

export interface FolderLock {
  release(): void;
}

/** Locks this process holds; a lock file naming our own pid but not in here is stale (pid 1 in a restarted container). */
const heldByThisProcess = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockFilePathFor(dataDir: string): string {
  const resolved = path.resolve(dataDir);
  return path.join(path.dirname(resolved), `${path.basename(resolved)}.lock`);
}

function holderOf(lockPath: string, nowMs: number): number | undefined {
  let holder: { pid?: number; host?: string };
  let ageMs: number;
  try {
    holder = JSON.parse(readFileSync(lockPath, 'utf8')) as typeof holder;
    ageMs = nowMs - statSync(lockPath).mtimeMs;
  } catch {
    return undefined; // gone or half-written: stale
  }
  if (typeof holder.pid !== 'number' || ageMs > STALE_AFTER_MS) return undefined;
  if (holder.pid === process.pid) return heldByThisProcess.has(lockPath) ? holder.pid : undefined;
  if (holder.host && holder.host !== hostname()) return holder.pid; // fresh, on another machine
  return isAlive(holder.pid) ? holder.pid : undefined;
}

/** Takes the folder's lock or throws DataFolderLockedError. */
export function acquireDataFolderLock(dataDir: string): FolderLock {
  const lockPath = lockFilePathFor(dataDir);
  mkdirSync(path.dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      closeSync(fd);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = holderOf(lockPath, Date.now());
      if (holder !== undefined) throw new DataFolderLockedError(dataDir, holder);
      try {
        unlinkSync(lockPath);
      } catch {
        // someone else removed the stale lock first; try again
      }
      continue;
    }
    heldByThisProcess.add(lockPath);
    const refresher = setInterval(() => {
      try {
        const now = new Date();
        utimesSync(lockPath, now, now);
      } catch {
        // the file vanished; release() below still cleans up
      }
    }, REFRESH_EVERY_MS);
    refresher.unref();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      clearInterval(refresher);
      heldByThisProcess.delete(lockPath);
      try {
        unlinkSync(lockPath);
      } catch {
        // already gone
      }
      process.off('exit', release);
    };
    process.on('exit', release);
    return { release };
  }
  throw new Error(`could not take the lock ${lockPath}`);
}
