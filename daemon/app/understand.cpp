#include "daemon/app/understand.hpp"

#include "daemon/understanding/author.hpp"
#include "daemon/understanding/claims.hpp"
#include "daemon/understanding/topic_file.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

namespace otklik {

Result<std::shared_ptr<const understanding::Taxonomy>> load_topics(const TopicsConfig& config) {
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& path : config.files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Failure(errc::invalid_input, path + ": cannot read the topic file");
    std::ostringstream text;
    text << in.rdbuf();
    files.emplace_back(path, text.str());
  }
  auto taxonomy = understanding::load_taxonomy(config.builtin, files, config.disable);
  if (!taxonomy) return taxonomy.error();
  return std::shared_ptr<const understanding::Taxonomy>(
      std::make_shared<understanding::Taxonomy>(std::move(*taxonomy)));
}

std::map<std::string, std::string> topic_names(const understanding::Taxonomy& taxonomy, std::string_view locale) {
  std::map<std::string, std::string> names;
  for (const auto& t : taxonomy.topics) names[t.id] = t.name.in(locale);
  return names;
}

std::unique_ptr<understanding::BrandMatcher> make_brand_matcher(const std::vector<BrandConfig>& brands) {
  std::vector<understanding::BrandSpec> specs;
  specs.reserve(brands.size());
  for (const BrandConfig& b : brands) {
    understanding::BrandSpec spec;
    spec.name = b.name;
    spec.aliases = b.aliases;
    spec.guard = b.guard;
    spec.typos = b.typos;
    specs.push_back(std::move(spec));
  }
  return std::make_unique<understanding::BrandMatcher>(std::move(specs));
}

understanding::RepeatAuthor summarize_history(const std::vector<AuthorHistoryItem>& history,
                                              const std::string& source, const std::vector<std::string>& topics,
                                              int window_days, std::size_t max_previous) {
  understanding::RepeatAuthor r;
  r.negatives = static_cast<int>(history.size()) + 1;
  r.window_days = window_days;
  std::map<std::string, int> counts{{source, 1}};
  for (const auto& h : history) counts[h.source] += 1;
  for (const auto& [name, n] : counts) r.by_source.emplace_back(name, n);
  std::stable_sort(r.by_source.begin(), r.by_source.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& h : history) {
    if (r.previous.size() == max_previous) break;
    understanding::PreviousMention p;
    p.mention_id = h.mention_id;
    p.source = h.source;
    p.url = h.url;
    p.published_ms = std::chrono::duration_cast<std::chrono::milliseconds>(h.at.time_since_epoch()).count();
    p.topics = h.topics;
    p.case_state = h.case_state;
    r.previous.push_back(std::move(p));
  }
  for (const auto& t : topics) {
    const bool before = std::any_of(history.begin(), history.end(), [&](const AuthorHistoryItem& h) {
      return std::find(h.topics.begin(), h.topics.end(), t) != h.topics.end();
    });
    if (before) r.repeated_topics.push_back(t);
  }
  return r;
}

Understander::Understander(const Scorer& scorer, std::shared_ptr<const understanding::Taxonomy> taxonomy,
                           std::unique_ptr<understanding::BrandMatcher> brands, UnderstandingConfig config)
    : scorer_(scorer), taxonomy_(std::move(taxonomy)), brands_(std::move(brands)), config_(config) {
  if (taxonomy_) tagger_ = std::make_unique<understanding::TopicTagger>(*taxonomy_);
}

std::optional<understanding::BrandMatch> Understander::match_brand(const Mention& m) const {
  if (!brands_) return std::nullopt;
  return brands_->match(scored_text(m));
}

understanding::Understanding Understander::understand(const Mention& m, const Sentiment& s) const {
  if (s.label != Label::negative) return understand(m, s, {}, sentiment::TokenBuffer{}, false);
  const std::string text = scored_text(m);
  sentiment::TokenBuffer tokens;
  sentiment::tokenize(text, tokens);
  return understand(m, s, text, tokens, false);
}

understanding::Understanding Understander::understand(const Mention& m, const Sentiment& s, std::string_view text,
                                                      const sentiment::TokenBuffer& tokens,
                                                      bool s_is_clause_score) const {
  understanding::Understanding u;
  const auto keys = understanding::author_keys(m.source, m.author, m.author_id);
  u.author_id_key = keys.id_key;
  u.author_name_key = keys.name_key;
  if (s.label != Label::negative) return u;

  understanding::TokenTopicFn topics;
  if (tagger_)
    topics = [this](std::string_view clause, const sentiment::TokenBuffer& t) { return tagger_->tag(clause, t); };
  if (config_.claims) {
    understanding::ClaimOptions options;
    options.max_claims = static_cast<std::size_t>(config_.max_claims);
    options.whole_is_clause_score = s_is_clause_score;
    u.claims = understanding::extract_claims(text, tokens, s, scorer_, topics, options);
  }
  // The mention's topics: those of its claims, in taxonomy order; without claims, the whole text's.
  if (tagger_) {
    std::vector<std::string> found;
    if (config_.claims && !u.claims.empty()) {
      for (const auto& c : u.claims) found.insert(found.end(), c.topics.begin(), c.topics.end());
    } else {
      found = tagger_->tag(text, tokens);
    }
    for (const auto& t : taxonomy_->topics)
      if (std::find(found.begin(), found.end(), t.id) != found.end()) u.topics.push_back(t.id);
  }
  return u;
}

Result<void> Understander::repeat_author(understanding::Understanding& u, const Mention& m, MentionStore& mentions,
                                         std::int64_t self, TimePoint now) const {
  if (u.author_id_key.empty() && u.author_name_key.empty()) return {};
  AuthorQuery q;
  q.id_key = u.author_id_key;
  q.name_key = u.author_name_key;
  q.since = now - config_.repeat_window;
  q.exclude_mention = self;
  auto history = mentions.author_history(q);
  if (!history) return history.error();
  if (!history->empty()) {
    const int days = static_cast<int>(std::chrono::duration_cast<std::chrono::hours>(config_.repeat_window).count() / 24);
    u.repeat = summarize_history(*history, m.source, u.topics, std::max(days, 1));
  }
  return {};
}

}  // namespace otklik

namespace otklik {

void add_topic_views(DeliveryRequest& request, const understanding::Taxonomy* taxonomy, std::string_view locale,
                     const UnderstandingConfig& config) {
  request.show_claims = config.claims;
  request.show_hints = config.hints;
  if (!request.mention || taxonomy == nullptr) return;
  const understanding::Understanding& u = request.mention->understanding;
  std::vector<std::string> ids = u.topics;
  for (const auto& c : u.claims) ids.insert(ids.end(), c.topics.begin(), c.topics.end());
  if (u.repeat) ids.insert(ids.end(), u.repeat->repeated_topics.begin(), u.repeat->repeated_topics.end());
  for (const auto& t : taxonomy->topics) {
    if (std::find(ids.begin(), ids.end(), t.id) == ids.end()) continue;
    TopicView v;
    v.id = t.id;
    v.name = t.name.in(locale);
    v.hints = t.hints.in(locale);
    request.topics.push_back(std::move(v));
  }
}

}  // namespace otklik
