#include "lint/rule_catalog.h"

namespace schemagate::lint {
namespace {

constexpr Severity kError = Severity::kError;
constexpr Severity kWarning = Severity::kWarning;

}  // namespace

const std::vector<Rule>& rule_catalog() {
  static const std::vector<Rule> catalog = {
      {"adding-field-with-default", kError,
       "ADD COLUMN whose default must be computed per row (volatile, generated, identity or "
       "serial; any default before PostgreSQL 11)",
       "the table is rewritten under ACCESS EXCLUSIVE: no reads or writes until every row is "
       "written again",
       "add the column without a default, set the default for new rows (SET DEFAULT), then fill "
       "old rows in batches"},
      {"adding-foreign-key-constraint", kError,
       "a FOREIGN KEY (constraint or column REFERENCES) on an existing table without NOT VALID",
       "both tables are locked against writes (SHARE ROW EXCLUSIVE) while every row is checked",
       "ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID, then VALIDATE CONSTRAINT in a later "
       "revision (it takes a lock that lets reads and writes through)"},
      {"adding-not-nullable-field", kError,
       "SET NOT NULL on an existing table without a validated CHECK (col IS NOT NULL)",
       "the whole table is scanned under ACCESS EXCLUSIVE",
       "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c in a later "
       "revision; then SET NOT NULL (PostgreSQL 12+ trusts the constraint and skips the scan) "
       "and DROP CONSTRAINT c"},
      {"adding-required-field", kError,
       "ADD COLUMN ... NOT NULL without a DEFAULT on an existing table",
       "the statement fails on any table that holds a row, and old application versions that "
       "insert without the column fail after it",
       "add the column with a constant DEFAULT (instant since PostgreSQL 11), or nullable, fill "
       "it, and make it NOT NULL the safe way"},
      {"adding-serial-primary-key-field", kError,
       "ADD COLUMN ... PRIMARY KEY on an existing table",
       "the unique index is built under ACCESS EXCLUSIVE (and a serial column rewrites the "
       "table)",
       "add the column, CREATE UNIQUE INDEX CONCURRENTLY in a non-transactional revision, then "
       "ADD CONSTRAINT ... PRIMARY KEY USING INDEX"},
      {"ban-alter-domain-with-add-constraint", kError,
       "ALTER DOMAIN ... ADD CONSTRAINT",
       "every column of the domain in every table is checked under lock",
       "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later revision"},
      {"ban-char-field", kWarning, "a char(n) column",
       "char pads with blanks, compares surprisingly and is never faster than text",
       "text (with a CHECK on length() when a limit matters)"},
      {"ban-cluster", kError, "CLUSTER",
       "the table is rewritten under ACCESS EXCLUSIVE",
       "leave it to maintenance (pg_repack-style tools), not a migration"},
      {"ban-concurrent-index-creation-in-transaction", kError,
       "CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY or VACUUM in a transactional "
       "revision",
       "PostgreSQL refuses them inside a transaction block, so the revision cannot run",
       "mark the revision '-- schemagate:transactional false' and keep only index statements "
       "in it"},
      {"ban-create-domain-with-constraint", kWarning, "CREATE DOMAIN with a CHECK constraint",
       "changing the constraint later checks every column using the domain under lock",
       "a CHECK constraint on the table's column, which can be added NOT VALID"},
      {"ban-drop-column", kWarning, "ALTER TABLE ... DROP COLUMN",
       "application pods of the previous version still name the column until the rollout "
       "ends, and their queries fail",
       "stop reading and writing the column in a release first, drop it in a later one"},
      {"ban-drop-database", kError, "DROP DATABASE", "the data is gone", "do it by hand, not in a "
       "migration"},
      {"ban-drop-not-null", kWarning, "ALTER COLUMN ... DROP NOT NULL",
       "readers of the previous version may not expect NULL", "release readers that accept NULL "
       "first"},
      {"ban-drop-table", kWarning, "DROP TABLE of a table this revision did not create",
       "application pods of the previous version still use it until the rollout ends",
       "stop using the table in a release first, drop it in a later one"},
      {"ban-truncate-cascade", kError, "TRUNCATE ... CASCADE",
       "it empties every table that references these, however far",
       "TRUNCATE the tables you mean, by name"},
      {"ban-vacuum-full", kError, "VACUUM FULL",
       "the table is rewritten under ACCESS EXCLUSIVE",
       "plain VACUUM, or a pg_repack-style tool outside migrations"},
      {"changing-column-type", kError,
       "ALTER COLUMN ... TYPE that is not binary-coercible",
       "the table and its indexes are rewritten under ACCESS EXCLUSIVE, and old application "
       "versions may not read the new type",
       "add a new column, write both, backfill in batches, switch readers, drop the old one"},
      {"constraint-missing-not-valid", kError,
       "a CHECK constraint added without NOT VALID on an existing table, or VALIDATE in the "
       "same transaction that added it NOT VALID",
       "the table is scanned under ACCESS EXCLUSIVE (a VALIDATE in the same transaction still "
       "holds the ADD's lock)",
       "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later revision"},
      {"disallowed-unique-constraint", kError,
       "ADD CONSTRAINT ... UNIQUE/PRIMARY KEY (or ADD COLUMN ... UNIQUE) that builds its index",
       "the index is built under ACCESS EXCLUSIVE",
       "CREATE UNIQUE INDEX CONCURRENTLY in a non-transactional revision, then ADD CONSTRAINT "
       "... UNIQUE USING INDEX"},
      {"prefer-bigint-over-int", kWarning, "an integer (or serial) key column",
       "it overflows at 2,147,483,647 rows' worth of ids, and widening it later rewrites the "
       "table",
       "bigint GENERATED BY DEFAULT AS IDENTITY"},
      {"prefer-bigint-over-smallint", kWarning, "a smallint (or smallserial) key column",
       "it overflows at 32,767, and widening it later rewrites the table",
       "bigint GENERATED BY DEFAULT AS IDENTITY"},
      {"prefer-identity", kWarning, "a serial, bigserial or smallserial column",
       "serial's sequence has odd ownership and permission rules; identity columns are the "
       "SQL standard's",
       "bigint GENERATED BY DEFAULT AS IDENTITY"},
      {"prefer-robust-stmts", kWarning,
       "a non-transactional revision holding a statement that is not safe to repeat",
       "a run that dies midway leaves it half applied, and the next run stops (exit 5) until "
       "someone finishes or undoes it by hand",
       "keep non-transactional revisions to named CREATE INDEX CONCURRENTLY and DROP INDEX "
       "CONCURRENTLY IF EXISTS (schemagate repeats those itself); put the rest in a "
       "transactional revision"},
      {"prefer-text-field", kWarning, "a varchar(n) column",
       "raising the limit later takes ACCESS EXCLUSIVE, and lowering it rewrites the table",
       "text, with a CHECK (length(col) <= n) added NOT VALID when a limit matters"},
      {"prefer-timestamptz", kWarning, "a timestamp without time zone column",
       "the values mean different instants to clients in different time zones",
       "timestamptz"},
      {"renaming-column", kWarning, "ALTER TABLE ... RENAME COLUMN",
       "application pods of the previous version still use the old name until the rollout ends",
       "add the new column, write both, backfill, switch readers, then drop the old one (or a "
       "view)"},
      {"renaming-table", kWarning, "ALTER TABLE ... RENAME TO",
       "application pods of the previous version still use the old name until the rollout ends",
       "rename in a release that no longer uses the old name, or leave a view under it"},
      {"require-concurrent-index-creation", kError,
       "CREATE INDEX without CONCURRENTLY on an existing table",
       "writes to the table block (SHARE lock) for the whole index build",
       "CREATE INDEX CONCURRENTLY in a revision marked '-- schemagate:transactional false'"},
      {"require-concurrent-index-deletion", kWarning, "DROP INDEX without CONCURRENTLY",
       "it takes ACCESS EXCLUSIVE on the table, and waits behind every query on it meanwhile",
       "DROP INDEX CONCURRENTLY IF EXISTS in a revision marked '-- schemagate:transactional "
       "false'"},
      {"require-concurrent-reindex", kError, "REINDEX TABLE/INDEX without CONCURRENTLY",
       "writes block, and reads that use the index, while it is rebuilt",
       "REINDEX ... CONCURRENTLY in a revision marked '-- schemagate:transactional false'"},
      {"require-lock-timeout", kError,
       "a statement taking a strong lock on an existing table while lock_timeout is off "
       "(--statement-lock-timeout 0, statement.lock_timeout: 0, SET lock_timeout = 0, RESET)",
       "waiting for its lock behind a long transaction, it blocks every query on the table "
       "that arrives after it",
       "keep schemagate's statement lock_timeout (the default 5 s, retried), or SET "
       "lock_timeout before the statement"},
      {"syntax-error", kError, "a statement PostgreSQL's parser rejects, or a psql meta-command",
       "the migration fails when it runs",
       "fix the statement; schemagate runs plain SQL"},
      {"transaction-nesting", kError, "BEGIN, COMMIT, ROLLBACK or SAVEPOINT in a body",
       "schemagate runs each transactional revision in its own transaction with its version "
       "row; a COMMIT inside would break that",
       "remove it; mark the revision '-- schemagate:transactional false' to run statements one "
       "by one"},
  };
  return catalog;
}

const Rule* find_rule(const std::string& id) {
  for (const Rule& rule : rule_catalog()) {
    if (id == rule.id) return &rule;
  }
  return nullptr;
}

}  // namespace schemagate::lint
