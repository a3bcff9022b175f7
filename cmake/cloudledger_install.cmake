# `cmake --install`: the libraries (every cloudledger_add_library target but the app_*
# ones, which are the program's own), their headers and a CMake package, so that a
# researcher's driver can `find_package(cloudledger)` and link cloudledger::protocol,
# cloudledger::sim, cloudledger::live, cloudledger::analysis or any single library
# (docs/live.md "Using the library"). Installed layout:
#   <prefix>/lib/libNAME.a
#   <prefix>/include/{protocol,sim,live,analysis}/**.hpp
#   <prefix>/lib/cmake/cloudledger/cloudledger{Config,ConfigVersion,Targets}.cmake
include(CMakePackageConfigHelpers)

get_property(cloudledger_libraries GLOBAL PROPERTY CLOUDLEDGER_LIBRARIES)
list(FILTER cloudledger_libraries EXCLUDE REGEX "^app_")
install(TARGETS ${cloudledger_libraries} protocol sim analysis
        EXPORT cloudledgerTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
foreach(dir protocol sim live analysis)
    install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
            FILES_MATCHING PATTERN "*.hpp")
endforeach()
install(EXPORT cloudledgerTargets NAMESPACE cloudledger:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cloudledger)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/cloudledgerConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/cloudledgerConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cloudledger)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cloudledgerConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cloudledgerConfig.cmake ${PROJECT_BINARY_DIR}/cloudledgerConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cloudledger)
