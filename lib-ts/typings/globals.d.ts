// The names Node's module wrapper gives every lib/ file, as lib-ts code
// sees them. `primordials` is Node's own (node-typings/primordials.d.ts);
// internalBinding and require are typed by the maps below, so a binding or
// module without typings is a type error rather than `any`. (Node's
// globals.d.ts declares its internalBinding inside a module, so it is not
// global; its binding interfaces are imported from node-typings/ here when
// lib-ts code uses one.)

/** internalBinding(name): the bindings lib-ts code uses. */
interface InternalBindingMap {
  fs_coro: import('./internalBinding/fs_coro').FsCoroBinding;
}

declare function internalBinding<K extends keyof InternalBindingMap>(
  name: K,
): InternalBindingMap[K];

/**
 * require(id): the modules lib-ts code requires, each declared in
 * typings/<id>.d.ts as `declare module '<id>'`, typed as far as lib-ts uses
 * it.
 */
interface InternalModuleMap {
  'buffer': typeof import('buffer');
  'internal/errors': typeof import('internal/errors');
  'internal/fs/utils': typeof import('internal/fs/utils');
  'internal/options': typeof import('internal/options');
  'internal/util/types': typeof import('internal/util/types');
  'internal/validators': typeof import('internal/validators');
}

declare function require<K extends keyof InternalModuleMap>(
  id: K,
): InternalModuleMap[K];

/** The process object lib code sees, as far as lib-ts reads it. */
declare const process: { readonly versions: Readonly<Record<string, string>> };

/** CommonJS, as every file in lib/: `module.exports = { ... }`. */
declare const module: { exports: object };

/** lib/internal/abort_controller.js's AbortSignal, as far as lib-ts reads it. */
interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void,
                   options: { __proto__: null; once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
