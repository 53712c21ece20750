/**
 * Errors that decide how a process ends. Fetch outcomes have their own typed errors in
 * src/fetch/fetch-errors.ts; this file holds the ones the CLI and the configuration raise.
 */

/** Exit codes of the `ingest` command (README, "Exit codes"). */
export const EXIT_SUCCESS = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** The user called a command wrongly: print the message and the command's usage, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = EXIT_USAGE;
}

/** A configuration value is missing or malformed; the message names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly exitCode = EXIT_FAILURE;
}

/** A command ran but could not do its job (no Redis, unreadable file, …): exit 1. */
export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
  readonly exitCode = EXIT_FAILURE;
}
