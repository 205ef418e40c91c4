# What `cmake --install BUILD --prefix /usr` puts on a clinic server, in two components that
# scripts/package.sh turns into two .deb packages (cmake/packaging.cmake):
#   vigil      vigild, vigilctl, vigil-sim, the units, the config, sysusers/tmpfiles, docs
#   dashboard  vigil-dashboard, its .desktop entry and icon
# Install rules elsewhere that name no component (the programs, monitor/daemon's unit and
# docs) land in "vigil": CMAKE_INSTALL_DEFAULT_COMPONENT_NAME is set before they are read.
include(GNUInstallDirs)

# The simulator: a clinic tests its monitors' network path and its alarms with it.
install(TARGETS vigil-sim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT vigil)

# The system user and its directories, applied by systemd-sysusers / systemd-tmpfiles.
install(FILES ${CMAKE_SOURCE_DIR}/deploy/vigil.sysusers DESTINATION lib/sysusers.d RENAME vigil.conf
        COMPONENT vigil)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/vigil.tmpfiles DESTINATION lib/tmpfiles.d RENAME vigil.conf
        COMPONENT vigil)
# The nightly backup, installed but not enabled (docs/reliability.md, "Backup and restore").
install(FILES ${CMAKE_SOURCE_DIR}/deploy/vigil-backup.service ${CMAKE_SOURCE_DIR}/deploy/vigil-backup.timer
        DESTINATION ${VIGIL_SYSTEMD_UNIT_DIR} COMPONENT vigil)
# The configuration: the example as the live file, a conffile in the package (an upgrade
# keeps the clinic's edits). Absolute, whatever the prefix: the unit and vigilctl look for
# /etc/vigil/vigild.conf. Stage with DESTDIR=... to install as a user.
set(VIGIL_CONFIG_DIR "/etc/vigil" CACHE PATH "Where `cmake --install` puts vigild.conf (absolute)")
install(FILES ${CMAKE_SOURCE_DIR}/deploy/vigild.conf.example DESTINATION ${VIGIL_CONFIG_DIR} RENAME vigild.conf
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ COMPONENT vigil)
# The rest of the operator's documentation (install.md and configuration.md come with vigild).
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/docs/reliability.md ${CMAKE_SOURCE_DIR}/docs/alarms.md
              ${CMAKE_SOURCE_DIR}/docs/forwarding.md ${CMAKE_SOURCE_DIR}/docs/reports.md
              ${CMAKE_SOURCE_DIR}/docs/devices.md ${CMAKE_SOURCE_DIR}/docs/scenarios.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT vigil)

if(VIGIL_DASHBOARD)
  install(TARGETS vigil-dashboard RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT dashboard)
  install(FILES ${CMAKE_SOURCE_DIR}/deploy/vigil-dashboard.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications
          COMPONENT dashboard)
  install(FILES ${CMAKE_SOURCE_DIR}/deploy/vigil-dashboard.svg
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps COMPONENT dashboard)
endif()
