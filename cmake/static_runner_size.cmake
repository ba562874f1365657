# What keeps the static runner small (bench/runner_size_bench.sh measures it,
# bench/README.md has the figures). Included by runner/CMakeLists.txt when
# SCHEMAGATE_STATIC links the schemagate binary from static archives.

# libpg_query's protobuf code, replaced by the little the runner calls
# (runner/static/pg_query_protobuf_trim.cpp says how).
target_sources(schemagate PRIVATE
  ${PROJECT_SOURCE_DIR}/runner/static/pg_query_protobuf_trim.cpp
  ${PROJECT_SOURCE_DIR}/runner/static/scan_result_encoding.cpp)
