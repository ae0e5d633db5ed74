#include "daemon/app/alert_actions.hpp"

#include "daemon/app/delivery_request.hpp"
#include "daemon/app/understand.hpp"
#include "daemon/lifecycle/sla.hpp"
#include "daemon/routing/router.hpp"

#include <algorithm>
#include <set>

namespace otklik {

namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view kind_name(channels::ActionResultKind k) {
  using K = channels::ActionResultKind;
  switch (k) {
    case K::changed: return "changed";
    case K::unchanged: return "unchanged";
    case K::refused: return "refused";
    case K::not_allowed: return "not allowed";
    case K::not_found: return "not found";
    case K::failed: return "failed";
  }
  return "?";
}

}  // namespace

bool user_allowed(const std::vector<std::string>& allowed, std::string_view user_id, std::string_view username) {
  if (allowed.empty()) return true;
  return std::any_of(allowed.begin(), allowed.end(), [&](const std::string& a) {
    if (!a.empty() && a.front() == '@') return !username.empty() && iequals(a, username);
    return !user_id.empty() && a == user_id;
  });
}

AlertActions::AlertActions(const Config& config, StoreExecutor& store, const Clock& clock,
                           const BusinessCalendar* calendar, Notify notify, std::shared_ptr<spdlog::logger> log)
    : config_(config),
      store_(store),
      clock_(clock),
      notify_(std::move(notify)),
      log_(std::move(log)),
      calendar_(calendar) {}

std::string AlertActions::locale_of(const ChannelConfig* channel) const {
  if (channel && channel->locale) return *channel->locale;
  return config_.daemon.locale;
}

AlertActions::Applied AlertActions::apply(Store& store, const channels::ActionRequest& request, TimePoint now) const {
  using K = channels::ActionResultKind;
  const auto& d = request.data;
  Applied out;
  OutboxStore& outbox = store;
  CaseStore& cases = store;
  auto posted = outbox.posted_alerts(d.mention_id);
  if (!posted) {
    log_->error("alert {}: cannot read where it was posted: {}", d.mention_id, posted.error().message());
    return out;
  }
  // A tap acts only on alerts its chat has seen; the web inbox (no channel) on any case.
  const bool here = request.channel.empty() ||
                    std::any_of(posted->begin(), posted->end(),
                                [&](const PostedAlert& p) { return p.channel == request.channel; });
  if (!here) {
    out.kind = K::not_found;
    return out;
  }
  auto update = cases.apply_case_action(d.mention_id, d.action, request.actor, "", now);
  if (!update) {
    if (update.error().code == make_error_code(errc::not_found)) {
      out.kind = K::not_found;
      return out;
    }
    log_->error("alert {}: {} failed: {}", d.mention_id, to_string(d.action), update.error().message());
    return out;
  }
  out.update = std::move(*update);
  if (!out.update->refused.empty() || out.update->refusal != CaseRefusal::none) {
    out.kind = K::refused;
    return out;
  }
  if (!out.update->changed) {
    out.kind = K::unchanged;
    return out;
  }
  // Every chat that shows this alert shows its new state.
  std::set<std::string> channels;
  for (const auto& p : *posted) channels.insert(p.channel);
  for (const auto& name : channels) {
    AlertRequest row;
    row.channel = name;
    row.kind = "status";
    row.payload = "{}";
    if (auto q = outbox.enqueue(row, d.mention_id, now); !q) {
      log_->error("alert {}: cannot queue its status update for channel {}: {}", d.mention_id, name,
                  q.error().message());
      continue;
    }
    out.channels.insert(name);
  }
  out.kind = K::changed;
  return out;
}

boost::asio::awaitable<channels::ActionResponse> AlertActions::act(channels::ActionRequest request) {
  using K = channels::ActionResultKind;
  const ChannelConfig* channel = config_.find_channel(request.channel);
  const channels::CaseWords& words = channels::case_words_for(locale_of(channel));
  const auto& d = request.data;
  channels::ActionResponse out;
  auto finish = [&](K kind, const CaseUpdate* update) {
    out.kind = kind;
    if (update) out.record = update->record;
    out.text = channels::action_reply(kind, d.action, update ? &update->record : nullptr,
                                      update ? update->refusal : CaseRefusal::none, words);
    log_->info("alert {}: {} by {} ({} {}) in channel {}: {}", d.mention_id, to_string(d.action),
               request.actor.name.empty() ? request.actor.id : request.actor.name, request.actor.platform,
               request.actor.id, request.channel, kind_name(kind));
    return out;
  };

  if (!channel) co_return finish(K::not_found, nullptr);
  if (!user_allowed(channel->allowed_users, request.actor.id, request.username))
    co_return finish(K::not_allowed, nullptr);

  const TimePoint now = clock_.now();
  Applied applied = co_await store_.run([&](Store& s) { return apply(s, request, now); });
  if (notify_)
    for (const auto& name : applied.channels) notify_(name);
  co_return finish(applied.kind, applied.update ? &*applied.update : nullptr);
}

boost::asio::awaitable<channels::ActionResponse> AlertActions::act_on_case(std::int64_t mention_id, CaseAction action,
                                                                          Actor actor) {
  channels::ActionRequest request;
  request.actor = std::move(actor);
  request.data.action = action;
  request.data.mention_id = mention_id;
  const TimePoint now = clock_.now();
  Applied applied = co_await store_.run([&](Store& s) { return apply(s, request, now); });
  if (notify_)
    for (const auto& name : applied.channels) notify_(name);
  const CaseUpdate* update = applied.update ? &*applied.update : nullptr;
  channels::ActionResponse out;
  out.kind = applied.kind;
  if (update) out.record = update->record;
  out.text = channels::action_reply(applied.kind, action, update ? &update->record : nullptr,
                                    update ? update->refusal : CaseRefusal::none,
                                    channels::case_words_for(config_.daemon.locale));
  log_->info("alert {}: {} by {} (web): {}", mention_id, to_string(action), request.actor.name,
             kind_name(applied.kind));
  co_return out;
}

void AlertActions::attach_case(DeliveryRequest& request, const std::string& channel, CaseStore& cases,
                               OutboxStore& outbox) const {
  const std::int64_t id = request.item.mention_id;
  if (id == 0) return;
  auto c = cases.case_of(id);
  if (!c || !*c) return;
  request.case_record = **c;
  const CaseRecord& rec = *request.case_record;
  if (calendar_ && config_.sla.enabled && (rec.take_escalations > 0 || rec.resolve_escalations > 0)) {
    const CaseDeadlines dl = deadlines(rec, select_policy(rec, config_.sla), *calendar_);
    request.take_by = dl.take_by;
    request.resolve_by = dl.resolve_by;
  }
  if (request.item.kind == "status") {
    if (auto posted = outbox.posted_alerts(id)) {
      for (auto& p : *posted) {
        if (p.channel == channel) request.posted = p;  // the latest one wins
      }
    }
  }
}

boost::asio::awaitable<std::optional<DeliveryRequest>> AlertActions::alert_request(std::int64_t mention_id,
                                                                                   std::string channel) const {
  const ChannelConfig* ch = config_.find_channel(channel);
  ChannelConfig none;
  co_return co_await store_.run([&](Store& s) -> std::optional<DeliveryRequest> {
    OutboxItem item;
    item.kind = "alert";
    item.mention_id = mention_id;
    DeliveryRequest req = build_delivery_request(item, s, config_, topics_.get(), ch ? *ch : none);
    if (!req.mention) return std::nullopt;
    attach_case(req, channel, s, s);
    return req;
  });
}

}  // namespace otklik
