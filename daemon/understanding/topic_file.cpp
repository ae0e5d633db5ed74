#include "daemon/understanding/topic_file.hpp"

#include "daemon/understanding/builtin_topics.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <stdexcept>

namespace otklik::understanding {
namespace {

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

int line_of(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

struct Reporter {
  std::string_view file;
  std::vector<std::string>& problems;
  void operator()(int line, const std::string& key, const std::string& what) const {
    problems.push_back(std::string(file) + ":" + std::to_string(line) + ": " + key + ": " + what);
  }
};

/// A { ru = "…", en = "…" } table of strings.
bool read_text(const toml::node& n, const std::string& key, LocalText& out, const Reporter& report) {
  const toml::table* t = n.as_table();
  if (t == nullptr) {
    report(line_of(n), key, "expected a table { ru = \"…\", en = \"…\" }");
    return false;
  }
  bool ok = true;
  for (const auto& [k, v] : *t) {
    const std::string lang(k.str());
    if (lang != "ru" && lang != "en") {
      report(line_of(v), key + "." + lang, "unknown language (ru or en)");
      ok = false;
      continue;
    }
    const auto s = v.value<std::string>();
    if (!s || !v.is_string() || s->empty() || s->find('\n') != std::string::npos) {
      report(line_of(v), key + "." + lang, "expected a non-empty one-line string");
      ok = false;
      continue;
    }
    (lang == "ru" ? out.ru : out.en) = *s;
  }
  return ok;
}

/// A { ru = [...], en = [...] } table of string lists; `check` validates each element.
bool read_lists(const toml::node& n, const std::string& key, LocalList& out, const Reporter& report,
                std::string (*check)(std::string_view)) {
  const toml::table* t = n.as_table();
  if (t == nullptr) {
    report(line_of(n), key, "expected a table with ru and en lists (write " + key + ".ru = [ … ])");
    return false;
  }
  bool ok = true;
  for (const auto& [k, v] : *t) {
    const std::string lang(k.str());
    const std::string path = key + "." + lang;
    if (lang != "ru" && lang != "en") {
      report(line_of(v), path, "unknown language (ru or en)");
      ok = false;
      continue;
    }
    const toml::array* a = v.as_array();
    if (a == nullptr) {
      report(line_of(v), path, "expected an array of strings");
      ok = false;
      continue;
    }
    std::vector<std::string>& list = lang == "ru" ? out.ru : out.en;
    for (std::size_t i = 0; i < a->size(); ++i) {
      const toml::node& e = *a->get(i);
      const std::string where = path + "[" + std::to_string(i + 1) + "]";
      const auto s = e.value<std::string>();
      if (!e.is_string() || !s || s->empty()) {
        report(line_of(e), where, "expected a non-empty string");
        ok = false;
        continue;
      }
      if (check != nullptr) {
        if (std::string problem = check(*s); !problem.empty()) {
          report(line_of(e), where, "\"" + *s + "\" " + problem);
          ok = false;
          continue;
        }
      }
      list.push_back(*s);
    }
  }
  return ok;
}

std::string hint_problem(std::string_view hint) {
  if (hint.find('\n') != std::string_view::npos) return "has a line break";
  if (hint.size() > 400) return "is longer than 400 bytes";
  return {};
}

constexpr std::string_view kTopicKeys[] = {"id", "name", "description", "cues", "exceptions", "hints", "replace_cues"};

}  // namespace

std::vector<TopicPatch> parse_topic_file(std::string_view text, std::string_view file_name,
                                         std::vector<std::string>& problems) {
  Reporter report{file_name, problems};
  std::vector<TopicPatch> out;
  toml::table doc;
  try {
    doc = toml::parse(text, std::string(file_name));
  } catch (const toml::parse_error& e) {
    report(static_cast<int>(e.source().begin.line), "", std::string("TOML syntax error: ") + std::string(e.description()));
    return out;
  }
  for (const auto& [k, v] : doc) {
    if (k.str() != "topic") report(line_of(v), std::string(k.str()), "unknown key (a topic file holds [[topic]] tables)");
  }
  const toml::node* topics = doc.get("topic");
  if (topics == nullptr) return out;
  const toml::array* arr = topics->as_array();
  if (arr == nullptr || !arr->is_array_of_tables()) {
    report(line_of(*topics), "topic", "write [[topic]] (one table per topic)");
    return out;
  }
  std::vector<std::string> seen;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const toml::table& t = *arr->get(i)->as_table();
    const int line = line_of(t);
    TopicPatch p;
    p.line = line;
    std::string where = "topic[" + std::to_string(i + 1) + "]";
    bool ok = true;
    const auto id = t["id"].value<std::string>();
    if (!id || !t["id"].is_string()) {
      report(line, where + ".id", "is required (a string)");
      ok = false;
    } else if (!valid_id(*id)) {
      report(line_of(*t.get("id")), where + ".id", "\"" + *id + "\" must be lower-case letters, digits and _");
      ok = false;
    } else {
      where = "topic[\"" + *id + "\"]";
      if (std::find(seen.begin(), seen.end(), *id) != seen.end()) {
        report(line_of(*t.get("id")), where + ".id", "is given twice in this file");
        ok = false;
      }
      seen.push_back(*id);
      p.topic.id = *id;
    }
    for (const auto& [k, v] : t) {
      const std::string_view key = k.str();
      if (std::find(std::begin(kTopicKeys), std::end(kTopicKeys), key) == std::end(kTopicKeys)) {
        report(line_of(v), where + "." + std::string(key), "unknown key");
        ok = false;
      }
    }
    if (const toml::node* n = t.get("name")) {
      p.has_name = read_text(*n, where + ".name", p.topic.name, report);
      ok = ok && p.has_name;
    }
    if (const toml::node* n = t.get("description")) {
      p.has_description = read_text(*n, where + ".description", p.topic.description, report);
      ok = ok && p.has_description;
    }
    if (const toml::node* n = t.get("cues"))
      ok = read_lists(*n, where + ".cues", p.topic.cues, report,
                      [](std::string_view c) { return cue_problem(c); }) && ok;
    if (const toml::node* n = t.get("exceptions"))
      ok = read_lists(*n, where + ".exceptions", p.topic.exceptions, report,
                      [](std::string_view c) { return cue_problem(c); }) && ok;
    if (const toml::node* n = t.get("hints")) {
      p.has_hints = read_lists(*n, where + ".hints", p.topic.hints, report, hint_problem);
      ok = ok && p.has_hints;
    }
    if (const toml::node* n = t.get("replace_cues")) {
      if (const auto b = n->value_exact<bool>()) p.replace_cues = *b;
      else {
        report(line_of(*n), where + ".replace_cues", "expected true or false");
        ok = false;
      }
    }
    if (ok) out.push_back(std::move(p));
  }
  return out;
}

void apply_topic_patches(Taxonomy& base, const std::vector<TopicPatch>& patches, std::string_view file_name,
                         std::vector<std::string>& problems) {
  Reporter report{file_name, problems};
  for (const TopicPatch& p : patches) {
    Topic* existing = nullptr;
    for (auto& t : base.topics)
      if (t.id == p.topic.id) existing = &t;
    if (existing == nullptr) {
      if (!p.has_name || (p.topic.name.ru.empty() && p.topic.name.en.empty())) {
        report(p.line, "topic[\"" + p.topic.id + "\"].name", "is required for a new topic");
        continue;
      }
      if (p.topic.cues.ru.empty() && p.topic.cues.en.empty()) {
        report(p.line, "topic[\"" + p.topic.id + "\"].cues", "a new topic needs at least one cue");
        continue;
      }
      base.topics.push_back(p.topic);
      continue;
    }
    Topic& t = *existing;
    if (p.has_name) {
      if (!p.topic.name.ru.empty()) t.name.ru = p.topic.name.ru;
      if (!p.topic.name.en.empty()) t.name.en = p.topic.name.en;
    }
    if (p.has_description) {
      if (!p.topic.description.ru.empty()) t.description.ru = p.topic.description.ru;
      if (!p.topic.description.en.empty()) t.description.en = p.topic.description.en;
    }
    if (p.has_hints) {
      if (!p.topic.hints.ru.empty()) t.hints.ru = p.topic.hints.ru;
      if (!p.topic.hints.en.empty()) t.hints.en = p.topic.hints.en;
    }
    if (p.replace_cues) {
      t.cues = p.topic.cues;
      t.exceptions = p.topic.exceptions;
    } else {
      t.cues.ru.insert(t.cues.ru.end(), p.topic.cues.ru.begin(), p.topic.cues.ru.end());
      t.cues.en.insert(t.cues.en.end(), p.topic.cues.en.begin(), p.topic.cues.en.end());
      t.exceptions.ru.insert(t.exceptions.ru.end(), p.topic.exceptions.ru.begin(), p.topic.exceptions.ru.end());
      t.exceptions.en.insert(t.exceptions.en.end(), p.topic.exceptions.en.begin(), p.topic.exceptions.en.end());
    }
  }
}

Result<Taxonomy> load_taxonomy(bool builtin, const std::vector<std::pair<std::string, std::string>>& files,
                               const std::vector<std::string>& disable) {
  Taxonomy taxonomy;
  std::vector<std::string> problems;
  if (builtin) taxonomy = builtin_taxonomy();
  for (const auto& [name, text] : files) {
    auto patches = parse_topic_file(text, name, problems);
    apply_topic_patches(taxonomy, patches, name, problems);
  }
  for (auto d = disable.begin(); d != disable.end(); ++d) {
    auto it = std::find_if(taxonomy.topics.begin(), taxonomy.topics.end(), [&](const Topic& t) { return t.id == *d; });
    const bool repeated = std::find(disable.begin(), d, *d) != d;  // disabled already: not a problem
    if (it != taxonomy.topics.end()) taxonomy.topics.erase(it);
    else if (!repeated) problems.push_back("topics.disable: no topic \"" + *d + "\" to disable");
  }
  if (!problems.empty()) {
    std::string message;
    for (const auto& p : problems) message += (message.empty() ? "" : "\n") + p;
    return Failure(errc::invalid_input, message);
  }
  return taxonomy;
}

const Taxonomy& builtin_taxonomy() {
  static const Taxonomy taxonomy = [] {
    Taxonomy t;
    std::vector<std::string> problems;
    for (const auto& f : builtin_topic_files()) apply_topic_patches(t, parse_topic_file(f.text, f.name, problems), f.name, problems);
    if (!problems.empty()) throw std::logic_error("built-in topics: " + problems.front());
    return t;
  }();
  return taxonomy;
}

}  // namespace otklik::understanding
