// The rules applied to lexicon hits, sentence by sentence (docs/sentiment.md, "Rules"): negation and
// its scope, boosters, contrast, emphasis, questions, warnings, lack, return intent, excess,
// comparisons, fault lists and summaries, Russian concord and absent problems, solved problems and
// requests for information. Language detection is in language.cpp. Sentence-wide complaint patterns (waits, written
// scores, problems dragging on, repeated attempts) are in complaint_patterns.cpp, rules across
// sentences (irony) in irony.cpp; the text score, rating fusion, labels and "why" in result.cpp.
#include "daemon/sentiment/cue_words.hpp"
#include "daemon/sentiment/rules_internal.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>
#include <utility>

namespace otklik::sentiment {
namespace {

using rules::ends_with;
using rules::ends_with_negation;
using rules::foreign_object;
using rules::kSentimentRoles;
using rules::long_wait;
using rules::next_content;
using rules::one_of;
using rules::previous_word;
using rules::sign;
using rules::starts_with_any;
using rules::word_list;
using rules::written_rating;

constexpr std::array<double, 3> kBoosterDamping{1.0, 0.95, 0.9};


struct Booster {
  std::uint32_t token;
  double weight;
};

/// "не покупайте", "не ведитесь": a Russian plural imperative (-йте, -ите, -йтесь, -итесь).
bool russian_imperative(std::string_view w) {
  return ends_with(w, "йте") || ends_with(w, "ите") || ends_with(w, "йтесь") || ends_with(w, "итесь");
}

/// A Russian full adjective by its ending: "русская", "городской", "женских".
bool russian_adjective(std::string_view w) {
  if (w.size() < 8) return false;  // three letters and an ending at least
  for (const std::string_view e : {"ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ого", "его", "ому", "ему",
                                   "ым", "им", "ую", "юю", "ых", "их"})
    if (ends_with(w, e)) return true;
  return false;
}

/// True when the hit after `it` starts at token `t` (the word after a negator is a lexicon term).
bool has_hit_at(const Workspace& ws, std::vector<Hit>::const_iterator it, std::uint32_t t) {
  return it != ws.hits.end() && it->first == t;
}

/// "can't change the delivery address", "couldn't get me on another train", "won't let me log
/// in": what the customer cannot get done, told without an evaluative word. The negator `n` is a
/// negated "can" or "will" and the next hit, if any, lies beyond the next four words of its clause
/// (a term there is negated as usual: "won't regret", "can't wait"). Idioms of praise or of a
/// plain fact ("can't complain", "can't go wrong", "couldn't put it down", "won't be") are left out.
bool inability(const Workspace& ws, std::vector<Hit>::const_iterator next_hit, std::uint32_t n, std::uint32_t verb,
               std::uint32_t end) {
  const auto& toks = ws.buf.tokens;
  if (toks[n].script != Script::latin || verb >= end || toks[verb].kind != TokenKind::word) return false;
  const std::string_view neg = ws.buf.norm(toks[n]);
  const bool would = neg == "wouldn't" || neg == "wouldnt";  // "the agent wouldn't do it", "wouldn't let me"
  if (!would && !one_of(neg, {"can't", "cant", "cannot", "couldn't", "couldnt", "won't", "wont"})) return false;
  if (ws.clause[verb] != ws.clause[n]) return false;
  // "I wouldn't change a thing", "wouldn't mind", "wouldn't know": no refusal.
  if (would && !one_of(ws.buf.norm(toks[verb]), {"let", "do", "give", "allow", "take", "accept", "honor", "honour",
                                                 "refund", "move", "change", "waive", "budge", "listen", "board"}))
    return false;
  if (would && ws.buf.norm(toks[verb]) == "change") {
    const std::uint32_t nx = next_content(toks, verb, end);  // "wouldn't change a thing" is praise
    if (nx < end && one_of(ws.buf.norm(toks[nx]), {"a", "anything", "it"})) return false;
  }
  if (one_of(ws.buf.norm(toks[verb]), {"be", "have", "wait", "believe", "stop", "say", "complain", "go", "ask", "put",
                                       "imagine", "beat", "help", "think", "remember", "tell", "decide",
                                       "find", "see", "understand", "figure"}))
    return false;
  if (next_hit != ws.hits.end() && next_hit->first < end && ws.clause[next_hit->first] == ws.clause[n] &&
      ws.word_index[next_hit->first] - ws.word_index[n] <= 4)
    return false;
  return true;
}

/// True when the negator at token `n` opens a warning: "не покупайте", "Don't order", "Never go".
bool negated_imperative(const Workspace& ws, std::uint32_t n, std::uint32_t first_content, std::uint32_t verb) {
  const auto& toks = ws.buf.tokens;
  const std::string_view neg = ws.buf.norm(toks[n]);
  const std::string_view v = ws.buf.norm(toks[verb]);
  if (toks[verb].script == Script::cyrillic) return neg == "не" && russian_imperative(v);
  if (toks[verb].script != Script::latin) return false;
  if (neg != "don't" && neg != "dont" && neg != "never" && neg != "not") return false;
  // At the start of the sentence, or after "do"/"please"/"just"/"so" there.
  std::uint32_t before = n;
  if (n > first_content && toks[n - 1].kind == TokenKind::word && ws.buf.norm(toks[n - 1]) == "please") {
    before = n - 1;  // "if you read this, please don't go there": "please" marks the imperative anywhere
  } else if (n > first_content) {
    before = first_content;
    const std::string_view w = ws.buf.norm(toks[first_content]);
    if (ws.word_index[n] - ws.word_index[first_content] != 1) return false;
    if (w != "do" && w != "please" && w != "just" && w != "so" && w != "and") return false;
  }
  if (neg == "not" && (before == n || ws.buf.norm(toks[before]) != "do")) return false;
  // "Never had anything to complain about": a past tense tells, it does not warn.
  if (ends_with(v, "ed") || one_of(v, {"had", "was", "were", "been", "did", "got", "came", "went", "saw", "made", "took",
                                       "gave", "felt", "found", "knew", "thought", "ate", "left", "said", "told",
                                       "heard", "bought", "brought", "paid", "sent", "seen", "done"}))
    return false;
  return v != "you" && v != "i" && v != "it" && v != "know" && v != "think" && v != "get";
}

/// How far an English negator reaches a term after it.
enum class Scope : std::uint8_t {
  reach,        ///< the term is negated
  blocked,      ///< a clause or an object phrase begins in between: "can't believe how dirty"
  intensified,  ///< "never been so bad", "could not have been more pleased": a degree, not a negation
};

/// English negation scope between the negator at `neg` and the term at `term` (same clause).
Scope english_scope(const Workspace& ws, std::uint32_t neg, std::uint32_t term, double weight) {
  const auto& toks = ws.buf.tokens;
  const std::string_view nw = ws.buf.norm(toks[neg]);
  // "barely lukewarm" is cold; "barely a boring moment" is still a negation.
  if (weight < 0 && (nw == "barely" || nw == "hardly") && next_content(toks, neg, term + 1) == term)
    return Scope::blocked;
  bool never = nw == "never";
  const bool could = one_of(nw, {"couldn't", "couldnt", "can't", "cant", "cannot"}) ||
                     (nw == "not" && neg > 0 && one_of(ws.buf.norm(toks[neg - 1]), {"could", "can"}));
  if (could && weight > 0) {  // "can't stop recommending them", "couldn't stop smiling": more, not less
    const std::uint32_t nx = next_content(toks, neg, term + 1);
    if (nx < term && ws.buf.norm(toks[nx]) == "stop") return Scope::intensified;
  }
  bool verb = false;  // a lexical verb after the negator: a determiner then opens its object
  bool be = false;
  for (std::uint32_t k = neg + 1; k <= term; ++k) {
    if (toks[k].kind != TokenKind::word) continue;
    const std::string_view w = ws.buf.norm(toks[k]);
    if (k == term) {  // the term itself may open with the degree word ("so bad" is a phrase) …
      if (never && one_of(w, {"so", "such", "this", "as", "more"})) return Scope::intensified;
      // … or be a comparative: "I've never had better ramen", "never felt worse".
      if (never && one_of(w, {"better", "worse", "happier", "nicer", "tastier", "fresher", "friendlier", "cleaner",
                              "easier", "faster"}))
        return Scope::intensified;
      break;
    }
    if (one_of(w, {"how", "what", "why", "who", "whom", "which", "where", "whether"})) {
      // "can't believe how dirty": an exclamative clause of its own; but "don't see how anyone
      // could enjoy it" is a hypothetical the negation still governs.
      for (std::uint32_t q = k + 1; q < term; ++q)  // … and so is "doesn't know how to make a good film"
        if (toks[q].kind == TokenKind::word &&
            one_of(ws.buf.norm(toks[q]), {"could", "would", "can", "should", "anyone", "anybody", "possibly", "to"}))
          return Scope::reach;
      return Scope::blocked;
    }
    if (w == "ever") never = true;
    if (never && one_of(w, {"so", "such", "this", "as", "more"})) return Scope::intensified;
    if (one_of(w, {"be", "been", "ask", "asked"})) be = true;
    if (could && be && w == "more") return Scope::intensified;
    if (weight < 0 && verb &&
        one_of(w, {"the", "a", "an", "this", "that", "these", "those", "my", "our", "your", "their", "his", "her", "its"}))
      return Scope::blocked;
    if (!one_of(w, {"be", "been", "being", "is", "are", "was", "were", "am", "have", "has", "had", "having", "do", "does",
                    "did", "ever", "even", "really", "very", "so", "too", "that", "the", "a", "an", "any", "at", "all",
                    "just", "only", "quite", "always", "once", "yet", "i", "we", "you", "it", "they", "he", "she",
                    "me", "us", "them", "there", "to"}))
      verb = true;
  }
  if (could && be) {  // "couldn't be happier", "could not be better": a comparative after "could not be"
    const std::string_view t = ws.buf.norm(toks[term]);
    if (t.size() > 4 && ends_with(t, "er")) return Scope::intensified;
  }
  return Scope::reach;
}

/// "would have been great", "could've done it well": a wish about what did not happen.
bool irrealis(const Workspace& ws, std::uint32_t term, std::uint32_t begin) {
  const auto& toks = ws.buf.tokens;
  std::uint32_t k = term;
  for (int words = 0; words < 4; ++words) {
    k = previous_word(ws, k, begin);
    if (k == UINT32_MAX) return false;
    const std::string_view w = ws.buf.norm(toks[k]);
    bool modal_perfect = one_of(w, {"would've", "could've", "should've", "might've", "wouldve", "couldve", "shouldve"});
    if (w == "have") {
      const std::uint32_t m = previous_word(ws, k, begin);
      modal_perfect = m != UINT32_MAX && one_of(ws.buf.norm(toks[m]), {"would", "could", "should", "might"});
    }
    if (modal_perfect) {  // … followed by a participle: "have been", "have liked", not "have a great time"
      const std::uint32_t p = next_content(toks, k, term + 1);
      if (p > term) return false;
      const std::string_view pw = ws.buf.norm(toks[p]);
      return p == term || ends_with(pw, "ed") || ends_with(pw, "en") ||
             one_of(pw, {"been", "done", "had", "made", "gone", "got", "brought", "bought", "paid", "left", "found"});
    }
  }
  return false;
}

/// "better than this", "more intelligent than these": praise of something else, at this one's cost.
bool compared_with_this(const Workspace& ws, std::uint32_t term, std::uint32_t end) {
  const auto& toks = ws.buf.tokens;
  std::uint32_t k = term;
  for (int words = 0; words < 6; ++words) {
    k = next_content(toks, k, end);
    if (k >= end) return false;
    if (ws.buf.norm(toks[k]) == "than") {
      const std::uint32_t o = next_content(toks, k, end);
      return o < end && one_of(ws.buf.norm(toks[o]), {"this", "these", "here", "them", "it"});
    }
  }
  return false;
}

/// A function word after "too" ("me too, and…", "I too was"), where "too" means "also".
bool function_word(std::string_view w) {
  return one_of(w, {"and", "but", "or", "i", "we", "you", "he", "she", "they", "it", "was", "is", "are", "were", "am",
                    "be", "the", "a", "an", "to", "of", "in", "on", "at", "for", "with", "as", "so", "that", "this",
                    "my", "our", "had", "have", "has", "will", "would", "can", "could", "did", "do", "does", "which",
                    "who", "if", "when", "then", "lol", "haha", "though", "much"});
}

/// "won't ever step in it again", "couldn't pay me to eat there again": a negated clause that ends in
/// "again" is a verdict against coming back (unless a lexicon phrase already holds the "again").
void negated_again(const EngineParams& p, Workspace& ws, std::vector<Hit>::const_iterator negator,
                   std::uint32_t end, std::uint32_t sentence) {
  const auto& toks = ws.buf.tokens;
  const std::string_view nw = ws.buf.norm(toks[negator->last]);
  if (nw == "no" || nw == "without") return;
  const std::uint32_t cl = ws.clause[negator->last];
  std::uint32_t k = negator->last;
  for (int words = 0; words < 10; ++words) {
    k = next_content(toks, k, end);
    if (k >= end || ws.clause[k] != cl) return;
    if (ws.buf.norm(toks[k]) != "again") continue;
    for (auto h = negator + 1; h != ws.hits.end() && h->first <= k; ++h)
      if (h->last >= k || (h->entry->tags & kTagVerdict) != 0) return;  // "never eat here again": counted once
    RawContribution& r = ws.raw.emplace_back();
    r.hit = static_cast<std::uint32_t>(negator - ws.hits.begin());
    r.value = p.negated_again;
    r.sentence = sentence;
    r.verdict = true;
    r.last = k;
    return;
  }
}

/// True when a conditional ("if", "unless") opens the clause of token `t` before it: "if you are
/// looking for good food" is no praise.
bool conditional(const Workspace& ws, std::uint32_t t, std::uint32_t begin) {
  const auto& toks = ws.buf.tokens;
  const std::uint32_t cl = ws.clause[t];
  const std::uint32_t stop = t - std::min<std::uint32_t>(t - begin, 16);  // bounded: linear time on any input
  for (std::uint32_t k = t; k > stop;) {
    --k;
    if (ws.clause[k] != cl) return false;
    if (toks[k].kind == TokenKind::word && one_of(ws.buf.norm(toks[k]), {"if", "unless"})) return true;
  }
  return false;
}

/// A word at token `k` that opens a list of faults ("Минусы:", "из недостатков", "cons:", "the only
/// downside"): the factor for the negative terms after it (×0.3 after "единственный"/"only"), else 1.
double fault_marker(const Workspace& ws, std::uint32_t k, std::uint32_t begin, const EngineParams& p) {
  const auto& toks = ws.buf.tokens;
  if (toks[k].kind != TokenKind::word) return 1.0;
  const std::string_view w = ws.buf.norm(toks[k]);
  // The word before is looked for only for the words that need it.
  const auto previous = [&] {
    const std::uint32_t prev = previous_word(ws, k, begin);
    return prev == UINT32_MAX ? std::string_view() : ws.buf.norm(toks[prev]);
  };
  const bool marker = one_of(w, rules::kFaultMarkers) || (w == "мелочи" && previous() == "по") ||
                      (one_of(w, {"complaint", "complaints"}) && one_of(previous(), {"only", "minor"}));
  if (!marker) return 1.0;
  for (std::uint32_t q = k, words = 0; words < 2; ++words) {
    q = previous_word(ws, q, begin);
    if (q == UINT32_MAX) break;
    const std::string_view qw = ws.buf.norm(toks[q]);
    if (qw == "only" || qw.starts_with("единственн")) return p.only_fault;
  }
  return p.fault_list;
}

/// A cheap gate before the marker lists: the first letter of every fault or summary marker.
bool marker_start(std::string_view w) {
  if (w.size() < 2) return false;
  const auto c0 = static_cast<unsigned char>(w[0]);
  const auto c1 = static_cast<unsigned char>(w[1]);
  if (c0 == 0xD0) return c1 == 0xBC || c1 == 0xBD || c1 == 0xBF || c1 == 0xB8 || c1 == 0xB2 || c1 == 0xBE;  // м н п и в о
  if (c0 == 0xD1) return c1 == 0x80 || c1 == 0x86;                                                        // р ц
  return c0 == 'c' || c0 == 'd' || c0 == 'g' || c0 == 'o' || c0 == 'l' || c0 == 'u' || c0 == 'a';
}

/// "В целом", "в итоге", "итог:", "overall", "all in all", "bottom line": the sentence sums up.
bool summary_marker(const Workspace& ws, std::uint32_t k, std::uint32_t begin) {
  const auto& toks = ws.buf.tokens;
  if (toks[k].kind != TokenKind::word) return false;
  const std::string_view w = ws.buf.norm(toks[k]);
  // Every word that can make a summary below, asked first: the walks below are for these alone.
  if (!one_of(w, rules::kSummaryWords)) return false;
  // Only among the first three words of the sentence or after a dash: "я, в общем, не знаю" is a
  // filler. (The tokenizer marks ":" like ","; "Итог: …" opens its sentence anyway.)
  std::uint32_t first = begin;
  while (first < k && toks[first].kind != TokenKind::word) ++first;
  const auto after_dash = [&](std::uint32_t q) {
    return q > begin && toks[q - 1].kind == TokenKind::clause_break && toks[q - 1].mark == '-';
  };
  const std::uint32_t before = previous_word(ws, k, begin);
  if (ws.word_index[k] - ws.word_index[first] >= 3 && !after_dash(k) && !(before != UINT32_MAX && after_dash(before)))
    return false;
  if (one_of(w, {"итог", "итоге", "итогу", "итоги", "вывод", "резюме", "вообщем", "вцелом", "целом", "overall"}))
    return true;
  if (w == "общем") {  // "в общем-то" is a filler
    const std::uint32_t nx = next_content(toks, k, static_cast<std::uint32_t>(toks.size()));
    return nx >= toks.size() || ws.buf.norm(toks[nx]) != "то";
  }
  const std::uint32_t prev = previous_word(ws, k, begin);
  if (prev == UINT32_MAX) return false;
  const std::string_view pw = ws.buf.norm(toks[prev]);
  return (w == "впечатление" && pw == "общее") || (w == "general" && pw == "in") || (w == "line" && pw == "bottom") ||
         (w == "up" && pw == "sum") || (w == "conclusion" && pw == "in") ||
         (w == "all" && pw == "in" && prev > begin && previous_word(ws, prev, begin) != UINT32_MAX &&
          ws.buf.norm(toks[previous_word(ws, prev, begin)]) == "all");
}

/// "никаких проблем", "ни одной поломки"; "проблем не было", "претензий нет": a Russian negative noun
/// said to be absent. Returns the token that says so, or UINT32_MAX.
std::uint32_t russian_absence(const Workspace& ws, const Hit& h, std::uint32_t begin, std::uint32_t end) {
  const auto& toks = ws.buf.tokens;
  std::uint32_t k = h.first;
  for (int words = 0; words < 3; ++words) {
    k = previous_word(ws, k, begin);
    if (k == UINT32_MAX) break;
    const std::string_view w = ws.buf.norm(toks[k]);
    if (one_of(w, {"никаких", "никакой", "никакого", "никакие", "никакая", "никакую", "никаким"})) return k;
    if (one_of(w, {"одной", "одного", "одна", "один", "единой", "единого"})) {
      const std::uint32_t n = previous_word(ws, k, begin);
      if (n != UINT32_MAX && ws.buf.norm(toks[n]) == "ни") return n;
    }
  }
  k = h.last;
  for (int words = 0; words < 3; ++words) {
    k = next_content(toks, k, end);
    if (k >= end || ws.clause[k] != ws.clause[h.last]) break;
    const std::string_view w = ws.buf.norm(toks[k]);
    if (one_of(w, {"а", "но", "и", "зато", "однако"})) break;
    // The absence ends the clause ("проблем нет", "поломок не было"); in "опять нет связи" the
    // missing thing follows it.
    const auto ends_clause = [&](std::uint32_t t) {
      const std::uint32_t nx = next_content(toks, t, end);
      return nx >= end || ws.clause[nx] != ws.clause[t] ||
             one_of(ws.buf.norm(toks[nx]), {"и", "а", "но", "у", "с", "за", "вообще", "совсем", "никогда"});
    };
    if (w == "нет") return ends_clause(k) ? k : UINT32_MAX;
    if (w == "не") {
      const std::uint32_t v = next_content(toks, k, end);
      if (v < end && one_of(ws.buf.norm(toks[v]), {"было", "возникало", "возникло", "возникали", "наблюдалось",
                                                   "замечено", "обнаружено", "случалось", "случилось"}) &&
          ends_clause(v))
        return k;
      break;
    }
  }
  return UINT32_MAX;
}

/// "fixed my issue", "refunded the double charge", "проблему решили", "zero dropped calls": a
/// problem said to be solved or absent. Returns the token that says so, or UINT32_MAX.
std::uint32_t solved_problem(const Workspace& ws, const Hit& h, std::uint32_t begin) {
  const auto& toks = ws.buf.tokens;
  const auto negated = [&](std::uint32_t verb) {  // "didn't fix the problem", "не вернули деньги за брак"
    const std::uint32_t pw = previous_word(ws, verb, begin);
    return pw != UINT32_MAX && (ends_with_negation(ws.buf.norm(toks[pw])) || ws.buf.norm(toks[pw]) == "не");
  };
  const std::string_view term = ws.buf.norm(toks[h.first]);
  if (toks[h.first].script == Script::cyrillic && (ends_with(term, "ть") || ends_with(term, "ться")))
    return UINT32_MAX;  // "решила отказаться": decided to, not solved
  std::uint32_t k = h.first;
  for (int words = 0; words < 4; ++words) {  // "refunded an item that never arrived"
    k = previous_word(ws, k, begin);
    if (k == UINT32_MAX) break;
    const std::string_view w = ws.buf.norm(toks[k]);
    const bool solved = toks[k].script == Script::latin ? one_of(w, rules::kSolvedEnglish)
                                                        : one_of(w, rules::kSolvedRussian);
    if (solved) return negated(k) ? UINT32_MAX : k;
    if (words < 2 && one_of(w, rules::kZero)) return k;  // "zero dropped calls"
  }
  // "проблему с картой решили за пять минут": the problem, then the verb.
  if (toks[h.last].script != Script::cyrillic) return UINT32_MAX;
  k = h.last;
  for (int words = 0; words < 3; ++words) {
    k = next_content(toks, k, static_cast<std::uint32_t>(toks.size()));
    if (k >= toks.size() || ws.clause[k] != ws.clause[h.last]) break;
    const std::string_view w = ws.buf.norm(toks[k]);
    if (w == "не") break;  // "проблему так и не решили"
    if (one_of(w, rules::kSolvedRussianAfter)) return k;
  }
  return UINT32_MAX;
}

/// A problem of the customer's own making or only feared: «я перепутала адрес», "I lost my AirPods",
/// «ожидала долгой волокиты», "expected the worst". Not the company's fault, or not what happened.
bool own_doing(const Workspace& ws, const Hit& h, std::uint32_t begin) {
  const auto& toks = ws.buf.tokens;
  const std::string_view term = ws.buf.norm(toks[h.first]);
  const std::uint32_t pw = previous_word(ws, h.first, begin);
  const std::string_view prev = pw == UINT32_MAX ? std::string_view() : ws.buf.norm(toks[pw]);
  if (prev == "я" && starts_with_any(term, {"перепутал", "забыл", "потерял", "ошиб", "уронил", "разбил"}))
    return true;
  if (one_of(prev, {"i", "i'd", "i've"}) && one_of(term, {"lost", "forgot", "dropped", "misplaced", "messed"}))
    return true;
  std::uint32_t k = h.first;
  for (int words = 0; words < 2; ++words) {
    k = previous_word(ws, k, begin);
    if (k == UINT32_MAX) break;
    if (one_of(ws.buf.norm(toks[k]), {"ожидал", "ожидала", "ожидали", "боялся", "боялась", "боялись", "опасался",
                                      "опасалась", "expected", "feared", "dreaded", "expecting"}))
      return true;
  }
  return false;
}

/// «Молодцы, чё», «Отлично, чо»: praise followed by "чё" is a sneer.
bool followed_by_che(const Workspace& ws, std::uint32_t last, std::uint32_t end) {
  const auto& toks = ws.buf.tokens;
  std::uint32_t k = last + 1;
  while (k < end && toks[k].kind == TokenKind::clause_break) ++k;
  return k < end && toks[k].kind == TokenKind::word && one_of(ws.buf.norm(toks[k]), {"че", "чо", "чë"});
}

/// A request for information, not an opinion: "Can I return an opened item?", "Можно ли вернуть
/// товар без чека?", "Как отключить автопродление?". Its terms weigh little.
bool info_question(const Workspace& ws, std::uint32_t first_content, std::uint32_t end) {
  const auto& toks = ws.buf.tokens;
  if (first_content >= end) return false;
  const std::string_view a = ws.buf.norm(toks[first_content]);
  const std::uint32_t second = next_content(toks, first_content, end);
  const std::string_view b = second < end ? ws.buf.norm(toks[second]) : std::string_view();
  if (toks[first_content].script == Script::latin) {
    bool asks = false;
    if (one_of(a, {"can", "could", "may", "do", "does"}))
      asks = one_of(b, {"i", "we", "you", "it", "there", "they", "anyone", "anybody"});
    else if (one_of(a, {"anyone", "anybody"}))
      asks = one_of(b, {"know", "knows"});  // not "anyone else having this?"
    else
      asks = a == "how" && one_of(b, {"do", "can", "does"});
    return asks && !rules::rhetorical_question(ws, second, end);
  }
  if (a == "подскажите" || a == "скажите" || (a == "кто" && b == "нибудь")) return true;  // «Кто-нибудь …?»
  if (b == "ли" && one_of(a, {"можно", "есть", "нужна", "нужно", "нужен", "нужны", "стоит"})) return true;
  return a == "как" && (ends_with(b, "ть") || ends_with(b, "ться") || b == "мне");
}

/// "Why is my refund taking 3 weeks?", "why am I paying extra for …", "And why can't anyone
/// answer": a sentence that opens with "why" (after @names or a linking word) asks a company to
/// account for something — a reproach, even without a single evaluative word. Not "why not …" (a
/// suggestion), not when the sentence already praises ("why are you so awesome?").
bool why_reproach(const Workspace& ws, std::uint32_t begin, std::uint32_t end, double sentence_sum) {
  if (sentence_sum > 0) return false;
  const auto& toks = ws.buf.tokens;
  for (std::uint32_t k = begin; k < end; ++k) {
    const Token& t = toks[k];
    if (t.kind == TokenKind::mention || t.kind == TokenKind::url || t.kind == TokenKind::clause_break ||
        t.kind == TokenKind::quote)
      continue;
    if (t.kind != TokenKind::word || t.script != Script::latin) return false;
    const std::string_view w = ws.buf.norm(t);
    if (one_of(w, {"and", "so", "but", "then", "now", "ok", "okay", "seriously", "also"})) continue;
    if (w != "why") return false;
    const std::uint32_t nx = next_content(toks, k, end);
    return nx < end && ws.buf.norm(toks[nx]) != "not";
  }
  return false;
}

/// "связи нет", "ответа не было", "смс не пришло": a thing the customer needs said to be missing by
/// a negation after it. Returns the negating token, or UINT32_MAX.
std::uint32_t russian_missing(const Workspace& ws, const Hit& h, std::uint32_t end) {
  const auto& toks = ws.buf.tokens;
  std::uint32_t k = h.last;
  for (int words = 0; words < 2; ++words) {
    k = next_content(toks, k, end);
    if (k >= end || ws.clause[k] != ws.clause[h.last]) break;
    const std::string_view w = ws.buf.norm(toks[k]);
    if (w == "нет") return k;
    if (w == "не") {
      const std::uint32_t v = next_content(toks, k, end);
      if (v < end && one_of(ws.buf.norm(toks[v]), {"было", "будет", "стало", "появилось", "появлялось", "пришло",
                                                   "приходило", "поступало", "поступило", "дождались", "дождался",
                                                   "дождалась"}))
        return k;
      break;
    }
  }
  return UINT32_MAX;
}

/// "понравился только десерт", "лишь музыка порадовала", "Единственное, что понравилось, — интерьер":
/// praise restricted to one thing says the rest was bad.
bool russian_restrictive(const Workspace& ws, const Hit& h, std::uint32_t begin, std::uint32_t end,
                         std::uint32_t first_content) {
  const auto& toks = ws.buf.tokens;
  const std::string_view w = ws.buf.norm(toks[h.first]);
  if (!starts_with_any(w, {"понрав", "нрав", "порадова", "впечатлил"})) return false;
  const std::uint32_t prev = previous_word(ws, h.first, begin);
  if (prev != UINT32_MAX && ws.buf.norm(toks[prev]) == "не") return false;
  if (first_content < end) {
    const std::string_view f = ws.buf.norm(toks[first_content]);
    if (f.starts_with("единственн") && first_content != h.first) return true;
  }
  for (std::uint32_t k = h.first, words = 0; words < 2; ++words) {
    k = previous_word(ws, k, begin);
    if (k == UINT32_MAX) break;
    if (one_of(ws.buf.norm(toks[k]), {"только", "лишь"})) return true;
  }
  for (std::uint32_t k = h.last, words = 0; words < 2; ++words) {
    k = next_content(toks, k, end);
    if (k >= end) break;
    if (one_of(ws.buf.norm(toks[k]), {"только", "лишь"})) return true;
  }
  return false;
}

/// "not only … but": a "not only" within the 20 tokens before `t` in its sentence.
bool not_only_before(const Workspace& ws, std::uint32_t t, std::uint32_t begin) {
  const auto& toks = ws.buf.tokens;
  const std::uint32_t stop = t - std::min<std::uint32_t>(t - begin, 20);
  for (std::uint32_t k = t; k > stop + 1;) {
    --k;
    if (ws.buf.norm(toks[k]) == "only" && ws.buf.norm(toks[k - 1]) == "not") return true;
  }
  return false;
}

/// "enough" within four words after `t` in its clause: "can't recommend this place enough".
bool enough_after(const Workspace& ws, std::uint32_t t, std::uint32_t end) {
  const auto& toks = ws.buf.tokens;
  std::uint32_t k = t;
  for (int words = 0; words < 4; ++words) {
    k = next_content(toks, k, end);
    if (k >= end || ws.clause[k] != ws.clause[t]) return false;
    if (ws.buf.norm(toks[k]) == "enough") return true;
  }
  return false;
}

/// Sentence-wide English patterns without a lexicon term of their own: a long wait and a score
/// written in the text.
void english_sentence_rules(const EngineParams& p, std::uint32_t sentence, std::uint32_t begin, std::uint32_t end,
                            Workspace& ws) {
  const auto& toks = ws.buf.tokens;
  if (long_wait(ws, begin, end)) {
    RawContribution& r = ws.raw.emplace_back();
    r.value = p.long_wait;
    r.sentence = sentence;
    r.rule = "long wait";
  }
  if (foreign_object(ws, begin, end)) {
    RawContribution& r = ws.raw.emplace_back();
    r.value = p.foreign_object;
    r.sentence = sentence;
    r.rule = "something in the food";
  }
  for (std::uint32_t k = begin; k < end; ++k) {
    if (toks[k].kind != TokenKind::number) continue;
    const auto hit = std::lower_bound(ws.hits.begin(), ws.hits.end(), k,
                                      [](const Hit& h, std::uint32_t t) { return h.first < t; });
    if (hit != ws.hits.end() && hit->first == k) continue;  // "10/10" is a lexicon entry
    const double f = written_rating(ws, k, end);
    if (f < 0) continue;
    RawContribution& r = ws.raw.emplace_back();
    r.value = f <= 0.4 ? p.rating_low : f < 0.7 ? p.rating_mid : p.rating_high;
    r.sentence = sentence;
    r.verdict = true;
    r.rule = f <= 0.4 ? "low score" : f < 0.7 ? "middling score" : "high score";
    break;
  }
}

}  // namespace

void Engine::score_sentence(std::uint32_t sentence, std::uint32_t begin, std::uint32_t end, Workspace& ws,
                            bool& contrast_at_start) const {
  const auto& toks = ws.buf.tokens;
  const auto& p = params_;
  contrast_at_start = false;
  const bool shouting = ws.buf.letters_total >= 8 && ws.buf.letters_upper * 10 >= ws.buf.letters_total * 6;
  const Token& last_tok = toks[end - 1];
  const bool question = last_tok.kind == TokenKind::sentence_end && last_tok.mark == '?';
  std::uint32_t first_content = end;
  for (std::uint32_t k = begin; k < end; ++k) {
    const TokenKind kind = toks[k].kind;
    if (kind != TokenKind::sentence_end && kind != TokenKind::clause_break && kind != TokenKind::quote) {
      first_content = k;
      break;
    }
  }

  const bool asks = question && info_question(ws, first_content, end);

  // Fault lists ("Минусы: …", "the only downside …") and summaries ("в целом", "overall").
  std::uint32_t fault_from = end;
  double fault_factor = 1.0;
  std::uint32_t summary_from = end;  // the verdict multiplier applies from the marker on
  // Which of the words that the rules below wait for the sentence holds (cue_words.hpp).
  const std::uint32_t cues = rules::cues_of(ws, begin, end);
  for (std::uint32_t k = (cues & rules::kCueMarker) != 0 ? begin : end; k < end; ++k) {
    if (toks[k].kind != TokenKind::word || !marker_start(ws.buf.norm(toks[k]))) continue;
    if (fault_from == end) {
      fault_factor = fault_marker(ws, k, begin, p);
      if (fault_factor != 1.0) fault_from = k;
    }
    if (summary_from == end && summary_marker(ws, k, begin)) summary_from = k;
  }
  if (fault_from == end && sentence > 0) {  // "Минусы:" ending the sentence before opens this one
    const std::uint32_t pb = ws.sentence_tokens[2 * (sentence - 1)];
    bool header = false;  // a list header ends in ":"; "…остальное — минусы." is a statement
    for (std::uint32_t k = ws.sentence_tokens[2 * (sentence - 1) + 1]; k > pb;) {
      --k;
      const TokenKind kind = toks[k].kind;
      if (kind == TokenKind::clause_break) header = true;  // ":" (marked like ","), or a dash
      if (kind == TokenKind::sentence_end || kind == TokenKind::clause_break || kind == TokenKind::quote) continue;
      fault_factor = header ? fault_marker(ws, k, pb, p) : 1.0;
      if (fault_factor != 1.0) fault_from = begin - 1;  // the whole sentence, its first word included
      break;
    }
  }

  std::int32_t negator = -1;
  std::array<Booster, 4> boosters{};
  std::size_t booster_count = 0;
  double after_factor = 1.0;
  std::uint32_t concessive_clause = UINT32_MAX;
  const std::size_t raw_begin = ws.raw.size();

  const auto first_hit = std::lower_bound(ws.hits.begin(), ws.hits.end(), begin,
                                          [](const Hit& h, std::uint32_t t) { return h.first < t; });
  for (auto it = first_hit; it != ws.hits.end() && it->first < end; ++it) {
    const Hit& h = *it;
    const LexEntry& e = *h.entry;
    const std::uint32_t cl = ws.clause[h.first];
    // A quoted name says nothing of the thing reviewed ("a weak remake of "My Big Fat Greek Wedding"");
    // praise in a short one («"MegaFon 3G Подключено"» with no access) may still be irony, below.
    if ((ws.quoted[h.first] & Workspace::kTitle) != 0 &&
        ((ws.quoted[h.first] & Workspace::kShortQuote) == 0 || e.weight < 0))
      continue;
    if ((e.tags & kTagNegMod) != 0) {
      // "не очень хороший": a negator when a sentiment term follows closely in its clause.
      bool before_term = false;
      for (auto nx = it + 1; nx != ws.hits.end() && nx->first < end; ++nx) {
        if (ws.clause[nx->first] != cl || ws.word_index[nx->first] - ws.word_index[h.last] > 2) break;
        if ((nx->entry->tags & kSentimentRoles) == 0 && nx->entry->weight != 0) {
          before_term = true;
          break;
        }
      }
      if (before_term) {
        negator = static_cast<std::int32_t>(h.last);
        continue;
      }
    } else if ((e.tags & kTagNegator) != 0) {
      negator = static_cast<std::int32_t>(h.last);
      if (toks[h.last].script == Script::latin) negated_again(p, ws, it, end, sentence);
      if (h.last + 2 < end && toks[h.last + 1].kind == TokenKind::clause_break &&
          ws.buf.norm(toks[h.last + 2]) == "ever")
        negator = static_cast<std::int32_t>(h.last + 2);  // "never, ever go back"
      std::uint32_t verb = next_content(toks, h.last, end);
      const std::string_view neg_word = ws.buf.norm(toks[h.last]);
      if ((neg_word == "no" || neg_word == "without") && verb < end &&
          one_of(ws.buf.norm(toks[verb]), {"any", "a", "an", "the", "much", "more"}))
        verb = next_content(toks, verb, end);  // "without any hassle": the thing is the next word
      if (verb < end && (neg_word == "no" || neg_word == "without") && !has_hit_at(ws, it + 1, verb)) {
        // "no plot", "without sauce": a missing thing, in a review a complaint.
        RawContribution& r = ws.raw.emplace_back();
        r.hit = static_cast<std::uint32_t>(it - ws.hits.begin());
        r.value = p.lack * after_factor;
        r.sentence = sentence;
        r.last = verb;
      } else if (verb < end && inability(ws, it + 1, h.last, verb, end)) {
        RawContribution& r = ws.raw.emplace_back();
        r.hit = static_cast<std::uint32_t>(it - ws.hits.begin());
        r.value = p.inability * after_factor;
        r.sentence = sentence;
        r.last = verb;
      } else if (verb < end && negated_imperative(ws, h.last, first_content, verb)) {
        RawContribution& r = ws.raw.emplace_back();
        r.hit = static_cast<std::uint32_t>(it - ws.hits.begin());
        r.value = p.warning * after_factor;
        r.sentence = sentence;
        r.last = verb;
      }
      continue;
    } else if ((e.tags & kTagBooster) != 0) {
      boosters[booster_count % boosters.size()] = {h.last, e.weight};
      ++booster_count;
      if (h.first == h.last && toks[h.first].script == Script::latin && ws.buf.norm(toks[h.first]) == "too") {
        // "too pretentious", "too many close-ups": excess, when no lexicon term follows.
        const std::uint32_t nx = next_content(toks, h.last, end);
        const std::uint32_t pw = previous_word(ws, h.first, begin);
        if (nx < end && !has_hit_at(ws, it + 1, nx) && !function_word(ws.buf.norm(toks[nx])) &&
            (pw == UINT32_MAX || !ends_with_negation(ws.buf.norm(toks[pw])))) {
          RawContribution& r = ws.raw.emplace_back();
          r.hit = static_cast<std::uint32_t>(it - ws.hits.begin());
          r.value = p.excess * after_factor * (question ? p.question_negative : 1.0);
          r.sentence = sentence;
          r.last = nx;
        }
      }
      continue;
    } else if ((e.tags & kTagContrast) != 0) {
      if (not_only_before(ws, h.first, begin)) continue;  // "not only … but (also)" adds, it does not contrast
      // Only the first contrast of a sentence damps what precedes it (linear time on any input).
      if (h.first == first_content) {
        contrast_at_start = true;
      } else if (after_factor == 1.0) {
        for (std::size_t r = raw_begin; r < ws.raw.size(); ++r) ws.raw[r].value *= p.contrast_before;
      }
      after_factor = p.contrast_after;
      negator = -1;
      continue;
    } else if ((e.tags & kTagConcessive) != 0) {
      concessive_clause = cl;
      continue;
    }
    double v = e.weight;
    if (v == 0) continue;
    const bool english = toks[h.first].script == Script::latin;
    if (english && h.first == h.last && toks[h.first].joined && ws.buf.norm(toks[h.first]) == "free") continue;
    if (english && v < 0 && h.first == h.last && (e.tags & kSentimentRoles) == 0 && rules::quick_duration(ws, h.first, begin))
      continue;  // "called back within minutes": a time word that weighs as a wait
    // "charisma-free", "hassle-free": free of a good thing is bad, free of a bad one good.
    bool free_of = english && h.last + 1 < end && toks[h.last + 1].joined && ws.buf.norm(toks[h.last + 1]) == "free";
    if (free_of) {
      const std::string_view x = ws.buf.norm(toks[h.last]);
      if (x == "interest") continue;  // "interest-free": no interest charged, a term of a loan
      if (x == "care") free_of = false;  // "care-free" is "carefree"
      else v = -v * p.free_of;
    }
    if (english && v > 0 && v < 3.5 && h.first == h.last &&
        one_of(ws.buf.norm(toks[h.first]), {"great", "huge", "big", "total", "complete", "real", "absolute", "utter",
                                            "major", "true", "perfect", "pure", "massive", "serious"})) {
      // "a great disappointment", "a total waste": a degree adjective before a negative noun.
      const auto nx = it + 1;
      if (nx != ws.hits.end() && nx->first < end && ws.clause[nx->first] == cl &&
          ws.word_index[nx->first] == ws.word_index[h.last] + 1 && nx->entry->weight < 0 &&
          (nx->entry->tags & kSentimentRoles) == 0) {
        boosters[booster_count % boosters.size()] = {h.last, p.degree_adjective};
        ++booster_count;
        continue;
      }
    }
    if (!english && h.first == h.last && ws.buf.norm(toks[h.first]) == "чисто") {
      // "чисто русская классика", "чисто городской автомобиль": "purely", not "clean".
      const std::uint32_t nx = next_content(toks, h.last, end);
      if (nx < end && ws.clause[nx] == cl && russian_adjective(ws.buf.norm(toks[nx]))) continue;
    }
    if (ws.lang == Lang::en && h.first == h.last && toks[h.first].kind == TokenKind::emoticon &&
        toks[h.first].norm_len == 1)
      continue;  // a lone bracket in English text is punctuation, not a smile
    const double s = sign(v);
    const std::uint32_t wi = ws.word_index[h.first];
    for (std::size_t b = 0; b < std::min(booster_count, boosters.size()); ++b) {
      const Booster& bo = boosters[b];
      const std::uint32_t dist = wi - ws.word_index[bo.token];
      if (ws.clause[bo.token] == cl && dist >= 1 && dist <= kBoosterDamping.size())
        v += s * bo.weight * kBoosterDamping[dist - 1];
    }
    if (v * s < 0.1 * std::abs(e.weight)) v = s * 0.1 * std::abs(e.weight);
    const Token& t = toks[h.first];
    if (t.caps && !shouting && t.kind == TokenKind::word) v += s * p.caps_boost;
    if (t.emphasis) {
      if (t.kind == TokenKind::emoji || t.kind == TokenKind::emoticon) {
        v *= 1.0 + 0.2 * std::min<int>(t.repeat - 1, 3);
      } else {
        v += s * p.emphasis_boost;
      }
    }
    if (h.prefix_negated) v *= p.negated_positive;
    bool turned = false;  // excess, irrealis or a comparison already turned the term around
    if (english && v > 0) {
      const std::uint32_t pw = previous_word(ws, h.first, begin);
      const std::string_view prev = pw == UINT32_MAX ? std::string_view() : ws.buf.norm(toks[pw]);
      if (prev == "too" && e.weight < 2.5 && h.first == h.last) {
        // "too sweet", "too fast": too much of a good thing. "not too" is a phrase of its own.
        const std::uint32_t ppw = previous_word(ws, pw, begin);
        if (ppw == UINT32_MAX || !ends_with_negation(ws.buf.norm(toks[ppw]))) {
          v = p.excess;
          turned = true;
        }
      } else if (one_of(ws.buf.norm(toks[h.first]), {"easily", "easy", "quickly", "quick", "fast"}) &&
                 ws.raw.size() > raw_begin && ws.raw.back().value < 0 && ws.raw.back().rule.empty() &&
                 ws.raw.back().sentence == sentence) {
        // "breaks easily", "drains quickly": the manner of a fault.
        const Hit& before = ws.hits[ws.raw.back().hit];
        if (ws.clause[before.last] == cl && ws.word_index[h.first] - ws.word_index[before.last] <= 2)
          v *= p.manner_after_negative;
      } else if (irrealis(ws, h.first, begin) || rules::wanted_quality(ws, h.first, begin)) {
        v *= p.negated_positive;  // "would have been great", "should be more helpful": it was not
        turned = true;
      } else if (compared_with_this(ws, h.last, end)) {
        v = -v;  // "you can find better movies than this"
        turned = true;
      }
    }
    if ((e.tags & kTagVerdict) != 0 && v > 0) {
      // "советую не брать", "recommend not buying": the advice is to stay away.
      const std::uint32_t nx = next_content(toks, h.last, end);
      if (nx < end) {
        const std::string_view w = ws.buf.norm(toks[nx]);
        if (one_of(w, {"не", "not", "never", "against", "avoiding", "staying", "waiting", "skipping"})) v = -std::abs(v);
        // "рекомендую поменять шины", "советую лучше взять другую": advice, not a verdict.
        else if (toks[nx].script == Script::cyrillic && (w == "лучше" || ends_with(w, "ть") || ends_with(w, "ться") ||
                                                          ends_with(w, "ти")))
          v = 0;
      }
    }
    if (v < 0 && (e.tags & kSentimentRoles) == 0 && own_doing(ws, h, begin)) v *= p.own_doing;
    if (v > 0 && h.first == h.last && followed_by_che(ws, h.last, end)) v *= p.quoted_positive;  // «Молодцы, чё»
    std::int32_t flipped_by = -1;
    bool concord = false;
    if (v < 0 && (e.tags & kSentimentRoles) == 0 && (e.tags & kTagProfanity) == 0 && (cues & rules::kCueSolved) != 0) {
      const std::uint32_t solved = solved_problem(ws, h, begin);
      if (solved != UINT32_MAX) {
        const std::string_view w = ws.buf.norm(toks[solved]);
        v = (w == "zero" || w == "0" ? p.absent_problem : p.solved_problem) * std::abs(v);
        flipped_by = static_cast<std::int32_t>(solved);
        concord = true;
      }
    }
    if (concord) {
      // solved or absent: nothing more to turn around
    } else if (t.script == Script::cyrillic) {
      // Negative concord: "никогда не подводила" holds one negation, in the phrase "не подводила".
      concord = h.first != h.last && ws.buf.norm(t) == "не";
      if (v < 0 && !concord && (e.tags & kSentimentRoles) == 0) {
        const std::uint32_t absent = russian_absence(ws, h, begin, end);
        if (absent != UINT32_MAX) {
          v = p.absent_problem * std::abs(v);
          flipped_by = static_cast<std::int32_t>(absent);
          concord = true;
        }
      } else if (v > 0 && (e.tags & kTagNeed) != 0 && negator < 0) {
        const std::uint32_t missing = russian_missing(ws, h, end);
        if (missing != UINT32_MAX) {
          v *= p.negated_positive;
          flipped_by = static_cast<std::int32_t>(missing);
          concord = true;
        }
      } else if (v > 0 && russian_restrictive(ws, h, begin, end, first_content)) {
        v *= p.restrictive;
        concord = true;
      }
    }
    const bool negatable = (e.tags & (kTagNoNegate | kTagEmoji)) == 0 && t.kind != TokenKind::emoji &&
                           t.kind != TokenKind::emoticon;
    // "used to" turns an evaluation to the past ("used to love it"), not a function ("the owner used
    // to work at Nobu").
    const bool past_only = negator > 0 && (e.tags & kTagNeed) != 0 &&
                           ws.buf.norm(toks[static_cast<std::uint32_t>(negator)]) == "to" &&
                           ws.buf.norm(toks[static_cast<std::uint32_t>(negator) - 1]) == "used";
    if (negator >= 0 && negatable && !turned && !concord && !past_only &&
        ws.clause[static_cast<std::uint32_t>(negator)] == cl) {
      const auto neg = static_cast<std::uint32_t>(negator);
      const std::uint32_t dist = wi - ws.word_index[neg];
      // English negation reaches further ("didn't think the instructions were helpful").
      const bool latin = toks[neg].script == Script::latin;
      int window = p.negation_window + (latin ? 2 : 0);
      if (latin) {  // "didn't think that the instructions provided were helpful": a raised negation
        const std::uint32_t nx = next_content(toks, neg, h.first);
        if (nx < h.first && one_of(ws.buf.norm(toks[nx]), {"think", "believe", "feel", "suppose"})) window += 4;
      }
      Scope scope = latin ? english_scope(ws, neg, h.first, v) : Scope::reach;
      // "can't recommend it enough", "can't thank them enough" (not "could not find a loud enough speaker")
      if (latin && (e.tags & (kTagVerdict | kTagPolite)) != 0 && enough_after(ws, h.last, end))
        scope = Scope::intensified;
      // "none of them are fun or exciting": a negated term shares its negation with the next
      // one joined by "or"/"nor".
      const std::uint32_t joint = previous_word(ws, h.first, begin);
      if (joint != UINT32_MAX && one_of(ws.buf.norm(toks[joint]), {"or", "nor"}) && ws.raw.size() > raw_begin &&
          ws.raw.back().negator == negator && ws.word_index[h.first] - ws.word_index[joint] == 1)
        window = static_cast<int>(dist);
      if (dist >= 1 && dist <= static_cast<std::uint32_t>(window) && scope == Scope::reach) {
        if (v > 0) v *= (e.tags & kTagVerdict) != 0 ? p.negated_verdict : p.negated_positive;
        else v *= p.negated_negative;
        flipped_by = negator;
      }
    }
    if ((e.tags & kTagNeed) != 0 && flipped_by < 0) continue;  // "связь" alone says nothing
    const bool quoted = (ws.quoted[h.first] & Workspace::kShortQuote) != 0 && v > 0 && (e.tags & kTagEmoji) == 0;
    if (cl == concessive_clause) v *= p.concessive;
    if (v < 0 && h.first > fault_from && (e.tags & kTagVerdict) == 0) v *= fault_factor;
    if (english && v > 0 && conditional(ws, h.first, begin)) v *= p.conditional;
    v *= after_factor;
    if (question) v *= v > 0 ? p.question_positive : p.question_negative;
    if (asks) v *= english ? p.english_info_question : p.info_question;
    RawContribution& r = ws.raw.emplace_back();
    r.hit = static_cast<std::uint32_t>(it - ws.hits.begin());
    r.negator = flipped_by;
    r.value = v;
    r.sentence = sentence;
    r.polite = (e.tags & kTagPolite) != 0;
    r.verdict = (e.tags & kTagVerdict) != 0;
    r.quoted = quoted;
    if (free_of) r.last = h.last + 1;
  }
  if (ws.lang != Lang::ru) english_sentence_rules(p, sentence, begin, end, ws);  // Latin words only
  if (ws.lang != Lang::ru) {
    double so_far = 0;
    for (std::size_t r = raw_begin; r < ws.raw.size(); ++r) so_far += ws.raw[r].value;
    if (why_reproach(ws, begin, end, so_far)) {
      RawContribution& r = ws.raw.emplace_back();
      r.value = p.why_question;
      r.sentence = sentence;
      r.rule = "why …?";
    }
  }
  if (rules::repeated_attempts(ws, begin, end, raw_begin)) {
    RawContribution& r = ws.raw.emplace_back();
    r.value = p.repeated_attempts;
    r.sentence = sentence;
    r.rule = ws.lang == Lang::ru ? "снова и снова" : "again and again";
  }
  if (ws.lang != Lang::ru && rules::still_not(ws, begin, end, raw_begin)) {
    RawContribution& r = ws.raw.emplace_back();
    r.value = p.still_not;
    r.sentence = sentence;
    r.rule = "still not";
  }
  if (rules::dragging_on(ws, begin, end, raw_begin)) {
    RawContribution& r = ws.raw.emplace_back();
    r.value = p.dragging_on;
    r.sentence = sentence;
    r.rule = ws.lang == Lang::ru ? "тянется днями" : "dragging on for days";
  }
  for (std::size_t r = raw_begin; r < ws.raw.size() && summary_from < end; ++r) {
    const std::uint32_t at = ws.raw[r].rule.empty() ? ws.hits[ws.raw[r].hit].first : end;
    if (at >= summary_from) ws.raw[r].verdict = true;
  }
  double sum = 0;
  for (std::size_t r = raw_begin; r < ws.raw.size(); ++r) sum += ws.raw[r].value;
  if (last_tok.kind == TokenKind::sentence_end && last_tok.mark == '!' && sum != 0) {
    const double extra = sign(sum) * p.exclaim_boost * std::min<int>(last_tok.repeat, 4);
    RawContribution& r = ws.raw.emplace_back();
    r.value = extra;
    r.sentence = sentence;
    r.rule = "!";
  }
}

}  // namespace otklik::sentiment
