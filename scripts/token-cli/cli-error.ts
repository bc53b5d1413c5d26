/** A failure the token CLI reports as one line on stderr (main.ts), exiting with `exitCode` (1 failed, 2 wrong usage). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
