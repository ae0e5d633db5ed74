// The web inbox's pages and the actions on them: the store's roles read into the pages' views,
// case actions through AlertActions (the same path as the chats' buttons), relabels, "poll now".
#include "daemon/app/understand.hpp"
#include "daemon/app/web_inbox_impl.hpp"
#include "daemon/digest/digest_ledger.hpp"
#include "daemon/digest/iso_week.hpp"
#include "daemon/digest/render.hpp"
#include "daemon/lifecycle/sla.hpp"
#include "daemon/understanding/author.hpp"
#include "daemon/web/inbox_query.hpp"
#include "daemon/web/pages/html_escape.hpp"
#include "daemon/web/pages/pages.hpp"

#include <boost/url/decode_view.hpp>

#include <algorithm>
#include <charconv>

namespace otklik {

namespace asio = boost::asio;
using web::WebRequest;
using web::WebResponse;

namespace {

constexpr std::int64_t kCountCap = 1000;
/// How long a filter's counts are reused, and for how many filters at most.
constexpr auto kCountsFor = std::chrono::seconds(30);
constexpr std::size_t kCountsCached = 256;
constexpr int kOverviewDays = 28;
constexpr int kTopicDays = 7;
constexpr int kOverviewWeeks = 8;
constexpr auto kAuthorWindow = std::chrono::hours(24 * 365);

std::optional<std::int64_t> parse_id(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

/// The one-line notice after an action, by its outcome.
std::string notice_text(std::string_view code, web::Locale locale) {
  const bool ru = locale == web::Locale::ru;
  if (code == "changed") return ru ? "Готово." : "Done.";
  if (code == "unchanged") return ru ? "Уже так: ничего не изменилось." : "Already so: nothing changed.";
  if (code == "refused") return ru ? "Нельзя в этом состоянии: сначала «Вернуть»." : "Not in this state: reopen it first.";
  if (code == "relabelled") return ru ? "Оценка команды записана." : "The team's label is recorded.";
  if (code == "polling") return ru ? "Опрос начат." : "Polling now.";
  if (code == "busy") return ru ? "Источник уже опрашивается." : "The source is being polled already.";
  if (code == "elsewhere")
    return ru ? "Этот источник опрашивает другой экземпляр: нажмите там." : "Another instance polls this source.";
  if (code == "failed") return ru ? "Не получилось: смотрите журнал." : "It failed: see the log.";
  if (code == "replied") return ru ? "Ответ отправлен на публикацию." : "The answer is being posted.";
  return {};
}

std::string_view outcome_code(channels::ActionResultKind k) {
  using K = channels::ActionResultKind;
  switch (k) {
    case K::changed: return "changed";
    case K::unchanged: return "unchanged";
    case K::refused: return "refused";
    case K::not_allowed:
    case K::not_found:
    case K::failed: return "failed";
  }
  return "failed";
}

std::string flash_of(const WebRequest& req, web::Locale locale) {
  auto q = web::parse_query(req.query);
  if (!q) return {};
  // An answer not taken: the reason the desk gave (escaped where the page shows it).
  if (q->get("done").value_or("") == "not_posted") return std::string(q->get("why").value_or(""));
  return notice_text(q->get("done").value_or(""), locale);
}

WebResponse store_failed(WebInbox::Impl& self, const WebCaller& caller, std::string_view what, const Failure& f) {
  self.deps.log->error("web: cannot read {}: {}", what, f.message());
  return self.error_page(500, &caller);
}

}  // namespace

std::vector<web::Choice> WebInbox::Impl::topic_choices() const {
  std::vector<web::Choice> out;
  if (runtime == nullptr || !runtime->topics) return out;
  const std::string loc = runtime->config.daemon.locale;
  for (const auto& t : runtime->topics->topics) out.push_back({t.id, t.name.in(loc)});
  return out;
}

asio::awaitable<WebResponse> WebInbox::Impl::inbox(const WebRequest& req, const WebCaller& caller) {
  const Config& cfg = runtime->config;
  web::InboxAddress address = web::parse_inbox_query(req.query, zone);
  InboxQuery q;
  q.filter = address.filter;
  q.after = address.after;
  q.limit = web.page_size;
  const std::string counts_key = web::inbox_query_string(q.filter, std::nullopt, zone);
  const auto steady_now = std::chrono::steady_clock::now();
  std::optional<InboxCounts> cached;
  if (auto it = counts_cache.find(counts_key); it != counts_cache.end() && steady_now - it->second.at < kCountsFor)
    cached = it->second.counts;
  struct Read {
    Result<InboxPage> page;
    Result<InboxCounts> counts;
  };
  Read read = co_await deps.store.run([&](Store& s) {
    InboxStore& inbox = s;
    auto page = inbox.inbox(q);
    return Read{std::move(page), cached ? Result<InboxCounts>(*cached) : inbox.inbox_counts(q.filter, kCountCap)};
  });
  if (!read.page) co_return store_failed(*this, caller, "the inbox", read.page.error());
  if (!read.counts) co_return store_failed(*this, caller, "the inbox counts", read.counts.error());
  if (!cached) {
    if (counts_cache.size() >= kCountsCached) {
      // Full: forget the oldest (a handful of filters are in use at any time).
      auto oldest = std::min_element(counts_cache.begin(), counts_cache.end(),
                                     [](const auto& a, const auto& b) { return a.second.at < b.second.at; });
      counts_cache.erase(oldest);
    }
    counts_cache.insert_or_assign(counts_key, CachedCounts{steady_now, *read.counts});
  }

  web::InboxView view;
  view.filter = q.filter;
  view.rows = std::move(read.page->rows);
  view.counts = std::move(*read.counts);
  if (read.page->next) view.older_query = web::inbox_query_string(q.filter, read.page->next, zone);
  for (const auto& b : cfg.brands) view.brands.push_back({b.name, {}});
  for (const auto& s : cfg.sources) view.sources.push_back({s.name, s.label});
  view.topics = topic_choices();
  view.live = web::is_unfiltered(q.filter) && !q.after;
  auto ctx = context(caller, web::NavItem::inbox);
  if (!address.problems.empty()) {
    std::string notice;
    for (const auto& p : address.problems) notice += (notice.empty() ? "" : "; ") + p;
    ctx.flash = notice;
  }
  co_return WebResponse::html(200, web::render_inbox_page(ctx, view));
}

asio::awaitable<WebResponse> WebInbox::Impl::case_page(const WebRequest& req, const WebCaller& caller) {
  const auto id = parse_id(req.rest);
  if (!id) co_return error_page(404, &caller);
  struct Read {
    Result<std::optional<StoredMention>> mention = std::optional<StoredMention>{};
    Result<std::optional<CaseRecord>> record = std::optional<CaseRecord>{};
    Result<std::vector<CaseEvent>> events = std::vector<CaseEvent>{};
    Result<std::vector<Relabel>> relabels = std::vector<Relabel>{};
    Result<std::vector<AuthorHistoryItem>> earlier = std::vector<AuthorHistoryItem>{};
  };
  const TimePoint now = deps.clock.now();
  Read read = co_await deps.store.run([&](Store& s) {
    Read r;
    r.mention = static_cast<MentionStore&>(s).mention(*id);
    if (!r.mention || !*r.mention) return r;
    r.record = static_cast<CaseStore&>(s).case_of(*id);
    r.events = static_cast<InboxStore&>(s).case_events(*id);
    r.relabels = static_cast<LabelStore&>(s).relabels(*id);
    const Mention& m = (*r.mention)->mention;
    const auto keys = understanding::author_keys(m.source, m.author, m.author_id);
    if (!keys.id_key.empty() || !keys.name_key.empty()) {
      AuthorQuery aq;
      aq.id_key = keys.id_key;
      aq.name_key = keys.name_key;
      aq.since = now - kAuthorWindow;
      aq.exclude_mention = *id;
      aq.limit = 20;
      r.earlier = static_cast<MentionStore&>(s).author_history(aq);
    }
    return r;
  });
  if (!read.mention) co_return store_failed(*this, caller, "a mention", read.mention.error());
  if (!*read.mention) co_return error_page(404, &caller);
  if (!read.record) co_return store_failed(*this, caller, "a case", read.record.error());
  if (!read.events) co_return store_failed(*this, caller, "a case's history", read.events.error());
  if (!read.relabels) co_return store_failed(*this, caller, "a mention's relabels", read.relabels.error());
  if (!read.earlier) co_return store_failed(*this, caller, "the author's history", read.earlier.error());

  web::CaseView view;
  view.mention = std::move(**read.mention);
  view.record = std::move(*read.record);
  view.events = std::move(*read.events);
  // The history starts when the alert went out (the case's creation is not an action).
  if (view.record) view.events.insert(view.events.begin(), CaseEvent{"open", Actor{"otklik", "", ""}, "", true,
                                                                      view.record->created});
  view.relabels = std::move(*read.relabels);
  view.earlier = std::move(*read.earlier);
  view.topics = topic_choices();
  // The reply box: where the site takes answers and this user may publish them ([replies]).
  if (runtime->reply_desk) {
    const auto& users = runtime->config.replies.web_users;
    const ReplySite* site = runtime->reply_desk->site_of(view.mention.mention.source);
    if (site && std::find(users.begin(), users.end(), caller.session.user) != users.end()) {
      // Named first: a co_await inside a braced initializer is miscompiled by GCC 12.
      std::string draft = co_await runtime->reply_desk->web_draft(*id);
      view.reply = web::ReplyForm{std::move(draft), site->site};
    }
  }
  auto ctx = context(caller, web::NavItem::inbox);
  ctx.flash = flash_of(req, ctx.locale);
  co_return WebResponse::html(200, web::render_case_page(ctx, view));
}

asio::awaitable<WebResponse> WebInbox::Impl::case_post(const WebRequest& req, const WebCaller& caller) {
  // "/case/ID/action" or "/case/ID/relabel", ID after the prefix.
  const auto slash = req.rest.find('/');
  const auto id = parse_id(std::string_view(req.rest).substr(0, slash));
  if (!id || slash == std::string::npos) co_return error_page(404, &caller);
  const std::string_view verb = std::string_view(req.rest).substr(slash + 1);
  const std::string back = "/case/" + std::to_string(*id);
  Actor actor{"web", caller.session.user, caller.session.user};

  if (verb == "action") {
    const auto action = parse_case_action(caller.form.get("action").value_or(""));
    if (!action) co_return WebResponse::text(400, "unknown action\n");
    if (runtime->alert_actions == nullptr) co_return error_page(503, &caller);
    auto response = co_await runtime->alert_actions->act_on_case(*id, *action, actor);
    if (response.kind == channels::ActionResultKind::not_found) co_return error_page(404, &caller);
    co_return WebResponse::redirect(back + "?done=" + std::string(outcome_code(response.kind)));
  }
  if (verb == "reply") {
    if (runtime->reply_desk == nullptr) co_return error_page(404, &caller);
    channels::ReplyAsker who{"web", actor, ""};
    std::string text(caller.form.get("text").value_or(""));
    auto p = co_await runtime->reply_desk->submit(who, *id, false, std::move(text), "");
    if (p.outcome == channels::ReplyOutcome::not_found) co_return error_page(404, &caller);
    if (p.outcome == channels::ReplyOutcome::ok) co_return WebResponse::redirect(back + "?done=replied");
    co_return WebResponse::redirect(back + "?done=not_posted&why=" + web::percent_encode(p.text));
  }
  if (verb == "relabel") {
    const auto label = parse_label(caller.form.get("label").value_or(""));
    if (!label) co_return WebResponse::text(400, "unknown label\n");
    Relabel r{*id, *label, actor, deps.clock.now()};
    auto done = co_await StoreAccess<LabelStore>(deps.store)([&](LabelStore& s) { return s.relabel(r); });
    if (!done) {
      if (done.error().code == make_error_code(errc::not_found)) co_return error_page(404, &caller);
      deps.log->error("web: relabel of mention {} by {} failed: {}", *id, actor.name, done.error().message());
      co_return WebResponse::redirect(back + "?done=failed");
    }
    deps.log->info("web: mention {} relabelled {} by {}", *id, to_string(*label), actor.name);
    // "Not negative" on an open case dismisses it, as the chats' button does.
    if (*label != Label::negative && runtime->alert_actions != nullptr) {
      auto record = co_await StoreAccess<CaseStore>(deps.store)([&](CaseStore& s) { return s.case_of(*id); });
      if (record && *record && is_open((*record)->state))
        (void)co_await runtime->alert_actions->act_on_case(*id, CaseAction::dismiss, actor);
    }
    co_return WebResponse::redirect(back + "?done=relabelled");
  }
  co_return error_page(404, &caller);
}

asio::awaitable<WebResponse> WebInbox::Impl::sources(const WebRequest& req, const WebCaller& caller) {
  const Config& cfg = runtime->config;
  auto states = co_await StoreAccess<SourceStateStore>(deps.store)([](SourceStateStore& s) { return s.source_states(); });
  if (!states) co_return store_failed(*this, caller, "the sources' states", states.error());
  web::SourcesView view;
  view.can_poll = caller.session.role == WebRole::admin && deps.schedule != nullptr;
  for (const auto& s : cfg.sources) {
    if (!s.enabled) continue;
    web::SourceRow row;
    auto it = std::find_if(states->begin(), states->end(), [&](const SourceState& st) { return st.source == s.name; });
    if (it != states->end()) row.state = *it;
    row.state.source = s.name;
    row.kind = s.type;
    row.label = s.label;
    if (deps.schedule) row.next_poll = deps.schedule->next_poll(s.name);
    view.rows.push_back(std::move(row));
  }
  auto ctx = context(caller, web::NavItem::sources);
  ctx.flash = flash_of(req, ctx.locale);
  co_return WebResponse::html(200, web::render_sources_page(ctx, view));
}

asio::awaitable<WebResponse> WebInbox::Impl::poll_now(const WebRequest& req, const WebCaller& caller) {
  // "/sources/NAME/poll", NAME percent-encoded.
  std::string_view rest = req.rest;
  if (!rest.ends_with("/poll")) co_return error_page(404, &caller);
  rest.remove_suffix(5);
  auto decoded = boost::urls::make_pct_string_view(rest);
  if (!decoded) co_return WebResponse::text(400, "bad source name\n");
  const std::string name = decoded->decode();
  if (runtime->config.find_source(name) == nullptr) co_return error_page(404, &caller);
  std::string code = "elsewhere";
  if (deps.schedule) {
    switch (deps.schedule->wake(name)) {
      case SourceSchedule::Wake::woken: code = "polling"; break;
      case SourceSchedule::Wake::polling: code = "busy"; break;
      case SourceSchedule::Wake::not_here: code = "elsewhere"; break;
    }
  }
  deps.log->info("web: {} asked to poll source {} now: {}", caller.session.user, name, code);
  co_return WebResponse::redirect(std::string(web::paths::kSources) + "?done=" + code);
}

asio::awaitable<WebResponse> WebInbox::Impl::overview(const WebRequest&, const WebCaller& caller) {
  const auto steady_now = std::chrono::steady_clock::now();
  if (overview_cache && steady_now - overview_cache->first < kCountsFor)
    co_return WebResponse::html(200, web::render_overview_page(context(caller, web::NavItem::overview),
                                                               overview_cache->second));
  const Config& cfg = runtime->config;
  const TimePoint now = deps.clock.now();
  const ReportRange range{now - std::chrono::hours(24 * (kOverviewDays + 1)), now + std::chrono::minutes(1)};
  // The hourly counts reach back to the Monday of the first week shown (and a day for the zone).
  const ReportRange hours_range{now - std::chrono::hours(24 * (std::max(kOverviewDays, 7 * kOverviewWeeks) + 1)),
                                range.end};
  struct Read {
    Result<std::vector<HourCount>> hours = std::vector<HourCount>{};
    Result<std::vector<ReportCase>> cases = std::vector<ReportCase>{};
    Result<std::vector<CaseRecord>> open = std::vector<CaseRecord>{};
  };
  Read read = co_await deps.store.run([&](Store& s) {
    Read r;
    r.hours = static_cast<InboxStore&>(s).negatives_by_hour(hours_range);
    r.cases = static_cast<ReportStore&>(s).report_cases(range, {});
    r.open = static_cast<CaseStore&>(s).active_cases();
    return r;
  });
  if (!read.hours) co_return store_failed(*this, caller, "the negatives per hour", read.hours.error());
  if (!read.cases) co_return store_failed(*this, caller, "the cases", read.cases.error());
  if (!read.open) co_return store_failed(*this, caller, "the open cases", read.open.error());

  web::OverviewView view;
  view.hours = std::move(*read.hours);
  view.now = now;
  view.days = kOverviewDays;
  view.weeks = kOverviewWeeks;
  view.topic_days = kTopicDays;
  view.topics = topic_choices();
  std::vector<Duration> to_take, to_answer;
  for (const auto& c : *read.cases) {
    const CaseRecord& r = c.record;
    if (r.created < range.begin || r.state == CaseState::dismissed) continue;
    if (r.taken) to_take.push_back(std::chrono::duration_cast<Duration>(r.taken->at - r.created));
    if (r.answered) to_answer.push_back(std::chrono::duration_cast<Duration>(r.answered->at - r.created));
  }
  view.to_take = web::summarise_durations(std::move(to_take));
  view.to_answer = web::summarise_durations(std::move(to_answer));
  view.take_deadline = cfg.sla.defaults.take;
  view.answer_deadline = cfg.sla.defaults.resolve;
  for (const auto& r : *read.open) {
    if (!is_open(r.state)) continue;
    ++view.open;
    if (runtime->calendar) {
      const CaseDeadlines dl = deadlines(r, select_policy(r, cfg.sla), *runtime->calendar);
      if ((r.state == CaseState::fresh && dl.take_by < now) || dl.resolve_by < now) ++view.overdue;
    }
  }
  overview_cache.emplace(steady_now, view);
  co_return WebResponse::html(200, web::render_overview_page(context(caller, web::NavItem::overview), view));
}

asio::awaitable<WebResponse> WebInbox::Impl::digests(const WebRequest&, const WebCaller& caller) {
  auto rows = co_await StoreAccess<InboxStore>(deps.store)([](InboxStore& s) { return s.digest_rows(104); });
  if (!rows) co_return store_failed(*this, caller, "the digests", rows.error());
  web::DigestListView view;
  view.rows = std::move(*rows);
  view.has_preview = runtime->digest != nullptr;
  co_return WebResponse::html(200, web::render_digests_page(context(caller, web::NavItem::digest), view));
}

asio::awaitable<WebResponse> WebInbox::Impl::digest(const WebRequest& req, const WebCaller& caller) {
  // "/digest/preview" (this week) or "/digest/2026-W47", with ?to=RECIPIENTS naming the list.
  auto sender = runtime->digest;
  if (!sender) co_return error_page(404, &caller);
  const auto& audiences = runtime->config.digest.audiences;
  if (audiences.empty()) co_return error_page(404, &caller);
  std::optional<digest::IsoWeek> week;
  if (req.rest == "preview") {
    week = digest::iso_week_containing(deps.clock.now(), zone);
  } else {
    week = digest::parse_iso_week(req.rest);
  }
  if (!week) co_return error_page(404, &caller);
  const DigestAudience* audience = &audiences.front();
  if (auto q = web::parse_query(req.query); q && q->get("to")) {
    for (const auto& a : audiences)
      if (digest::recipients_key(a.to) == *q->get("to")) audience = &a;
  }
  auto report = co_await sender->report(*week, *audience);
  if (!report) co_return store_failed(*this, caller, "the digest", report.error());
  WebResponse r = WebResponse::html(200, digest::render_html(*report, sender->locale()));
  // The digest is an e-mail: its HTML carries inline styles, and no script at all.
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; "
                         "base-uri 'none'; form-action 'none'");
  co_return r;
}

asio::awaitable<WebResponse> WebInbox::Impl::users(const WebRequest&, const WebCaller& caller) {
  auto list = co_await StoreAccess<UserStore>(deps.store)([](UserStore& s) { return s.users(); });
  if (!list) co_return store_failed(*this, caller, "the users", list.error());
  web::UsersView view;
  view.users = std::move(*list);
  for (auto& u : view.users) u.password_hash.clear();  // never further than needed
  co_return WebResponse::html(200, web::render_users_page(context(caller, web::NavItem::users), view));
}

void WebInbox::Impl::add_page_routes() {
  using R = WebRole;
  auto bind = [this](auto member) {
    return [this, member](const WebRequest& req, const WebCaller& c) { return (this->*member)(req, c); };
  };
  route("GET", std::string(web::paths::kInbox), R::viewer, bind(&Impl::inbox));
  route("GET", "/case/", R::viewer, bind(&Impl::case_page), true);
  route("POST", "/case/", R::agent, bind(&Impl::case_post), true);
  route("GET", std::string(web::paths::kSources), R::viewer, bind(&Impl::sources));
  route("POST", "/sources/", R::admin, bind(&Impl::poll_now), true);
  route("GET", std::string(web::paths::kOverview), R::viewer, bind(&Impl::overview));
  route("GET", std::string(web::paths::kDigests), R::viewer, bind(&Impl::digests));
  route("GET", "/digest/", R::viewer, bind(&Impl::digest), true);
  route("GET", std::string(web::paths::kUsers), R::admin, bind(&Impl::users));
}

}  // namespace otklik
