import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** One Cairn per CAIRN_HOME: a second one would fight the first over the embedded database. */
export class HomeLock {
  private constructor(private readonly file: string) {}

  static async acquire(home: string): Promise<HomeLock> {
    await mkdir(home, { recursive: true });
    const file = path.join(home, 'cairn.pid');
    const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new Error(`Another Cairn (pid ${holder}) is already running with CAIRN_HOME=${home}. Stop it, or choose another --home.`);
    }
    await writeFile(file, `${process.pid}\n`);
    return new HomeLock(file);
  }

  release(): Promise<void> {
    return rm(this.file, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
