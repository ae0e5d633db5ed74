#include "daemon/app/reply_desk.hpp"

#include "daemon/app/alert_actions.hpp"
#include "daemon/channels/reply_markup.hpp"
#include "daemon/channels/text_util.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace otklik {

using channels::ReplyOutcome;

namespace {

std::string who_name(const Actor& a) { return !a.name.empty() ? a.name : a.id; }

}  // namespace

/// What one store job reads about a mention for answering it.
struct ReplyDesk::Loaded {
  bool failed = false;
  std::optional<StoredMention> mention;
  bool posted_here = false;                ///< the alert was posted in the asking channel
  std::optional<ReplyRecord> latest;
};

ReplyDesk::Loaded ReplyDesk::load(Store& store, const std::string& channel, std::int64_t mention_id) {
  Loaded r;
  MentionStore& mentions = store;
  OutboxStore& outbox = store;
  ReplyStore& replies = store;
  auto m = mentions.mention(mention_id);
  if (!m) {
    r.failed = true;
    return r;
  }
  r.mention = std::move(*m);
  if (channel == "web") {
    r.posted_here = true;  // the web inbox acts on any case
  } else if (auto posted = outbox.posted_alerts(mention_id)) {
    r.posted_here = std::any_of(posted->begin(), posted->end(), [&](const PostedAlert& p) { return p.channel == channel; });
  }
  if (auto latest = replies.latest_reply(mention_id)) r.latest = std::move(*latest);
  return r;
}

ReplyDesk::ReplyDesk(const Config& config, StoreExecutor& store, const Clock& clock,
                     std::map<std::string, ReplySite> sites, Compose compose, CheckText check, Notify notify,
                     std::shared_ptr<spdlog::logger> log)
    : config_(config),
      store_(store),
      clock_(clock),
      sites_(std::move(sites)),
      compose_(std::move(compose)),
      check_(std::move(check)),
      notify_(std::move(notify)),
      log_(std::move(log)) {}

const ReplySite* ReplyDesk::site_of(const std::string& source) const {
  const auto it = sites_.find(source);
  return it == sites_.end() ? nullptr : &it->second;
}

std::string ReplyDesk::locale_of(const std::string& channel) const {
  if (const ChannelConfig* c = config_.find_channel(channel); c && c->locale) return *c->locale;
  return config_.daemon.locale;
}

bool ReplyDesk::may_act(const channels::ReplyAsker& who) const {
  if (who.channel == "web") return true;  // the web layer checked the user's role
  const ChannelConfig* c = config_.find_channel(who.channel);
  return c != nullptr && user_allowed(c->allowed_users, who.actor.id, who.username);
}

bool ReplyDesk::may_publish(const channels::ReplyAsker& who) const {
  if (who.channel == "web") {
    const auto& users = config_.replies.web_users;
    return std::find(users.begin(), users.end(), who.actor.id) != users.end();
  }
  const ChannelConfig* c = config_.find_channel(who.channel);
  // An empty list means nobody: a public answer speaks for the company.
  return c != nullptr && !c->reply_users.empty() && user_allowed(c->reply_users, who.actor.id, who.username);
}

std::string ReplyDesk::text_problems(const ReplySite& site, std::string_view locale, std::string_view text) const {
  std::vector<std::string> problems;
  if (check_) problems = check_(locale, text);
  if (std::string p = reply_text_problem(text, site.limits, site.site); !p.empty()) problems.push_back(std::move(p));
  std::string out;
  for (const auto& p : problems) out += (out.empty() ? "" : "\n") + ("\u2022 " + p);
  return out;
}

