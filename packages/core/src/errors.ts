/**
 * Named errors, classified once. Library code throws these; the CLI entry decides the exit
 * code and what the user reads (exit 2 for anything the user can fix: bad config, bad flag,
 * unreachable service, unreadable model file).
 */

/** Base class: every autofarm error has a stable `code` and may carry a `cause`. */
export class AutofarmError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** One problem found in a configuration: where, what was expected, what was found. */
export interface ConfigIssue {
  /** YAML path such as `workload.phases[2].pattern`, or a flag such as `--episodes`. */
  path: string;
  message: string;
}

/** configuration.yml (or a flag that overrides it) is invalid. Lists every problem. */
export class ConfigError extends AutofarmError {
  readonly issues: ConfigIssue[];
  constructor(file: string, issues: ConfigIssue[], options?: { cause?: unknown }) {
    // Only bad flag values (paths named by their flag, e.g. `--workers`): the file is not to
    // blame, so the message is the flags' lines alone (issue 22 item 11).
    const flagsOnly = issues.length > 0 && issues.every((i) => i.path.startsWith('--'));
    const lines = issues.map((i) => `${flagsOnly ? '' : '  '}${i.path}: ${i.message}`);
    super('CONFIG_INVALID', flagsOnly ? lines.join('\n') : `invalid configuration in ${file}:\n${lines.join('\n')}`, options);
    this.issues = issues;
  }
}

/** A command-line flag has a bad value. */
export class UsageError extends AutofarmError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('USAGE', message, options);
  }
}

/** A service a backend needs (Redis, the cluster, the gateway) cannot be reached. */
export class BackendUnavailableError extends AutofarmError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BACKEND_UNAVAILABLE', message, options);
  }
}

/** A model file or run directory is missing, corrupt, or does not match this configuration. */
export class ModelFileError extends AutofarmError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MODEL_FILE', message, options);
  }
}

/** Errors a user can fix get exit code 2; anything else is a bug (exit 1). */
export function isUserError(error: unknown): error is AutofarmError {
  return (
    error instanceof ConfigError ||
    error instanceof UsageError ||
    error instanceof BackendUnavailableError ||
    error instanceof ModelFileError
  );
}
