# Precompiled headers (VIGIL_PCH, on by default). Most of a TU's compile time here is parsing
# third-party headers (Boost.Asio, protobuf's generated-code headers, GoogleTest, spdlog):
# daemon.cpp takes 15 s at -O2 of which 9 s is -fsyntax-only. One PCH per target, built
# with that target's own flags and definitions: gcc rejects a PCH when a macro it tested
# (BOOST_ALL_NO_LIB, GTEST_HAS_PTHREAD, the SPDLOG_* set) differs, so a PCH shared with
# REUSE_FROM across targets with different link closures would need every target to carry
# the same definitions. Only targets with several TUs get one (a PCH costs about one TU),
# and each gets only the families its sources use: gcc maps the whole .gch into every TU,
# so an oversized one (200 MB for everything at once) costs ~3 s per TU even where unused.
# The lists live here, not beside the targets, so adding sources to a target needs no
# change here. VIGIL_PCH=OFF checks that every file still includes what it uses.
#
# On by default with clang only (CI stage 2: 1553 -> 1270 CPU s for the whole build). With
# gcc 12 at -O2 the PCH changes inlining enough to wake its known -Warray-bounds false
# positive on std::string's operator+ (tests/support/vigild_fixture.cpp), an error under
# -Werror, and the saving measured smaller (its .gch files take ~15 s each to write and are
# mapped whole into every TU), so stage 1 builds without.
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  set(_vigil_pch_default ON)
else()
  set(_vigil_pch_default OFF)
endif()
option(VIGIL_PCH "Precompile the heavy third-party headers per target" ${_vigil_pch_default})

set(_vigil_pch_std <utility> <algorithm> <chrono> <cstdint> <functional> <map> <memory>
    <optional> <string> <string_view> <vector>)
set(_vigil_pch_proto <google/protobuf/message.h> <google/protobuf/generated_message_reflection.h>
    <google/protobuf/extension_set.h> <google/protobuf/repeated_field.h>)
set(_vigil_pch_asio <boost/asio/io_context.hpp> <boost/asio/steady_timer.hpp>
    <boost/asio/ip/tcp.hpp> <boost/asio/post.hpp> <boost/asio/write.hpp>)
set(_vigil_pch_ssl <boost/asio/ssl.hpp>)
set(_vigil_pch_spdlog <spdlog/spdlog.h>)
set(_vigil_pch_gtest <gtest/gtest.h>)
set(_vigil_pch_gmock <gmock/gmock.h>)
set(_vigil_pch_cli <CLI/CLI.hpp>)

# vigil_pch(target family...): std + the named families, if the target exists.
function(vigil_pch target)
  if(NOT VIGIL_PCH OR NOT TARGET ${target})
    return()
  endif()
  set(headers ${_vigil_pch_std})
  foreach(family IN LISTS ARGN)
    list(APPEND headers ${_vigil_pch_${family}})
  endforeach()
  target_precompile_headers(${target} PRIVATE ${headers})
endfunction()

# Figures from .ninja_log (gcc -O2 build): these targets hold ~80% of compile time.
vigil_pch(vigil_daemon proto asio ssl spdlog)
vigil_pch(vigil_forward proto asio ssl spdlog)
vigil_pch(vigil_stream proto asio ssl)
vigil_pch(vigil_client proto asio ssl)
vigil_pch(vigil_ctl proto asio ssl)
vigil_pch(vigil_store proto)
vigil_pch(vigil_report proto)
vigil_pch(vigil_common proto)
vigil_pch(vigil_alerts)
vigil_pch(vigil_hl7)
vigil_pch(vigil_sim asio)
vigil_pch(vigil_replay proto)
vigil_pch(vigil_dashboard_model proto asio ssl)
vigil_pch(vigil_test_support gtest)
vigil_pch(vigilctl proto asio ssl cli)
vigil_pch(alerts_test gtest)
vigil_pch(hl7_tests gtest)
vigil_pch(store_test proto gtest gmock)
vigil_pch(reading_export_test proto asio ssl gtest gmock)
vigil_pch(sim_tests asio gtest)
vigil_pch(forward_tests proto asio ssl gtest)
vigil_pch(datex_s5_tests gtest)
vigil_pch(faults_e2e_tests proto gtest)
vigil_pch(alerts_e2e_tests proto gtest)
vigil_pch(e2e_tests proto gtest)
vigil_pch(stream_loopback_test proto asio ssl gtest)
vigil_pch(serial_daemon_tests proto asio gtest)
vigil_pch(report_tests proto gtest)
