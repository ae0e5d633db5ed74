#include "daemon/sentiment/lexicon_scorer.hpp"

#include "daemon/config/config.hpp"
#include "daemon/sentiment/builtin_lexicons.hpp"
#include "daemon/sentiment/engine.hpp"

#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <vector>

namespace otklik {
namespace {

using sentiment::Engine;
using sentiment::Workspace;

/// Thread-safe front of the engine: a pool of workspaces (each with its own stemmers, which are
/// not thread-safe), lent to one call at a time.
class LexiconScorer final : public Scorer {
 public:
  explicit LexiconScorer(Engine engine) : engine_(std::move(engine)) {}

  Sentiment score(std::string_view text, std::optional<double> rating, Lang lang) const override {
    std::unique_ptr<Workspace> ws = acquire();
    Sentiment s = engine_.score(text, rating, lang, *ws);
    release(std::move(ws));
    return s;
  }

  Sentiment score_tokenized(std::string_view text, const sentiment::TokenBuffer& tokens, std::optional<double> rating,
                            Lang lang) const override {
    std::unique_ptr<Workspace> ws = acquire();
    Sentiment s = engine_.score_tokenized(text, tokens, rating, lang, *ws);
    release(std::move(ws));
    return s;
  }

  double score_value(std::string_view text, const sentiment::TokenBuffer& tokens) const override {
    std::unique_ptr<Workspace> ws = acquire();
    const double score = engine_.score_value(text, tokens, *ws);
    release(std::move(ws));
    return score;
  }

 private:
  std::unique_ptr<Workspace> acquire() const {
    {
      const std::lock_guard lock(mutex_);
      if (!free_.empty()) {
        auto ws = std::move(free_.back());
        free_.pop_back();
        return ws;
      }
    }
    return std::make_unique<Workspace>();
  }

  void release(std::unique_ptr<Workspace> ws) const {
    constexpr std::size_t kKeepBytes = 1 << 20;  // do not keep the buffers of a huge text
    if (ws->buf.arena.capacity() > kKeepBytes || ws->buf.tokens.capacity() > kKeepBytes / 8) return;
    const std::lock_guard lock(mutex_);
    if (free_.size() < 64) free_.push_back(std::move(ws));
  }

  Engine engine_;
  mutable std::mutex mutex_;
  mutable std::vector<std::unique_ptr<Workspace>> free_;
};

/// The built-in lexicons, parsed, stemmed and indexed at build time (sentiment_lexgen).
sentiment::Lexicon builtin_lexicon() { return sentiment::Lexicon::from_image(sentiment::builtin_image()); }

Result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Failure(errc::io_error, "cannot open lexicon " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Failure(errc::io_error, "cannot read lexicon " + path.string());
  return ss.str();
}

}  // namespace

Result<std::unique_ptr<Scorer>> make_lexicon_scorer(const SentimentConfig& cfg,
                                                    const std::filesystem::path& base_dir) {
  const auto lang = parse_lang(cfg.lang);
  if (!lang) return Failure(errc::invalid_input, "sentiment.lang: \"" + cfg.lang + "\" is not auto, ru or en");
  sentiment::Lexicon lex = builtin_lexicon();
  std::unique_ptr<sentiment::StemmerSet> stemmers;  // only for extra files
  for (const std::string& name : cfg.lexicons) {
    std::filesystem::path path(name);
    if (path.is_relative()) path = base_dir / path;
    auto text = read_file(path);
    if (!text) return text.error();
    std::vector<sentiment::LexiconIssue> issues;
    const auto lines = sentiment::parse_lexicon_tsv(*text, &issues);
    for (const auto& issue : issues) {
      if (!issue.warning)
        return Failure(errc::invalid_input,
                       path.string() + ":" + std::to_string(issue.line) + ": " + issue.message);
    }
    if (!stemmers) stemmers = std::make_unique<sentiment::StemmerSet>();
    lex.add(lines, path.filename().string(), *stemmers);
  }
  return std::unique_ptr<Scorer>(std::make_unique<LexiconScorer>(Engine(std::move(lex), *lang)));
}

std::unique_ptr<Scorer> make_builtin_scorer() {
  return std::make_unique<LexiconScorer>(Engine(builtin_lexicon(), Lang::automatic));
}

}  // namespace otklik

namespace otklik::sentiment {

std::unique_ptr<Scorer> make_builtin_scorer_with(const EngineParams& params) {
  return std::make_unique<LexiconScorer>(Engine(builtin_lexicon(), Lang::automatic, params));
}

}  // namespace otklik::sentiment
