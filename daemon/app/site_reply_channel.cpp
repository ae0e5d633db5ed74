#include "daemon/app/site_reply_channel.hpp"

#include "daemon/channels/alert_render.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <set>

namespace otklik {

namespace {

std::int64_t reply_id_of(const std::string& payload) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(payload, ec);
  const boost::json::object* o = ec ? nullptr : v.if_object();
  const boost::json::value* id = o ? o->if_contains("reply") : nullptr;
  return id && id->is_int64() ? id->get_int64() : 0;
}

}  // namespace

ReplyFailure classify_reply_failure(const Failure& f) {
  ReplyFailure out;
  out.reason = f.detail.empty() ? f.message() : f.detail;
  out.retry_after = f.retry_after;
  if (f.code == make_error_code(errc::unauthorized) || f.code == make_error_code(errc::invalid_input) ||
      f.code == make_error_code(errc::permanent)) {
    out.permanent = true;
  } else if (f.code == make_error_code(errc::http_status)) {
    // A 4xx is the site's answer about this review or this text (deleted, refused, too long);
    // 408, 425 and 429 are about timing.
    out.permanent = f.http_status >= 400 && f.http_status < 500 && f.http_status != 408 && f.http_status != 425 &&
                    f.http_status != 429;
  } else {
    out.permanent = false;
  }
  return out;
}

bool same_answer(std::string_view a, std::string_view b) noexcept {
  auto next = [](std::string_view s, std::size_t& i) -> int {
    // The next character with whitespace runs folded to one space; -1 at the end.
    bool space = false;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) {
      space = true;
      ++i;
    }
    if (i == s.size()) return -1;
    if (space) return ' ';
    return static_cast<unsigned char>(s[i++]);
  };
  std::size_t i = 0, j = 0;
  // Leading whitespace is not part of the answer.
  while (i < a.size() && (a[i] == ' ' || a[i] == '\n' || a[i] == '\r' || a[i] == '\t')) ++i;
  while (j < b.size() && (b[j] == ' ' || b[j] == '\n' || b[j] == '\r' || b[j] == '\t')) ++j;
  for (;;) {
    const int x = next(a, i);
    const int y = next(b, j);
    if (x != y) return false;
    if (x == -1) return true;
  }
}

SiteReplyChannel::SiteReplyChannel(const SourceConfig& source, std::unique_ptr<ReplyPoster> poster, HttpClient& http,
                                   StoreExecutor& store, const Clock& clock, std::string user_agent, Notify notify,
                                   std::shared_ptr<spdlog::logger> log)
    : source_(source),
      poster_(std::move(poster)),
      http_(http),
      store_(store),
      clock_(clock),
      user_agent_(std::move(user_agent)),
      notify_(std::move(notify)),
      log_(std::move(log)) {
  config_.name = reply_channel(source.name);
  config_.type = "site_reply";
  // A site that keeps failing is retried at most every five minutes: its request budget is shared
  // with the source that reads the reviews.
  config_.max_backoff = std::chrono::minutes(5);
  config_.proxy = source.proxy;
}

