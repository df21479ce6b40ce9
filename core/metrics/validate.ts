/**
 * Checks on what enters the metrics (labels and scores from a model run, class names), so that a
 * wrong shape or value fails with the field that holds it instead of yielding a wrong number.
 */
import { showValue } from '../common/util/show-value.js';

export function fail(field: string, reason: string): never {
  throw new Error(`${field}: ${reason}`);
}


export function checkClassNames(classNames: readonly string[]): void {
  if (!Array.isArray(classNames) || classNames.length === 0) fail('class_names', 'expected a non-empty array');
  classNames.forEach((name, i) => {
    if (typeof name !== 'string') fail(`class_names[${i}]`, `expected a string, got ${showValue(name)}`);
  });
}

export function checkSampleCount(field: string, values: readonly unknown[], expected?: number): void {
  if (!Array.isArray(values)) fail(field, 'expected an array');
  if (values.length === 0) fail(field, 'no samples');
  if (expected !== undefined && values.length !== expected) {
    fail(field, `expected ${expected} samples, got ${values.length}`);
  }
}

export function checkClass(field: string, value: number, numClasses: number): void {
  if (!Number.isInteger(value) || value < 0 || value >= numClasses) {
    fail(field, `expected a class index in 0..${numClasses - 1}, got ${showValue(value)}`);
  }
}

/** Integer classes in 0..numClasses-1. */
export function checkClasses(field: string, values: readonly number[], numClasses: number): void {
  values.forEach((v, i) => checkClass(`${field}[${i}]`, v, numClasses));
}

function checkRow(
  field: string,
  row: readonly number[],
  width: number,
  valid: (v: number) => boolean,
  what: string,
): void {
  if (!Array.isArray(row)) fail(field, 'expected an array');
  if (row.length !== width) fail(field, `expected ${width} values (one per class), got ${row.length}`);
  row.forEach((v, j) => {
    if (!valid(v)) fail(`${field}[${j}]`, `expected ${what}, got ${showValue(v)}`);
  });
}

const isIndicator = (v: number) => v === 0 || v === 1;
const isScore = (v: number) => typeof v === 'number' && Number.isFinite(v);

/** K values of 0 and 1. */
export function checkIndicatorRow(field: string, row: readonly number[], width: number): void {
  checkRow(field, row, width, isIndicator, '0 or 1');
}

/** K finite numbers. */
export function checkScoreRow(field: string, row: readonly number[], width: number): void {
  checkRow(field, row, width, isScore, 'a finite number');
}

export function checkIndicators(field: string, rows: readonly (readonly number[])[], width: number): void {
  rows.forEach((row, i) => checkIndicatorRow(`${field}[${i}]`, row, width));
}

export function checkScores(field: string, rows: readonly (readonly number[])[], width: number): void {
  rows.forEach((row, i) => checkScoreRow(`${field}[${i}]`, row, width));
}

export function checkThreshold(threshold: number): void {
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    fail('threshold', `expected a finite number, got ${showValue(threshold)}`);
  }
}
