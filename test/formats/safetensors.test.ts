import { describe, expect, it } from 'vitest';
import { DatasetFileError } from '../../core/common/util/file-error.js';
import { decodeSafetensors, decodeSafetensorsHeader, encodeSafetensors, type SafetensorsTensor } from '../../core/formats/safetensors.js';

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

const sample: SafetensorsTensor[] = [
  { name: 'b.weight', dtype: 'F32', shape: [2, 3], data: bytesOf(new Float32Array([1, 2, 3, 4, 5, 6.5])) },
  { name: 'a.count', dtype: 'I64', shape: [], data: bytesOf(new BigInt64Array([42n])) },
  { name: 'mask', dtype: 'U8', shape: [3], data: new Uint8Array([1, 0, 1]) },
  { name: 'empty', dtype: 'F32', shape: [0, 4], data: new Uint8Array(0) },
];

/** A file assembled by hand from the format description, not by our encoder. */
function handMade(header: object, data: Uint8Array, pad = true): Uint8Array {
  let json = JSON.stringify(header);
  if (pad) json = json.padEnd(Math.ceil(json.length / 8) * 8, ' ');
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  out.set(data, 8 + head.length);
  return out;
}

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DatasetFileError);
    return (err as DatasetFileError).reason;
  }
  throw new Error('expected a DatasetFileError');
}

describe('encodeSafetensors', () => {
  it('writes the documented layout: u64 LE header length, space-padded JSON, data at its offsets', () => {
    const bytes = encodeSafetensors(sample, { step: '7' });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(text).toMatch(/^\{.*\} *$/);
    const header = JSON.parse(text);
    expect(header.__metadata__).toEqual({ step: '7' });
    const data = bytes.subarray(8 + n);
    for (const t of sample) {
      const { dtype, shape, data_offsets: [begin, end] } = header[t.name];
      expect({ dtype, shape }).toEqual({ dtype: t.dtype, shape: t.shape });
      expect(begin % (t.dtype === 'I64' ? 8 : t.dtype === 'F32' ? 4 : 1)).toBe(0);
      expect([...data.subarray(begin, end)]).toEqual([...t.data]);
    }
    expect(data.length).toBe(sample.reduce((s, t) => s + t.data.length, 0));
  });

  it('is deterministic whatever the input order', () => {
    expect(encodeSafetensors([...sample].reverse())).toEqual(encodeSafetensors(sample));
  });

  it('refuses duplicate names, the reserved name and data of the wrong size', () => {
    expect(() => encodeSafetensors([sample[0], sample[0]])).toThrow(/duplicate tensor name "b.weight"/);
    expect(() => encodeSafetensors([{ ...sample[2], name: '__metadata__' }])).toThrow(/reserved/);
    expect(() => encodeSafetensors([{ ...sample[0], shape: [3, 3] }])).toThrow(/b.weight: 24 bytes of data, shape and dtype need 36/);
  });
});

describe('decodeSafetensors', () => {
  it('round-trips tensors and metadata', () => {
    const { tensors, metadata } = decodeSafetensors(encodeSafetensors(sample, { a: 'x', b: '{"json":1}' }));
    expect(metadata).toEqual({ a: 'x', b: '{"json":1}' });
    const byName = new Map(tensors.map((t) => [t.name, t]));
    for (const t of sample) {
      const got = byName.get(t.name)!;
      expect({ dtype: got.dtype, shape: got.shape, data: [...got.data] }).toEqual({ dtype: t.dtype, shape: t.shape, data: [...t.data] });
    }
  });

  it('reads a hand-made file, unpadded header and no metadata included', () => {
    const data = bytesOf(new Float32Array([0.25, -1]));
    const file = handMade({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, data, false);
    const { tensors, metadata } = decodeSafetensors(file);
    expect(metadata).toEqual({});
    expect(tensors).toHaveLength(1);
    expect([...new Float32Array(tensors[0].data.slice().buffer)]).toEqual([0.25, -1]);
  });

  it('refuses truncated files, naming the source', () => {
    const bytes = encodeSafetensors(sample);
    expect(reasonOf(() => decodeSafetensors(bytes.subarray(0, 5), 'ck.safetensors'))).toMatch(/^truncated: 5 bytes/);
    expect(reasonOf(() => decodeSafetensors(bytes.subarray(0, 20)))).toMatch(/^truncated: header needs/);
    expect(reasonOf(() => decodeSafetensors(bytes.subarray(0, bytes.length - 3)))).toMatch(/^truncated: tensor \S+ ends at data byte/);
    expect(() => decodeSafetensors(bytes.subarray(0, 5), 'ck.safetensors')).toThrow(/^ck\.safetensors: truncated/);
  });

  it('refuses offsets that overlap, leave gaps, run out of range or disagree with shape and dtype', () => {
    const eight = new Uint8Array(8);
    const overlap = { a: { dtype: 'U8', shape: [6], data_offsets: [0, 6] }, b: { dtype: 'U8', shape: [4], data_offsets: [4, 8] } };
    expect(reasonOf(() => decodeSafetensors(handMade(overlap, eight)))).toMatch(/tensor b: data_offsets \[4, 8\] overlap/);
    const gap = { a: { dtype: 'U8', shape: [2], data_offsets: [0, 2] }, b: { dtype: 'U8', shape: [4], data_offsets: [4, 8] } };
    expect(reasonOf(() => decodeSafetensors(handMade(gap, eight)))).toMatch(/tensor b: 2 unclaimed bytes/);
    const beyond = { a: { dtype: 'U8', shape: [16], data_offsets: [0, 16] } };
    expect(reasonOf(() => decodeSafetensors(handMade(beyond, eight)))).toMatch(/truncated: tensor a ends at data byte 16/);
    const trailing = { a: { dtype: 'U8', shape: [4], data_offsets: [0, 4] } };
    expect(reasonOf(() => decodeSafetensors(handMade(trailing, eight)))).toMatch(/4 bytes after the last tensor/);
    const mismatch = { a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } };
    expect(reasonOf(() => decodeSafetensors(handMade(mismatch, eight)))).toMatch(/tensor a: data_offsets span 8 bytes, F32 \[3\] needs 12/);
    const reversed = { a: { dtype: 'U8', shape: [0], data_offsets: [8, 0] } };
    expect(reasonOf(() => decodeSafetensors(handMade(reversed, eight)))).toMatch(/are not \[begin, end\]/);
  });

  it('refuses a damaged header', () => {
    expect(reasonOf(() => decodeSafetensors(handMade({ a: { dtype: 'Q7', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1))))).toMatch(/unknown dtype "Q7"/);
    expect(reasonOf(() => decodeSafetensors(handMade({ __metadata__: { n: 1 } }, new Uint8Array(0))))).toMatch(/__metadata__.n is not a string/);
    const bytes = encodeSafetensors(sample);
    bytes[9] = 0x7b; // a second "{" breaks the JSON
    expect(reasonOf(() => decodeSafetensors(bytes))).toMatch(/header is not valid JSON/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 1n << 40n, true);
    expect(reasonOf(() => decodeSafetensors(huge))).toMatch(/implausible/);
  });

  it('decodes the header alone from a prefix of the file', () => {
    const bytes = encodeSafetensors(sample, { k: 'v' });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = decodeSafetensorsHeader(bytes.subarray(0, 8 + n));
    expect(header.metadata).toEqual({ k: 'v' });
    expect(header.entries.map((e) => e.name).sort()).toEqual(sample.map((t) => t.name).sort());
  });
});
