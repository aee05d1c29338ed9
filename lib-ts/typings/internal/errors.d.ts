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

  export const codes: {
    /** RangeError 'File size (%s) is greater than 2 GiB'. */
    ERR_FS_FILE_TOO_LARGE: new (size: number) => RangeError & { code: 'ERR_FS_FILE_TOO_LARGE' };
  };
}
