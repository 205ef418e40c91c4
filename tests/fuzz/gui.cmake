# fuzz targets: the dashboard's model (random server messages and link changes, every view read)
vigil_add_fuzzer(dashboard_model ${CMAKE_SOURCE_DIR}/tests/gui/fuzz_dashboard_model.cpp LIBS vigil_dashboard_model)