boost::asio::awaitable<Delivery> SiteReplyChannel::deliver(DeliveryRequest request) {
  const std::string site = poster_->site();
  if (request.item.kind != "reply") co_return Delivery::permanent("not an answer row: kind " + request.item.kind);
  const std::int64_t id = reply_id_of(request.item.payload);
  if (id <= 0) co_return Delivery::permanent("an answer row without its reply id");
  auto loaded = co_await store_.run([&](Store& s) {
    ReplyStore& replies = s;
    return replies.reply(id);
  });
  if (!loaded) co_return Delivery::transient("cannot read answer " + std::to_string(id) + ": " + loaded.error().message());
  if (!*loaded) co_return Delivery::permanent("answer " + std::to_string(id) + " is not stored");
  const ReplyRecord reply = **loaded;
  if (reply.state == ReplyState::posted) co_return Delivery::ok(reply.site_answer_id);
  if (reply.state != ReplyState::queued) co_return Delivery::ok("");  // cancelled or failed before: nothing to do
  if (!request.mention) {
    co_await record(reply, false, std::string(), "the review is not stored any more");
    co_return Delivery::permanent("answer " + std::to_string(id) + ": the review is not stored");
  }
  const Mention& review = request.mention->mention;

  // The outcome, decided below and recorded once at the end (no coroutine lambdas: GCC 12).
  std::optional<std::string> refusal;   // permanent: shown under the alert
  std::optional<Delivery> retry;        // transient: the dispatcher retries
  std::optional<std::string> done_id;   // published (or found published)
  bool edit = false;
  auto judge = [&](const Failure& f) {
    ReplyFailure why = classify_reply_failure(f);
    if (why.permanent) refusal = why.reason;
    else retry = Delivery::transient(fmt::format("{}: answer {}: {}", site, id, why.reason), why.retry_after);
  };
  if (std::string problem = reply_text_problem(reply.text, poster_->limits(), site); !problem.empty())
    refusal = problem;
  ApiContext ctx{http_, clock_.now(), source_.user_agent.value_or(user_agent_), source_.proxy};
  if (!refusal) {
    auto current = co_await poster_->current_answer(ctx, review);
    if (!current) {
      judge(current.error());
    } else if (*current) {
      const SiteAnswer& there = **current;
      if (same_answer(there.text, reply.text)) {
        // Posted before (a restart between the post and its record): recorded, not posted twice.
        log_->info("answer {} to review {} is already on {}: recorded", id, reply.mention_id, site);
        done_id = there.id;
      } else if (!reply.edit) {
        refusal = fmt::format("the review already has the company's answer: \u00AB{}\u00BB", channels::one_line(there.text));
      } else if (!poster_->limits().can_edit) {
        refusal = std::string("the site does not let an answer be changed through its API");
      } else {
        edit = true;
      }
    }
  }
  if (!refusal && !retry && !done_id) {
    std::string text = reply.text;
    auto posted = co_await poster_->post(ctx, review, std::move(text), edit);
    if (!posted) {
      judge(posted.error());
    } else {
      log_->info("answer {} to review {} published on {}{} (answer id {})", id, reply.mention_id, site,
                 edit ? " replacing the earlier one" : "", posted->id.empty() ? "none given" : posted->id);
      done_id = posted->id;
    }
  }
  if (retry) co_return *retry;
  if (refusal) {
    log_->warn("answer {} to review {} on {}: refused: {}", id, reply.mention_id, site, *refusal);
    co_await record(reply, false, std::string(), *refusal);
    co_return Delivery::permanent(fmt::format("{} refused answer {}: {}", site, id, *refusal));
  }
  co_await record(reply, true, *done_id, std::string());
  co_return Delivery::ok(*done_id);
}

boost::asio::awaitable<void> SiteReplyChannel::record(const ReplyRecord& reply, bool posted, std::string answer_id,
                                                      std::string reason) {
  const TimePoint now = clock_.now();
  const std::string site = poster_->site();
  std::set<std::string> chats = co_await store_.run([&](Store& s) {
    ReplyStore& replies = s;
    CaseStore& cases = s;
    OutboxStore& outbox = s;
    std::set<std::string> out;
    if (posted) {
      if (auto r = replies.mark_reply_posted(reply.id, answer_id, now); !r) {
        log_->error("answer {}: published, but cannot record it: {}", reply.id, r.error().message());
        return out;
      }
      // The review shows the company's answer from now on (the web inbox, the digest; the next poll
      // finds the same text and changes nothing).
      MentionStore& mentions = s;
      if (auto u = mentions.update_reply(reply.mention_id, reply.text); !u)
        log_->warn("answer {}: cannot record it with the review: {}", reply.id, u.error().message());
      // The customer has the answer: the case is answered by its author (no case for an
      // automatic thanks to a positive review: nothing to do then).
      if (!reply.automatic) {
        auto u = cases.apply_case_action(reply.mention_id, CaseAction::answer, reply.actor,
                                         "answer published on " + site, now);
        if (!u && u.error().code != make_error_code(errc::not_found))
          log_->error("alert {}: cannot mark it answered: {}", reply.mention_id, u.error().message());
      }
    } else if (auto r = replies.mark_reply_failed(reply.id, reason, now); !r) {
      log_->error("answer {}: cannot record its refusal: {}", reply.id, r.error().message());
      return out;
    }
    auto where = outbox.posted_alerts(reply.mention_id);
    if (!where) return out;
    for (const auto& p : *where) out.insert(p.channel);
    for (const auto& name : out) {
      AlertRequest row;
      row.channel = name;
      row.kind = "status";
      row.payload = fmt::format(R"({{"reply":{}}})", reply.id);
      if (auto q = outbox.enqueue(row, reply.mention_id, now); !q)
        log_->error("alert {}: cannot queue its status update for channel {}: {}", reply.mention_id, name,
                    q.error().message());
    }
    return out;
  });
  if (notify_)
    for (const auto& c : chats) notify_(c);
}

}  // namespace otklik
