#include "daemon/app/cli.hpp"

#include "daemon/app/application.hpp"
#include "daemon/app/digest_command.hpp"
#include "daemon/app/feedback_command.hpp"
#include "daemon/app/lexicon_learn_command.hpp"
#include "daemon/app/poll_command.hpp"
#include "daemon/app/reply_command.hpp"
#include "daemon/app/store_command.hpp"
#include "daemon/app/understand.hpp"
#include "daemon/app/understand_command.hpp"
#include "daemon/app/user_command.hpp"
#include "daemon/config/config_load.hpp"
#include "daemon/replies/reply_book.hpp"
#include "daemon/sentiment/eval.hpp"
#include "daemon/sentiment/lexicon_import.hpp"
#include "daemon/sentiment/lexicon_scorer.hpp"
#include "daemon/sentiment/sentiment_json.hpp"
#include "daemon/sentiment/text.hpp"
#include "sources/source.hpp"

#include <CLI/CLI.hpp>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdlib>
#include <iostream>

#include <unistd.h>

namespace otklik {
namespace {

/// "<N>" syslog priority prefix that journald reads from a service's stderr (sd-daemon(3)).
class JournalPriority final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    const char* p = "<6>";
    switch (msg.level) {
      case spdlog::level::trace:
      case spdlog::level::debug: p = "<7>"; break;
      case spdlog::level::info: p = "<6>"; break;
      case spdlog::level::warn: p = "<4>"; break;
      case spdlog::level::err: p = "<3>"; break;
      case spdlog::level::critical: p = "<2>"; break;
      default: break;
    }
    dest.append(p, p + 3);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JournalPriority>(); }
};

/// Logs go to stderr; under systemd (JOURNAL_STREAM set) with a priority prefix and without our
/// own timestamp (journald adds one).
std::shared_ptr<spdlog::logger> make_logger(std::ostream& err) {
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(err, true);
  auto log = std::make_shared<spdlog::logger>("otklik", sink);
  if (std::getenv("JOURNAL_STREAM") != nullptr) {
    auto f = std::make_unique<spdlog::pattern_formatter>();
    f->add_flag<JournalPriority>('*').set_pattern("%*%v");
    log->set_formatter(std::move(f));
  } else {
    log->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  }
  log->flush_on(spdlog::level::info);
  return log;
}

int check_config(const std::filesystem::path& path, std::ostream& out, std::ostream& err) {
  SourceRegistry registry = SourceRegistry::with_builtin_types();
  auto loaded = load_config(path, &registry);
  if (!loaded.problems.empty()) err << format_problems(path, loaded.problems);
  if (!loaded.config) return kExitConfig;
  auto scorer = make_lexicon_scorer(loaded.config->sentiment, loaded.config->path.parent_path());
  if (!scorer) {
    err << path.string() << ": sentiment.lexicons: " << scorer.error().message() << "\n";
    return kExitConfig;
  }
  auto topics = load_topics(loaded.config->topics);
  if (!topics) {
    err << topics.error().detail << "\n";
    return kExitConfig;
  }
  if (auto book = replies::load_reply_book(loaded.config->replies, **topics); !book) {
    err << book.error().detail << "\n";
    return kExitConfig;
  }
  out << path.string() << ": ok (" << loaded.config->sources.size() << " sources, " << loaded.config->channels.size()
      << " channels, " << loaded.config->routes.size() << " routes)\n";
  return kExitOk;
}

/// Reads up to `n` bytes of `in` into `data`; 0 at the end. For the process's stdin it returns
/// what one read(2) gives, so that lines typed or streamed in are answered as they come instead
/// of when a block is full (std::cin, synchronised with stdio, holds no bytes of its own).
std::size_t read_some(std::istream& in, char* data, std::size_t n) {
  if (&in == &std::cin) {
    for (;;) {
      const ssize_t got = ::read(STDIN_FILENO, data, n);
      if (got >= 0) return static_cast<std::size_t>(got);
      if (errno != EINTR) return 0;
    }
  }
  in.read(data, static_cast<std::streamsize>(n));
  return static_cast<std::size_t>(in.gcount());
}

