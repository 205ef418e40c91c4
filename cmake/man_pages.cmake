# Man pages for the four programs, made at build time by help2man from each program's own
# --help and --version (Debian: help2man), so they never disagree with the flags. Installed to
# share/man/man1 with the program's component. Without help2man they are skipped (said at
# configure time); fuzz builds skip them (their programs are instrumented, never shipped).
find_program(VIGIL_HELP2MAN help2man)
if(NOT VIGIL_HELP2MAN OR VIGIL_FUZZ)
  if(NOT VIGIL_FUZZ)
    message(STATUS "vigil: man pages skipped: needs help2man (scripts/install-deps.sh)")
  endif()
  return()
endif()

# vigil_man_page(program component "one-line description")
function(vigil_man_page program component description)
  set(page ${CMAKE_BINARY_DIR}/man/${program}.1)
  add_custom_command(
    OUTPUT ${page}.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
    # No DISPLAY for the dashboard: its --help must not need one.
    COMMAND ${CMAKE_COMMAND} -E env --unset=DISPLAY --unset=WAYLAND_DISPLAY
            ${VIGIL_HELP2MAN} --no-info --section=1 --name=${description}
            --source=Vigil --manual=Vigil --output=${page} $<TARGET_FILE:${program}>
    # Compressed, without name or time stamp inside (Debian policy 12.1).
    COMMAND gzip -9nf ${page}
    DEPENDS ${program}
    COMMENT "help2man ${program}"
    VERBATIM)
  add_custom_target(${program}_man ALL DEPENDS ${page}.gz)
  install(FILES ${page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT ${component})
endfunction()

vigil_man_page(vigild vigil "Vigil's vital-signs monitoring daemon")
vigil_man_page(vigilctl vigil "watch Vigil's live stream and export its records")
vigil_man_page(vigil-sim vigil "simulated bedside monitors for vigild")
if(VIGIL_DASHBOARD)
  vigil_man_page(vigil-dashboard dashboard "the nurse's screen for vigild")
endif()
