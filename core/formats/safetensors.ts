import { DatasetFileError } from '../common/util/file-error.js';

/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N, N
 * bytes of JSON `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string:
 * string}}` padded with spaces to a multiple of 8, then the tensor bytes (little-endian, C order)
 * with offsets relative to the end of the header. PyTorch, JAX and numpy read it without
 * executing anything, unlike pickles.
 */
export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';

export interface SafetensorsTensor {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** Raw little-endian bytes, C order. */
  data: Uint8Array;
}

export interface SafetensorsFile {
  tensors: SafetensorsTensor[];
  metadata: Record<string, string>;
}

const DTYPE_BYTES: Record<SafetensorsDtype, number> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
};

const METADATA_KEY = '__metadata__';
// The reference implementation refuses larger headers; a bigger claimed length means a damaged file.
const MAX_HEADER_BYTES = 100_000_000;

function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/**
 * Tensors are laid out by descending element size, then name, as the reference writer does, so
 * every tensor starts at an offset aligned to its element size (the header is padded to 8).
 */
export function encodeSafetensors(tensors: readonly SafetensorsTensor[], metadata?: Record<string, string>): Uint8Array {
  const seen = new Set<string>();
  for (const t of tensors) {
    if (t.name === METADATA_KEY) throw new Error(`safetensors: tensor name "${METADATA_KEY}" is reserved`);
    if (seen.has(t.name)) throw new Error(`safetensors: duplicate tensor name "${t.name}"`);
    seen.add(t.name);
    if (!DTYPE_BYTES[t.dtype]) throw new Error(`safetensors: tensor ${t.name}: unknown dtype "${t.dtype}"`);
    if (!t.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new Error(`safetensors: tensor ${t.name}: shape ${JSON.stringify(t.shape)} is not a list of sizes`);
    }
    const expected = elementCount(t.shape) * DTYPE_BYTES[t.dtype];
    if (t.data.byteLength !== expected) {
      throw new Error(`safetensors: tensor ${t.name}: ${t.data.byteLength} bytes of data, shape and dtype need ${expected}`);
    }
  }
  const ordered = [...tensors].sort((a, b) => DTYPE_BYTES[b.dtype] - DTYPE_BYTES[a.dtype] || compareStrings(a.name, b.name));

  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header[METADATA_KEY] = metadata;
  let offset = 0;
  for (const t of ordered) {
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = Math.ceil(json.byteLength / 8) * 8;

  const out = new Uint8Array(8 + headerBytes + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.byteLength, 8 + headerBytes);
  let at = 8 + headerBytes;
  for (const t of ordered) {
    out.set(t.data, at);
    at += t.data.byteLength;
  }
  return out;
}

export interface SafetensorsEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** Byte range within the data section (after the header). */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  /** Bytes before the data section: 8 + the header length. */
  dataStart: number;
  entries: SafetensorsEntry[];
  metadata: Record<string, string>;
}

/** Bytes a reader needs from the start of a file to decode the header; `prefix` holds at least 8. */
export function safetensorsHeaderEnd(prefix: Uint8Array, source = 'safetensors data'): number {
  if (prefix.byteLength < 8) fail(source, `truncated: ${prefix.byteLength} bytes, too short for the 8-byte header length`);
  const claimed = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (claimed > BigInt(MAX_HEADER_BYTES)) fail(source, `header length ${claimed} is implausible (damaged file?)`);
  return 8 + Number(claimed);
}

/**
 * Parses the header from the first `safetensorsHeaderEnd` bytes (more may follow), checking each
 * entry on its own; how entries fit the data section is checked by decodeSafetensors.
 */
export function decodeSafetensorsHeader(bytes: Uint8Array, source = 'safetensors data'): SafetensorsHeader {
  const dataStart = safetensorsHeaderEnd(bytes, source);
  if (dataStart > bytes.byteLength) fail(source, `truncated: header needs ${dataStart - 8} bytes, only ${bytes.byteLength - 8} present`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart)));
  } catch (err) {
    fail(source, `header is not valid JSON: ${(err as Error).message}`);
  }
  if (!isPlainObject(header)) return fail(source, 'header is not a JSON object');
  const metadata = parseMetadata(header[METADATA_KEY], source);
  const entries = Object.entries(header)
    .filter(([name]) => name !== METADATA_KEY)
    .map(([name, info]) => parseEntry(name, info, source));
  return { dataStart, entries, metadata };
}

/**
 * Parses and checks a whole safetensors buffer. Tensor data are views into `bytes` (no copy).
 * Any inconsistency (truncation, offsets outside the data, overlapping or unclaimed bytes, a size
 * that does not match shape and dtype) is a DatasetFileError naming `source`.
 */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors data'): SafetensorsFile {
  const { dataStart, entries, metadata } = decodeSafetensorsHeader(bytes, source);
  const data = bytes.subarray(dataStart);
  const ordered = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expectedBegin = 0;
  for (const t of ordered) {
    if (t.begin < expectedBegin) fail(source, `tensor ${t.name}: data_offsets [${t.begin}, ${t.end}] overlap the previous tensor`);
    if (t.begin > expectedBegin) fail(source, `tensor ${t.name}: ${t.begin - expectedBegin} unclaimed bytes before it at offset ${expectedBegin}`);
    if (t.end > data.byteLength) {
      fail(source, `truncated: tensor ${t.name} ends at data byte ${t.end}, the data section has ${data.byteLength} bytes`);
    }
    expectedBegin = t.end;
  }
  if (expectedBegin !== data.byteLength) fail(source, `${data.byteLength - expectedBegin} bytes after the last tensor are not claimed by any`);
  const tensors = entries.map(({ name, dtype, shape, begin, end }) => ({ name, dtype, shape, data: data.subarray(begin, end) }));
  return { tensors, metadata };
}

function fail(source: string, reason: string): never {
  throw new DatasetFileError(source, reason);
}

function parseMetadata(value: unknown, source: string): Record<string, string> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) return fail(source, `${METADATA_KEY} is not an object`);
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') fail(source, `${METADATA_KEY}.${key} is not a string`);
  }
  return value as Record<string, string>;
}

function parseEntry(name: string, info: unknown, source: string): SafetensorsEntry {
  if (!isPlainObject(info)) return fail(source, `tensor ${name}: entry is not an object`);
  const { dtype, shape, data_offsets: offsets } = info;
  if (typeof dtype !== 'string' || !Object.hasOwn(DTYPE_BYTES, dtype)) fail(source, `tensor ${name}: unknown dtype ${JSON.stringify(dtype)}`);
  if (!Array.isArray(shape) || !shape.every(isSize)) fail(source, `tensor ${name}: shape ${JSON.stringify(shape)} is not a list of sizes`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isSize) || offsets[0] > offsets[1]) {
    fail(source, `tensor ${name}: data_offsets ${JSON.stringify(offsets)} are not [begin, end]`);
  }
  const [begin, end] = offsets as [number, number];
  const needed = elementCount(shape as number[]) * DTYPE_BYTES[dtype as SafetensorsDtype];
  if (end - begin !== needed) fail(source, `tensor ${name}: data_offsets span ${end - begin} bytes, ${dtype} ${JSON.stringify(shape)} needs ${needed}`);
  return { name, dtype: dtype as SafetensorsDtype, shape: shape as number[], begin, end };
}

function isSize(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) >= 0;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// Code-unit order, independent of the locale, so two machines write identical files.
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
