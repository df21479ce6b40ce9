import * as tf from '@tensorflow/tfjs-core';
import { DatasetFileError } from '../common/util/file-error.js';
import type { HostTensor } from '../formats/host-tensor.js';

/**
 * Assigns stored values to variables (model parameters or optimizer slots) by name. The names
 * must match exactly and every shape must agree: a partial restore would resume silently wrong.
 * `source` (the checkpoint file) is named in errors.
 */
export function restoreParams(variables: ReadonlyMap<string, tf.Variable>, values: ReadonlyMap<string, HostTensor>, source: string): void {
  const missing = [...variables.keys()].filter((name) => !values.has(name));
  const unexpected = [...values.keys()].filter((name) => !variables.has(name));
  if (missing.length > 0 || unexpected.length > 0) {
    const parts = [
      missing.length > 0 ? `missing ${listed(missing)}` : '',
      unexpected.length > 0 ? `unexpected ${listed(unexpected)}` : '',
    ].filter(Boolean);
    throw new DatasetFileError(source, `tensors do not fit the model: ${parts.join('; ')}`);
  }
  for (const [name, variable] of variables) {
    const stored = values.get(name)!;
    if (stored.dtype !== variable.dtype || stored.shape.join(',') !== variable.shape.join(',')) {
      throw new DatasetFileError(source, `tensor ${name} is ${stored.dtype} [${stored.shape}], the model has ${variable.dtype} [${variable.shape}]`);
    }
  }
  for (const [name, variable] of variables) {
    const stored = values.get(name)!;
    tf.tidy(() => variable.assign(tf.tensor(stored.values, stored.shape, stored.dtype)));
  }
}

function listed(names: string[]): string {
  return names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
}
