#include <catch2/catch.hpp>

#include "conformance.h"
#include "memory_database.h"

using namespace schemagate;
using namespace schemagate::testing;

namespace {

class MemoryEngine : public EngineUnderTest {
 public:
  std::unique_ptr<engine::Database> connect() override {
    return std::make_unique<MemoryDatabase>(store_, "runner-" + std::to_string(++sessions_));
  }

 private:
  std::shared_ptr<MemoryStore> store_ = std::make_shared<MemoryStore>();
  int sessions_ = 0;
};

}  // namespace

TEST_CASE("conformance: the in-memory database", "[engine][conformance]") {
  database_conformance([] { return std::make_unique<MemoryEngine>(); });
}
