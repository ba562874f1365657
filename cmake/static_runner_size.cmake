# What keeps the static runner small (bench/runner_size_bench.sh measures it,
# bench/README.md has the figures). Included by runner/CMakeLists.txt when
# SCHEMAGATE_STATIC links the schemagate binary from static archives.

# libpg_query's protobuf code, replaced by the little the runner calls
# (runner/static/pg_query_protobuf_trim.cpp says how).
target_sources(schemagate PRIVATE
  ${PROJECT_SOURCE_DIR}/runner/static/pg_query_protobuf_trim.cpp
  ${PROJECT_SOURCE_DIR}/runner/static/scan_result_encoding.cpp)

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
