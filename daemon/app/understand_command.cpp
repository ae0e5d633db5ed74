#include "daemon/app/understand_command.hpp"

#include "daemon/app/understand.hpp"
#include "daemon/config/config_load.hpp"
#include "daemon/sentiment/sentiment_json.hpp"
#include "daemon/understanding/brand_eval.hpp"
#include "daemon/understanding/claims.hpp"
#include "daemon/understanding/topic_eval.hpp"
#include "daemon/understanding/topic_file.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <sstream>

namespace otklik {
namespace {

constexpr int kOk = 0, kFailure = 1, kConfig = 78;

std::optional<std::string> read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The config (for -c) or nothing; problems printed.
std::optional<Config> load(const std::filesystem::path& path, std::ostream& err, bool& failed) {
  failed = false;
  if (path.empty()) return std::nullopt;
  auto loaded = load_config(path, nullptr);
  if (!loaded.problems.empty()) err << format_problems(path, loaded.problems);
  if (!loaded.config) {
    failed = true;
    return std::nullopt;
  }
  return std::move(*loaded.config);
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : std::string(sep)) + x;
  return out;
}

}  // namespace

UnderstandCommands add_understand_commands(CLI::App& app, UnderstandCommandOptions& o) {
  UnderstandCommands c;
  auto* topics = app.add_subcommand("topics", "The complaint topic taxonomy: list it, measure the tagger.");
  topics->require_subcommand(1);
  c.topics_list = topics->add_subcommand("list", "Print each topic: id, names, cues and response hints.");
  c.topics_list->add_option("-c,--config", o.config, "Config file (its [topics]); default: the built-in taxonomy");
  c.topics_eval = topics->add_subcommand("eval", "Measure topic tagging on TOPICS<TAB>TEXT files.");
  c.topics_eval->add_option("-c,--config", o.config, "Config file (its [topics]); default: the built-in taxonomy");
  c.topics_eval->add_option("--mistakes", o.mistakes, "Also list this many mistakes")->default_val(0);
  c.topics_eval->add_option("files", o.args, "Labelled files")->required()->check(CLI::ExistingFile);

  auto* brands = app.add_subcommand("brands", "Brand matching in free text: try it, measure it.");
  brands->require_subcommand(1);
  c.brands_match = brands->add_subcommand("match", "Print which configured brand each TEXT names, and how.");
  c.brands_match->add_option("-c,--config", o.config, "Config file with [[brand]] tables")->required();
  c.brands_match->add_option("text", o.args, "Texts")->required();
  c.brands_eval = brands->add_subcommand("eval", "Measure brand matching on BRAND<TAB>TEXT files.");
  c.brands_eval->add_option("-c,--config", o.config, "Config file with [[brand]] tables")->required();
  c.brands_eval->add_option("--mistakes", o.mistakes, "Also list this many mistakes")->default_val(0);
  c.brands_eval->add_option("files", o.args, "Labelled files")->required()->check(CLI::ExistingFile);
  return c;
}

