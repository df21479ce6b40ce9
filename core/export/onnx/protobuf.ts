/**
 * The protocol buffers wire format, writing only: what the ONNX file needs (varints, 32-bit
 * floats, length-delimited bytes and nested messages). A message is built as a list of chunks so
 * that large tensors are copied once, into the final buffer.
 */

const WIRE_VARINT = 0;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  get byteLength(): number {
    return this.length;
  }

  /** An int32/int64/enum/bool field; negative values take ten bytes, as in every protobuf encoder. */
  varint(field: number, value: number | bigint | boolean): this {
    this.tag(field, WIRE_VARINT);
    return this.rawVarint(BigInt.asUintN(64, BigInt(value)));
  }

  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    return this.push(bytes);
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_BYTES);
    this.rawVarint(BigInt(value.byteLength));
    return this.push(value);
  }

  message(field: number, value: ProtoWriter): this {
    this.tag(field, WIRE_BYTES);
    this.rawVarint(BigInt(value.length));
    for (const chunk of value.chunks) this.push(chunk);
    return this;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.byteLength;
    }
    return out;
  }

  private tag(field: number, wire: number): void {
    if (!Number.isInteger(field) || field < 1) throw new RangeError(`protobuf field number must be a positive integer, got ${field}`);
    this.rawVarint(BigInt(field * 8 + wire));
  }

  private rawVarint(value: bigint): this {
    const bytes: number[] = [];
    let v = value;
    do {
      const low = Number(v & 0x7fn);
      v >>= 7n;
      bytes.push(v > 0n ? low | 0x80 : low);
    } while (v > 0n);
    return this.push(Uint8Array.from(bytes));
  }

  private push(bytes: Uint8Array): this {
    this.chunks.push(bytes);
    this.length += bytes.byteLength;
    return this;
  }
}
