// lib/internal/options.js, as far as lib-ts uses it.

declare module 'internal/options' {
  /** A command-line option's value after startup (--fs-coro: a boolean). */
  export function getOptionValue(name: '--fs-coro'): boolean;
}
