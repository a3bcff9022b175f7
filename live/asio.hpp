// Boost.Asio for live/: Debian bookworm's Boost 1.74 asio/awaitable.hpp uses
// std::exchange without including <utility>, which g++ 12 in C++23 mode does not bring
// in transitively (fixed in Boost 1.75). Include Asio through this header.
#pragma once

#include <utility>

#include <boost/asio.hpp>
