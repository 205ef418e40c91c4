# Hardening for the programs a clinic runs (Debian's hardening=+all, by hand: CPack builds
# no debian/rules for dpkg-buildflags to feed). On for optimised builds (Release,
# RelWithDebInfo, MinSizeRel: what scripts/package.sh ships and CI's stage 1 tests), off for
# Debug (_FORTIFY_SOURCE needs the optimiser) and for the sanitizer and fuzz builds (ASan
# brings its own checks and rejects some of these). tests/package/check_packages.sh reads
# the packaged programs' ELF headers for BIND_NOW, PIE and the stack protector.
#   -D_FORTIFY_SOURCE=2          checked memcpy/sprintf/read... where sizes are known
#   -fstack-protector-strong     canaries in every function with a local array or address taken
#   -fstack-clash-protection     a large stack allocation probes each page (no jump over the guard)
#   PIE + -z relro -z now        ASLR for the program itself; GOT read-only after start-up
set(hardening_default OFF)
if(CMAKE_BUILD_TYPE MATCHES "^(Release|RelWithDebInfo|MinSizeRel)$" AND NOT VIGIL_SANITIZE AND NOT VIGIL_FUZZ)
  set(hardening_default ON)
endif()
option(VIGIL_HARDEN "Hardening flags (fortify, stack protector, PIE, full RELRO)" ${hardening_default})
if(NOT VIGIL_HARDEN)
  return()
endif()
if(VIGIL_SANITIZE OR VIGIL_FUZZ)
  message(FATAL_ERROR "VIGIL_HARDEN is for shipped builds, not with VIGIL_SANITIZE or VIGIL_FUZZ")
endif()

# -U first: a compiler that already defines it (Ubuntu's gcc) would warn of a redefinition.
add_compile_options(-U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fstack-clash-protection)
add_link_options(-Wl,-z,relro,-z,now)
# PIE for executables (policy CMP0083: POSITION_INDEPENDENT_CODE adds -pie at link time).
include(CheckPIESupported)
check_pie_supported(LANGUAGES CXX)
set(CMAKE_POSITION_INDEPENDENT_CODE ON)
