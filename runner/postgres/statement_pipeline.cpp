#include "postgres/statement_pipeline.h"

#include <memory>

namespace schemagate::postgres {
namespace {

/// libpqxx 6 keeps the PGconn to itself; its large-object class hands it to
/// subclasses, for any transaction on the connection.
class LibpqHandle : private pqxx::largeobject {
 public:
  static PGconn* of(const pqxx::dbtransaction& tx) { return raw_connection(tx); }
};

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

[[noreturn]] void throw_lost(PGconn* connection) {
  throw pqxx::broken_connection(PQerrorMessage(connection));
}

/// Fails loudly when libpq refused a request on a connection that is still
/// up: the pipeline would otherwise be left half sent.
void require(PGconn* connection, int accepted, const char* what) {
  if (accepted == 1) return;
  if (PQstatus(connection) == CONNECTION_BAD) throw_lost(connection);
  throw pqxx::failure(std::string(what) + ": " + PQerrorMessage(connection));
}

pqxx::sql_error error_of(const PGresult* result, const std::string& statement) {
  const char* sqlstate = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  return pqxx::sql_error(PQresultErrorMessage(result), statement, sqlstate ? sqlstate : "");
}

}  // namespace

PGconn* libpq_connection(const pqxx::dbtransaction& tx) { return LibpqHandle::of(tx); }

PipelineOutcome run_pipelined(PGconn* connection, const std::vector<std::string>& statements) {
  require(connection, PQenterPipelineMode(connection), "could not enter pipeline mode");
  for (const std::string& statement : statements) {
    require(connection,
            PQsendQueryParams(connection, statement.c_str(), 0, nullptr, nullptr, nullptr,
                              nullptr, 0),
            "could not queue a statement");
  }
  require(connection, PQpipelineSync(connection), "could not send the pipeline");

  PipelineOutcome outcome;
  for (size_t i = 0; i < statements.size(); ++i) {
    // Each statement's results end with a null.
    while (PGresult* raw = PQgetResult(connection)) {
      ResultPtr result(raw, &PQclear);
      ExecStatusType status = PQresultStatus(raw);
      if (status == PGRES_PIPELINE_ABORTED || outcome.error) continue;
      if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK ||
          status == PGRES_EMPTY_QUERY) {
        const char* count = PQcmdTuples(raw);
        outcome.affected_rows.push_back(*count ? std::stoll(count) : -1);
      } else if (status == PGRES_FATAL_ERROR) {
        outcome.error.emplace(error_of(raw, statements[i]));
      } else {
        outcome.error.emplace(std::string("unexpected result in a pipeline: ") +
                                  PQresStatus(status),
                              statements[i], "XX000");
      }
    }
    if (PQstatus(connection) == CONNECTION_BAD) throw_lost(connection);
    if (!outcome.error) outcome.completed = i + 1;
  }
  ResultPtr sync(PQgetResult(connection), &PQclear);
  if (PQstatus(connection) == CONNECTION_BAD) throw_lost(connection);
  if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) {
    throw pqxx::failure("the pipeline ended without its Sync");
  }
  require(connection, PQexitPipelineMode(connection), "could not leave pipeline mode");
  return outcome;
}

}  // namespace schemagate::postgres
