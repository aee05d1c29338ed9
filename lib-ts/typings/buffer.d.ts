// lib/buffer.js, as far as lib-ts uses it (the Buffer type of binding
// results; add it to InternalModuleMap when code requires 'buffer').

declare module 'buffer' {
  export class Buffer extends Uint8Array<ArrayBuffer> {
    private constructor();
    /** Decodes the bytes; `encoding` must be one Buffer.isEncoding() accepts. */
    toString(encoding?: string, start?: number, end?: number): string;
  }
}
