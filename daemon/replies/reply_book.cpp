#include "daemon/replies/reply_book.hpp"

#include "daemon/replies/builtin_replies.hpp"
#include "daemon/replies/phrase_match.hpp"
#include "daemon/replies/template_text.hpp"
#include "daemon/understanding/topic_file.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace otklik::replies {
namespace {

constexpr std::array<std::string_view, kSlotCount> kSlotKeys = {
    "greeting", "greeting_named", "thanks",  "apology", "claim",
    "repeat",   "next",           "contact", "closing", "thanks_positive"};

int line_of(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

struct Reporter {
  std::string_view file;
  std::vector<std::string>& problems;
  void operator()(int line, std::string_view key, const std::string& what) const {
    problems.push_back(std::string(file) + ":" + std::to_string(line) + ": " + std::string(key) + ": " + what);
  }
};

/// The placeholders a key may use: {subject} and {site} anywhere, the rest where the composer
/// has a value for them.
std::vector<std::string_view> allowed_placeholders(std::string_view key) {
  std::vector<std::string_view> a = {"subject", "site"};
  if (key == "greeting_named") a.push_back("name");
  if (key == "claim") a.push_back("claim");
  if (key.starts_with("topics.")) a.insert(a.end(), {"claim", "topic"});
  if (key == "apology") a.push_back("problem");
  if (key == "repeat") a.insert(a.end(), {"date", "topics"});
  return a;
}

bool body_key(std::string_view key) { return key != "greeting" && key != "greeting_named" && key != "closing"; }

bool ends_sentence(std::string_view s) {
  // Closing quotes and brackets after the mark do not count.
  for (;;) {
    while (!s.empty() && (s.back() == ' ' || s.back() == ')' || s.back() == '"')) s.remove_suffix(1);
    if (!s.ends_with("\u00BB")) break;
    s.remove_suffix(std::string_view("\u00BB").size());
  }
  return s.ends_with(".") || s.ends_with("!") || s.ends_with("?") || s.ends_with("\u2026");
}

/// A list of one-line strings; problems reported.
std::vector<std::string> read_list(const toml::node& n, std::string_view key, const Reporter& report) {
  std::vector<std::string> out;
  const toml::array* a = n.as_array();
  if (a == nullptr) {
    report(line_of(n), key, "expected a list of strings [\"…\", …]");
    return out;
  }
  for (std::size_t i = 0; i < a->size(); ++i) {
    const toml::node& e = *a->get(i);
    const auto s = e.value<std::string>();
    if (!e.is_string() || !s || s->find_first_not_of(" \t") == std::string::npos ||
        s->find('\n') != std::string::npos) {
      report(line_of(e), std::string(key) + "[" + std::to_string(i + 1) + "]", "expected a non-empty one-line string");
      continue;
    }
    out.push_back(*s);
  }
  if (a->empty()) report(line_of(n), key, "must hold at least one entry");
  return out;
}

/// Checks one variant's placeholders, blanks, end mark and phrases.
void check_variant(const std::string& text, std::string_view key, int line, const LocaleTemplates& t,
                   const Reporter& report) {
  const TemplateScan scan = scan_template(text);
  for (const auto& p : scan.problems) report(line, key, p);
  const auto allowed = allowed_placeholders(key);
  for (const auto& p : scan.placeholders) {
    const bool known = std::find(std::begin(kPlaceholders), std::end(kPlaceholders), p) != std::end(kPlaceholders);
    if (std::find(allowed.begin(), allowed.end(), p) != allowed.end()) continue;
    std::string list;
    for (const auto a : allowed) list += (list.empty() ? "" : ", ") + ("{" + std::string(a) + "}");
    report(line, key,
           (known ? "{" + p + "} cannot be used here" : "unknown placeholder {" + p + "}") + " (here: " + list + ")");
  }
  if (key == "greeting_named" &&
      std::find(scan.placeholders.begin(), scan.placeholders.end(), "name") == scan.placeholders.end())
    report(line, key, "must hold {name}");
  if (key == "thanks_positive" && !scan.blanks.empty())
    report(line, key, "is posted without an agent (auto_reply): no [[blanks]]");
  if (body_key(key) && !ends_sentence(text)) report(line, key, "must end a sentence with . ! ? or …");
  for (const auto& p : find_phrases(text, t.deny)) report(line, key, "holds the deny-list phrase \"" + p + "\"");
  for (const auto& p : find_phrases(text, t.familiar)) report(line, key, "holds the familiarity word \"" + p + "\"");
}

/// Parses and checks one file.
LocaleTemplates read_file(const ReplyFile& file, const std::vector<std::string>& deny,
                          const understanding::Taxonomy& taxonomy, std::vector<std::string>& problems) {
  LocaleTemplates t;
  t.locale = file.locale;
  t.origin = file.name;
  const Reporter report{file.name, problems};
  toml::table doc;
  try {
    doc = toml::parse(file.text, file.name);
  } catch (const toml::parse_error& e) {
    report(static_cast<int>(e.source().begin.line), "", "TOML syntax error: " + std::string(e.description()));
    return t;
  }
  std::array<int, kSlotCount> lines{};
  std::map<std::string, int, std::less<>> topic_lines;
  int topics_line = 1;
  bool has_topics = false;
  for (const auto& [k, v] : doc) {
    const std::string key(k.str());
    const auto slot = std::find(kSlotKeys.begin(), kSlotKeys.end(), key);
    if (slot != kSlotKeys.end()) {
      const auto i = static_cast<std::size_t>(slot - kSlotKeys.begin());
      t.slots[i] = read_list(v, key, report);
      lines[i] = line_of(v);
    } else if (key == "deny") {
      t.deny = read_list(v, key, report);
    } else if (key == "familiar") {
      t.familiar = read_list(v, key, report);
    } else if (key == "topics") {
      has_topics = true;
      topics_line = line_of(v);
      const toml::table* tt = v.as_table();
      if (tt == nullptr) {
        report(line_of(v), key, "expected a table [topics] of topic id = [\"…\", …]");
        continue;
      }
      for (const auto& [id, list] : *tt) {
        const std::string tid(id.str());
        const std::string path = "topics." + tid;
        if (taxonomy.find(tid) == nullptr && understanding::builtin_taxonomy().find(tid) == nullptr) {
          report(line_of(list), path, "unknown topic (not in the taxonomy; see otklik topics list)");
          continue;
        }
        // A built-in topic the team switched off keeps its template unused.
        if (taxonomy.find(tid) == nullptr) continue;
        t.topics[tid] = read_list(list, path, report);
        topic_lines[tid] = line_of(list);
      }
    } else {
      report(line_of(v), key, "unknown key");
    }
  }
  for (std::size_t i = 0; i < kSlotCount; ++i)
    if (lines[i] == 0) report(1, kSlotKeys[i], "missing (every key is required; see config/replies/)");
  t.deny.insert(t.deny.end(), deny.begin(), deny.end());

  for (std::size_t i = 0; i < kSlotCount; ++i)
    for (const auto& v : t.slots[i]) check_variant(v, kSlotKeys[i], lines[i], t, report);
  for (const auto& [id, variants] : t.topics)
    for (const auto& v : variants) check_variant(v, "topics." + id, topic_lines[id], t, report);

  std::string missing;
  for (const auto& topic : taxonomy.topics)
    if (t.topics.find(topic.id) == t.topics.end()) missing += (missing.empty() ? "" : ", ") + topic.id;
  if (!missing.empty() && !file.builtin)
    report(has_topics ? topics_line : 1, "topics", "missing topics (each needs a template): " + missing);
  return t;
}

std::string read_text(const std::filesystem::path& p, bool& ok) {
  std::ifstream in(p, std::ios::binary);
  ok = static_cast<bool>(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<ReplyFile> builtin_files() {
  std::vector<ReplyFile> files;
  for (const auto& f : builtin_reply_files()) {
    std::string_view name = f.name;
    name.remove_suffix(5);  // ".toml"
    files.push_back(
        {std::string(name), "config/replies/" + std::string(f.name) + " (built-in)", std::string(f.text), true});
  }
  return files;
}

}  // namespace

std::string_view slot_key(Slot slot) noexcept { return kSlotKeys[static_cast<std::size_t>(slot)]; }

const std::vector<std::string>* LocaleTemplates::topic(std::string_view id) const {
  const auto it = topics.find(id);
  return it == topics.end() ? nullptr : &it->second;
}

const LocaleTemplates* ReplyBook::find(std::string_view locale) const {
  const std::string_view lang = locale.substr(0, 2);
  for (const auto& l : locales)
    if (l.locale == lang) return &l;
  return nullptr;
}

Result<ReplyBook> make_reply_book(const std::vector<ReplyFile>& files, const std::vector<std::string>& deny,
                                  const understanding::Taxonomy& taxonomy) {
  std::vector<std::string> problems;
  ReplyBook book;
  for (const auto& f : files) book.locales.push_back(read_file(f, deny, taxonomy, problems));
  if (!problems.empty()) {
    std::string detail;
    for (const auto& p : problems) detail += (detail.empty() ? "" : "\n") + p;
    return Failure(errc::invalid_input, detail);
  }
  return book;
}

Result<std::shared_ptr<const ReplyBook>> load_reply_book(const RepliesConfig& config,
                                                         const understanding::Taxonomy& taxonomy) {
  std::vector<ReplyFile> files = builtin_files();
  if (!config.templates.empty()) {
    namespace fs = std::filesystem;
    std::error_code ec;
    std::vector<fs::path> found;
    for (fs::directory_iterator it(config.templates, ec), end; !ec && it != end; it.increment(ec))
      if (it->path().extension() == ".toml") found.push_back(it->path());
    if (ec) return Failure(errc::io_error, config.templates + ": cannot list the templates folder: " + ec.message());
    std::sort(found.begin(), found.end());
    std::vector<std::string> problems;
    for (const auto& p : found) {
      const std::string locale = p.stem().string();
      const auto it = std::find_if(files.begin(), files.end(), [&](const ReplyFile& f) { return f.locale == locale; });
      if (it == files.end()) {
        problems.push_back(p.string() + ":1: : only ru.toml and en.toml are read from the templates folder");
        continue;
      }
      bool ok = false;
      std::string text = read_text(p, ok);
      if (!ok) {
        problems.push_back(p.string() + ":1: : cannot read the file");
        continue;
      }
      *it = ReplyFile{locale, p.string(), std::move(text), false};
    }
    if (!problems.empty()) {
      auto book = make_reply_book(files, config.deny, taxonomy);
      std::string detail;
      for (const auto& p : problems) detail += (detail.empty() ? "" : "\n") + p;
      if (!book) detail += "\n" + book.error().detail;
      return Failure(errc::invalid_input, detail);
    }
  }
  auto book = make_reply_book(files, config.deny, taxonomy);
  if (!book) return book.error();
  return std::shared_ptr<const ReplyBook>(std::make_shared<ReplyBook>(std::move(*book)));
}

const ReplyBook& builtin_reply_book() {
  static const ReplyBook book = [] {
    auto b = make_reply_book(builtin_files(), {}, understanding::builtin_taxonomy());
    if (!b) throw std::logic_error("the built-in reply templates do not load:\n" + b.error().detail);
    return std::move(*b);
  }();
  return book;
}

}  // namespace otklik::replies
