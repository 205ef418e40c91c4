# fuzz targets: datex
# datex_s5: S/5 deframer + record decoder + reading mapper on arbitrary bytes.
vigil_add_fuzzer(datex_s5 ${CMAKE_SOURCE_DIR}/tests/devices/datex/datex_s5_fuzz.cpp LIBS vigil_datex)
