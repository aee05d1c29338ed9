// The node-coro version: the one place it is defined. process.versions
// reports it as node_coro, process.report and fatal errors name it, and the
// build (make dist) reads it from here.
#ifndef SRC_CORO_NODE_VERSION_H_
#define SRC_CORO_NODE_VERSION_H_

#define NODE_CORO_VERSION "0.1.0"

#endif  // SRC_CORO_NODE_VERSION_H_
