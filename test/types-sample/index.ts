// A user's project on node-coro: the public typings in types/node-coro
// augment @types/node@22 with node:coro and process.versions.node_coro.
// `make typecheck` runs tsc on it; a misuse must be a type error.
import { getStats, fsCoro, version } from 'node:coro';

const stats = getStats();
const inFlight: number = stats.frames.live + stats.tasks.live;
const readFiles: number = stats.tasks.kinds['readFile']?.finished ?? 0;
const onCoroutines: boolean = fsCoro;
const coroVersion: string = version === process.versions.node_coro ? version : '';

// @ts-expect-error getStats takes no arguments.
getStats('readFile');

// @ts-expect-error the counters are read-only.
stats.frames.live = 0;

// @ts-expect-error node_coro is a string, not a number.
const asNumber: number = process.versions.node_coro;

export { inFlight, readFiles, onCoroutines, coroVersion, asNumber };