int score(const std::vector<std::string>& texts, const std::string& lang_name, bool json, std::istream& in,
          std::ostream& out, std::ostream& err) {
  auto lang = parse_lang(lang_name);
  if (!lang) {
    err << "--lang must be auto, ru or en\n";
    return kExitUsage;
  }
  auto scorer = make_builtin_scorer();
  // Output is gathered and written in blocks, input read in blocks and split at line breaks:
  // a stream write per text and std::getline's per-character reads were a sixth of the command.
  constexpr std::size_t kBlock = 1 << 16;
  std::string pending;
  pending.reserve(2 * kBlock);
  auto write_out = [&] {
    out.write(pending.data(), static_cast<std::streamsize>(pending.size()));
    pending.clear();
  };
  sentiment::TokenBuffer tokens;  // of the text being scored: tokenised once for the score and the claims
  auto one = [&](std::string_view text) {
    sentiment::tokenize(text, tokens);
    Sentiment s = scorer->score_tokenized(text, tokens, std::nullopt, *lang);
    // Scored as a clause is scored (no rating, the language detected), the text's score serves a
    // clause that is the whole text.
    const understanding::Understanding u = understand_text(text, tokens, s, *scorer, *lang == Lang::automatic);
    if (json) {
      append_json_line(pending, s, text);  // in place: no string per line
      append_understanding_json(pending, u);
      pending += '\n';
    } else {
      pending += to_text(s, text);
      pending += understanding_text(u);
    }
    if (pending.size() >= kBlock) write_out();
  };
  if (!texts.empty()) {
    for (const auto& t : texts) one(t);
  } else {
    std::string buf;       // what was read and not yet scored: at most one partial line
    std::string block(kBlock, '\0');
    auto line = [&](std::string_view l) {
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      one(l);
    };
    for (std::size_t got; (got = read_some(in, block.data(), block.size())) > 0;) {
      buf.append(block.data(), got);
      std::size_t from = 0;
      for (std::size_t nl; (nl = buf.find('\n', from)) != std::string::npos; from = nl + 1)
        line(std::string_view(buf).substr(from, nl - from));
      buf.erase(0, from);
      // What was read is answered before waiting for more.
      write_out();
      out.flush();
    }
    if (!buf.empty()) line(buf);  // the last line, without a line break
  }
  write_out();
  out.flush();
  return kExitOk;
}

int run_lexicon_check(const std::filesystem::path& path, std::ostream& out, std::ostream& err) {
  auto checked = check_lexicon_file(path);
  if (!checked) {
    err << path.string() << ": " << checked.error().message() << "\n";
    return kExitFailure;
  }
  for (const auto& f : checked->findings)
    err << path.string() << ":" << f.line << ": " << (f.warning ? "warning: " : "") << f.message << "\n";
  out << path.string() << ": " << checked->entries << " entries, " << (checked->ok() ? "ok" : "invalid") << "\n";
  return checked->ok() ? kExitOk : kExitFailure;
}

int list_sources(std::ostream& out) {
  SourceRegistry registry = SourceRegistry::with_builtin_types();
  out << "Every [[source]] takes: name, type, label, url, interval, brand, match_brands, alert_max_age, "
         "answered, enabled, user_agent.\nPresets with ids build their url from them (a given url wins) and poll at their "
         "default interval unless one is set.\n\n";
  for (const auto& t : registry.types()) {
    out << t.name << " — " << t.description << "\n";
    if (!t.build_url && t.name != "rss" && t.name != "html" && t.name != "json") out << "    url (required)\n";
    for (const auto& k : t.keys)
      out << "    " << k.name << (k.required ? " (required)" : "") << ": " << k.description << "\n";
    if (!t.paging.empty()) out << "    paging: " << t.paging << "\n";
    out << "\n";
  }
  return kExitOk;
}

}  // namespace

