#pragma once

#include <functional>
#include <memory>

#include "engine/database.h"

/// The behaviour every engine::Database implementation shares, written once
/// and run against each (the in-memory fake in unit_tests, PostgreSQL in
/// integration_tests; another engine adds one TEST_CASE). It drives the
/// migrator over the database and asserts what the state reads back.
namespace schemagate::testing {

/// A fresh, empty database of the engine under test.
class EngineUnderTest {
 public:
  virtual ~EngineUnderTest() = default;
  /// A new connection to it (a second one is another runner).
  virtual std::unique_ptr<engine::Database> connect() = 0;
};

using EngineFactory = std::function<std::unique_ptr<EngineUnderTest>()>;

/// The suite, as Catch2 sections: call it from one TEST_CASE per engine.
void database_conformance(const EngineFactory& make_engine);

}  // namespace schemagate::testing
