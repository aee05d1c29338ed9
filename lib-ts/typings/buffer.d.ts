// lib/buffer.js, as far as lib-ts uses it (the Buffer type of binding
// results; add it to InternalModuleMap when code requires 'buffer').

declare module 'buffer' {
  export interface Buffer extends Uint8Array<ArrayBuffer> {
    /** Decodes the bytes; `encoding` must be one Buffer.isEncoding() accepts. */
    toString(encoding?: string, start?: number, end?: number): string;
  }
  interface BufferConstructor {
    /** A string's bytes in `encoding` (one Buffer.isEncoding() accepts). */
    from(string: string, encoding?: string): Buffer;
  }
  export const Buffer: BufferConstructor;
}
