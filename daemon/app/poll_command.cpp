#include "daemon/app/poll_command.hpp"

#include "daemon/app/application.hpp"
#include "daemon/app/runtime.hpp"
#include "daemon/config/config_load.hpp"
#include "daemon/core/clock.hpp"
#include "daemon/routing/sensitivity.hpp"
#include "daemon/app/store_open.hpp"
#include "daemon/store/sqlite_store.hpp"
#include "daemon/store/store_executor.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <fmt/format.h>

#include <ostream>

namespace asio = boost::asio;

namespace otklik {
namespace {

std::string trim_for_terminal(const std::string& text, std::size_t max_bytes = 400) {
  if (text.size() <= max_bytes) return text;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
  return text.substr(0, cut) + "…";
}

std::string why_line(const Sentiment& s, std::size_t n = 6) {
  std::string out;
  for (std::size_t i = 0; i < s.why.size() && i < n; ++i)
    out += fmt::format("{}{} ({:+.1f})", i ? ", " : "", s.why[i].term, s.why[i].weight);
  return out;
}

asio::awaitable<int> dry_run(Runtime& rt, std::ostream& out, std::ostream& err) {
  int failures = 0;
  for (auto& src : rt.sources) {
    const SourceConfig& cfg = src->config();
    SourceState state;
    state.source = cfg.name;
    const TimePoint now = SystemClock::now();
    PollContext ctx{*rt.http, state, now, cfg.user_agent.value_or(rt.config.daemon.user_agent)};
    auto polled = co_await src->poll(ctx);
    if (!polled) {
      err << fmt::format("source {}: poll failed: {}\n", cfg.name, polled.error().message());
      ++failures;
      continue;
    }
    for (const auto& w : polled->warnings) err << fmt::format("source {}: {}\n", cfg.name, w);
    int negative = 0;
    int dropped = 0;
    for (auto m : polled->mentions) {
      if (m.brand.empty()) m.brand = cfg.brand;
      std::optional<understanding::BrandMatch> brand;
      if (cfg.match_brands) {
        brand = rt.understander->match_brand(m);
        if (!brand) {
          ++dropped;
          continue;
        }
        m.brand = brand->brand;
      }
      Sentiment s = rt.scorer->score(scored_text(m), m.rating,
                                     parse_lang(rt.config.sentiment.lang).value_or(Lang::automatic));
      s.label = label_at(s, cfg.negative_threshold);  // the source's sensitivity, as the pipeline applies it
      if (s.label != Label::negative) continue;
      ++negative;
      Severity sev = severity_of(s);
      auto channels = rt.router->channels_for(m, sev);
      std::string to;
      for (const auto& c : channels) to += (to.empty() ? "" : ", ") + c;
      out << fmt::format("── {} · {}{}{}\n", cfg.name, m.author.empty() ? "?" : m.author,
                         m.rating ? fmt::format(" · {:.1f}★", *m.rating) : "", m.url.empty() ? "" : " · " + m.url);
      out << trim_for_terminal(scored_text(m)) << "\n";
      out << fmt::format("   score {:+.2f} ({}), why: {}\n", s.score, to_string(sev), why_line(s));
      if (brand) out << fmt::format("   brand {} ({} «{}»)\n", brand->brand, brand->how, brand->form);
      // No store in a dry run: claims and topics, without the repeat-author lookup.
      const understanding::Understanding u = rt.understander->understand(m, s);
      for (std::size_t i = 0; i < u.claims.size(); ++i) {
        std::string topics;
        for (const auto& t : u.claims[i].topics) topics += (topics.empty() ? " [" : ", ") + t;
        out << fmt::format("   {}. {}{}\n", i + 1, u.claims[i].text, topics.empty() ? "" : topics + "]");
      }
      if (!m.company_reply.empty()) {
        out << fmt::format("   company's reply on the site: {}\n", trim_for_terminal(m.company_reply));
        if (cfg.answered == AnsweredPolicy::quiet) to.clear();
      }
      const char* answered = m.company_reply.empty()                    ? ""
                             : cfg.answered == AnsweredPolicy::inform ? "  (answered on the site: the case opens answered)"
                             : cfg.answered == AnsweredPolicy::act    ? "  (answered on the site; answered = \"act\")"
                                                                      : "  (answered on the site; answered = \"quiet\": nobody is told)";
      out << fmt::format("   → {}{}{}\n", to.empty() ? "no route matches" : to, answered,
                         may_alert(cfg, state, m, now) ? "" : "  (older than alert_max_age: a first poll stores it silently)");
    }
    out << fmt::format("source {}: {} items, {} negative{}{}\n\n", cfg.name, polled->mentions.size(), negative,
                       dropped > 0 ? fmt::format(", {} naming no brand (dropped)", dropped) : "",
                       polled->not_modified ? " (not modified)" : "");
  }
  co_return failures == 0 ? kExitOk : kExitFailure;
}

asio::awaitable<int> poll_and_deliver(Runtime& rt, StoreExecutor& store, AppEvents& events, std::ostream& out,
                                      std::ostream& err, std::shared_ptr<spdlog::logger> log) {
  int failures = 0;
  for (auto& src : rt.sources) {
    const SourceConfig& cfg = src->config();
    auto before = co_await store.run([&](SourceStateStore& s) { return s.source_state(cfg.name); });
    if (!before) {
      err << fmt::format("source {}: {}\n", cfg.name, before.error().message());
      ++failures;
      continue;
    }
    SourceState state = *before;
    SourceRunnerDeps deps{*rt.http, store, *rt.pipeline, events, log, rt.config.daemon.user_agent};
    auto r = co_await poll_source_once(*src, state, deps);
    if (!r) {
      err << fmt::format("source {}: poll failed: {}\n", cfg.name, r.error().message());
      ++failures;
      continue;
    }
    out << fmt::format("source {}: {} new, {} updated, {} unchanged, {} negative{}\n", cfg.name, r->inserted,
                       r->updated, r->unchanged, r->negative,
                       before && before->polls == 0 ? " (first poll: a silent baseline for older items)" : "");
  }
  for (auto& d : rt.dispatchers) co_await d->drain();
  co_return failures == 0 ? kExitOk : kExitFailure;
}

}  // namespace

int run_poll_once(const std::filesystem::path& config_path, bool dry_run_only, std::ostream& out, std::ostream& err,
                  std::shared_ptr<spdlog::logger> log) {
  SourceRegistry registry = SourceRegistry::with_builtin_types();
  auto loaded = load_config(config_path, &registry);
  if (!loaded.problems.empty()) err << format_problems(config_path, loaded.problems);
  if (!loaded.config) return kExitConfig;

  asio::io_context ioc(1);
  SystemClockSource clock;
  health::MetricsRegistry metrics;
  AppEvents events(metrics);
  std::unique_ptr<Store> store;
  if (dry_run_only) {
    auto mem = SqliteStore::open(":memory:", clock);  // never written to disk; build_runtime needs a Store
    if (!mem) {
      err << "store: " << mem.error().message() << "\n";
      return kExitFailure;
    }
    store = std::move(*mem);
  } else {
    auto opened = open_configured_store(*loaded.config, clock);
    if (!opened) {
      err << "store " << store_description(*loaded.config) << ": " << opened.error().message() << "\n";
      return kExitFailure;
    }
    store = std::move(opened->store);
  }
  auto executor = StoreExecutor::inline_on(*store);
  RuntimeDeps deps{ioc.get_executor(), *executor, events, registry, log, out, clock};
  auto rt = build_runtime(std::move(*loaded.config), deps);
  if (!rt) {
    err << rt.error().message() << "\n";
    return kExitConfig;
  }
  int rc = kExitFailure;
  auto task = dry_run_only ? dry_run(**rt, out, err) : poll_and_deliver(**rt, *executor, events, out, err, log);
  asio::co_spawn(ioc, std::move(task), [&rc, &err](std::exception_ptr e, int result) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        err << "poll failed: " << ex.what() << "\n";
      }
      return;
    }
    rc = result;
  });
  ioc.run();
  return rc;
}

}  // namespace otklik