boost::asio::awaitable<channels::DraftReply> ReplyDesk::draft(channels::ReplyAsker who, std::int64_t mention_id,
                                                              bool edit) {
  const std::string locale = locale_of(who.channel);
  const channels::ReplyWords& words = channels::reply_words_for(locale);
  channels::DraftReply out;
  out.locale = locale;
  if (!config_.replies.enabled) {
    out.outcome = ReplyOutcome::not_found;
    out.text = std::string(words.not_found);
    co_return out;
  }
  if (!may_act(who)) {
    out.outcome = ReplyOutcome::not_allowed;
    out.text = std::string(channels::case_words_for(locale).not_allowed);
    co_return out;
  }
  Loaded l = co_await store_.run([&](Store& s) { return load(s, who.channel, mention_id); });
  if (l.failed) {
    out.outcome = ReplyOutcome::failed;
    out.text = std::string(words.failed);
    co_return out;
  }
  if (!l.mention || !l.posted_here) {
    out.outcome = ReplyOutcome::not_found;
    out.text = std::string(words.not_found);
    co_return out;
  }
  const ReplySite* site = site_of(l.mention->mention.source);
  const ComposedDraft d = compose_(*l.mention);
  out.outcome = ReplyOutcome::ok;
  out.text = std::string(words.draft_below);
  out.heading = channels::draft_heading(mention_id, site ? site->site : std::string(), words);
  out.draft = d.text;
  out.review_url = l.mention->mention.url;
  out.can_publish = site != nullptr && may_publish(who);
  out.instructions = std::string(site == nullptr        ? words.how_on_site
                                 : !may_publish(who)    ? words.no_rights
                                                        : words.how_to_post);
  log_->info("alert {}: {} draft for {} ({} {}) in channel {}", mention_id, edit ? "edit" : "answer",
             who_name(who.actor), who.actor.platform, who.actor.id, who.channel);
  co_return out;
}

