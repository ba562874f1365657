#include "engine/version_records.h"

#include <chrono>
#include <ctime>

#include "engine/sql_text.h"
#include "schemagate/common/sha256.h"

namespace schemagate::engine {

std::string VersionTables::version() const { return qualified_name(schema, version_table); }
std::string VersionTables::history() const { return qualified_name(schema, history_table); }
std::string VersionTables::lease() const {
  return qualified_name(schema, version_table + "_lease");
}

std::string cut_for_history(const std::string& text) {
  if (text.size() <= kHistoryErrorLimit) return text;
  size_t end = kHistoryErrorLimit - 64;  // room for the note
  // Never end inside a UTF-8 sequence: back up over continuation bytes.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "... (" + std::to_string(text.size() - end) + " bytes cut)";
}

HistoryRecord succeeded_record(const std::string& revision, const std::string& direction,
                               const std::string& checksum, const std::string& applied_by) {
  HistoryRecord record;
  record.revision = revision;
  record.direction = direction;
  record.checksum = checksum;
  record.started_at = utc_timestamp_now();
  record.applied_by = applied_by;
  record.outcome = "succeeded";
  return record;
}

int64_t derive_lock_key(const std::string& schema, const std::string& version_table) {
  std::string digest = sha256_hex("schemagate:" + schema + "." + version_table);
  uint64_t bits = std::stoull(digest.substr(0, 16), nullptr, 16);
  return static_cast<int64_t>(bits);
}

std::string utc_timestamp_now() {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[40];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  char with_millis[48];
  std::snprintf(with_millis, sizeof with_millis, "%s.%03lldZ", buffer,
                static_cast<long long>(millis));
  return with_millis;
}

}  // namespace schemagate::engine
