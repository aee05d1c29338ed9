// lib/internal/validators.js, as far as lib-ts uses it. Each throws the
// stock ERR_* error for a value it rejects. Declared as returning void, not
// as assertion signatures: TypeScript accepts those only through names with
// explicit annotations, which destructured requires are not.

declare module 'internal/validators' {
  /**
   * A file mode argument as an int32: a number (validated as uint32), an
   * octal string, or `def` when undefined. Throws ERR_INVALID_ARG_VALUE,
   * ERR_INVALID_ARG_TYPE or ERR_OUT_OF_RANGE.
   */
  export function parseFileMode(value: unknown, name: string, def?: number): number;
  /** ERR_INVALID_ARG_TYPE unless a boolean. */
  export function validateBoolean(value: unknown, name: string): void;
  /** ERR_INVALID_ARG_TYPE unless undefined or an AbortSignal. */
  export function validateAbortSignal(signal: unknown, name?: string): void;
}
