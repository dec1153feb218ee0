import { Logger } from '@nestjs/common';
import { CairnError, ErrorCode, invalidParameter } from '@cairn/contracts';
import { RangeNotSatisfiableError } from '../artifact-store';

const logger = new Logger('DiskArtifactStore');

const UNAVAILABLE: Record<string, string> = {
  EACCES: 'refused access',
  EPERM: 'refused access',
  EROFS: 'is read-only',
  ENOSPC: 'is full',
  EDQUOT: 'is over quota',
  EIO: 'had an I/O error',
  EMFILE: 'has too many open files',
  ENFILE: 'has too many open files',
  ESTALE: 'is unreachable',
  ETIMEDOUT: 'is unreachable',
};

export const errnoOf = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

/** A file-system error as a domain error; what the client sees never names a server path. */
export function diskError(err: unknown, key: string): Error {
  if (err instanceof CairnError || err instanceof RangeNotSatisfiableError) return err;
  const code = errnoOf(err);
  if (code === 'ENAMETOOLONG') return invalidParameter('Invalid path');
  if (code === 'ENOTDIR' || code === 'EEXIST') return invalidParameter(`Cannot write artifact '${key}': a parent of it is a file`);
  if (code === 'EISDIR' || code === 'ENOTEMPTY') return invalidParameter(`Cannot write artifact '${key}': it is a directory`);
  const reason = code ? UNAVAILABLE[code] : undefined;
  if (reason) {
    logger.warn(`artifact store on local disk ${reason}: ${(err as Error).message}`);
    return new CairnError(ErrorCode.TEMPORARILY_UNAVAILABLE, `The artifact store (local disk) ${reason} (${code}); try again later.`);
  }
  return err instanceof Error ? err : new Error(String(err));
}
