cmake_minimum_required(VERSION 3.25)
# build_version_outside_git: cmake/build_version.cmake in a tree that is not a git checkout
# (a release tarball) writes the commit "unknown", and the version it is given.
#   -DSCRIPT=cmake/build_version.cmake -DWORK=<scratch dir>
set(dir ${WORK}/not-a-checkout)
file(REMOVE_RECURSE ${dir})
file(MAKE_DIRECTORY ${dir})
# The scratch dir lies inside the source checkout: git must not look above it.
execute_process(COMMAND ${CMAKE_COMMAND} -E env GIT_CEILING_DIRECTORIES=${WORK}
                        ${CMAKE_COMMAND} -DSOURCE_DIR=${dir} -DOUT=${dir}/version.hpp -DVERSION=1.2.3 -P ${SCRIPT}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "build_version.cmake failed: ${rc}")
endif()
file(READ ${dir}/version.hpp text)
if(NOT text MATCHES "VIGIL_BUILD_VERSION \"1\\.2\\.3\"" OR NOT text MATCHES "VIGIL_BUILD_COMMIT \"unknown\"")
  message(FATAL_ERROR "expected version 1.2.3 and commit unknown, got:\n${text}")
endif()
message(STATUS "outside git: ${text}")
