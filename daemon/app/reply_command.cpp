#include "daemon/app/reply_command.hpp"

#include "daemon/app/understand.hpp"
#include "daemon/config/config_load.hpp"
#include "daemon/replies/draft.hpp"
#include "daemon/replies/draft_eval.hpp"
#include "daemon/replies/phrase_match.hpp"
#include "daemon/replies/reply_book.hpp"
#include "daemon/replies/template_text.hpp"
#include "daemon/sentiment/lexicon_scorer.hpp"
#include "daemon/understanding/claims.hpp"
#include "daemon/understanding/topic_file.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

namespace otklik {
namespace {

constexpr int kOk = 0, kFailure = 1, kUsage = 2, kConfig = 78;

/// What a reply command works with: the scorer, the taxonomy and its tagger, the templates.
struct ReplyTools {
  std::unique_ptr<Scorer> scorer;
  std::shared_ptr<const understanding::Taxonomy> taxonomy;
  std::unique_ptr<understanding::TopicTagger> tagger;
  std::shared_ptr<const replies::ReplyBook> book;
  std::string fallback_locale = "ru";
  understanding::ClaimOptions claim_options;
};

std::optional<ReplyTools> load_tools(const std::filesystem::path& path, std::ostream& err) {
  ReplyTools tools;
  tools.scorer = make_builtin_scorer();
  if (path.empty()) {
    tools.taxonomy = std::make_shared<understanding::Taxonomy>(understanding::builtin_taxonomy());
    tools.book = std::make_shared<replies::ReplyBook>(replies::builtin_reply_book());
  } else {
    auto loaded = load_config(path, nullptr);
    if (!loaded.problems.empty()) err << format_problems(path, loaded.problems);
    if (!loaded.config) return std::nullopt;
    auto taxonomy = load_topics(loaded.config->topics);
    if (!taxonomy) {
      err << taxonomy.error().detail << "\n";
      return std::nullopt;
    }
    auto book = replies::load_reply_book(loaded.config->replies, **taxonomy);
    if (!book) {
      err << book.error().detail << "\n";
      return std::nullopt;
    }
    tools.taxonomy = *taxonomy;
    tools.book = *book;
    tools.fallback_locale = loaded.config->daemon.locale;
    tools.claim_options.max_claims = static_cast<std::size_t>(loaded.config->understanding.max_claims);
  }
  tools.tagger = std::make_unique<understanding::TopicTagger>(*tools.taxonomy);
  return tools;
}

/// The claims and topics of a scored text, as the pipeline finds them (Understander::understand).
understanding::Understanding understand(const ReplyTools& tools, std::string_view text, const Sentiment& s) {
  understanding::Understanding u;
  if (s.label != Label::negative) return u;
  u.claims = understanding::extract_claims(
      text, s, *tools.scorer, [&](std::string_view c) { return tools.tagger->tag(c); }, tools.claim_options);
  std::vector<std::string> found;
  for (const auto& c : u.claims) found.insert(found.end(), c.topics.begin(), c.topics.end());
  if (u.claims.empty()) found = tools.tagger->tag(text);
  for (const auto& t : tools.taxonomy->topics)
    if (std::find(found.begin(), found.end(), t.id) != found.end()) u.topics.push_back(t.id);
  return u;
}

replies::DraftInput draft_input(const ReplyTools& tools, std::string text, const Sentiment& s,
                                understanding::Understanding u, std::string author) {
  replies::DraftInput in;
  in.scored_text = std::move(text);
  in.lang = s.lang;
  in.author = std::move(author);
  in.understanding = std::move(u);
  in.fallback_locale = tools.fallback_locale;
  return in;
}

std::vector<std::string> deny_phrases(const replies::ReplyBook& book, std::string_view locale) {
  std::vector<std::string> out;
  if (const auto* t = book.find(locale)) {
    out = t->deny;
    out.insert(out.end(), t->familiar.begin(), t->familiar.end());
  }
  return out;
}

int run_draft(const ReplyTools& tools, const ReplyCommandOptions& o, std::ostream& out, std::ostream& err) {
  const auto lang = parse_lang(o.lang);
  if (!lang || *lang == Lang::other) {
    err << "--lang must be auto, ru or en\n";
    return kUsage;
  }
  std::string text;
  for (const auto& a : o.args) text += (text.empty() ? "" : " ") + a;
  const Sentiment s = tools.scorer->score(text, std::nullopt, *lang);
  understanding::Understanding u = understand(tools, text, s);
  const replies::DraftInput in = draft_input(tools, text, s, std::move(u), o.author);
  const replies::Draft d = replies::compose_draft(*tools.book, *tools.taxonomy, in);
  out << d.text() << "\n\n";
  std::string parts;
  for (const auto& p : d.parts) {
    parts += parts.empty() ? "" : ", ";
    parts += std::string(to_string(p.role));
    if (p.role == replies::PartRole::claim)
      parts += fmt::format(" {} ({})", p.claim + 1, p.topic.empty() ? "generic" : p.topic);
  }
  out << "language: " << d.locale << "; sentiment: " << to_string(s.label) << "; claims: "
      << in.understanding.claims.size() << "\n";
  out << "parts: " << parts << "\n";
  const auto blanks = replies::blanks_in(d.text());
  if (!blanks.empty()) {
    std::string list;
    for (const auto& b : blanks) list += (list.empty() ? "" : "; ") + b;
    out << "blanks to fill before posting: " << list << "\n";
  }
  return kOk;
}

std::optional<std::string> read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Tally {
  int complaints = 0, claims = 0, addressed = 0, own_topic = 0, denied = 0, wrong_language = 0;
  int not_negative = 0;        ///< gold claims of complaints the scorer did not find negative
  int no_overlap = 0;          ///< gold claims of negative complaints that no extracted claim overlaps
  int extracted = 0, unanswered = 0;  ///< extracted claims, and those the draft gave no sentence
  void add(const Tally& t) {
    complaints += t.complaints, claims += t.claims, addressed += t.addressed, own_topic += t.own_topic;
    denied += t.denied, wrong_language += t.wrong_language;
    not_negative += t.not_negative, no_overlap += t.no_overlap, extracted += t.extracted, unanswered += t.unanswered;
  }
};

std::string share(int n, int of) {
  return fmt::format("{}/{} = {:.1f}%", n, of, of == 0 ? 0.0 : 100.0 * n / of);
}

void print_tally(std::ostream& out, std::string_view indent, const Tally& t) {
  out << indent << t.complaints << " complaints, " << t.claims << " claims; addressed " << share(t.addressed, t.claims)
      << "; by its own topic " << share(t.own_topic, t.claims) << "; drafts with a deny-list phrase " << t.denied
      << "; in the wrong language " << t.wrong_language << "\n";
  out << indent << "  missed claims: " << t.not_negative << " in complaints not scored negative, " << t.no_overlap
      << " not extracted; extracted claims without a sentence " << t.unanswered << "/" << t.extracted << "\n";
}

int run_eval(const ReplyTools& tools, const ReplyCommandOptions& o, std::ostream& out, std::ostream& err) {
  Tally all;
  int listed = 0;
  for (const auto& file : o.args) {
    const auto content = read_file(file);
    if (!content) {
      err << file << ": cannot read the file\n";
      return kFailure;
    }
    const auto complaints = replies::parse_claims_file(*content, file);
    if (!complaints) {
      err << complaints.error().detail << "\n";
      return kFailure;
    }
    std::map<std::string, Tally> by_lang;
    for (const auto& c : *complaints) {
      const Sentiment s = tools.scorer->score(c.text, o.rating, Lang::automatic);
      understanding::Understanding u = understand(tools, c.text, s);
      const replies::DraftInput in = draft_input(tools, c.text, s, u, "");
      const replies::Draft d = replies::compose_draft(*tools.book, *tools.taxonomy, in);
      const auto verdicts = replies::judge_draft(c, u, d);
      const std::string want = replies::expected_locale(c.text);
      Tally& t = by_lang[want];
      ++t.complaints;
      if (!replies::find_phrases(d.text(), deny_phrases(*tools.book, d.locale)).empty()) ++t.denied;
      if (d.locale != want) ++t.wrong_language;
      t.extracted += static_cast<int>(u.claims.size());
      for (std::size_t i = 0; i < u.claims.size(); ++i) {
        const bool answered = std::any_of(d.parts.begin(), d.parts.end(), [&](const replies::DraftPart& p) {
          return p.role == replies::PartRole::claim && p.claim == static_cast<int>(i);
        });
        t.unanswered += answered ? 0 : 1;
      }
      for (std::size_t i = 0; i < verdicts.size(); ++i) {
        ++t.claims;
        if (!verdicts[i].addressed) {
          const bool overlap = std::any_of(u.claims.begin(), u.claims.end(), [&](const understanding::Claim& e) {
            return e.begin < c.claims[i].end && c.claims[i].begin < e.end;
          });
          if (s.label != Label::negative) ++t.not_negative;
          else if (!overlap) ++t.no_overlap;
        }
        t.addressed += verdicts[i].addressed ? 1 : 0;
        t.own_topic += verdicts[i].own_topic ? 1 : 0;
        if (verdicts[i].own_topic || listed >= o.mistakes) continue;
        ++listed;
        const auto& g = c.claims[i];
        std::string gold_topics;
        for (const auto& x : g.topics) gold_topics += (gold_topics.empty() ? "" : ",") + x;
        out << file << ":" << g.line << ": " << (verdicts[i].addressed ? "not by its own topic" : "not addressed")
            << ": \"" << g.text << "\" [" << (gold_topics.empty() ? "-" : gold_topics) << "]\n";
        for (const auto& ec : u.claims) {
          std::string topics;
          for (const auto& x : ec.topics) topics += (topics.empty() ? "" : ",") + x;
          out << "    extracted: \"" << ec.text << "\" [" << (topics.empty() ? "-" : topics) << "]\n";
        }
        if (u.claims.empty()) out << "    extracted: nothing (sentiment " << to_string(s.label) << ")\n";
      }
    }
    Tally total;
    for (const auto& [lang, t] : by_lang) total.add(t);
    out << file << ":\n";
    print_tally(out, "  all: ", total);
    for (const auto& [lang, t] : by_lang) print_tally(out, "  " + lang + ": ", t);
    all.add(total);
  }
  if (o.args.size() > 1) print_tally(out, "all files: ", all);
  return all.denied == 0 ? kOk : kFailure;
}

}  // namespace

bool ReplyCommands::given() const { return (draft != nullptr && *draft) || (eval != nullptr && *eval); }

ReplyCommands add_reply_commands(CLI::App& app, ReplyCommandOptions& o) {
  ReplyCommands c;
  auto* reply = app.add_subcommand("reply", "Reply drafts: show one, measure them.");
  reply->require_subcommand(1);
  c.draft = reply->add_subcommand("draft", "Print the reply draft for TEXT (scored and understood as `score` does).");
  c.draft->add_option("text", o.args, "The review's text")->required();
  c.draft->add_option("--author", o.author, "The author's display name");
  c.draft->add_option("--lang", o.lang, "auto, ru or en")->default_val("auto");
  c.draft->add_option("-c,--config", o.config, "Config file (its [topics], [replies]); default: built-in");
  c.eval = reply->add_subcommand("eval", "Measure drafts on claims-labelled files (tests/fixtures/replies/).");
  c.eval->add_option("files", o.args, "Labelled files")->required()->check(CLI::ExistingFile);
  c.eval->add_option("--mistakes", o.mistakes, "Also list this many claims the drafts missed")->default_val(0);
  c.eval->add_option("--rating", o.rating,
                     "Score each complaint as a review with this many stars (1-5), as review sites' items are")
      ->check(CLI::Range(1.0, 5.0));
  c.eval->add_option("-c,--config", o.config, "Config file (its [topics], [replies]); default: built-in");
  return c;
}

int run_reply_command(const ReplyCommands& c, const ReplyCommandOptions& o, std::ostream& out, std::ostream& err) {
  const auto tools = load_tools(o.config, err);
  if (!tools) return kConfig;
  if (c.draft != nullptr && *c.draft) return run_draft(*tools, o, out, err);
  return run_eval(*tools, o, out, err);
}

}  // namespace otklik
