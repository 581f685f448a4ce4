// Why a store could not be opened, said about the file: commands turn it into one line and exit 2,
// the edge and the worker into a start failure that names the path.
export type StoreOpenProblem = 'missing' | 'directory' | 'not-sqlite' | 'not-alpr' | 'newer' | 'cannot-open';

export class StoreOpenError extends Error {
  constructor(
    readonly file: string,
    readonly problem: StoreOpenProblem,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'StoreOpenError';
  }
}
