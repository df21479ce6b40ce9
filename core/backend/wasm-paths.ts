import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';

/**
 * The folder holding tfjs-backend-wasm's .wasm binaries, with a trailing separator as
 * setWasmPaths wants. Resolved from this module so it holds from core/ under the test runner
 * and from dist/core/ once built.
 */
export function wasmBinaryDir(): string {
  const main = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
  return dirname(main) + sep;
}
