#pragma once
/// How a mention's understanding is stored, the same on every backend: the author keys have
/// columns of their own, a claim's text is kept only where it is not simply its span of the
/// scored text, and a mention that is not negative and names no brand form keeps nothing.

#include "daemon/core/mention.hpp"
#include "daemon/sentiment/scorer.hpp"
#include "daemon/understanding/understanding.hpp"

#include <string>

namespace otklik::store {

/// The JSON to store for `u` ("" when there is nothing to keep).
std::string stored_understanding(const understanding::Understanding& u, Label label, const Mention& m);

/// Puts back the claims' texts stored_understanding left out, from the scored text of `m`.
void restore_claim_texts(understanding::Understanding& u, const Mention& m);

}  // namespace otklik::store
