# fuzz targets: hl7
# hl7_mllp_deframer: arbitrary bytes in arbitrary chunks; checks the bound and that the
#   chunking never changes the result.
vigil_add_fuzzer(hl7_mllp_deframer ${CMAKE_SOURCE_DIR}/tests/devices/hl7/hl7_mllp_deframer_fuzz.cpp
  LIBS vigil_hl7)
# hl7_ingest: ingest_message + build_ack on arbitrary bytes; the ACK must always parse.
vigil_add_fuzzer(hl7_ingest ${CMAKE_SOURCE_DIR}/tests/devices/hl7/hl7_ingest_fuzz.cpp
  LIBS vigil_hl7)
# hl7_charset: the MSH-18 transcoder and the UTF-8 helper on arbitrary bytes; the output
#   is always valid UTF-8 and the ASCII bytes (delimiters) never move.
vigil_add_fuzzer(hl7_charset ${CMAKE_SOURCE_DIR}/tests/devices/hl7/hl7_charset_fuzz.cpp
  LIBS vigil_hl7)
