# Writes the build information the binaries print with --version: the version
# from the VERSION file and the git commit of the source tree. Runs at
# configure time and again on every build (the schemagate_build_info target),
# so a commit without a reconfigure still shows; the file is rewritten only
# when its text changes, so an unchanged commit recompiles nothing. (No
# "-dirty" mark: it would relink every binary at each edit of any file.)
# A tree without git (a source tarball, a Docker context without .git) says
# "unknown"; -DSCHEMAGATE_REVISION=... names the commit from outside instead.
# Usage: cmake -DSOURCE_DIR=... -DVERSION=... -DREVISION=... -DTEMPLATE=... -DOUTPUT=... -P
set(revision "${REVISION}")
if(revision STREQUAL "")
  set(revision unknown)
  find_program(GIT_EXECUTABLE git)
  if(GIT_EXECUTABLE)
    execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${SOURCE_DIR}" rev-parse --short=12 HEAD
      RESULT_VARIABLE failed OUTPUT_VARIABLE commit ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT failed AND commit MATCHES "^[0-9a-f]+$")
      set(revision "${commit}")
    endif()
  endif()
endif()
set(SCHEMAGATE_VERSION "${VERSION}")
set(SCHEMAGATE_REVISION "${revision}")
configure_file("${TEMPLATE}" "${OUTPUT}" @ONLY)
