#!/usr/bin/env bash
# The runner on SQLite, end to end with the real binary and the sqlite3 shell:
# the tutorial (examples/library-sqlite: books, authors, a data migration with
# a table rebuild; then downgrade -1 and base), every database command,
# --sql run by sqlite3, racing runners (exactly one applies, the others wait
# or exit 4 naming the holder), and kill -9 mid-revision (a prefix of the
# plan, each revision with its version and history rows; the next run
# finishes it).
# Usage: sqlite_engine_test.sh SCHEMAGATE PROJECT_SOURCE_DIR
set -u
schemagate=$(realpath "$1")
source_dir=$(realpath "$2")
work=$(mktemp -d)
runner_pid=""
pids=()
cleanup() {
  for pid in $runner_pid "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=tests/support/checks.sh
source "$source_dir/tests/support/checks.sh"
require_tools sqlite3 "$schemagate"
unset DATABASE_URL

tutorial=$source_dir/examples/library-sqlite/schemagate.yaml
q() { sqlite3 -batch -noheader "$work/$1" "$2"; }
# await_rows DB SQL WANT WHO: polls until `q DB SQL` prints WANT, while the
# runner in $runner_pid lives (WHO names it when it ends first).
await_rows() {
  until [[ $(q "$1" "$2" 2>/dev/null) == "$3" ]]; do
    kill -0 "$runner_pid" 2>/dev/null || { fail "$4 ended early"; return; }
    sleep 0.02
  done
}
sg() { "$schemagate" --log-level warn "$@"; }

# --- The tutorial, with the relative URL of the FastAPI tutorials.
cd "$work" || exit 1
export DATABASE_URL=sqlite:///./test.db
expect_exit 0 "tutorial: upgrade heads on sqlite:///./test.db" -- sg --config "$tutorial" upgrade heads
check "tutorial: the version row is the head" \
  equals "$(q test.db 'SELECT version_num FROM schemagate_version')" d5a0f93b6c14
check "tutorial: the data migration filled every slug and the rebuild made it NOT NULL" \
  equals "$(q test.db "SELECT count(*) FROM books WHERE slug IS NOT NULL; SELECT \"notnull\" FROM pragma_table_info('books') WHERE name = 'slug'")" "3
1"
check "tutorial: the rebuilt table kept its rows and has its unique index" \
  equals "$(q test.db "SELECT slug FROM books WHERE id = 1; SELECT count(*) FROM sqlite_schema WHERE name = 'books_slug_key'")" "the-pragmatic-programmer
1"
check "tutorial: three successful ups in the history" \
  equals "$(q test.db "SELECT count(*) FROM schemagate_history WHERE direction = 'up' AND outcome = 'succeeded'")" 3
expect_exit 0 "tutorial: current" -- sg --config "$tutorial" current
grep -qx 'd5a0f93b6c14 (head)' "$work/out" || fail "current printed: $(cat "$work/out")"
expect_exit 0 "tutorial: check at head" -- sg --config "$tutorial" check
expect_exit 0 "tutorial: upgrade again is a no-op" -- sg --config "$tutorial" upgrade heads
expect_exit 0 "tutorial: downgrade -1" -- sg --config "$tutorial" downgrade -1
check "tutorial: downgrade -1 dropped the slug column and its index" \
  equals "$(q test.db "SELECT version_num FROM schemagate_version; SELECT count(*) FROM pragma_table_info('books') WHERE name = 'slug'")" "7c2d4e8f1a36
0"
expect_exit 1 "tutorial: check with one pending exits 1" -- sg --config "$tutorial" check
grep -q '^pending d5a0f93b6c14' "$work/out" || fail "check printed: $(cat "$work/out")"
expect_exit 0 "tutorial: downgrade base" -- sg --config "$tutorial" downgrade base
check "tutorial: at base no table of the app is left, nor a version row" \
  equals "$(q test.db "SELECT count(*) FROM schemagate_version; SELECT count(*) FROM sqlite_schema WHERE name IN ('books', 'authors')")" "0
0"

# --- Bad URLs: exit 2 naming the part, exit 3 for a directory that is not there.
expect_exit 2 "url: a host in a SQLite URL is exit 2" -- \
  sg --config "$tutorial" current --database-url sqlite://dbhost/app.db