int run_understand_command(const UnderstandCommands& c, const UnderstandCommandOptions& o, std::ostream& out,
                           std::ostream& err) {
  bool failed = false;
  const std::optional<Config> config = load(o.config, err, failed);
  if (failed) return kConfig;

  if (*c.topics_list || *c.topics_eval) {
    auto taxonomy = load_topics(config ? config->topics : TopicsConfig{});
    if (!taxonomy) {
      err << "topics: " << taxonomy.error().message() << "\n";
      return kConfig;
    }
    const understanding::Taxonomy& t = **taxonomy;
    if (*c.topics_list) {
      for (const auto& topic : t.topics) {
        out << topic.id << " — " << topic.name.ru << " / " << topic.name.en << "\n";
        if (!topic.description.ru.empty()) out << "  " << topic.description.ru << "\n";
        out << "  cues: " << topic.cues.ru.size() + topic.cues.en.size() << " (" << join(topic.cues.ru, ", ").substr(0, 200)
            << " …)\n";
        for (const auto& h : topic.hints.ru) out << "  • " << h << "\n";
      }
      return kOk;
    }
    std::vector<std::string> known;
    for (const auto& topic : t.topics) known.push_back(topic.id);
    const understanding::TopicTagger tagger(t);
    std::vector<understanding::TopicRow> rows;
    for (const auto& file : o.args) {
      const auto text = read_file(file);
      if (!text) {
        err << file << ": cannot read\n";
        return kFailure;
      }
      auto parsed = understanding::parse_topic_rows(*text, file, known);
      if (!parsed) {
        err << parsed.error().detail << "\n";
        return kFailure;
      }
      rows.insert(rows.end(), parsed->begin(), parsed->end());
    }
    out << understanding::format_topic_report(understanding::evaluate_topics(tagger, t, rows),
                                              static_cast<std::size_t>(std::max(o.mistakes, 0)));
    return kOk;
  }

  if (!config) return kConfig;  // -c is required for brands
  if (config->brands.empty()) {
    err << o.config.string() << ": no [[brand]] tables\n";
    return kConfig;
  }
  const auto matcher = make_brand_matcher(config->brands);
  std::vector<std::string> names;
  for (const auto& b : config->brands) names.push_back(b.name);
  if (*c.brands_match) {
    for (const auto& text : o.args) {
      const auto m = matcher->match(text);
      if (m) out << m->brand << "\t" << m->how << (m->how == "typo" ? fmt::format(" ({})", m->distance) : "") << "\t«"
                 << m->form << "»\t" << text << "\n";
      else out << "-\t\t\t" << text << "\n";
    }
    return kOk;
  }
  std::vector<understanding::BrandRow> rows;
  for (const auto& file : o.args) {
    const auto text = read_file(file);
    if (!text) {
      err << file << ": cannot read\n";
      return kFailure;
    }
    auto parsed = understanding::parse_brand_rows(*text, file, names);
    if (!parsed) {
      err << parsed.error().detail << "\n";
      return kFailure;
    }
    rows.insert(rows.end(), parsed->begin(), parsed->end());
  }
  out << understanding::format_brand_report(understanding::evaluate_brands(*matcher, names, rows),
                                            static_cast<std::size_t>(std::max(o.mistakes, 0)));
  return kOk;
}

understanding::Understanding understand_text(std::string_view text, const Sentiment& s, const Scorer& scorer) {
  if (s.label != Label::negative) return {};
  sentiment::TokenBuffer tokens;
  sentiment::tokenize(text, tokens);
  return understand_text(text, tokens, s, scorer);
}

understanding::Understanding understand_text(std::string_view text, const sentiment::TokenBuffer& tokens,
                                             const Sentiment& s, const Scorer& scorer, bool s_is_clause_score) {
  static const understanding::TopicTagger tagger(understanding::builtin_taxonomy());
  understanding::Understanding u;
  if (s.label != Label::negative) return u;
  understanding::ClaimOptions options;
  options.whole_is_clause_score = s_is_clause_score;
  u.claims = understanding::extract_claims(
      text, tokens, s, scorer,
      [](std::string_view c, const sentiment::TokenBuffer& t) { return tagger.tag(c, t); }, options);
  std::vector<std::string> found;
  for (const auto& c : u.claims) found.insert(found.end(), c.topics.begin(), c.topics.end());
  for (const auto& t : understanding::builtin_taxonomy().topics)
    if (std::find(found.begin(), found.end(), t.id) != found.end()) u.topics.push_back(t.id);
  return u;
}

std::string with_understanding_json(const std::string& json_line, const understanding::Understanding& u) {
  std::string out = json_line;
  append_understanding_json(out, u);
  return out;
}

void append_understanding_json(std::string& out, const understanding::Understanding& u) {
  if (out.empty() || out.back() != '}') return;
  // Appended in place: `otklik score --json` writes one of these per line.
  out.pop_back();
  auto list = [&out](const std::vector<std::string>& v) {
    out += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i > 0) out += ',';
      append_json_quote(out, v[i]);
    }
    out += ']';
  };
  out += ",\"claims\":[";
  for (std::size_t i = 0; i < u.claims.size(); ++i) {
    const auto& c = u.claims[i];
    if (i > 0) out += ',';
    out += "{\"text\":";
    append_json_quote(out, c.text);
    out += ",\"score\":";
    out += json_number(c.score);
    out += ",\"topics\":";
    list(c.topics);
    out += '}';
  }
  out += "],\"topics\":";
  list(u.topics);
  out += '}';
}

std::string understanding_text(const understanding::Understanding& u) {
  std::string out;
  if (u.claims.empty()) return out;
  out += "claims:\n";
  for (std::size_t i = 0; i < u.claims.size(); ++i) {
    const auto& c = u.claims[i];
    out += fmt::format("  {}. {} ({:+.2f}){}\n", i + 1, c.text, c.score,
                       c.topics.empty() ? "" : " [" + join(c.topics, ", ") + "]");
  }
  return out;
}

}  // namespace otklik
