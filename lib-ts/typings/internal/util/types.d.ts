// lib/internal/util/types.js, as far as lib-ts uses it: internalBinding
// ('types') (Node's typings) plus the typed-array checks written in JS.
// None of these runs user code: they read internal slots, not properties.

declare module 'internal/util/types' {
  import type { TypesBinding } from 'node-typings/internalBinding/types';

  export const isProxy: TypesBinding['isProxy'];
  /** A Uint8Array, Buffers included (by its [[TypedArrayName]]). */
  export function isUint8Array(value: unknown): value is Uint8Array;
  /** A TypedArray or a DataView (an internal slot, not a property). */
  export function isArrayBufferView(value: unknown): value is ArrayBufferView;
}
