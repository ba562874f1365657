#include "sqlite/attempt_note.h"

#include <cstdlib>

namespace schemagate::sqlite {

std::string attempt_note(const std::string& applied_by, const ProcessIdentity& self,
                         const std::string& started_at, const std::string& done_through) {
  return "interrupted: started at " + started_at + " by " + applied_by + " (process " +
         self.host + "|" + std::to_string(self.pid) + "|" + self.process +
         ") and did not finish; " + done_through;
}

bool attempt_running(const std::string& note) {
  size_t begin = note.find("(process ");
  if (begin == std::string::npos) return false;
  size_t end = note.find(')', begin);
  if (end == std::string::npos) return false;
  std::string fields = note.substr(begin + 9, end - begin - 9);
  size_t first = fields.find('|');
  size_t second = first == std::string::npos ? first : fields.find('|', first + 1);
  if (second == std::string::npos) return false;
  ProcessIdentity other;
  other.host = fields.substr(0, first);
  other.pid = std::atol(fields.substr(first + 1, second - first - 1).c_str());
  other.process = fields.substr(second + 1);
  return liveness(other) == Liveness::kAlive;
}

}  // namespace schemagate::sqlite
