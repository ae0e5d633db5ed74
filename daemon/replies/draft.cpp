#include "daemon/replies/draft.hpp"

#include "daemon/core/utf8.hpp"
#include "daemon/replies/author_name.hpp"
#include "daemon/replies/phrase_match.hpp"
#include "daemon/replies/reply_date.hpp"
#include "daemon/replies/template_text.hpp"

#include <algorithm>
#include <cassert>
#include <map>
#include <optional>

namespace otklik::replies {
namespace {

using Values = std::map<std::string, std::string, std::less<>>;

bool is_lower(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 0x430 && c <= 0x44F) || c == 0x451; }

char32_t lower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c == 0x401) return 0x451;
  return c;
}

/// «Ждал час» → «ждал час», but «СМС не пришло» and "ATM" keep their capitals.
std::string lower_first(std::string_view s) {
  std::size_t i = 0;
  if (s.empty()) return {};
  const char32_t first = decode_utf8(s, i);
  std::size_t j = i;
  const bool next_lower = j < s.size() && is_lower(decode_utf8(s, j));
  std::string out;
  append_utf8(out, next_lower ? lower(first) : first);
  out.append(s.substr(i));
  return out;
}

/// The customer's words fit to sit inside our sentence: no trailing marks, no brackets that
/// would read as a blank.
std::string as_quoted_words(std::string_view s) {
  auto strip = [](std::string_view v) {
    const std::string_view marks = " \t.,;:!?-";
    for (;;) {
      while (!v.empty() && marks.find(v.back()) != std::string_view::npos) v.remove_suffix(1);
      if (v.ends_with("\u2026")) v.remove_suffix(std::string_view("\u2026").size());
      else if (v.ends_with("\u2014")) v.remove_suffix(std::string_view("\u2014").size());
      else break;
    }
    while (!v.empty() && marks.find(v.front()) != std::string_view::npos) v.remove_prefix(1);
    return v;
  };
  std::string out = lower_first(strip(s));
  for (std::string_view bad : {"[[", "]]"}) {
    for (std::size_t p = out.find(bad); p != std::string::npos; p = out.find(bad, p)) out.erase(p, 1);
  }
  return out;
}

/// The names of `ids` in the taxonomy's order, first letters lower-cased, joined by ", ".
std::string topic_names(const understanding::Taxonomy& taxonomy, const std::vector<std::string>& ids,
                        std::string_view locale) {
  std::string out;
  for (const auto& t : taxonomy.topics) {
    if (std::find(ids.begin(), ids.end(), t.id) == ids.end()) continue;
    if (!out.empty()) out += ", ";
    out += lower_first(t.name.in(locale));
  }
  return out;
}

/// Whether the earlier answer already says `text`: every stretch of it between blanks that has
/// words is in the answer («Простите за ожидание: [[причина]].» is said by «Простите за ожидание:
/// не хватало кассиров.»).
bool already_said(std::string_view text, std::string_view answer) {
  bool any = false;
  std::size_t from = 0;
  for (;;) {
    const std::size_t open = text.find("[[", from);
    const std::string_view stretch = text.substr(from, open == std::string_view::npos ? text.npos : open - from);
    if (!normalised_words(stretch).empty()) {
      if (!said_in(stretch, answer)) return false;
      any = true;
    }
    if (open == std::string_view::npos) break;
    const std::size_t close = text.find("]]", open + 2);
    if (close == std::string_view::npos) break;
    from = close + 2;
  }
  return any;
}

/// Appends parts to a draft, each the first variant that keeps the rules (see render).
class Composer {
 public:
  Composer(const LocaleTemplates& t, const DraftInput& in, Draft& draft) : in_(in), draft_(draft), phrases_(t.deny) {
    phrases_.insert(phrases_.end(), t.familiar.begin(), t.familiar.end());
  }

