/**
 * A problem with one file of a data set. It names the file and the reason so that an index run
 * can record it and go on; nothing else is lost.
 */
export class DatasetFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'DatasetFileError';
  }
}
