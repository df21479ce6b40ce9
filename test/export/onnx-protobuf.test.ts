import { describe, expect, it } from 'vitest';
import { encodeOnnxModel } from '../../core/export/onnx/onnx-proto.js';
import { ProtoWriter } from '../../core/export/onnx/protobuf.js';
import { onnxMetadata, readFields } from './onnx-read.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('ProtoWriter', () => {
  it('writes the wire format: varints (negative as ten bytes), fixed32 floats, length-delimited strings and messages', () => {
    expect(hex(new ProtoWriter().varint(1, 150).finish())).toBe('089601');
    expect(hex(new ProtoWriter().varint(2, 0).finish())).toBe('1000');
    expect(hex(new ProtoWriter().varint(1, -1).finish())).toBe('08ffffffffffffffffff01');
    expect(hex(new ProtoWriter().varint(20, 7).finish())).toBe('a00107');
    expect(hex(new ProtoWriter().float(2, 1).finish())).toBe('150000803f');
    expect(hex(new ProtoWriter().string(2, 'testing').finish())).toBe('120774657374696e67');
    const inner = new ProtoWriter().varint(1, 150);
    expect(hex(new ProtoWriter().message(3, inner).finish())).toBe('1a03089601');
    expect(() => new ProtoWriter().varint(0, 1)).toThrow(/field number must be a positive integer/);
  });
});

describe('encodeOnnxModel', () => {
  it('writes IR version 8, opset 17, the graph and metadata_props', () => {
    const bytes = encodeOnnxModel({
      graph: {
        name: 'g',
        nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'], name: 'y' }],
        initializers: [],
        inputs: [{ name: 'x', shape: ['N', 3] }],
        outputs: [{ name: 'y', shape: ['N', 3] }],
      },
      producer: { name: 'p', version: '1' },
      doc: 'd',
      metadata: { model_type: '"Recognition"', tile_size: '256' },
    });
    const fields = readFields(bytes);
    expect(fields.find((f) => f.field === 1)).toEqual({ field: 1, wire: 0, value: 8n });
    const opset = fields.find((f) => f.field === 8)!;
    expect(readFields(opset.value as Uint8Array)).toContainEqual({ field: 2, wire: 0, value: 17n });
    expect(onnxMetadata(bytes)).toEqual({ model_type: '"Recognition"', tile_size: '256' });
  });

  it('refuses a tensor whose values do not fill its dims', () => {
    const graph = { name: 'g', nodes: [], inputs: [], outputs: [], initializers: [{ name: 'w', dims: [2, 2], type: 'float' as const, values: new Float32Array(3) }] };
    expect(() => encodeOnnxModel({ graph, producer: { name: 'p', version: '1' }, doc: '', metadata: {} })).toThrow(/ONNX tensor w: 3 values for dims \[2,2\]/);
  });
});
