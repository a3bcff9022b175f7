# cloudledger_add_library(<name> SOURCES <files...> DEPS <targets...>)
#
# One library target per folder (DESIGN.md §2). <name> is the folder path with '/'
# replaced by '_' (protocol_core); the alias is cloudledger::<name>. Dependencies
# are checked against the layer rules below: a target may only link the layers it
# is allowed to know (protocol <- sim <- app, protocol <- live <- app; analysis knows neither).
include(GNUInstallDirs)

function(cloudledger_add_library name)
    cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;EXTERNAL" ${ARGN})
    add_library(${name} ${ARG_SOURCES})
    add_library(cloudledger::${name} ALIAS ${name})
    # Headers are included from the repository root (#include "protocol/core/bytes.hpp"),
    # in the build tree and, installed, from <prefix>/include.
    target_include_directories(${name} PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
                                              $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
    # Installed and exported by cmake/cloudledger_install.cmake (the app_* ones excepted).
    set_property(GLOBAL APPEND PROPERTY CLOUDLEDGER_LIBRARIES ${name})
    foreach(dep IN LISTS ARG_DEPS)
        cloudledger_check_layer(${name} ${dep})
        target_link_libraries(${name} PUBLIC cloudledger::${dep})
    endforeach()
    if(ARG_EXTERNAL)
        target_link_libraries(${name} PUBLIC ${ARG_EXTERNAL})
    endif()
endfunction()

# Fails the configure step when <target> may not depend on <dep>.
function(cloudledger_check_layer target dep)
    string(REGEX MATCH "^[a-z]+" target_layer ${target})
    string(REGEX MATCH "^[a-z]+" dep_layer ${dep})
    set(allowed_protocol protocol)
    set(allowed_sim protocol sim)
    set(allowed_analysis analysis)
    set(allowed_live protocol live)
    set(allowed_app protocol sim analysis live app)
    if(NOT dep_layer IN_LIST allowed_${target_layer})
        message(FATAL_ERROR "layer rule: ${target} (${target_layer}) may not link ${dep} (${dep_layer})")
    endif()
endfunction()