grep -q "names a host 'dbhost'" "$work/err" || fail "host error: $(cat "$work/err")"
expect_exit 2 "url: an empty path is exit 2" -- env DATABASE_URL=sqlite:/// "$schemagate" --config "$tutorial" current
grep -q '^.*\$DATABASE_URL: the SQLite URL' "$work/err" || fail "empty path error: $(cat "$work/err")"
expect_exit 3 "url: a file in a missing directory is exit 3" -- \
  sg --config "$tutorial" upgrade heads --database-url "sqlite:///$work/nowhere/app.db"
grep -q 'cannot open the SQLite database' "$work/err" || fail "open error: $(cat "$work/err")"
expect_exit 2 "postgres only: --safety-checks on SQLite is exit 2" -- \
  sg --config "$tutorial" upgrade heads --safety-checks
grep -q -- '--safety-checks needs a PostgreSQL database; docs/sqlite.md' "$work/err" ||
  fail "safety-checks error: $(cat "$work/err")"

# --- Every other command on a project of its own.
project=$work/project
mkdir -p "$project/versions"
revision() {  # revision ID PARENT BODY [HEADER]
  { echo "-- schemagate:revision $1"
    [[ -n $2 ]] && echo "-- schemagate:parents $2"
    echo "-- schemagate:message revision $1"
    [[ -n ${4:-} ]] && echo "$4"
    echo "-- schemagate:up"
    printf '%s\n' "$3"
    echo "-- schemagate:down"
    echo "SELECT 1;"; } >"$project/versions/$1_r.sql"
}
revision aaaaaaaaaaa1 "" "CREATE TABLE a (id integer PRIMARY KEY, name text);
CREATE TRIGGER a_name AFTER INSERT ON a BEGIN
  UPDATE a SET name = upper(new.name) WHERE id = new.id;
END;
INSERT INTO a (name) VALUES ('x;y');"
revision aaaaaaaaaaa2 aaaaaaaaaaa1 "CREATE TABLE b (id integer PRIMARY KEY REFERENCES a (id));"
revision aaaaaaaaaaa3 aaaaaaaaaaa2 "VACUUM;" "-- schemagate:transactional false"
export DATABASE_URL=sqlite:///$work/commands.db
expect_exit 0 "commands: upgrade runs a trigger with ';' inside and a non-transactional VACUUM" -- \
  sg --dir "$project" upgrade heads
check "commands: the trigger fired" equals "$(q commands.db 'SELECT name FROM a')" "X;Y"
expect_exit 0 "commands: history -i marks the current revision" -- sg --dir "$project" history -i
grep -q 'aaaaaaaaaaa3 (head) (current)' "$work/out" || fail "history -i printed: $(cat "$work/out")"
expect_exit 0 "commands: verify" -- sg --dir "$project" verify
echo "-- edited" >>"$project/versions/aaaaaaaaaaa2_r.sql"
expect_exit 5 "commands: verify refuses an edited applied file" -- sg --dir "$project" verify
expect_exit 0 "commands: repair accepts it" -- sg --dir "$project" repair
expect_exit 0 "commands: verify after repair" -- sg --dir "$project" verify
expect_exit 0 "commands: stamp aaaaaaaaaaa1" -- sg --dir "$project" stamp aaaaaaaaaaa1
check "commands: stamp moved the version row only" \
  equals "$(q commands.db "SELECT version_num FROM schemagate_version; SELECT count(*) FROM sqlite_schema WHERE name = 'b'")" "aaaaaaaaaaa1
1"
expect_exit 4 "commands: wait gives up with exit 4 while revisions are pending" -- \
  sg --dir "$project" wait --timeout 0.3
expect_exit 0 "commands: stamp heads" -- sg --dir "$project" stamp heads
expect_exit 0 "commands: wait returns at once when migrated" -- sg --dir "$project" wait --timeout 5
revision aaaaaaaaaaa4 aaaaaaaaaaa3 "INSERT INTO b (id) VALUES (42);"
expect_exit 1 "commands: a foreign key left pointing nowhere fails the revision" -- \
  sg --dir "$project" upgrade heads
grep -q 'aaaaaaaaaaa4_r.sql.*FOREIGN KEY' "$work/err" || fail "foreign key error: $(cat "$work/err")"
check "commands: and rolled it back" equals "$(q commands.db 'SELECT count(*) FROM b')" 0
revision aaaaaaaaaaa4 aaaaaaaaaaa3 "INSERT INTO a (name) VALUES ('z');
INSERT INTO nowhere VALUES (1);"
expect_exit 1 "commands: a failing statement exits 1 naming its file line" -- \
  sg --dir "$project" upgrade heads
