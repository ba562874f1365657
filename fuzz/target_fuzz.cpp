// Target resolution on a fixed graph with branches, labels and a merge; the
// first byte picks the database's current revisions.
#include "fuzz_check.h"
#include "script/target.h"

namespace {

const schemagate::script::RevisionMap& graph() {
  using schemagate::script::Revision;
  static const schemagate::script::RevisionMap map =
      std::move(schemagate::script::RevisionMap::build({
                    {"a1a1a1a1a1a1", {}, {}, "base"},
                    {"b2b2b2b2b2b2", {"a1a1a1a1a1a1"}, {}, ""},
                    {"c3c3c3c3c3c3", {"b2b2b2b2b2b2"}, {"left"}, ""},
                    {"d4d4d4d4d4d4", {"b2b2b2b2b2b2"}, {"right"}, ""},
                    {"e5e5e5e5e5e5", {"c3c3c3c3c3c3", "d4d4d4d4d4d4"}, {"release-2"}, ""},
                    {"f6f6f6f6f6f6", {"e5e5e5e5e5e5"}, {}, ""},
                }))
          .value();
  return map;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace schemagate;
  if (size == 0) return 0;
  const script::RevisionMap& map = graph();
  std::optional<script::Target> current;
  if (data[0] & 0x80) {
    current.emplace();
    for (script::RevisionMap::Index i = 0; i < static_cast<int>(map.size()); ++i) {
      if (data[0] & (1 << i)) current->push_back(i);
    }
  }
  Result<script::Target> target =
      script::resolve_target(map, fuzz::text_of(data + 1, size - 1), current);
  if (!target) {
    fuzz::require_typed(target.error());
    return 0;
  }
  for (script::RevisionMap::Index index : *target) {
    if (index < 0 || static_cast<size_t>(index) >= map.size()) std::abort();
  }
  return 0;
}
