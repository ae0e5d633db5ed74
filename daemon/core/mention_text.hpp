#pragma once
/// Rules on the texts of a mention before it is stored.

#include "daemon/core/mention.hpp"

#include <cstddef>

namespace otklik {

/// Removes NUL bytes from every text field (a JSON API may send "\u0000"; XML and HTML cannot).
/// Done before anything is stored, so that both backends keep the same text: PostgreSQL's text
/// cannot hold a NUL. Returns how many were removed.
std::size_t drop_nul_bytes(Mention& m);

}  // namespace otklik
