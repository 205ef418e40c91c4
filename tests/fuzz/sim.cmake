# fuzz targets: simulator parsers (ACK replies, scenario files)
vigil_add_fuzzer(sim_ack_reader ${CMAKE_SOURCE_DIR}/tests/sim/fuzz/sim_ack_reader_fuzz.cpp LIBS vigil_sim)
vigil_add_fuzzer(sim_scenario_file ${CMAKE_SOURCE_DIR}/tests/sim/fuzz/sim_scenario_file_fuzz.cpp LIBS vigil_sim)
vigil_add_fuzzer(ctl_board_model ${CMAKE_SOURCE_DIR}/tests/sim/fuzz/ctl_board_model_fuzz.cpp LIBS vigil_ctl)
