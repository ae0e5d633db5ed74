#include "daemon/app/replies_runtime.hpp"

#include "daemon/app/site_reply_channel.hpp"
#include "daemon/replies/draft.hpp"
#include "daemon/replies/final_text.hpp"
#include "daemon/replies/reply_book.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <set>

namespace otklik {

namespace {

constexpr Duration kAutoReplyEvery = std::chrono::minutes(1);
/// How far back past the delay the automatic thanks looks: a day, so that turning auto_reply on
/// (or a long outage) does not thank a backlog of old reviews.
constexpr Duration kAutoReplyWindow = std::chrono::hours(24);
constexpr int kAutoReplyBatch = 50;

replies::DraftInput draft_input(const StoredMention& m, const std::string& site, const TimeZone& zone,
                                const std::string& fallback, TimePoint now) {
  replies::DraftInput in = replies::draft_input(m.mention, m.sentiment, m.understanding);
  in.site = site;
  in.zone = zone;
  in.fallback_locale = fallback;
  in.now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  return in;
}


}  // namespace

void wake_dispatcher(Runtime& rt, const std::string& channel) {
  for (auto& d : rt.dispatchers)
    if (d->channel_name() == channel) d->notify();
}

Result<void> build_replies(Runtime& rt, const RuntimeDeps& deps) {
  const Config& cfg = rt.config;
  if (!cfg.replies.enabled) return {};
  auto book = replies::load_reply_book(cfg.replies, *rt.topics);
  if (!book) return Failure(book.error().code, "replies: " + book.error().detail);
  rt.reply_book = *book;

  // One publishing channel per enabled source whose site takes answers.
  std::map<std::string, ReplySite> sites;
  Runtime* r = &rt;
  for (const auto& s : cfg.sources) {
    if (!s.enabled) continue;
    std::unique_ptr<ReplyPoster> poster;
    try {
      poster = deps.registry.create_replier(s);
    } catch (const std::exception& e) {
      return Failure(errc::invalid_input, "source " + s.name + ": answers: " + e.what());
    }
    if (!poster) continue;
    sites[s.name] = ReplySite{poster->site(), poster->limits()};
    auto channel = std::make_unique<SiteReplyChannel>(
        s, std::move(poster), *rt.http, deps.store, deps.clock, cfg.daemon.user_agent,
        [r](const std::string& name) { wake_dispatcher(*r, name); }, deps.log);
    rt.dispatchers.push_back(std::make_unique<Dispatcher>(deps.executor, *channel, deps.store, rt.config, deps.events,
                                                          deps.log, deps.redactor));
    rt.dispatchers.back()->use_topics(rt.topics);
    rt.channels.push_back(std::move(channel));
  }

  auto zone = TimeZone::load(cfg.daemon.timezone);
  TimeZone tz = zone ? std::move(*zone) : TimeZone{};
  std::shared_ptr<const replies::ReplyBook> b = rt.reply_book;
  std::shared_ptr<const understanding::Taxonomy> topics = rt.topics;
  const std::string fallback = cfg.daemon.locale;
  const Clock* clock = &deps.clock;
  ReplyDesk::Compose compose = [b, topics, tz, fallback, clock, sites](const StoredMention& m) {
    const auto it = sites.find(m.mention.source);
    const std::string site = it == sites.end() ? std::string() : it->second.site;
    const replies::Draft d =
        replies::compose_draft(*b, *topics, draft_input(m, site, tz, fallback, clock->now()));
    return ComposedDraft{d.locale, d.text()};
  };
  ReplyDesk::CheckText check = [b](std::string_view locale, std::string_view text) {
    return replies::final_text_problems(*b, locale, text);
  };
  rt.reply_desk = std::make_unique<ReplyDesk>(
      rt.config, deps.store, deps.clock, std::move(sites), std::move(compose), std::move(check),
      [r](const std::string& name) { wake_dispatcher(*r, name); }, deps.log);
  return {};
}

void attach_reply(DeliveryRequest& request, Store& store, const Runtime& rt) {
  if (!rt.reply_desk || !request.case_record || !request.mention) return;
  if (request.item.kind != "alert" && request.item.kind != "status") return;
  ReplyView view;
  if (const ReplySite* site = rt.reply_desk->site_of(request.mention->mention.source)) {
    view.publish = true;
    view.site = site->site;
  }
  ReplyStore& replies = store;
  if (auto latest = replies.latest_reply(request.item.mention_id); latest && *latest) view.latest = std::move(**latest);
  request.reply = std::move(view);
}

AutoReplies::AutoReplies(std::vector<Target> targets, std::shared_ptr<const replies::ReplyBook> book,
                         StoreExecutor& store, const Clock& clock, TimeZone zone, std::string fallback_locale,
                         std::function<void(const std::string&)> notify, std::shared_ptr<spdlog::logger> log)
    : targets_(std::move(targets)),
      book_(std::move(book)),
      store_(store),
      clock_(clock),
      zone_(std::move(zone)),
      fallback_(std::move(fallback_locale)),
      notify_(std::move(notify)),
      log_(std::move(log)) {}

boost::asio::awaitable<int> AutoReplies::round() {
  int total = 0;
  for (const Target& t : targets_) {
    const SourceConfig& s = *t.source;
    const TimePoint now = clock_.now();
    const TimePoint before = now - s.auto_reply_delay;
    const TimePoint after = before - kAutoReplyWindow;
    struct Batch {
      std::vector<StoredMention> mentions;
      std::string error;
    };
    Batch batch = co_await store_.run([&](Store& st) {
      Batch out;
      ReplyStore& replies = st;
      MentionStore& mentions = st;
      auto ids = replies.auto_reply_candidates(s.name, after, before, kAutoReplyBatch + static_cast<int>(old_.size()));
      if (!ids) {
        out.error = ids.error().message();
        return out;
      }
      for (std::int64_t id : *ids) {
        if (old_.count(id) != 0) continue;
        if (auto m = mentions.mention(id); m && *m) out.mentions.push_back(std::move(**m));
      }
      return out;
    });
    if (!batch.error.empty()) log_->warn("auto_reply: source {}: cannot read the candidates: {}", s.name, batch.error);
    int queued = 0;
    for (const StoredMention& m : batch.mentions) {
      // A review a first poll stored from the site's past, or one with a complaint in it, is not thanked.
      const TimePoint published = m.mention.published.value_or(m.first_seen);
      if (published < m.first_seen - s.alert_max_age || !m.understanding.claims.empty()) {
        old_.insert(m.id);
        continue;
      }
      const replies::Draft d = replies::compose_thanks(*book_, draft_input(m, t.site, zone_, fallback_, now));
      const std::string text = d.text();
      if (!replies::final_text_problems(*book_, d.locale, text).empty()) {
        log_->error("auto_reply: the thanks template for {} cannot be published as it is; fix the templates",
                    d.locale);
        old_.insert(m.id);
        continue;
      }
      auto q = co_await store_.run([&](Store& st) {
        ReplyStore& replies = st;
        return replies.queue_auto_reply(m.id, text, now);
      });
      if (!q) log_->warn("auto_reply: review {}: cannot queue the thanks: {}", m.id, q.error().message());
      else if (*q) ++queued;
    }
    if (queued > 0) {
      log_->info("auto_reply: {} thanks queued for {}", queued, s.name);
      if (notify_) notify_(reply_channel(s.name));
    }
    total += queued;
  }
  co_return total;
}

boost::asio::awaitable<void> run_auto_replies(Runtime& rt, StoreExecutor& store, const Clock& clock,
                                              std::shared_ptr<spdlog::logger> log) {
  namespace asio = boost::asio;
  std::vector<AutoReplies::Target> targets;
  for (const auto& s : rt.config.sources) {
    if (!s.enabled || s.auto_reply != AutoReply::positive || !rt.reply_desk) continue;
    if (const ReplySite* site = rt.reply_desk->site_of(s.name)) targets.push_back({&s, site->site});
  }
  if (targets.empty() || !rt.reply_book) co_return;
  log->info("auto_reply: thanking positive reviews of {} source(s)", targets.size());
  auto zone = TimeZone::load(rt.config.daemon.timezone);
  Runtime* r = &rt;
  AutoReplies auto_replies(std::move(targets), rt.reply_book, store, clock, zone ? std::move(*zone) : TimeZone{},
                           rt.config.daemon.locale, [r](const std::string& name) { wake_dispatcher(*r, name); }, log);
  co_await asio::this_coro::throw_if_cancelled(false);
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    (void)co_await auto_replies.round();
    // Cancelled during the round's store jobs: no timer saw it.
    if ((co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none) co_return;
    timer.expires_after(kAutoReplyEvery);
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
  }
}

}  // namespace otklik
