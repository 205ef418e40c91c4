# fuzz targets: the alert engine and vigild's config file
# alert_engine: bytes become engine calls (readings, ticks, actions); invariants checked.
vigil_add_fuzzer(alert_engine ${CMAKE_SOURCE_DIR}/tests/alerts/alert_engine_fuzz.cpp LIBS vigil_alerts)
target_include_directories(alert_engine PRIVATE ${CMAKE_SOURCE_DIR}/tests/alerts)
# daemon_config: the text-format config parser and its checks (rule profiles, serial ports).
vigil_add_fuzzer(daemon_config ${CMAKE_SOURCE_DIR}/tests/daemon/config_fuzz.cpp LIBS vigil_daemon)