grep -q 'aaaaaaaaaaa4_r.sql:6: up of revision aaaaaaaaaaa4 .*no such table: nowhere' "$work/err" ||
  fail "failure message: $(cat "$work/err")"
check "commands: nothing of the failed revision stayed" \
  equals "$(q commands.db "SELECT count(*) FROM a; SELECT version_num FROM schemagate_version")" "1
aaaaaaaaaaa3"
revision aaaaaaaaaaa4 aaaaaaaaaaa3 "BEGIN;
INSERT INTO a (name) VALUES ('z');
COMMIT;"
expect_exit 2 "commands: transaction control in a body is exit 2 before anything runs" -- \
  sg --dir "$project" upgrade heads
grep -q 'aaaaaaaaaaa4_r.sql:5: BEGIN in a migration' "$work/err" || fail "refusal: $(cat "$work/err")"
rm "$project/versions/aaaaaaaaaaa4_r.sql"

# --sql prints SQLite's syntax; the sqlite3 shell runs it to the same state.
expect_exit 0 "--sql: upgrade heads --sql on a SQLite URL" -- \
  env DATABASE_URL=sqlite:///$work/offline.db "$schemagate" --dir "$project" upgrade heads --sql
cp "$work/out" "$work/upgrade.sql"
check "--sql: BEGIN IMMEDIATE and SQLite's types" grep -q 'integer PRIMARY KEY AUTOINCREMENT' "$work/upgrade.sql"
check "--sql: connects to nothing" test ! -e "$work/offline.db"
check "--sql: the sqlite3 shell runs it" sqlite3 -bail "$work/offline.db" ".read $work/upgrade.sql"
check "--sql: to the head, with the trigger's work done" \
  equals "$(q offline.db "SELECT version_num FROM schemagate_version; SELECT name FROM a")" "aaaaaaaaaaa3
X;Y"

# --- lint, test and import on a SQLite project.
export DATABASE_URL=sqlite:///$work/lint.db
lintdir=$work/lintproject
mkdir -p "$lintdir/versions"
revision_in() {  # revision_in DIR ID PARENT UP DOWN
  { echo "-- schemagate:revision $2"
    [[ -n $3 ]] && echo "-- schemagate:parents $3"
    echo "-- schemagate:message revision $2"
    echo "-- schemagate:up"
    printf '%s\n' "$4"
    echo "-- schemagate:down"
    printf '%s\n' "$5"; } >"$1/versions/$2_r.sql"
}
revision_in "$lintdir" eeeeeeeeeee1 "" "CREATE TABLE a (id integer PRIMARY KEY AUTOINCREMENT, name text);
CREATE INDEX a_name ON a (name);" "DROP TABLE a;"
revision_in "$lintdir" eeeeeeeeeee2 eeeeeeeeeee1 "DROP INDEX a_name;
ALTER TABLE a DROP COLUMN name;" "ALTER TABLE a ADD COLUMN name text;
CREATE INDEX a_name ON a (name);"
expect_exit 0 "lint: on a SQLite URL only SQLite's rules run (a plain CREATE INDEX is fine there)" -- \
  "$schemagate" --dir "$lintdir" lint
grep -q 'warning \[ban-drop-column\]' "$work/out" || fail "lint findings: $(cat "$work/out")"
grep -q 'require-concurrent-index-creation\|syntax-error' "$work/out" && fail "PostgreSQL rules ran: $(cat "$work/out")"
grep -q 'SQLite: lint runs the rules that hold there' "$work/err" || fail "lint did not say which rules apply"
rm -f "$work/lint.db"
expect_exit 0 "test: the round trip runs on SQLite without a dev server" -- \
  "$schemagate" --dir "$lintdir" test
grep -q '^ok downgrade base, upgrade heads: 2 revision(s) on SQLite' "$work/out" || fail "test printed: $(cat "$work/out")"
revision_in "$lintdir" eeeeeeeeeee2 eeeeeeeeeee1 "DROP INDEX a_name;
ALTER TABLE a DROP COLUMN name;" "ALTER TABLE a ADD COLUMN name integer;
CREATE INDEX a_name ON a (name);"
expect_exit 1 "test: a down that does not restore the column is caught" -- \
  "$schemagate" --dir "$lintdir" test
