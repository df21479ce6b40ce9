import { endianness } from 'node:os';
import { ProtoWriter } from './protobuf.js';

/**
 * The parts of ONNX's ModelProto (onnx/onnx.proto, IR version 8) a feed-forward model needs,
 * as plain objects, and their encoding. Field numbers are onnx.proto's; repeated scalars are
 * written unpacked, which every proto2 and proto3 reader accepts.
 */

/** Opset 17 (ONNX 1.12, 2022): what Debian's python3-onnx checks and every current runtime runs. */
export const ONNX_OPSET = 17;
export const ONNX_IR_VERSION = 8;

export type OnnxAttribute = { int: number } | { ints: readonly number[] } | { float: number } | { floats: readonly number[] } | { string: string };

export interface OnnxNode {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name: string;
  attributes?: Readonly<Record<string, OnnxAttribute>>;
}

export type OnnxTensor =
  | { name: string; dims: readonly number[]; type: 'float'; values: Float32Array }
  | { name: string; dims: readonly number[]; type: 'int64'; values: BigInt64Array };

/** A graph input or output: float32 with a shape whose strings are symbolic (dynamic) dimensions. */
export interface OnnxValueInfo {
  name: string;
  shape: readonly (number | string)[];
  doc?: string;
}

export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
}

export interface OnnxModel {
  graph: OnnxGraph;
  producer: { name: string; version: string };
  doc: string;
  /** metadata_props: what ONNX Runtime's custom_metadata_map returns. */
  metadata: Readonly<Record<string, string>>;
}

const DATA_TYPE = { float: 1, int64: 7 } as const;
const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, floats: 6, ints: 7 } as const;

export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter()
    .varint(1, ONNX_IR_VERSION)
    .string(2, model.producer.name)
    .string(3, model.producer.version)
    .string(6, model.doc)
    .message(7, graph(model.graph))
    .message(8, new ProtoWriter().string(1, '').varint(2, ONNX_OPSET));
  for (const [key, value] of Object.entries(model.metadata)) w.message(14, new ProtoWriter().string(1, key).string(2, value));
  return w.finish();
}

function graph(g: OnnxGraph): ProtoWriter {
  const w = new ProtoWriter();
  for (const n of g.nodes) w.message(1, node(n));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, tensor(t));
  for (const v of g.inputs) w.message(11, valueInfo(v));
  for (const v of g.outputs) w.message(12, valueInfo(v));
  return w;
}

function node(n: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const input of n.inputs) w.string(1, input);
  for (const output of n.outputs) w.string(2, output);
  w.string(3, n.name).string(4, n.op);
  for (const [name, value] of Object.entries(n.attributes ?? {})) w.message(5, attribute(name, value));
  return w;
}

function attribute(name: string, a: OnnxAttribute): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  if ('int' in a) w.varint(3, a.int).varint(20, ATTRIBUTE_TYPE.int);
  else if ('float' in a) w.float(2, a.float).varint(20, ATTRIBUTE_TYPE.float);
  else if ('string' in a) w.string(4, a.string).varint(20, ATTRIBUTE_TYPE.string);
  else if ('ints' in a) {
    for (const v of a.ints) w.varint(8, v);
    w.varint(20, ATTRIBUTE_TYPE.ints);
  } else {
    for (const v of a.floats) w.float(7, v);
    w.varint(20, ATTRIBUTE_TYPE.floats);
  }
  return w;
}

/** Values go in raw_data, which ONNX defines as little-endian. */
function tensor(t: OnnxTensor): ProtoWriter {
  if (endianness() !== 'LE') throw new Error('ONNX export needs a little-endian host');
  const expected = t.dims.reduce((n, d) => n * d, 1);
  if (t.values.length !== expected) throw new Error(`ONNX tensor ${t.name}: ${t.values.length} values for dims [${t.dims}]`);
  const w = new ProtoWriter();
  for (const d of t.dims) w.varint(1, d);
  w.varint(2, DATA_TYPE[t.type]).string(8, t.name);
  return w.bytes(9, new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength));
}

function valueInfo(v: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.shape) shape.message(1, typeof d === 'string' ? new ProtoWriter().string(2, d) : new ProtoWriter().varint(1, d));
  const tensorType = new ProtoWriter().varint(1, DATA_TYPE.float).message(2, shape);
  const w = new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensorType));
  if (v.doc) w.string(3, v.doc);
  return w;
}
