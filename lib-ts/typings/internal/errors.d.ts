// lib/internal/errors.js, as far as lib-ts uses it.

declare module 'internal/errors' {
  /**
   * The error an aborted operation rejects with: name 'AbortError', code
   * 'ABORT_ERR', message 'The operation was aborted' by default, and the
   * signal's reason as `cause`.
   */
  export class AbortError extends Error {
    constructor(message?: string, options?: { cause?: unknown });
    readonly code: 'ABORT_ERR';
  }
}
