#include "support/temp_dir.h"

#include <fstream>
#include <random>

namespace schemagate::testing {

TempDir::TempDir() {
  std::random_device device;
  path_ = std::filesystem::temp_directory_path() /
          ("schemagate-test-" + std::to_string(device()) + std::to_string(device()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::filesystem::path TempDir::write(const std::string& relative, const std::string& text) const {
  std::filesystem::path file = path_ / relative;
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
  return file;
}

std::string migration_text(const std::string& id, const std::vector<std::string>& parents,
                           const std::string& up, const std::string& down,
                           const std::string& extra_header) {
  std::string text = "-- schemagate:revision " + id + "\n";
  if (!parents.empty()) {
    text += "-- schemagate:parents ";
    for (size_t i = 0; i < parents.size(); ++i) text += (i ? ", " : "") + parents[i];
    text += "\n";
  }
  text += "-- schemagate:message revision " + id + "\n" + extra_header;
  text += "\n-- schemagate:up\n" + up + "\n-- schemagate:down\n" + down;
  return text;
}

void write_migration(const TempDir& dir, const std::string& id,
                     const std::vector<std::string>& parents, const std::string& extra_header) {
  dir.write("versions/" + id + "_test.sql",
            migration_text(id, parents, "SELECT 1;\n", "SELECT 1;\n", extra_header));
}

}  // namespace schemagate::testing
