#include "daemon/replies/phrase_match.hpp"

#include "daemon/sentiment/text.hpp"

#include <algorithm>

namespace otklik::replies {

WordSeq word_seq(std::string_view text) {
  sentiment::TokenBuffer buffer;
  sentiment::tokenize(text, buffer);
  WordSeq seq;
  int sentence = 0;
  for (const auto& t : buffer.tokens) {
    if (t.kind == sentiment::TokenKind::sentence_end) {
      ++sentence;
    } else if (t.kind == sentiment::TokenKind::word || t.kind == sentiment::TokenKind::number ||
               t.kind == sentiment::TokenKind::hashtag) {
      seq.words.emplace_back(buffer.norm(t));
      seq.sentence.push_back(sentence);
    }
  }
  return seq;
}

std::string normalised_words(std::string_view text) {
  const WordSeq seq = word_seq(text);
  std::string out;
  for (const auto& w : seq.words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

std::vector<std::string> find_phrases(std::string_view text, const std::vector<std::string>& phrases) {
  std::vector<std::string> found;
  if (phrases.empty()) return found;
  const WordSeq seq = word_seq(text);
  for (const auto& phrase : phrases) {
    const std::vector<std::string> p = word_seq(phrase).words;
    if (p.empty() || p.size() > seq.words.size()) continue;
    for (std::size_t i = 0; i + p.size() <= seq.words.size(); ++i) {
      if (seq.sentence[i] != seq.sentence[i + p.size() - 1]) continue;
      if (std::equal(p.begin(), p.end(), seq.words.begin() + static_cast<std::ptrdiff_t>(i))) {
        if (std::find(found.begin(), found.end(), phrase) == found.end()) found.push_back(phrase);
        break;
      }
    }
  }
  return found;
}

bool said_in(std::string_view part, std::string_view whole) {
  const std::string p = normalised_words(part);
  if (p.empty()) return false;
  const std::string w = " " + normalised_words(whole) + " ";
  return w.find(" " + p + " ") != std::string::npos;
}

}  // namespace otklik::replies
