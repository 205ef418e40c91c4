# fuzz targets: HL7 forwarding (the hospital engine's ACKs are outside bytes)
vigil_add_fuzzer(forward_ack_reader ${CMAKE_SOURCE_DIR}/tests/forward/fuzz/forward_ack_reader_fuzz.cpp
  LIBS vigil_forward)
