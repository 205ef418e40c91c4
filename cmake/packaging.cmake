# .deb packages with CPack (scripts/package.sh runs `cpack -G DEB` in a built tree):
#   vigil            vigild, vigilctl, vigil-sim, units, /etc/vigil/vigild.conf (a conffile),
#                    sysusers/tmpfiles, man pages, docs; postinst makes the user and the
#                    directories and enables vigild (deploy/debian/)
#   vigil-dashboard  the nurse's screen, its .desktop entry and icon
# CPack rather than debhelper: it packages the tree CI already built and the install rules
# CMake already has (no second build inside dpkg-buildpackage, no debian/rules to keep in
# step with CMakeLists), and dpkg-shlibdeps still computes the library dependencies.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME vigil)
set(CPACK_PACKAGE_VENDOR "Vigil")
# Vigil has no mail address of its own yet. `.invalid` (RFC 2606) says so plainly: no mail
# can reach it, unlike a placeholder in someone else's domain, and dpkg and lintian accept
# its form (lintian rejects localhost). Change it here, in one place, when there is one.
set(CPACK_PACKAGE_CONTACT "Vigil developers <vigil-dev@vigil.invalid>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# A Debian revision: these are packages of an upstream version (vigil_0.1.0-1_amd64.deb).
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL vigil)
if(VIGIL_DASHBOARD)
  list(APPEND CPACK_COMPONENTS_ALL dashboard)
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # vigil_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# No Homepage: field (optional in Debian): Vigil has no public site to name.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_VIGIL_PACKAGE_NAME vigil)
set(CPACK_DEBIAN_VIGIL_PACKAGE_SECTION net)
# The maintainer scripts use these when present (systemd, init-system-helpers); passwd is
# the fallback for making the user.
set(CPACK_DEBIAN_VIGIL_PACKAGE_RECOMMENDS "systemd")
set(CPACK_DEBIAN_VIGIL_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/deploy/debian/conffiles ${CMAKE_SOURCE_DIR}/deploy/debian/postinst
    ${CMAKE_SOURCE_DIR}/deploy/debian/prerm ${CMAKE_SOURCE_DIR}/deploy/debian/postrm)
set(CPACK_COMPONENT_VIGIL_DESCRIPTION
    "vital-signs monitor daemon for infusion clinics\nvigild receives patient monitors (HL7 v2 over MLLP, GE S/5 serial), stores\nevery reading in SQLite, raises alerts and streams them to nurse dashboards.\nvigilctl exports records, reports and backups; vigil-sim simulates monitors.")
set(CPACK_DEBIAN_DASHBOARD_PACKAGE_NAME vigil-dashboard)
set(CPACK_DEBIAN_DASHBOARD_PACKAGE_SECTION x11)
# Loaded by path at run time (gui/app/fonts.cpp), so dpkg-shlibdeps cannot see it.
set(CPACK_DEBIAN_DASHBOARD_PACKAGE_DEPENDS "fonts-dejavu-core")
set(CPACK_COMPONENT_DASHBOARD_DESCRIPTION
    "nurse's screen for the Vigil vital-signs monitor\nvigil-dashboard shows every chair's vital signs and alerts from vigild and\nsounds IEC 60601-1-8 alarm tones.")

# Debian wants a copyright file and a changelog in each package's doc directory.
foreach(package vigil vigil-dashboard)
  set(component vigil)
  if(package STREQUAL "vigil-dashboard")
    set(component dashboard)
  endif()
  set(docs ${CMAKE_BINARY_DIR}/package-doc/${package})
  file(MAKE_DIRECTORY ${docs})
  # The licence: LICENSE in the source tree (Apache-2.0, whose text Debian ships in
  # base-files' /usr/share/common-licenses, so the copyright file points there).
  file(WRITE ${docs}/copyright
       "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: vigil\n\nFiles: *\nCopyright: 2026 The Vigil developers\nLicense: Apache-2.0\n\nLicense: Apache-2.0\n Licensed under the Apache License, Version 2.0 (the \"License\"); you may not\n use this software except in compliance with the License. Unless required by\n applicable law or agreed to in writing, software distributed under the License\n is distributed on an \"AS IS\" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY\n KIND, either express or implied.\n .\n On Debian systems, the full text of the Apache License, Version 2.0 is in\n /usr/share/common-licenses/Apache-2.0.\n")
  string(TIMESTAMP stamp "%a, %d %b %Y %H:%M:%S +0000" UTC)
  file(WRITE ${docs}/changelog.Debian
       "${package} (${PROJECT_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}) unstable; urgency=medium\n\n  * Built from the Vigil source tree (cmake/packaging.cmake).\n\n -- ${CPACK_PACKAGE_CONTACT}  ${stamp}\n")
  # gzip -n: no name or time stamp inside, as Debian asks.
  add_custom_command(OUTPUT ${docs}/changelog.Debian.gz
                     COMMAND gzip -9nkf ${docs}/changelog.Debian
                     DEPENDS ${docs}/changelog.Debian)
  add_custom_target(${package}_changelog ALL DEPENDS ${docs}/changelog.Debian.gz)
  install(FILES ${docs}/copyright ${docs}/changelog.Debian.gz DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${package}
          COMPONENT ${component})
endforeach()

# Everything the packages hold, for scripts/package.sh to build without the tests.
add_custom_target(vigil_package_inputs)
add_dependencies(vigil_package_inputs vigild vigilctl vigil-sim vigil_changelog)
if(VIGIL_DASHBOARD)
  add_dependencies(vigil_package_inputs vigil-dashboard vigil-dashboard_changelog)
endif()
foreach(program vigild vigilctl vigil-sim vigil-dashboard)
  if(TARGET ${program}_man)
    add_dependencies(vigil_package_inputs ${program}_man)
  endif()
endforeach()

include(CPack)