int run_cli(int argc, char** argv, std::istream& in, std::ostream& out, std::ostream& err) {
  CLI::App app{"Otklik: watches reviews and mentions of your brands and tells the team about the negative ones."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "otklik 0.1.0");

  std::filesystem::path config_path;
  auto* run = app.add_subcommand("run", "Run the daemon in the foreground.");
  run->add_option("-c,--config", config_path, "Config file (TOML)")->required();

  auto* check = app.add_subcommand("check-config", "Validate a config file; print every problem.");
  check->add_option("-c,--config", config_path, "Config file (TOML)")->required();

  bool once = false, dry_run = false;
  auto* poll = app.add_subcommand("poll", "Poll each source once and deliver (or print) what alerts.");
  poll->add_option("-c,--config", config_path, "Config file (TOML)")->required();
  poll->add_flag("--once", once, "Poll once and exit (required)")->required();
  poll->add_flag("--dry-run", dry_run, "Send nothing, write no store; print what would alert");

  std::vector<std::string> texts;
  std::string lang = "auto";
  bool json = false;
  auto* score_cmd = app.add_subcommand("score", "Score TEXT arguments, or each line of stdin.");
  score_cmd->add_option("--lang", lang, "auto, ru or en")->default_val("auto");
  score_cmd->add_flag("--json", json, "One JSON object per line");
  score_cmd->add_option("text", texts, "Texts to score");

  std::vector<std::filesystem::path> eval_files;
  auto* eval = app.add_subcommand("eval", "Measure the scorer on LABEL<TAB>TEXT files.");
  eval->add_option("files", eval_files, "Labelled files")->required()->check(CLI::ExistingFile);
  eval->add_option("--lang", lang, "auto, ru or en")->default_val("auto");
  eval->add_flag("--json", json, "JSON report");
  bool curve = false;
  eval->add_flag("--curve", curve,
                 "Negative precision, recall, F1, false alarms per 100 alerts and share of complaints caught "
                 "at each threshold of the score (0 to -0.6 by 0.05, and the scorer's own label)");

  auto* lexicon = app.add_subcommand("lexicon", "Lexicon tools.");
  lexicon->require_subcommand(1);
  std::string format;
  std::filesystem::path lex_in, lex_out;
  auto* import = lexicon->add_subcommand("import", "Convert a vader, afinn, tsv or csv lexicon to Otklik's TSV.");
  import->add_option("--format", format, "vader, afinn, tsv or csv")->required();
  import->add_option("in", lex_in, "Input file")->required()->check(CLI::ExistingFile);
  import->add_option("out", lex_out, "Output TSV file")->required();
  auto* lex_check = lexicon->add_subcommand("check", "Validate a lexicon TSV file.");
  lex_check->add_option("file", lex_in, "Lexicon TSV")->required()->check(CLI::ExistingFile);
  LexiconLearnOptions learn_options;
  auto* lex_learn = add_lexicon_learn_command(*lexicon, learn_options);

  auto* sources = app.add_subcommand("sources", "List source types and their keys.");

  UnderstandCommandOptions understand_options;
  const UnderstandCommands understand = add_understand_commands(app, understand_options);

  DigestCommandOptions digest_options;
  auto* digest_cmd = add_digest_command(app, config_path, digest_options);

  auto* feedback = app.add_subcommand("feedback", "What the team told the daemon about its alerts.");
  feedback->require_subcommand(1);
  std::optional<std::string> since;
  auto* feedback_export = feedback->add_subcommand(
      "export", "Print the team's corrections (dismissed alerts, relabels) as LABEL<TAB>TEXT lines (for otklik eval).");
  feedback_export->add_option("-c,--config", config_path, "Config file (TOML)")->required();
  feedback_export->add_option("--since", since, "Only corrections on or after this date (YYYY-MM-DD, UTC)");

  ReplyCommandOptions reply_options;
  const ReplyCommands reply = add_reply_commands(app, reply_options);

  StoreCommandOptions store_options;
  auto* store_copy = add_store_command(app, store_options);

  UserCommandOptions user_options;
  const UserCommands user = add_user_commands(app, config_path, user_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, out, err) == 0 ? kExitOk : kExitUsage;
  }

  if (*run) return run_daemon(config_path, make_logger(err), out);
  if (*check) return check_config(config_path, out, err);
  if (*poll) return run_poll_once(config_path, dry_run, out, err, make_logger(err));
  if (*score_cmd) return score(texts, lang, json, in, out, err);
  if (*eval) {
    auto l = parse_lang(lang);
    if (!l) {
      err << "--lang must be auto, ru or en\n";
      return kExitUsage;
    }
    if (curve) return run_eval_curve(eval_files, *make_builtin_scorer(), *l, json, out, err);
    return run_eval(eval_files, *make_builtin_scorer(), *l, json, out, err);
  }
  if (*import) {
    auto f = parse_lexicon_format(format);
    if (!f) {
      err << "--format must be vader, afinn, tsv or csv\n";
      return kExitUsage;
    }
    return run_lexicon_import(*f, lex_in, lex_out, out, err);
  }
  if (*lex_check) return run_lexicon_check(lex_in, out, err);
  if (*lex_learn) return run_lexicon_learn(learn_options, out, err);
  if (*sources) return list_sources(out);
  if (*understand.topics_list || *understand.topics_eval || *understand.brands_match || *understand.brands_eval)
    return run_understand_command(understand, understand_options, out, err);
  if (reply.given()) return run_reply_command(reply, reply_options, out, err);
  if (*feedback_export) return run_feedback_export(config_path, since, out, err);
  if (*store_copy) return run_store_copy(store_options, out, err);
  if (user.given()) return run_user_command(user, config_path, user_options, in, out, err);
  if (*digest_cmd) return run_digest_command(config_path, digest_options, out, err, make_logger(err));
  return kExitUsage;
}

}  // namespace otklik