  /// Adds the first acceptable variant of `variants`, trying them from `start` round; true when added.
  bool add(PartRole role, const std::vector<std::string>& variants, const Values& values, std::size_t start = 0,
           int claim = -1, const std::string& topic = "") {
    for (std::size_t k = 0; k < variants.size(); ++k) {
      const std::string& v = variants[(start + k) % variants.size()];
      std::optional<std::string> text = render(role, v, values);
      if (!text) continue;
      draft_.parts.push_back({role, std::move(*text), claim, topic});
      return true;
    }
    return false;
  }

 private:
  /// The variant filled in, or nothing when it cannot be used here.
  std::optional<std::string> render(PartRole role, const std::string& v, const Values& values) const {
    for (const auto& p : scan_template(v).placeholders) {
      const auto it = values.find(p);
      if (it == values.end() || it->second.empty()) return std::nullopt;
    }
    std::string text = fill_template(v, values);
    if (!find_phrases(text, phrases_).empty()) return std::nullopt;
    const std::string norm = normalised_words(text);
    for (const auto& part : draft_.parts)
      if (normalised_words(part.text) == norm) return std::nullopt;
    const bool formula = role == PartRole::greeting || role == PartRole::closing;
    if (!formula && !in_.existing_answer.empty() && already_said(text, in_.existing_answer)) return std::nullopt;
    return text;
  }

  const DraftInput& in_;
  Draft& draft_;
  std::vector<std::string> phrases_;
};

Values common_values(const DraftInput& in) {
  Values v;
  v["subject"] = as_quoted_words(in.subject);
  v["site"] = in.site;
  return v;
}

void add_greeting(Composer& c, const LocaleTemplates& t, const DraftInput& in, const Values& common) {
  Values named = common;
  named["name"] = first_name(in.author);
  if (!named["name"].empty() && c.add(PartRole::greeting, t.variants(Slot::greeting_named), named)) return;
  c.add(PartRole::greeting, t.variants(Slot::greeting), common);
}

/// Removes what the composer's own checks should have kept out; never expected to act.
void drop_denied(Draft& d, const LocaleTemplates& t) {
  std::vector<std::string> phrases = t.deny;
  phrases.insert(phrases.end(), t.familiar.begin(), t.familiar.end());
  const bool clean = find_phrases(d.text(), phrases).empty();
  assert(clean && "a draft holds a deny-list phrase");
  if (clean) return;
  std::erase_if(d.parts, [&](const DraftPart& p) { return !find_phrases(p.text, phrases).empty(); });
}

}  // namespace

DraftInput draft_input(const Mention& m, const Sentiment& s, understanding::Understanding u) {
  DraftInput in;
  in.scored_text = scored_text(m);
  in.lang = s.lang;
  in.author = m.author;
  in.understanding = std::move(u);
  in.existing_answer = m.company_reply;
  in.subject = m.subject;
  return in;
}

std::string_view to_string(PartRole role) noexcept {
  switch (role) {
    case PartRole::greeting: return "greeting";
    case PartRole::thanks: return "thanks";
    case PartRole::apology: return "apology";
    case PartRole::claim: return "claim";
    case PartRole::repeat: return "repeat";
    case PartRole::next: return "next";
    case PartRole::contact: return "contact";
    case PartRole::closing: return "closing";
  }
  return "?";
}

std::string Draft::text() const {
  std::string head, body, tail;
  for (const auto& p : parts) {
    if (p.role == PartRole::greeting) head += (head.empty() ? "" : " ") + p.text;
    else if (p.role == PartRole::closing) tail += (tail.empty() ? "" : " ") + p.text;
    else body += (body.empty() ? "" : " ") + p.text;
  }
  std::string out = head;
  for (const std::string* s : {&body, &tail}) {
    if (s->empty()) continue;
    if (!out.empty()) out += "\n\n";
    out += *s;
  }
  return out;
}

namespace {

/// "ru" or "en" by which letters `text` has more of; "" for a tie.
std::string_view script_locale(std::string_view text) {
  std::size_t cyrillic = 0, latin = 0;
  for (std::size_t i = 0; i < text.size();) {
    const char32_t c = decode_utf8(text, i);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ++latin;
    else if (c >= 0x400 && c <= 0x4FF) ++cyrillic;
  }
  return cyrillic > latin ? "ru" : latin > cyrillic ? "en" : "";
}

}  // namespace

