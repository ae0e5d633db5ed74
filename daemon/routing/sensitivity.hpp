#pragma once
/// A source's sensitivity: how low a score must be for its items to count as negative. Pure.
///
/// The pipeline applies it to the scorer's Sentiment right after scoring, before understanding,
/// routing and storage, so that the stored label, the claims, the case, the alert and the digest
/// all see one label. The score itself is kept as the scorer gave it.

#include "daemon/sentiment/scorer.hpp"

#include <optional>

namespace otklik {

/// The label of `s` for a source whose negative threshold is `negative_threshold` (< 0):
/// negative when the score is at or below it; an item the scorer called negative whose score is
/// above it becomes neutral; others keep the scorer's label (a threshold below zero never turns a
/// positive item negative, and no item becomes positive). Without a threshold (sensitivity
/// "normal") the scorer's own label, unchanged.
[[nodiscard]] Label label_at(const Sentiment& s, std::optional<double> negative_threshold) noexcept;

}  // namespace otklik
