// From raw contributions to a Sentiment: politeness in complaints, the text score, rating fusion,
// labels, confidence, per-sentence scores and the "why" list.
#include "daemon/sentiment/engine.hpp"

#include <boost/unordered/unordered_flat_map.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace otklik::sentiment {
namespace {

constexpr std::size_t kMaxWhy = 10;
constexpr std::size_t kMaxTermBytes = 80;

double normalize(double s, double alpha) { return s / std::sqrt(s * s + alpha); }

Label label_of(double score, Lang lang, const EngineParams& p) {
  if (score >= p.positive_threshold) return Label::positive;
  if (score <= -(lang == Lang::en ? p.english_negative_threshold : p.negative_threshold)) return Label::negative;
  return Label::neutral;
}

/// Cuts `s` to at most `max` bytes without splitting a UTF-8 sequence.
std::string_view cut_utf8(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

/// A clear complaint, as the irony rules read one (irony.cpp): at least this much negative valence.
constexpr double kClearComplaint = 1.5;

/// The factor for thanks, please, a smile or laughter inside a complaint of `neg` negative valence.
/// In Russian text a smile or laughter is bitter only in a clear complaint («Привезли не то, ещё и
/// холодную)))»); beside one mild trouble («опять мерзнуть :)», «боюсь фоток=)))») it is a joke
/// and keeps part of its weight. Thanks, please and English text keep `polite_in_complaint`.
double polite_in_complaint_factor(const Workspace& ws, const RawContribution& r, double neg, const EngineParams& p) {
  const bool smile = r.rule.empty() && (ws.hits[r.hit].entry->tags & kTagEmoji) != 0;
  if (smile && ws.lang == Lang::ru && neg < kClearComplaint) return p.smile_in_mild_complaint;
  return p.polite_in_complaint;
}

}  // namespace

void Engine::finish(std::string_view text, std::optional<double> rating, Workspace& ws, Sentiment& out,
                    bool score_only) const {
  const auto& p = params_;
  const auto& toks = ws.buf.tokens;

  // Thanks and please inside a complaint are not praise (and after one, often bitter).
  double pos = 0;
  double neg = 0;
  for (const RawContribution& r : ws.raw) {
    if (r.polite || r.quoted) continue;
    (r.value > 0 ? pos : neg) += std::abs(r.value);
  }
  // Praise in short quotes («отличный» сервис) is irony in a complaint, a name otherwise.
  const bool complaint = neg > pos && neg >= 1.0;  // a slip of the customer's own ("I mixed up the address") is none
  for (RawContribution& r : ws.raw) {
    if (r.polite && r.value > 0 && complaint) r.value *= polite_in_complaint_factor(ws, r, neg, p);
    if (r.quoted) r.value *= complaint ? p.quoted_positive : 0.0;
  }

  // A verdict ("не рекомендую", "will be back") sums up a long review: it grows with the text. The
  // last sentence of a longer text is usually the conclusion.
  const auto sentences = static_cast<double>(ws.sentence_sum.size());
  const double verdict = std::min(p.verdict_max, 1.0 + p.verdict_per_sentence * std::max(0.0, sentences - 1));
  const auto last_sentence = static_cast<std::uint32_t>(ws.sentence_sum.size()) - 1;
  const double negative_scale = std::min(
      p.negative_scale_max, p.negative_scale + p.negative_per_sentence * std::max(0.0, sentences - 1));
  double total = 0;
  pos = 0;
  neg = 0;
  for (RawContribution& r : ws.raw) {
    if (r.value < 0) r.value *= negative_scale;
    if (r.verdict) r.value *= verdict;
    if (sentences >= 3 && r.sentence == last_sentence) r.value *= p.last_sentence;
    total += r.value;
    ws.sentence_sum[r.sentence] += r.value;
    (r.value > 0 ? pos : neg) += std::abs(r.value);
  }
  double score = total == 0 ? 0.0 : normalize(total + p.bias, p.alpha);

  if (rating) {
    const double stars = std::clamp(*rating, 0.0, 5.0);
    double shift = 0;
    if (stars <= 2.0) {
      // Low stars make the item negative unless the text is clearly positive.
      const double target = -0.3 - 0.1 * (2.0 - stars);
      if (score < 0.5) shift = std::min(0.0, target - score);
      else shift = -0.3;
    } else if (stars >= 4.0) {
      shift = 0.15 * (stars - 3.0);
      if (score < -0.5) shift *= 0.5;
    } else if (stars < 3.5) {
      shift = -0.1;
    }
    score = std::clamp(score + shift, -1.0, 1.0);
    char name[32];
    std::snprintf(name, sizeof name, "rating %.1f/5", stars);
    if (shift != 0) out.why.push_back({name, shift * 4});
  }

  out.score = score;
  out.label = label_of(score, ws.lang, p);
  if (score_only) return;
  const double evidence = pos + neg;
  const double dominance = evidence > 0 ? std::abs(pos - neg) / evidence : 0;
  if (out.label == Label::neutral) {
    out.confidence = evidence == 0 ? 0.6 : std::clamp(0.5 * (1.0 - std::abs(score) / 0.2), 0.1, 0.5);
  } else {
    out.confidence = std::clamp((0.35 + 0.65 * std::abs(score)) * (0.5 + 0.5 * dominance), 0.0, 1.0);
    if (rating) out.confidence = std::min(1.0, out.confidence + 0.1);
  }

  out.sentences.reserve(ws.sentence_sum.size());
  for (std::size_t s = 0; s < ws.sentence_sum.size(); ++s) {
    const std::uint32_t b = ws.sentence_tokens[2 * s];
    const std::uint32_t e = ws.sentence_tokens[2 * s + 1];
    const double ss = normalize(ws.sentence_sum[s], p.alpha);
    out.sentences.push_back({toks[b].begin, toks[e - 1].end, ss, label_of(ss, ws.lang, p)});
  }

  // "why": surface text of each hit (with its negator), merged by term, strongest first.
  boost::unordered_flat_map<std::string, std::size_t> index;
  if (ws.raw.size() > 32)
    for (std::size_t w = 0; w < out.why.size(); ++w) index.emplace(out.why[w].term, w);
  for (const RawContribution& r : ws.raw) {
    if (r.value == 0) continue;
    std::string term;
    if (!r.rule.empty()) {
      term = r.rule;
    } else {
      const Hit& h = ws.hits[r.hit];
      if (r.negator >= 0) {
        const Token& nt = toks[static_cast<std::uint32_t>(r.negator)];
        term = text.substr(nt.begin, nt.end - nt.begin);
        term += static_cast<std::uint32_t>(r.negator) + 1 == h.first ? " " : " … ";
      }
      const std::uint32_t last = r.last != UINT32_MAX ? r.last : h.last;
      term += cut_utf8(text.substr(toks[h.first].begin, toks[last].end - toks[h.first].begin), kMaxTermBytes);
      if (h.first != last || r.negator >= 0) term = sanitize_utf8(term);
    }
    if (ws.raw.size() <= 32) {  // few terms: a linear search beats building a map
      const auto it = std::find_if(out.why.begin(), out.why.end(), [&](const Contribution& c) { return c.term == term; });
      if (it == out.why.end()) out.why.push_back({std::move(term), r.value});
      else it->weight += r.value;
      continue;
    }
    const auto [it, inserted] = index.emplace(term, out.why.size());
    if (inserted) out.why.push_back({std::move(term), r.value});
    else out.why[it->second].weight += r.value;
  }
  std::stable_sort(out.why.begin(), out.why.end(), [](const Contribution& a, const Contribution& b) {
    return std::abs(a.weight) > std::abs(b.weight);
  });
  if (out.why.size() > kMaxWhy) out.why.resize(kMaxWhy);
  for (Contribution& c : out.why) c.weight = std::round(c.weight * 1000) / 1000;
}

}  // namespace otklik::sentiment
