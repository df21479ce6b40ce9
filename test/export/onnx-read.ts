/**
 * Reads back what the tests need from an ONNX file without a protobuf library: the fields of a
 * message, and ModelProto's metadata_props (what QGIS Deepness reads through onnxruntime's
 * custom_metadata_map, which onnxruntime-web does not expose).
 */

export type ProtoField = { field: number; wire: 0; value: bigint } | { field: number; wire: 5; value: number } | { field: number; wire: 2; value: Uint8Array };

export function readFields(bytes: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let at = 0;
  const varint = (): bigint => {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const b = bytes[at++];
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
  };
  while (at < bytes.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wire = key & 7;
    if (wire === 0) fields.push({ field, wire, value: varint() });
    else if (wire === 5) {
      fields.push({ field, wire, value: new DataView(bytes.buffer, bytes.byteOffset + at, 4).getFloat32(0, true) });
      at += 4;
    } else if (wire === 2) {
      const n = Number(varint());
      fields.push({ field, wire, value: bytes.subarray(at, at + n) });
      at += n;
    } else throw new Error(`unexpected wire type ${wire} at byte ${at}`);
  }
  return fields;
}

const text = (f: ProtoField | undefined) => (f?.wire === 2 ? new TextDecoder().decode(f.value) : '');

export function onnxMetadata(model: Uint8Array): Record<string, string> {
  const entries = readFields(model).filter((f): f is Extract<ProtoField, { wire: 2 }> => f.field === 14 && f.wire === 2);
  return Object.fromEntries(
    entries.map((e) => {
      const kv = readFields(e.value);
      return [text(kv.find((f) => f.field === 1)), text(kv.find((f) => f.field === 2))];
    }),
  );
}
