#include "postgres/progress_report.h"

#include <algorithm>

namespace schemagate::postgres {
namespace {

std::optional<double> ratio(int64_t done, int64_t total) {
  if (total <= 0) return std::nullopt;
  return 100.0 * static_cast<double>(std::min(done, total)) / static_cast<double>(total);
}

}  // namespace

std::optional<double> percent_done(const IndexProgress& progress) {
  // The phases are named as PostgreSQL 12+ names them.
  if (progress.phase.find("scanning") != std::string::npos) {
    if (auto blocks = ratio(progress.blocks_done, progress.blocks_total)) return blocks;
  }
  if (progress.phase.find("waiting for") != std::string::npos) {
    if (auto lockers = ratio(progress.lockers_done, progress.lockers_total)) return lockers;
  }
  if (auto tuples = ratio(progress.tuples_done, progress.tuples_total)) return tuples;
  return ratio(progress.blocks_done, progress.blocks_total);
}

std::optional<size_t> running_statement(const std::string& server_text,
                                        const std::vector<RunningStatement>& statements,
                                        size_t from) {
  std::optional<size_t> started;
  for (size_t k = 0; k < statements.size(); ++k) {
    size_t i = (from + k) % statements.size();
    const std::string& sql = statements[i].sql;
    if (sql == server_text) return i;
    size_t common = std::min(sql.size(), server_text.size());
    if (!started && common > 0 && sql.compare(0, common, server_text, 0, common) == 0) {
      started = i;
    }
  }
  return started;
}

std::string statement_headline(const std::string& sql, size_t limit) {
  size_t start = 0;
  std::string line;
  while (start < sql.size()) {
    size_t end = sql.find('\n', start);
    if (end == std::string::npos) end = sql.size();
    line = sql.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.pop_back();
    }
    size_t first = line.find_first_not_of(" \t");
    if (first != std::string::npos) {
      line = line.substr(first);
      break;
    }
    line.clear();
    start = end + 1;
  }
  if (line.size() <= limit) return line;
  size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
  return line.substr(0, cut) + "...";
}

}  // namespace schemagate::postgres
