#include "daemon/app/digest_command.hpp"

#include "daemon/app/application.hpp"
#include "daemon/app/understand.hpp"
#include "daemon/config/config_load.hpp"
#include "daemon/digest/digest_sender.hpp"
#include "daemon/app/store_open.hpp"
#include "daemon/store/store_executor.hpp"
#include "sources/source.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <CLI/CLI.hpp>

#include <iostream>
#include <optional>

namespace otklik {

namespace asio = boost::asio;
using digest::SendOutcome;

CLI::App* add_digest_command(CLI::App& app, std::filesystem::path& config_path, DigestCommandOptions& o) {
  auto* cmd = app.add_subcommand("digest", "Preview or send the weekly digest email.");
  cmd->add_option("-c,--config", config_path, "Config file (TOML)")->required();
  cmd->add_option("--week", o.week, "ISO week, e.g. 2026-W47 (default: the week last due)");
  auto* preview = cmd->add_flag("--preview", o.preview, "Print the HTML digest to stdout");
  cmd->add_flag("--text", o.text, "With --preview: print the plain-text part instead")->needs(preview);
  auto* send = cmd->add_flag("--send", o.send, "Send the week's digest now (once: not if already sent)");
  cmd->add_flag("--force", o.force, "With --send: send again even if already sent")->needs(send);
  cmd->add_option("--list", o.list, "Only this recipient list (1-based, in config order)")->check(CLI::PositiveNumber);
  preview->excludes(send);
  return cmd;
}

namespace {

/// Runs one awaitable to completion on its own io_context (the CLI has no other work).
template <class T>
T run_sync(asio::io_context& io, asio::awaitable<T> task) {
  std::optional<T> result;
  std::exception_ptr failure;
  asio::co_spawn(io, std::move(task), [&](std::exception_ptr e, T value) {
    failure = e;
    if (!e) result.emplace(std::move(value));
  });
  io.run();
  io.restart();
  if (failure) std::rethrow_exception(failure);
  return std::move(*result);
}

}  // namespace

int run_digest_command(const std::filesystem::path& config_path, const DigestCommandOptions& o, std::ostream& out,
                       std::ostream& err, std::shared_ptr<spdlog::logger> log) {
  if (o.preview == o.send) {
    err << "digest: give --preview or --send\n";
    return kExitUsage;
  }
  SourceRegistry registry = SourceRegistry::with_builtin_types();
  auto loaded = load_config(config_path, &registry);
  if (!loaded.problems.empty()) err << format_problems(config_path, loaded.problems);
  if (!loaded.config) return kExitConfig;
  Config config = std::move(*loaded.config);
  const auto& audiences = config.digest.audiences;
  if (o.list > static_cast<int>(audiences.size())) {
    err << "digest: --list " << o.list << ": there are " << audiences.size() << " recipient lists\n";
    return kExitUsage;
  }
  if (o.send && (!config.smtp.enabled || audiences.empty())) {
    err << config_path.string() << ": --send needs [smtp] and [digest] recipients (to)\n";
    return kExitConfig;
  }

  SystemClockSource clock;
  auto store = open_configured_store(config, clock);
  if (!store) {
    err << "store " << store_description(config) << ": " << store.error().message() << "\n";
    return kExitFailure;
  }
  asio::io_context io;
  auto executor = StoreExecutor::inline_on(*store->store);
  auto sender = digest::DigestSender::create(config, *executor, clock,
                                             digest::smtp_mail_send(io.get_executor(), config.smtp,
                                                                    mail::SmtpTls{config.http.ca_file, true, {}}),
                                             log);
  if (!sender) {
    err << config_path.string() << ": " << sender.error().message() << "\n";
    return kExitConfig;
  }
  auto topics = load_topics(config.topics);
  if (!topics) {
    err << topics.error().detail << "\n";
    return kExitConfig;
  }
  (*sender)->set_topic_names(topic_names(**topics, config.digest.locale.value_or(config.daemon.locale)));
  digest::IsoWeek week = digest::due_at((*sender)->schedule(), clock.now()).week;
  if (!o.week.empty()) {
    auto parsed = digest::parse_iso_week(o.week);
    if (!parsed) {
      err << "digest: --week must look like 2026-W47 (a week that exists), not " << o.week << "\n";
      return kExitUsage;
    }
    week = *parsed;
  }

  if (o.preview) {
    const DigestAudience audience = audiences.empty() ? DigestAudience{} : audiences[o.list > 0 ? o.list - 1 : 0];
    auto report = (*sender)->build(*store->store, week, audience);
    if (!report) {
      err << "digest: " << report.error().message() << "\n";
      return kExitFailure;
    }
    out << (o.text ? digest::render_text(*report, (*sender)->locale()) : digest::render_html(*report, (*sender)->locale()));
    out.flush();
    return kExitOk;
  }

  int code = kExitOk;
  for (std::size_t i = 0; i < audiences.size(); ++i) {
    if (o.list > 0 && static_cast<int>(i) + 1 != o.list) continue;
    auto outcome = run_sync(io, (*sender)->send(week, audiences[i], o.force));
    if (!outcome) {
      err << "digest " << digest::to_string(week) << ": " << outcome.error().message() << "\n";
      code = kExitFailure;
      continue;
    }
    out << digest::to_string(week) << " → " << outcome->recipients << ": " << digest::to_string(outcome->kind);
    if (!outcome->detail.empty()) out << " (" << outcome->detail << ")";
    if (outcome->kind == SendOutcome::Kind::already_sent) out << "; --force sends it again";
    out << "\n";
    if (outcome->kind != SendOutcome::Kind::sent && outcome->kind != SendOutcome::Kind::already_sent)
      code = kExitFailure;
  }
  return code;
}

}  // namespace otklik
