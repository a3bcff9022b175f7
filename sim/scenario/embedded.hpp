// Internal to sim/scenario: files embedded in the library at build time by
// embed_files.cmake (the generated embedded_files.cpp defines these). The texts are the
// files' exact bytes; they live for the whole program.
#pragma once

#include <string_view>

namespace cl::sim::scenario::detail {

std::string_view embedded_passport_yaml();  // scenarios/passport.yaml
std::string_view embedded_regions_yaml();   // data/regions.yaml

}  // namespace cl::sim::scenario::detail