boost::asio::awaitable<channels::ReplyPreview> ReplyDesk::take_text(channels::ReplyAsker who, std::int64_t mention_id,
                                                                    bool edit, std::string text,
                                                                    std::string response_url, bool queue) {
  const std::string locale = locale_of(who.channel);
  const channels::ReplyWords& words = channels::reply_words_for(locale);
  channels::ReplyPreview out;
  auto refuse = [&](ReplyOutcome o, std::string why) {
    out.outcome = o;
    out.text = std::move(why);
    log_->info("alert {}: answer from {} ({} {}) in channel {} not taken: {}", mention_id, who_name(who.actor),
               who.actor.platform, who.actor.id, who.channel, out.text);
    return out;
  };
  if (!config_.replies.enabled) co_return refuse(ReplyOutcome::not_found, std::string(words.not_found));
  if (!may_act(who) || !may_publish(who)) co_return refuse(ReplyOutcome::not_allowed, std::string(words.not_allowed));
  // Trailing spaces and the line ends of a chat client are not part of the answer.
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r' || text.back() == '\t'))
    text.pop_back();

  Loaded l = co_await store_.run([&](Store& s) { return load(s, who.channel, mention_id); });
  if (l.failed) co_return refuse(ReplyOutcome::failed, std::string(words.failed));
  if (!l.mention || !l.posted_here) co_return refuse(ReplyOutcome::not_found, std::string(words.not_found));
  const ReplySite* site = site_of(l.mention->mention.source);
  if (site == nullptr) co_return refuse(ReplyOutcome::refused, std::string(words.no_api));
  if (l.latest && !edit) {
    if (l.latest->state == ReplyState::posted) co_return refuse(ReplyOutcome::conflict, std::string(words.already_posted));
    if (l.latest->state == ReplyState::queued) co_return refuse(ReplyOutcome::conflict, std::string(words.busy));
  }
  // The draft's language decides which deny-list and blanks apply; the review's, really.
  const std::string text_locale = compose_ ? compose_(*l.mention).locale : locale;
  if (std::string problems = text_problems(*site, text_locale, text); !problems.empty())
    co_return refuse(ReplyOutcome::refused,
                     fmt::format("{}\n{}\n{}", words.not_posted, problems, queue ? "" : words.fix_and_resend));

  ReplyRecord r;
  r.mention_id = mention_id;
  r.source = l.mention->mention.source;
  r.channel = who.channel;
  r.actor = who.actor;
  r.text = text;
  r.edit = edit;
  r.preview_message = std::move(response_url);
  const TimePoint now = clock_.now();
  struct Stored {
    Result<std::int64_t> id = Failure(errc::store_failed);
    std::optional<Result<ReplyQueueOutcome>> queued;
  };
  Stored st = co_await store_.run([&](Store& s) {
    ReplyStore& replies = s;
    Stored out_st;
    out_st.id = replies.add_reply_preview(r, now);
    if (out_st.id && queue) out_st.queued = replies.queue_reply(*out_st.id, who.actor, now);
    return out_st;
  });
  if (!st.id) {
    log_->error("alert {}: cannot store the answer: {}", mention_id, st.id.error().message());
    co_return refuse(ReplyOutcome::failed, std::string(words.failed));
  }
  out.reply_id = *st.id;
  if (queue) {
    if (!st.queued || !*st.queued) {
      if (st.queued) log_->error("alert {}: cannot queue the answer: {}", mention_id, st.queued->error().message());
      co_return refuse(ReplyOutcome::failed, std::string(words.failed));
    }
    switch (**st.queued) {
      case ReplyQueueOutcome::queued:
      case ReplyQueueOutcome::already_queued: break;
      case ReplyQueueOutcome::already_posted: co_return refuse(ReplyOutcome::conflict, std::string(words.already_posted));
      case ReplyQueueOutcome::busy: co_return refuse(ReplyOutcome::conflict, std::string(words.busy));
      case ReplyQueueOutcome::cancelled:
      case ReplyQueueOutcome::failed:
      case ReplyQueueOutcome::not_found: co_return refuse(ReplyOutcome::conflict, std::string(words.gone));
    }
    if (notify_) notify_(reply_channel(r.source));
    log_->info("alert {}: answer {} to {} queued by {} ({} {}) in channel {}{}", mention_id, out.reply_id, site->site,
               who_name(who.actor), who.actor.platform, who.actor.id, who.channel, edit ? " (edit)" : "");
    out.outcome = ReplyOutcome::ok;
    out.text = std::string(words.queued);
    co_return out;
  }
  // The preview as the chat shows it, with Post and Cancel under it.
  const std::size_t n = reply_length(text);
  constexpr std::size_t kShown = 3500;  // a Telegram message holds 4,096 characters
  const std::size_t keep = channels::prefix_within(text, kShown);
  const std::string shown = keep < text.size() ? text.substr(0, keep) + "\u2026" : text;
  out.outcome = ReplyOutcome::ok;
  out.text = fmt::format("{} {} \u00B7 {} #{}{}\n\n{}\n\n{} {} {}", words.preview_heading, site->site, words.review_no,
                         mention_id, edit ? fmt::format("\n{}", words.edit_note) : std::string(), shown, n,
                         words.characters_of, site->limits.max_chars);
  log_->info("alert {}: answer {} previewed by {} ({} {}) in channel {}", mention_id, out.reply_id, who_name(who.actor),
             who.actor.platform, who.actor.id, who.channel);
  co_return out;
}

boost::asio::awaitable<channels::ReplyPreview> ReplyDesk::preview(channels::ReplyAsker who, std::int64_t mention_id,
                                                                  bool edit, std::string text) {
  co_return co_await take_text(std::move(who), mention_id, edit, std::move(text), std::string(), false);
}

boost::asio::awaitable<channels::ReplyPreview> ReplyDesk::submit(channels::ReplyAsker who, std::int64_t mention_id,
                                                                 bool edit, std::string text,
                                                                 std::string response_url) {
  co_return co_await take_text(std::move(who), mention_id, edit, std::move(text), std::move(response_url), true);
}

