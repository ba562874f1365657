#include "cli/termination_log.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "schemagate/common/json_text.h"

namespace schemagate::cli {
namespace {

// Room for the fixed fields and the worst case of escaping (\u00XX is six
// bytes for one).
constexpr size_t kErrorLimit = (kTerminationMessageLimit - 128) / 6;

std::string shortened(const std::string& text) {
  if (text.size() <= kErrorLimit) return text;
  return text.substr(0, kErrorLimit - 3) + "...";
}

void append_json_list(std::string& json, const std::vector<std::string>& items) {
  json += "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) json += ",";
    append_json_string(json, items[i]);
  }
  json += "]";
}

}  // namespace

std::string termination_message(const Outcome& outcome, const std::vector<std::string>& revisions,
                                const std::vector<std::string>& contract_pending) {
  std::string json;
  if (!outcome.error) {
    json = R"({"outcome":"succeeded","revisions":)";
    append_json_list(json, revisions);
    if (!contract_pending.empty()) {
      json += R"(,"contractPending":true,"contractRevisions":)";
      // The flag is what the operator acts on; the ids are for people, so
      // a long list is cut to keep the message whole.
      std::vector<std::string> shown = contract_pending;
      std::string list;
      for (;;) {
        list.clear();
        append_json_list(list, shown);
        if (shown.empty() || json.size() + list.size() + 1 <= kTerminationMessageLimit) break;
        shown.pop_back();
      }
      json += list;
    }
    return json + "}";
  }
  json = R"({"outcome":"failed","exitCode":)" + std::to_string(outcome.exit_code) + R"(,"kind":)";
  append_json_string(json, to_string(outcome.error->code()));
  json += R"(,"error":)";
  append_json_string(json, shortened(outcome.error->message()));
  return json + "}";
}

Status write_termination_log(const std::string& path, const std::string& message) {
  std::ofstream file(path, std::ios::trunc);
  file << message << "\n";
  file.close();
  if (!file) {
    return Error(ErrorCode::kInvalid, "--termination-log: cannot write " + path + ": " +
                                          std::strerror(errno) +
                                          "; give a writable path (Kubernetes: /dev/termination-log)");
  }
  return {};
}

}  // namespace schemagate::cli
