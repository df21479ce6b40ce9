import * as fs from 'node:fs';
import { DatasetFileError } from '../../common/util/file-error.js';

/** Bytes of a TIFF: what was read so far plus, for files, a way to read further. */
export interface TiffBytes {
  /** Path or a label for in-memory data; used in error messages. */
  file: string;
  /** The first bytes of the file (all of it when `head.length === size`). */
  head: Uint8Array;
  size: number;
  /** Reads `length` bytes at `offset`; only called for ranges beyond `head`. */
  readAt(offset: number, length: number): Uint8Array;
}

const FS_REASONS: Record<string, string> = {
  ENOENT: 'file not found',
  EACCES: 'cannot read: permission denied',
  EPERM: 'cannot read: permission denied',
  EISDIR: 'cannot read: is a directory',
  ELOOP: 'cannot read: too many symbolic links',
};

function fsError(file: string, err: unknown): DatasetFileError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const reason = FS_REASONS[code] ?? `cannot read: ${(err as Error).message}`;
  return new DatasetFileError(file, reason);
}

export function memoryBytes(bytes: Uint8Array, label = '<memory>'): TiffBytes {
  return {
    file: label,
    head: bytes,
    size: bytes.length,
    readAt: (offset, length) => bytes.subarray(offset, offset + length),
  };
}

/**
 * `length` bytes at `offset`, which the caller has checked lie inside the file. `fresh` says
 * whether they were read into a new buffer (the caller may write to it) or are a view of bytes
 * the TiffBytes holds (the caller must copy before writing).
 */
export function readRange(bytes: TiffBytes, offset: number, length: number): { data: Uint8Array; fresh: boolean } {
  if (offset + length <= bytes.head.length) return { data: bytes.head.subarray(offset, offset + length), fresh: false };
  const data = bytes.readAt(offset, length);
  if (data.length < length) throw new DatasetFileError(bytes.file, `truncated: bytes ${offset}..${offset + length} could not be read (the file has ${bytes.size} bytes)`);
  return { data, fresh: bytes.head.length < bytes.size };
}

/**
 * The whole file in one read (tests and small in-memory uses; readers of data set files read
 * only the ranges the header names, see withFileHead). Sync I/O on purpose: files are at most a few MB, callers run in
 * worker threads, and one read(2) beats the thread-pool round trips of fs.promises.
 */
export function readWholeFile(file: string): TiffBytes {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw fsError(file, err);
  }
  return memoryBytes(bytes, file);
}

/**
 * Runs `use` with the first `headBytes` of a file; reads beyond them go to the open descriptor,
 * which is closed afterwards. Indexing reads headers of 180,000 files, so only the head is read.
 */
export async function withFileHead<T>(file: string, headBytes: number, use: (bytes: TiffBytes) => Promise<T>): Promise<T> {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    throw fsError(file, err);
  }
  try {
    let size: number;
    let head: Uint8Array;
    try {
      size = fs.fstatSync(fd).size;
      head = readFd(fd, 0, Math.min(headBytes, size));
    } catch (err) {
      throw fsError(file, err);
    }
    const readAt = (offset: number, length: number): Uint8Array => {
      try {
        return readFd(fd, offset, length);
      } catch (err) {
        throw fsError(file, err);
      }
    };
    return await use({ file, head, size, readAt });
  } finally {
    fs.closeSync(fd);
  }
}

function readFd(fd: number, offset: number, length: number): Uint8Array {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buf, done, length - done, offset + done);
    if (n === 0) break;
    done += n;
  }
  return buf.subarray(0, done);
}
