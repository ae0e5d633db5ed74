// Complaint patterns of a whole sentence, without a lexicon term of their own (docs/sentiment.md):
// a long wait, something in the food, a score written in the text, a problem dragging on for days,
// the same attempt again and again.
#include "daemon/sentiment/cue_words.hpp"
#include "daemon/sentiment/rules_internal.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <utility>

namespace otklik::sentiment::rules {
namespace {

/// Token `k` is part of a lexicon hit ("третью неделю", "в который раз" are entries of their own:
/// the pattern must not count them twice).
bool in_hit(const Workspace& ws, std::uint32_t k) {
  const auto it = std::upper_bound(ws.hits.begin(), ws.hits.end(), k,
                                   [](std::uint32_t t, const Hit& h) { return t < h.first; });
  return it != ws.hits.begin() && std::prev(it)->last >= k;
}

/// Minutes of a duration ending at the unit word `unit` ("30 minutes", "an hour", "45min"), else 0;
/// -1 for a quick one ("in 10 minutes", "within an hour", "only 5 minutes").
int duration_minutes(const Workspace& ws, std::uint32_t unit, std::uint32_t begin) {
  const auto& toks = ws.buf.tokens;
  std::string_view u = ws.buf.norm(toks[unit]);
  int quantity = -1;
  std::size_t digits = 0;
  while (digits < u.size() && u[digits] >= '0' && u[digits] <= '9') ++digits;
  if (digits > 0 && digits < u.size() && digits <= 4) {  // "30min", "2hrs"
    quantity = 0;
    for (std::size_t i = 0; i < digits; ++i) quantity = quantity * 10 + (u[i] - '0');
    u = u.substr(digits);
  }
  const bool hours = one_of(u, {"hour", "hours", "hr", "hrs"});
  if (!hours && !one_of(u, {"min", "mins", "minute", "minutes"})) return 0;
  std::uint32_t q = unit;
  if (quantity < 0) {
    q = previous_word(ws, unit, begin);
    if (q == UINT32_MAX) {  // a number token is no word
      if (unit == begin || toks[unit - 1].kind != TokenKind::number) return 0;
      q = unit - 1;
    }
    const std::string_view w = ws.buf.norm(toks[q]);
    if (toks[q].kind == TokenKind::number) {
      quantity = 0;
      for (const char c : w) {
        if (c < '0' || c > '9') break;
        quantity = std::min(quantity * 10 + (c - '0'), 100000);
      }
    } else {
      static constexpr std::array<std::pair<std::string_view, int>, 16> kNumbers{{
          {"a", 1}, {"an", 1}, {"one", 1}, {"two", 2}, {"three", 3}, {"few", 2}, {"several", 3}, {"half", 1},
          {"ten", 10}, {"fifteen", 15}, {"twenty", 20}, {"thirty", 30}, {"forty", 40}, {"fifty", 50},
          {"forty-five", 45}, {"another", 1}}};
      for (const auto& [name, value] : kNumbers)
        if (w == name) quantity = value;
      if (quantity < 0) return one_of(w, {"within", "in", "only", "just"}) ? -1 : 0;  // "called back within minutes"
    }
  }
  // "only 5 minutes", "within an hour", "in 10 minutes", "less than an hour": a quick service. "in"
  // counts only right before the quantity: "sitting in the lounge in Leeds for three hours" is a wait.
  std::uint32_t k = q;
  for (int words = 0; words < 3; ++words) {
    k = previous_word(ws, k, begin);
    if (k == UINT32_MAX) break;
    const std::string_view w = ws.buf.norm(toks[k]);
    if (one_of(w, {"only", "just", "within", "under", "than", "less", "no"})) return -1;
    // "in 10 minutes" is quick; "arrived in 2 hours" is no wait to count, nor praise.
    if (words == 0 && w == "in") return (hours ? quantity * 60 : quantity) <= 15 ? -1 : 0;
  }
  return hours ? quantity * 60 : quantity;
}

/// Minutes of a wait ending at the unit word `unit`; 0 when none or a quick one.
int wait_minutes(const Workspace& ws, std::uint32_t unit, std::uint32_t begin) {
  return std::max(0, duration_minutes(ws, unit, begin));
}

/// A duration of days, weeks or months at token `k` ("3 weeks", "two days", «неделю», «второй месяц»,
/// «21 день»), with its count word before it when there is one. Returns the count token (or `k`),
/// or UINT32_MAX.
std::uint32_t long_duration(const Workspace& ws, std::uint32_t k, std::uint32_t begin) {
  const auto& toks = ws.buf.tokens;
  const std::string_view w = ws.buf.norm(toks[k]);
  const bool russian = toks[k].script == Script::cyrillic;
  if (russian ? !one_of(w, kRussianDurationUnits) : !one_of(w, kEnglishDurationUnits)) return UINT32_MAX;
  if (k == begin) return russian ? k : UINT32_MAX;
  const std::uint32_t q = k - 1;
  const std::string_view c = ws.buf.norm(toks[q]);
  if (toks[q].kind == TokenKind::number) {
    const int n = leading_number(c);
    return n >= 2 ? q : UINT32_MAX;  // "1 day" is no wait to complain of
  }
  if (russian) {
    if (one_of(c, {"второй", "вторую", "вторые", "третий", "третью", "третьи", "четвертый", "четвертую", "четвертые",
                   "пятый", "пятую", "пятые", "две", "два", "три", "четыре", "пять", "несколько", "целую", "целый",
                   "целых"}))
      return q;
    return one_of(w, {"неделю", "месяц", "сутки"}) ? k : UINT32_MAX;  // «уже неделю», «уже месяц»
  }
  return one_of(c, {"two", "three", "four", "five", "six", "several", "ten", "many"}) ? q : UINT32_MAX;
}

/// A count of two or more at token `q`: a number, a count word ("three", «три», "several").
bool count_of_two_or_more(const Workspace& ws, std::uint32_t q) {
  const Token& t = ws.buf.tokens[q];
  const std::string_view c = ws.buf.norm(t);
  if (t.kind == TokenKind::number) {
    const int n = leading_number(c);
    return n >= 2 && n <= 100;
  }
  return one_of(c, {"two", "three", "four", "five", "six", "seven", "eight", "ten", "several", "multiple", "numerous",
                    "два", "две", "три", "четыре", "пять", "шесть", "несколько", "много"});
}

}  // namespace

bool quick_duration(const Workspace& ws, std::uint32_t unit, std::uint32_t begin) {
  return duration_minutes(ws, unit, begin) < 0;
}

/// "took 30 minutes", "waited an hour", "45 minutes late": an English sentence about a long wait.
bool long_wait(const Workspace& ws, std::uint32_t begin, std::uint32_t end) {
  if (!has_cues(ws, begin, end, kCueWait)) return false;  // no "took", "waited", … : neither half below holds
  const auto& toks = ws.buf.tokens;
  bool cue = false;
  bool took = false;  // "took three weeks", "waited two days": days and weeks count only after these
  std::uint32_t took_at = begin;
  bool wait = false;
  bool days = false;
  for (std::uint32_t k = begin; k < end; ++k) {
    if (toks[k].kind != TokenKind::word || toks[k].script != Script::latin) continue;
    const std::string_view w = ws.buf.norm(toks[k]);
    const char c = w.empty() ? ' ' : w[0];  // cheap gates first: this runs on every English word
    if ((c == 't' || c == 'w' || c == 's' || c == 'l' || c == 'f' || c == 'b' || c == 'u' || c == 'd' || c == 'h') &&
        one_of(w, kWaitCues)) {  // "delayed 3 hours", "on hold for 40 minutes"
      cue = true;
      if (one_of(w, {"took", "takes", "waited", "waiting"})) {
        took = true;
        took_at = k;
      }
    }
    if (!wait && (c == 'm' || c == 'h' || (c >= '0' && c <= '9')) && wait_minutes(ws, k, begin) >= 10) wait = true;
    if (!days && took && (c == 'd' || c == 'w') && one_of(w, {"days", "weeks", "months"}) &&
        ws.word_index[k] - ws.word_index[took_at] <= 5) {  // "took three weeks", not "took 7 minutes … in 3 days"
      const std::uint32_t q = k > begin ? k - 1 : k;  // "three weeks", "2 days"; not "a few days" or "days"
      days = q != k && !one_of(ws.buf.norm(toks[q]), {"few", "couple", "the", "of", "those", "these", "two"}) &&
             (toks[q].kind == TokenKind::number ||
              one_of(ws.buf.norm(toks[q]), {"three", "four", "five", "six", "several", "ten", "many"}));
    }
  }
  return (cue && wait) || (took && days);
}

/// "found a hair in my salad", "there was a fly in her soup": something foreign in the food.
bool foreign_object(const Workspace& ws, std::uint32_t begin, std::uint32_t end) {
  if (!has_cues(ws, begin, end, kCueFind | kCueFood)) return false;
  const auto& toks = ws.buf.tokens;
  std::uint32_t trigger = UINT32_MAX;
  for (std::uint32_t k = begin; k < end; ++k) {
    if (toks[k].kind != TokenKind::word) continue;
    const std::string_view w = ws.buf.norm(toks[k]);
    if (w.empty() || (w[0] != 'f' && w[0] != 't' && w[0] != 'w' && w[0] != 'i')) continue;  // a cheap gate
    if (one_of(w, kFindCues)) trigger = k;
    if (trigger == UINT32_MAX || w != "in" || ws.word_index[k] - ws.word_index[trigger] > 10) continue;
    const std::uint32_t owner = next_content(toks, k, end);
    if (owner >= end || !one_of(ws.buf.norm(toks[owner]), {"my", "her", "his", "our", "their", "the"})) continue;
    for (std::uint32_t f = owner, words = 0; words < 2; ++words) {  // "in my salad", "in my apple juice"
      f = next_content(toks, f, end);
      if (f >= end) break;
      if (one_of(ws.buf.norm(toks[f]), kFoodWords)) return true;
    }
  }
  return false;
}

/// A score written in the text: "3 out of 10", "2/5" → its fraction (0…1), or -1. `k` is the first number.
double written_rating(const Workspace& ws, std::uint32_t k, std::uint32_t end) {
  const auto& toks = ws.buf.tokens;
  const auto value = [&](std::uint32_t t) {
    double v = 0;
    for (const char c : ws.buf.norm(toks[t])) {
      if (c < '0' || c > '9') return -1.0;
      v = std::min(v * 10 + (c - '0'), 1000.0);
    }
    return v;
  };
  std::uint32_t m = UINT32_MAX;
  if (k + 3 < end && ws.buf.norm(toks[k + 1]) == "out" && ws.buf.norm(toks[k + 2]) == "of" &&
      toks[k + 3].kind == TokenKind::number) {
    m = k + 3;
  } else if (k + 1 < end && toks[k + 1].kind == TokenKind::number && toks[k + 1].begin == toks[k].end + 1 &&
             (k + 2 >= end || toks[k + 2].kind != TokenKind::number)) {
    m = k + 1;  // "2/10" (the slash is no token); "3/10/2015" is a date
  }
  if (m == UINT32_MAX) return -1;
  if (m + 1 < end && ws.buf.norm(toks[m + 1]) == "scale") return -1;  // "on a 1-10 scale"
  if (m + 1 < end && one_of(ws.buf.norm(toks[m + 1]), {"days", "business", "working", "hours", "minutes", "weeks",
                                                       "months", "years", "people", "percent", "am", "pm"}))
    return -1;  // "within 7-10 business days": a range, not a score
  const double n = value(k);
  const double of = value(m);
  if (n < 0 || (of != 5 && of != 10 && of != 100) || n > of) return -1;
  return n / of;
}

/// A problem that has gone on for days: «ремонт идёт уже второй месяц», «симку восстанавливаю уже
/// неделю», "tracking hasn't updated in 9 days", "still no refund after two weeks". Russian: «уже»
/// right before the duration and, in the clause, a wait, a negation or a process that drags on;
/// English: "in"/"for"/"after" before it and a negation or "still" before that, or "going on" before
/// it ("repair going on 6 weeks now"). Never when the sentence already holds praise ("I haven't had
/// a problem in 3 weeks").
bool dragging_on(const Workspace& ws, std::uint32_t begin, std::uint32_t end, std::size_t raw_begin) {
  if (!has_cues(ws, begin, end, kCueDuration)) return false;  // long_duration needs a unit of days
  for (std::size_t r = raw_begin; r < ws.raw.size(); ++r)
    if (ws.raw[r].value > 0) return false;
  const auto& toks = ws.buf.tokens;
  bool negated = false;  // English: a negation or "still" seen so far
  for (std::uint32_t k = begin; k < end; ++k) {
    if (toks[k].kind != TokenKind::word) continue;
    const std::string_view w = ws.buf.norm(toks[k]);
    if (toks[k].script == Script::latin) {
      if (w == "still" || ends_with_negation(w)) negated = true;
      const std::uint32_t q = long_duration(ws, k, begin);
      if (q == UINT32_MAX || q == begin || in_hit(ws, k)) continue;
      const std::uint32_t pw = previous_word(ws, q, begin);
      if (pw == UINT32_MAX) continue;
      const std::string_view before = ws.buf.norm(toks[pw]);
      if (negated && one_of(before, {"in", "for", "after", "over"})) return true;
      const std::uint32_t ppw = previous_word(ws, pw, begin);  // "going on 6 weeks now"
      if (before == "on" && ppw != UINT32_MAX && ws.buf.norm(toks[ppw]) == "going") return true;
      continue;
    }
    const std::uint32_t q = long_duration(ws, k, begin);
    if (q == UINT32_MAX || in_hit(ws, k) || in_hit(ws, q)) continue;
    // «пятые сутки висит», «вторую неделю жду»: an ordinal count says the problem goes on.
    if (q != k && one_of(ws.buf.norm(toks[q]), {"второй", "вторую", "вторые", "третий", "третью", "третьи",
                                                  "четвертый", "четвертую", "четвертые", "пятый", "пятую", "пятые"}))
      return true;
    const std::uint32_t pw = previous_word(ws, q, begin);
    if (pw == UINT32_MAX || ws.buf.norm(toks[pw]) != "уже") continue;
    // The cue, in the clause and within eight tokens either way (bounded: linear on any input).
    for (std::uint32_t c = q > begin + 8 ? q - 8 : begin; c < std::min(end, k + 9); ++c) {
      if (toks[c].kind != TokenKind::word || ws.clause[c] != ws.clause[k]) continue;
      const std::string_view v = ws.buf.norm(toks[c]);
      if (v == "не" || v == "нет" || v.starts_with("жд") ||
          one_of(v, {"жду", "ждем", "ждём", "идет", "идёт", "длится", "тянется", "тянут", "рассматривают", "восстанавливаю",
                     "восстанавливают", "решают", "обещают", "чинят", "ремонтируют", "проверяют", "разбираются",
                     "висит", "пытаюсь", "добиваюсь", "звоню", "пишу", "лежит", "едет", "путешествует"}))
        return true;
    }
  }
  return false;
}

/// The same attempt repeated: "six emails, four calls, two branch visits", "called three times",
/// "moved my appointment twice", «переносит приём три раза», «дважды штрафовали», «пять обращений».
/// Contacts counted need no verb; "times" / «раз» and twice / «дважды» need a verb of contact or of a
/// failed service within four words before. Never when the sentence already holds praise.
bool repeated_attempts(const Workspace& ws, std::uint32_t begin, std::uint32_t end, std::size_t raw_begin) {
  if (!has_cues(ws, begin, end, kCueRepeat)) return false;
  for (std::size_t r = raw_begin; r < ws.raw.size(); ++r)
    if (ws.raw[r].value > 0) return false;
  const auto& toks = ws.buf.tokens;
  // Asked of every word of every sentence: WordLists, whose filter turns most words away at once.
  static constexpr auto kVerbs =
      word_list("called", "emailed", "rescheduled", "cancelled", "canceled", "moved", "transferred", "declined", "tried",
                "asked", "wrote", "reported", "complained", "returned", "replaced", "charged", "billed", "postponed",
                "rebooked", "chased");
  static constexpr auto kTwice = word_list("twice", "thrice", "дважды", "трижды");
  static constexpr auto kContacts = word_list("calls", "emails", "chats", "visits", "tickets", "complaints", "звонка",
                                              "звонков", "письма", "писем", "обращения", "обращений", "заявки", "заявок");
  static constexpr auto kTimes = word_list("times", "раза", "раз");
  const auto verb_before = [&](std::uint32_t k) {
    std::uint32_t v = k;
    for (int words = 0; words < 4; ++words) {
      v = previous_word(ws, v, begin);
      if (v == UINT32_MAX) return false;
      const std::string_view w = ws.buf.norm(toks[v]);
      if (one_of(w, kVerbs) ||
          starts_with_any(w, {"перенос", "перенес", "звонил", "писал", "обращал", "отмен", "штрафов", "списал",
                              "списыв", "меняли", "возвращал", "ремонтир", "приезжал", "переустанав"}))
        return true;
    }
    return false;
  };
  for (std::uint32_t k = begin; k < end; ++k) {
    if (toks[k].kind != TokenKind::word) continue;
    const std::string_view w = ws.buf.norm(toks[k]);
    if (!one_of(w, kRepeatCues)) continue;  // one filter for the three lists below
    if (one_of(w, kTwice) && !in_hit(ws, k)) {
      if (verb_before(k)) return true;
      const std::uint32_t nx = next_content(toks, k, end);  // «дважды штрафовали»
      if (nx < end && verb_before(nx + 1 < end ? nx + 1 : nx)) return true;
      continue;
    }
    const bool contact = one_of(w, kContacts);
    const bool times = one_of(w, kTimes);
    if ((!contact && !times) || in_hit(ws, k)) continue;  // the lists first: in_hit is a search
    std::uint32_t q = previous_word(ws, k, begin);
    if (q == UINT32_MAX && k > begin && toks[k - 1].kind == TokenKind::number) q = k - 1;
    if (q != UINT32_MAX && contact && !count_of_two_or_more(ws, q)) {  // "two branch visits"
      const std::uint32_t qq = previous_word(ws, q, begin);
      q = qq != UINT32_MAX && count_of_two_or_more(ws, qq) ? qq : q;
    }
    if (q == UINT32_MAX || !count_of_two_or_more(ws, q)) {
      if (k > begin && toks[k - 1].kind == TokenKind::number && count_of_two_or_more(ws, k - 1)) q = k - 1;
      else continue;
    }
    if (contact || verb_before(q)) return true;
  }
  return false;
}

}  // namespace otklik::sentiment::rules