grep -q 'eeeeeeeeeee2.*its down does not restore the schema before it' "$work/err" ||
  fail "test failure: $(cat "$work/err")"
check "test: it left no file behind" test ! -e "$work/lint.db"
sqlite3 "$work/golang.db" "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (12, 0);"
export DATABASE_URL=sqlite:///$work/golang.db
expect_exit 0 "import: --adopt-database reads golang-migrate's table from the SQLite file" -- \
  "$schemagate" import --from golang-migrate "$source_dir/tests/fixtures/golang-migrate" --into "$work/imported" --adopt-database
adopted=$(grep -l '^-- imported from golang-migrate version 12:' "$work"/imported/versions/*.sql)
check "import: the stamped revision is version 12's" \
  equals "$(q golang.db 'SELECT version_num FROM schemagate_version')" "$(basename "${adopted%%_*}")"

# --- Racing runners: exactly one applies each revision; the rest wait.
race=$work/race
mkdir -p "$race/versions"
parent=""
for i in 1 2 3 4 5; do
  id=$(printf 'bbbbbbbbbbb%d' "$i")
  { echo "-- schemagate:revision $id"
    [[ -n $parent ]] && echo "-- schemagate:parents $parent"
    echo "-- schemagate:message race $i"
    echo "-- schemagate:up"
    echo "CREATE TABLE r_$i (n integer);"
    # A statement that takes a while, so the runners overlap.
    echo "INSERT INTO r_$i WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) SELECT count(*) FROM c;"
  } >"$race/versions/${id}_race.sql"
  parent=$id
done
export DATABASE_URL=sqlite:///$work/race.db
pids=()
for n in $(seq 1 8); do
  "$schemagate" --log-level info --dir "$race" upgrade heads >"$work/race_$n.out" 2>"$work/race_$n.err" &
  pids+=($!)
done
codes=""
for pid in "${pids[@]}"; do wait "$pid"; codes+="$? "; done
pids=()
check "race: all 8 runners exit 0" equals "$codes" "0 0 0 0 0 0 0 0 "
check "race: each revision applied exactly once" \
  equals "$(q race.db "SELECT count(*), count(DISTINCT revision) FROM schemagate_history WHERE direction = 'up'")" "5|5"
check "race: at the head" equals "$(q race.db 'SELECT version_num FROM schemagate_version')" bbbbbbbbbbb5

# A holder mid-revision: another runner with a short --lock-timeout exits 4 naming it.
slow=$work/slow
mkdir -p "$slow/versions"
{ echo "-- schemagate:revision ccccccccccc1"
  echo "-- schemagate:message long"
  echo "-- schemagate:up"
  echo "CREATE TABLE s (n integer);"
  echo "INSERT INTO s WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) SELECT count(*) FROM c;"
} >"$slow/versions/ccccccccccc1_long.sql"
export DATABASE_URL=sqlite:///$work/slow.db
"$schemagate" --log-level warn --dir "$slow" upgrade heads >/dev/null 2>&1 &
runner_pid=$!
await_rows slow.db "SELECT count(*) FROM schemagate_version_lease" 1 "the slow runner"
expect_exit 4 "race: a runner that cannot get the lock in time exits 4" -- \
  sg --dir "$slow" upgrade heads --lock-timeout 0.5
grep -q "held by $(hostname)/$runner_pid" "$work/err" || fail "held by: $(cat "$work/err")"
# A runner with time to wait says it is waiting, and for whom (the racers above
# may or may not overlap; this one is sure to find the lock held).
"$schemagate" --log-level info --dir "$slow" upgrade heads --lock-timeout 600 \
  >/dev/null 2>"$work/waiter.err" &
waiter_pid=$!
pids=("$waiter_pid")
until grep -q 'waiting for the migration lock' "$work/waiter.err"; do
  kill -0 "$waiter_pid" 2>/dev/null || { fail "the waiter ended early: $(cat "$work/waiter.err")"; break; }
  sleep 0.05
done
kill "$waiter_pid" 2>/dev/null
wait "$waiter_pid" 2>/dev/null
pids=()

# --- kill -9 mid-revision: the long one is rolled back, the earlier ones stay.
kill -9 "$runner_pid"
wait "$runner_pid" 2>/dev/null
runner_pid=""
check "kill -9: the killed revision left nothing" \
  equals "$(q slow.db "SELECT count(*) FROM sqlite_schema WHERE name = 's'; SELECT count(*) FROM schemagate_version")" "0
0"
crash=$work/crash
mkdir -p "$crash/versions"
parent=""
for i in $(seq 1 30); do
  id=$(printf 'ddddddddd%03d' "$i")
  { echo "-- schemagate:revision $id"
    [[ -n $parent ]] && echo "-- schemagate:parents $parent"
    echo "-- schemagate:message table $i"
    echo "-- schemagate:up"
    echo "CREATE TABLE t_$i (id integer PRIMARY KEY, name text);"
    echo "CREATE INDEX t_${i}_name ON t_$i (name);"
    [[ $i -eq 20 ]] && echo "INSERT INTO t_$i (name) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) SELECT x FROM c;"
  } >"$crash/versions/${id}_t$i.sql"
  parent=$id
done
export DATABASE_URL=sqlite:///$work/crash.db
"$schemagate" --log-level warn --dir "$crash" upgrade heads >/dev/null 2>&1 &
runner_pid=$!
await_rows crash.db "SELECT count(*) FROM schemagate_history" 19 "the crash runner"
# Killed inside revision 20 once its long INSERT has spilled pages into the
# file (past SQLite's page cache): a half-written transaction on disk.
size_before=$(stat -c %s "$work/crash.db")
until [[ $(stat -c %s "$work/crash.db") -gt $((size_before + 8000000)) ]]; do
  kill -0 "$runner_pid" 2>/dev/null || { fail "the crash runner ended early"; break; }
  sleep 0.02
done
kill -9 "$runner_pid"
wait "$runner_pid" 2>/dev/null
runner_pid=""
check "kill -9: a hot journal was left behind (the kill hit mid-transaction)" \
  test -s "$work/crash.db-journal"
check "kill -9: a prefix of 19 revisions, each with its table, index and history row" \
  equals "$(q crash.db "SELECT version_num FROM schemagate_version; SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name LIKE 't\_%' ESCAPE '\\'; SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name LIKE 't\_%' ESCAPE '\\'; SELECT count(*) FROM schemagate_history WHERE direction = 'up' AND outcome = 'succeeded'")" "ddddddddd019
19
19
19"
sed -i 's/100000000/1000/' "$crash/versions/ddddddddd020_t20.sql"
expect_exit 0 "kill -9: the next run takes over the lease and finishes the plan" -- \
  sg --dir "$crash" upgrade heads --lock-timeout 5
check "kill -9: at the head with 30 revisions" \
  equals "$(q crash.db "SELECT version_num FROM schemagate_version; SELECT count(*) FROM schemagate_history WHERE direction = 'up'")" "ddddddddd030
30"

# A non-transactional revision killed midway: its committed statements stay,
# and the next run refuses (exit 5) with how far it got, until repair.
nt=$work/nt
mkdir -p "$nt/versions"
{ echo "-- schemagate:revision fffffffffff1"
  echo "-- schemagate:message not transactional"
  echo "-- schemagate:transactional false"
  echo "-- schemagate:up"
  echo "CREATE TABLE n (x integer);"
  echo "INSERT INTO n SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) SELECT x FROM c);"
} >"$nt/versions/fffffffffff1_nt.sql"
export DATABASE_URL=sqlite:///$work/nt.db
"$schemagate" --log-level warn --dir "$nt" upgrade heads >/dev/null 2>&1 &
runner_pid=$!
await_rows nt.db \
  "SELECT count(*) FROM schemagate_history WHERE blocking AND error LIKE '%statements 1-1 of 2%'" \
  1 "the non-transactional runner"
kill -9 "$runner_pid"
wait "$runner_pid" 2>/dev/null
runner_pid=""
expect_exit 5 "kill -9 mid non-transactional revision: the next upgrade refuses, saying how far it got" -- \
  sg --dir "$nt" upgrade heads
grep -q 'fffffffffff1 (up, not transactional).*did not complete.*statements 1-1 of 2 finished' "$work/err" ||
  fail "blocking message: $(cat "$work/err")"
check "kill -9 mid non-transactional revision: its first statement stayed, no version row" \
  equals "$(q nt.db "SELECT count(*) FROM sqlite_schema WHERE name = 'n'; SELECT count(*) FROM schemagate_version")" "1
0"

finish
