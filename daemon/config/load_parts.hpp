#pragma once
/// The loaders of each top-level section, used by config_load.cpp. Each reads its part of the
/// parsed document into the Config and reports problems; none stops at the first problem.

#include "daemon/config/config_load.hpp"
#include "daemon/config/table_reader.hpp"

#include <toml++/toml.h>

#include <filesystem>
#include <functional>
#include <string>

namespace otklik::config_detail {

struct LoadContext {
  std::filesystem::path base_dir;  ///< the config file's folder (absolute)
  const SourceCatalog* catalog;    ///< null: source types and options are not checked
  ConfigProblems& problems;
};

/// The table of a single section ([daemon]); reports anything else as an error and returns null.
const toml::table* as_section(const toml::node& node, std::string_view name, ConfigProblems& problems);
/// True when `p` is a regular file this process can open.
bool readable_file(const std::filesystem::path& p);

/// [daemon], [store], [http], [sentiment]: single tables.
void load_daemon(const toml::node& node, DaemonConfig& out, LoadContext& ctx);
void load_http(const toml::node& node, HttpConfig& out, LoadContext& ctx);
/// [store]: the backend, the PostgreSQL URL (a secret) and its deadlines.
void load_store(const toml::node& node, StoreConfig& out, LoadContext& ctx);
void load_sentiment(const toml::node& node, SentimentConfig& out, LoadContext& ctx);

/// [[brand]], [[source]], [[channel]], [[route]]: arrays of tables, loaded in this order so that
/// each may refer to the ones before it. Sources take their type-specific keys out of `node`.
void load_brands(toml::node& node, Config& config, LoadContext& ctx);
void load_sources(toml::node& node, Config& config, LoadContext& ctx);
void load_channels(toml::node& node, Config& config, LoadContext& ctx);
void load_routes(toml::node& node, Config& config, LoadContext& ctx);

/// [calendar], [sla], [quiet_hours], [lifecycle], [smtp], [digest] (load_team.cpp); after the
/// arrays, because they refer to channels and brands.
void load_calendar(const toml::node& node, CalendarConfig& out, LoadContext& ctx);
void load_sla(toml::node& node, Config& config, LoadContext& ctx);
void load_quiet_hours(const toml::node& node, QuietHoursConfig& out, LoadContext& ctx);
void load_lifecycle(const toml::node& node, LifecycleConfig& out, LoadContext& ctx);
void load_smtp(const toml::node& node, SmtpConfig& out, LoadContext& ctx);
void load_digest(toml::node& node, Config& config, LoadContext& ctx);
/// [topics], [understanding], [spikes], [source_health] (load_understanding.cpp); after the
/// channels, which [spikes] and [source_health] name.
void load_topics(const toml::node& node, TopicsConfig& out, LoadContext& ctx);
void load_understanding(const toml::node& node, UnderstandingConfig& out, LoadContext& ctx);
void load_spikes(const toml::node& node, Config& config, LoadContext& ctx);
void load_source_health(const toml::node& node, Config& config, LoadContext& ctx);
/// [web]: the web inbox's address, TLS files, sessions, sign-in limits and trusted proxies.
void load_web(const toml::node& node, WebConfig& out, LoadContext& ctx);
/// [replies]: drafts, the team's templates folder, the deny-list, who may publish from the web.
/// The templates themselves are read and checked by daemon/replies (reply_book.hpp).
void load_replies(const toml::node& node, RepliesConfig& out, LoadContext& ctx);

/// Checks between these sections and the rest (email channels need [smtp], a calendar for SLA…).
void check_team_sections(const Config& config, const toml::table& doc, ConfigProblems& problems);

/// Reads a secret reference ("env:NAME", "file:PATH" or a literal) at `key` and resolves it.
/// Problems name the key and the reference, never the value.
bool read_secret(TableReader& r, std::string_view key, Secret& out, bool required, bool warn_literal,
                 const std::filesystem::path& base_dir, bool whole_file = false);

/// Reads `proxy` ("none", "http://[user@]host:port", "socks5://…") and `proxy_password` (a
/// secret) into `out`; returns true when `proxy` was given and valid. Problems name the key and
/// never the password (load_proxy.cpp).
bool read_proxy(TableReader& r, std::optional<ProxyConfig>& out, const std::filesystem::path& base_dir);
/// Reads `[http] allow_private`: host names or IP literals, lower-cased, IPv6 without brackets.
void read_allow_private(TableReader& r, std::vector<std::string>& out);

/// Warnings that need the whole config: channels no route uses, sources no route covers.
void check_coverage(const Config& config, ConfigProblems& problems);

/// One element of an array of tables: its table, 1-based index, key path and first line.
struct TableItem {
  toml::table& table;
  std::size_t index;
  std::string prefix;  ///< source["bank"] when it has a string name, else source[3]
  int line;
};

/// Calls `fn` for each table of the array `node` named `section`; reports a single table
/// ([source] instead of [[source]]) or non-table elements as errors.
void for_each_table(toml::node& node, std::string_view section, ConfigProblems& problems,
                    const std::function<void(TableItem&)>& fn);

/// Reads a "name" key and checks it: required, valid characters, unique in `seen` (name → line).
bool read_name(TableReader& reader, std::string_view what, std::string& out,
               std::vector<std::pair<std::string, int>>& seen, bool display_name = false);

}  // namespace otklik::config_detail
