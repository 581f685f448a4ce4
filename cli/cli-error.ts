// Exit codes and the error type commands throw to end with a message and a code.
export const ExitCode = { ok: 0, failure: 1, invalidInput: 2 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.failure,
    /** Extra lines printed after the message (e.g. `path: message` issues). */
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}
