import type { HostTensor } from '../../formats/host-tensor.js';
import type { OnnxAttribute, OnnxNode, OnnxTensor } from './onnx-proto.js';

/**
 * Collects an ONNX graph's nodes and initializers. Every value is named once (a second use of a
 * name is a bug in the caller, so it throws); stored weights keep their torchvision names, so a
 * tool that lists the graph's initializers sees the names of model.safetensors.
 */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly names = new Set<string>();

  /** `tensors`: the model's entries in PyTorch's layout (OIHW convolutions, [out, in] linear weights). */
  constructor(private readonly tensors: ReadonlyMap<string, HostTensor>) {}

  /** A stored tensor as an initializer under its own name, added on first use. */
  weight(name: string): string {
    if (this.names.has(name)) return name;
    const t = this.tensors.get(name);
    if (!t) throw new Error(`ONNX export: missing parameter ${name}`);
    if (t.dtype !== 'float32') throw new Error(`ONNX export: parameter ${name} is ${t.dtype}, expected float32`);
    return this.initializer({ name, dims: t.shape, type: 'float', values: t.values });
  }

  /** The shape of a stored tensor (PyTorch's layout). */
  shapeOf(name: string): readonly number[] {
    const t = this.tensors.get(name);
    if (!t) throw new Error(`ONNX export: missing parameter ${name}`);
    return t.shape;
  }

  floats(name: string, dims: readonly number[], values: readonly number[]): string {
    return this.initializer({ name, dims, type: 'float', values: Float32Array.from(values) });
  }

  int64s(name: string, values: readonly number[]): string {
    return this.initializer({ name, dims: [values.length], type: 'int64', values: BigInt64Array.from(values.map(BigInt)) });
  }

  /** Adds one node with one output, named `output`; returns that name. */
  op(op: string, inputs: readonly string[], output: string, attributes?: Record<string, OnnxAttribute>): string {
    this.claim(output);
    this.nodes.push({ op, inputs, outputs: [output], name: output, attributes });
    return output;
  }

  private initializer(t: OnnxTensor): string {
    this.claim(t.name);
    this.initializers.push(t);
    return t.name;
  }

  private claim(name: string): void {
    if (this.names.has(name)) throw new Error(`ONNX export: value ${name} is defined twice`);
    this.names.add(name);
  }
}