boost::asio::awaitable<void> ReplyDesk::preview_shown(std::int64_t reply_id, std::string message_id) {
  auto r = co_await store_.run([&](Store& s) {
    ReplyStore& replies = s;
    return replies.set_reply_preview_message(reply_id, message_id);
  });
  if (!r) log_->warn("answer {}: cannot record its preview message: {}", reply_id, r.error().message());
}

boost::asio::awaitable<channels::ReplyDecision> ReplyDesk::decide(channels::ReplyAsker who, std::int64_t reply_id,
                                                                  bool post) {
  const std::string locale = locale_of(who.channel);
  const channels::ReplyWords& words = channels::reply_words_for(locale);
  channels::ReplyDecision out;
  auto answer = [&](ReplyOutcome o, std::string_view text, std::string message = {}) {
    out.outcome = o;
    out.text = std::string(text);
    out.message = std::move(message);
    return out;
  };
  if (!may_act(who) || (post && !may_publish(who))) co_return answer(ReplyOutcome::not_allowed, words.not_allowed);
  const TimePoint now = clock_.now();
  struct Decided {
    std::optional<ReplyRecord> reply;
    std::optional<ReplyQueueOutcome> queued;
    bool cancelled = false;
    bool failed = false;
  };
  Decided d = co_await store_.run([&](Store& s) {
    ReplyStore& replies = s;
    Decided r;
    auto rec = replies.reply(reply_id);
    if (!rec) {
      r.failed = true;
      return r;
    }
    // A preview answers to the chat it was written in: a forged button from another chat finds nothing.
    if (!*rec || (*rec)->channel != who.channel) return r;
    r.reply = std::move(**rec);
    if (post) {
      auto q = replies.queue_reply(reply_id, who.actor, now);
      if (!q) r.failed = true;
      else r.queued = *q;
    } else {
      auto c = replies.cancel_reply(reply_id, now);
      if (!c) r.failed = true;
      else r.cancelled = *c;
    }
    return r;
  });
  if (d.failed) co_return answer(ReplyOutcome::failed, words.failed);
  if (!d.reply) co_return answer(ReplyOutcome::not_found, words.not_found);
  const ReplySite* site = site_of(d.reply->source);
  const std::string site_name = site ? site->site : d.reply->source;
  if (!post) {
    if (!d.cancelled) co_return answer(ReplyOutcome::conflict, words.gone);
    log_->info("alert {}: answer {} cancelled by {} in channel {}", d.reply->mention_id, reply_id, who_name(who.actor),
               who.channel);
    co_return answer(ReplyOutcome::ok, words.cancelled, std::string(words.cancelled));
  }
  switch (*d.queued) {
    case ReplyQueueOutcome::queued:
      if (notify_) notify_(reply_channel(d.reply->source));
      log_->info("alert {}: answer {} to {} queued by {} ({} {}) in channel {}{}", d.reply->mention_id, reply_id,
                 site_name, who_name(who.actor), who.actor.platform, who.actor.id, who.channel,
                 d.reply->edit ? " (edit)" : "");
      [[fallthrough]];
    case ReplyQueueOutcome::already_queued:
      co_return answer(ReplyOutcome::ok, words.queued,
                       fmt::format("{} {} — {}\n\n{}", words.posting, site_name, who_name(who.actor), d.reply->text));
    case ReplyQueueOutcome::already_posted: co_return answer(ReplyOutcome::conflict, words.already_posted);
    case ReplyQueueOutcome::busy: co_return answer(ReplyOutcome::conflict, words.busy);
    case ReplyQueueOutcome::cancelled:
    case ReplyQueueOutcome::failed:
    case ReplyQueueOutcome::not_found: break;
  }
  co_return answer(ReplyOutcome::conflict, words.gone);
}

boost::asio::awaitable<std::string> ReplyDesk::web_draft(std::int64_t mention_id) {
  auto m = co_await store_.run([&](Store& s) {
    MentionStore& mentions = s;
    return mentions.mention(mention_id);
  });
  if (!m || !*m || !compose_) co_return std::string();
  co_return compose_(**m).text;
}

}  // namespace otklik
