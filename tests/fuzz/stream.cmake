# fuzz targets: stream
# stream_client_messages: what the server parses from a client (FrameDecoder + ClientMessage).
vigil_add_fuzzer(stream_client_messages ${CMAKE_SOURCE_DIR}/tests/stream/client_messages_fuzz.cpp
  LIBS vigil_stream)
# stream_server_messages: what a client parses and prints (FrameDecoder + ServerMessage +
# vigilctl watch's JSON lines).
vigil_add_fuzzer(stream_server_messages ${CMAKE_SOURCE_DIR}/tests/stream/server_messages_fuzz.cpp
  LIBS vigil_client)
