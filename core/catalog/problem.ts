/** A file of the data set that could not be (fully) catalogued, and why. */
export interface Problem {
  /** Relative to the data set root, forward slashes. */
  file: string;
  reason: string;
}