std::string draft_locale(const ReplyBook& book, Lang lang, std::string_view fallback, std::string_view scored_text) {
  std::string_view want = lang == Lang::ru ? "ru" : lang == Lang::en ? "en" : fallback;
  if (lang == Lang::automatic && !script_locale(scored_text).empty()) want = script_locale(scored_text);
  if (const LocaleTemplates* t = book.find(want)) return t->locale;
  return book.locales.empty() ? std::string(want) : book.locales.front().locale;
}

Draft compose_draft(const ReplyBook& book, const understanding::Taxonomy& taxonomy, const DraftInput& in) {
  Draft draft;
  draft.locale = draft_locale(book, in.lang, in.fallback_locale, in.scored_text);
  const LocaleTemplates* t = book.find(draft.locale);
  if (t == nullptr) return draft;
  Composer c(*t, in, draft);
  const Values common = common_values(in);
  const auto& u = in.understanding;

  add_greeting(c, *t, in, common);
  if (in.existing_answer.empty()) c.add(PartRole::thanks, t->variants(Slot::thanks), common);

  // The problem by the topics' names, else in the customer's words, else the variant without it.
  Values apology = common;
  std::vector<std::string> problems;
  for (std::string p : {topic_names(taxonomy, u.topics, draft.locale),
                        u.claims.empty() ? std::string() : as_quoted_words(u.claims.front().text)})
    if (!p.empty()) problems.push_back(std::move(p));
  problems.emplace_back();
  for (const auto& p : problems) {
    apology["problem"] = p;
    if (c.add(PartRole::apology, t->variants(Slot::apology), apology)) break;
  }

  std::map<std::string, std::size_t, std::less<>> used;  // topic id (or "" for generic) → sentences so far
  for (std::size_t i = 0; i < u.claims.size(); ++i) {
    const understanding::Claim& claim = u.claims[i];
    Values v = common;
    v["claim"] = as_quoted_words(claim.text);
    const int index = static_cast<int>(i);
    bool done = false;
    for (const auto& id : claim.topics) {
      const std::vector<std::string>* variants = t->topic(id);
      const understanding::Topic* topic = taxonomy.find(id);
      if (variants == nullptr || topic == nullptr) continue;
      v["topic"] = lower_first(topic->name.in(draft.locale));
      done = c.add(PartRole::claim, *variants, v, used[id], index, id);
      if (done) {
        ++used[id];
        break;
      }
    }
    if (!done && c.add(PartRole::claim, t->variants(Slot::claim), v, used[""], index)) ++used[""];
  }

  if (u.repeat && !u.repeat->previous.empty()) {
    const understanding::PreviousMention& prev = u.repeat->previous.front();
    Values v = common;
    if (prev.published_ms != 0) v["date"] = reply_date(prev.published_ms, in.now_ms, in.zone, draft.locale);
    v["topics"] = topic_names(taxonomy, u.repeat->repeated_topics.empty() ? prev.topics : u.repeat->repeated_topics,
                              draft.locale);
    c.add(PartRole::repeat, t->variants(Slot::repeat), v);
  }
  c.add(PartRole::next, t->variants(Slot::next), common);
  c.add(PartRole::contact, t->variants(Slot::contact), common);
  c.add(PartRole::closing, t->variants(Slot::closing), common);
  drop_denied(draft, *t);
  return draft;
}

Draft compose_thanks(const ReplyBook& book, const DraftInput& in) {
  Draft draft;
  draft.locale = draft_locale(book, in.lang, in.fallback_locale, in.scored_text);
  const LocaleTemplates* t = book.find(draft.locale);
  if (t == nullptr) return draft;
  Composer c(*t, in, draft);
  const Values common = common_values(in);
  add_greeting(c, *t, in, common);
  c.add(PartRole::thanks, t->variants(Slot::thanks_positive), common);
  drop_denied(draft, *t);
  return draft;
}

}  // namespace otklik::replies
