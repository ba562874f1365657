# What keeps the static runner small (bench/runner_size_bench.sh measures it,
# bench/README.md has the figures). Included by runner/CMakeLists.txt when
# SCHEMAGATE_STATIC links the schemagate binary from static archives.

# libpg_query's protobuf code, replaced by the little the runner calls
# (runner/static/pg_query_protobuf_trim.cpp says how).
target_sources(schemagate PRIVATE
  ${PROJECT_SOURCE_DIR}/runner/static/pg_query_protobuf_trim.cpp
  ${PROJECT_SOURCE_DIR}/runner/static/scan_result_encoding.cpp)

# Our own code in sections of one function or object each, so --gc-sections
# drops what no command reaches (the runner library also serves the tests,
# which call more of it than the binary does).
target_compile_options(schemagate_runner PRIVATE -ffunction-sections -fdata-sections)
target_compile_options(schemagate_common PRIVATE -ffunction-sections -fdata-sections)

# Code off the migration path, run once per invocation at most and bound by
# I/O or by libpg_query, is compiled for size: importing other tools'
# histories, the schema diff and autogenerate, lint, authoring commands and
# shell completion. upgrade, downgrade, check and what they call (engine/,
# script/, sql/, config/, the CLI) keep -O2 (bench/engine_bench.sh).
file(GLOB cold_sources
  ${PROJECT_SOURCE_DIR}/runner/importers/*.cpp
  ${PROJECT_SOURCE_DIR}/runner/lint/*.cpp
  ${PROJECT_SOURCE_DIR}/runner/schema/*.cpp)
list(APPEND cold_sources
  ${PROJECT_SOURCE_DIR}/runner/cli/completion.cpp
  ${PROJECT_SOURCE_DIR}/runner/commands/authoring_commands.cpp
  ${PROJECT_SOURCE_DIR}/runner/commands/autogenerate_command.cpp
  ${PROJECT_SOURCE_DIR}/runner/commands/import_command.cpp
  ${PROJECT_SOURCE_DIR}/runner/commands/lint_command.cpp
  ${PROJECT_SOURCE_DIR}/runner/commands/lint_run.cpp
  ${PROJECT_SOURCE_DIR}/runner/commands/schema_commands.cpp
  ${PROJECT_SOURCE_DIR}/runner/script/revision_writer.cpp)
set_source_files_properties(${cold_sources} DIRECTORY ${PROJECT_SOURCE_DIR}/runner
  PROPERTIES COMPILE_OPTIONS -Os)
set_source_files_properties(${PROJECT_SOURCE_DIR}/common/src/completion.cpp
  DIRECTORY ${PROJECT_SOURCE_DIR}/common PROPERTIES COMPILE_OPTIONS -Os)

# The C libraries' unwind tables. C code never throws, and nothing of ours is
# called back from these libraries in a way an exception could leave: libpq's
# only callback into C++, libpqxx's notice processor, is noexcept. Their
# .eh_frame (almost 500 KiB, most of it libcrypto's) serves only debuggers and
# profilers walking a stripped binary's stack, so the link takes copies of the
# archives without it. glibc keeps its tables (thread exit unwinds through it),
# and so do the C++ libraries.
set(unwind_free_dir ${CMAKE_CURRENT_BINARY_DIR}/unwind-free)
set(unwind_free_archives)
get_target_property(static_link_libraries schemagate LINK_LIBRARIES)
foreach(archive IN ITEMS ${PG_QUERY_LIBRARY} ${STATIC_pq} ${STATIC_pgcommon_shlib}
                         ${STATIC_pgport_shlib} ${STATIC_ssl} ${STATIC_crypto})
  get_filename_component(name ${archive} NAME)
  add_custom_command(OUTPUT ${unwind_free_dir}/${name}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${unwind_free_dir}
    COMMAND ${CMAKE_OBJCOPY} --remove-section=.eh_frame --remove-section=.rela.eh_frame
            ${archive} ${unwind_free_dir}/${name}
    DEPENDS ${archive}
    COMMENT "Copying ${name} without its unwind tables")
  list(APPEND unwind_free_archives ${unwind_free_dir}/${name})
  list(TRANSFORM static_link_libraries REPLACE "^${archive}$" ${unwind_free_dir}/${name})
endforeach()
add_custom_target(schemagate_unwind_free_archives DEPENDS ${unwind_free_archives})
add_dependencies(schemagate schemagate_unwind_free_archives)
set_target_properties(schemagate PROPERTIES LINK_LIBRARIES "${static_link_libraries}")
