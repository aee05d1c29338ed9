// simdjson_node_compat.h: what Node v22.22.2 calls that simdjson 3.0.1
// lacks. Appended to the vendored simdjson.h by scripts/restore-deps.sh.
//
// Node's src/node_modules.cc, node_sea.cc and node_snapshotable.cc call
// simdjson::pad(std::string&), added in simdjson 3.x after 3.0.1 (upstream
// v22.22.2 bundles simdjson 4.2.4). This is the same contract: pad the
// string in place with SIMDJSON_PADDING spaces and return a view whose
// length is the original length and whose capacity covers the padding.
#ifndef SIMDJSON_NODE_COMPAT_H_
#define SIMDJSON_NODE_COMPAT_H_

#include <string>

namespace simdjson {

inline padded_string_view pad(std::string& s) noexcept {
  const size_t length = s.size();
  s.append(SIMDJSON_PADDING, ' ');
  return padded_string_view(s.data(), length, s.size());
}

}  // namespace simdjson

#endif  // SIMDJSON_NODE_COMPAT_H_
