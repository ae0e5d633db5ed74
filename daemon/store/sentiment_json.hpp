#pragma once
/// The stored form of a Sentiment: JSON text kept in mentions.sentiment_json so channels can
/// render the sentences and the "why" of an old mention exactly as it was scored. Labels and
/// languages are written with to_string() of daemon/sentiment/scorer.hpp; being on disk, those
/// names must never change, nor the sentence label codes (-1 negative, 0 neutral, 1 positive).
///
/// Version 2 (written since 2026-12-08): a sentence is [begin, end, score, label code] and a term
/// [term, weight], every number the shortest text that reads back as the same double:
/// {"v":2,"label":"negative","score":-0.6,"confidence":0.8,"lang":"ru",
///  "sentences":[[0,12,-0.6,-1]],"why":[["ужасно",-0.6]]}
/// Version 1 (no "v"; still read) kept objects:
/// {"label":"negative","score":-0.6,"confidence":0.8,"lang":"ru",
///  "sentences":[{"begin":0,"end":12,"score":-0.6,"label":"negative"}],
///  "why":[{"term":"ужасно","weight":-0.6}]}

#include "daemon/core/error.hpp"
#include "daemon/sentiment/scorer.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace otklik::store {

/// Serialises every field of `s` (doubles round-trip exactly).
std::string sentiment_to_json(const Sentiment& s);
/// Parses what sentiment_to_json writes, or wrote in version 1; errc::parse_failed on anything else.
Result<Sentiment> sentiment_from_json(std::string_view json);

}  // namespace otklik::store
