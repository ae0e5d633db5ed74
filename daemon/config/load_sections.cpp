/// [daemon], [http], [sentiment] and the helpers shared by the array sections.
#include "daemon/config/checks.hpp"
#include "daemon/config/load_parts.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>

namespace otklik::config_detail {

const toml::table* as_section(const toml::node& node, std::string_view name, ConfigProblems& problems) {
  if (const auto* t = node.as_table()) return t;
  problems.error(std::string(name), line_of(node),
                 "expected a table [" + std::string(name) + "], got " + std::string(type_name(node)));
  return nullptr;
}

bool readable_file(const std::filesystem::path& p) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(p, ec)) return false;
  std::ifstream in(p);
  return static_cast<bool>(in);
}

namespace {

template <std::size_t N>
bool one_of(TableReader& r, std::string_view key, std::string& out, const std::array<std::string_view, N>& allowed) {
  std::string value;
  if (!r.string(key, value)) return false;
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) {
    out = std::move(value);
    return true;
  }
  std::string list;
  for (auto a : allowed) list += (list.empty() ? "\"" : ", \"") + std::string(a) + "\"";
  r.error(key, "expected one of " + list + ", got \"" + value + "\"");
  return false;
}

}  // namespace

void load_daemon(const toml::node& node, DaemonConfig& out, LoadContext& ctx) {
  const toml::table* t = as_section(node, "daemon", ctx.problems);
  if (t == nullptr) return;
  TableReader r(*t, "daemon", line_of(node), ctx.problems);

  if (r.string("state", out.state)) {
    if (out.state.empty()) r.error("state", "must not be empty");
  }
  if (!out.state.empty() && out.state != ":memory:") out.state = resolve_path(out.state, ctx.base_dir).string();

  std::string listen = out.listen;
  if (r.string("listen", listen)) {
    ListenCheck check = check_listen(listen);
    if (check.error) {
      r.error("listen", *check.error);
    } else {
      out.listen = listen;
      if (!check.loopback)
        r.warn("listen", "not a loopback address: /metrics and /healthz are reachable from the network");
    }
  }
  one_of(r, "locale", out.locale, std::array<std::string_view, 2>{"ru", "en"});
  std::string tz;
  if (r.string("timezone", tz)) {
    if (timezone_exists(tz))
      out.timezone = tz;
    else
      r.error("timezone", "unknown time zone \"" + tz + "\" (an IANA name such as \"Europe/Moscow\", or \"UTC\")");
  }
  std::string ua;
  if (r.string("user_agent", ua)) {
    if (ua.empty() || has_control_chars(ua))
      r.error("user_agent", "must be non-empty and without control characters");
    else
      out.user_agent = ua;
  }
  r.duration("shutdown_timeout", out.shutdown_timeout, std::chrono::seconds(1));
  one_of(r, "log_level", out.log_level, std::array<std::string_view, 5>{"trace", "debug", "info", "warn", "error"});
  r.integer("workers", out.workers, 0, 64);
  r.integer("max_concurrent_polls", out.max_concurrent_polls, 1, 4096);
  r.size("cache_size", out.cache_size);
  // 0 turns memory-mapped reads off, so a plain 0 is allowed here.
  if (const toml::node* mmap = t->get("mmap_size"); mmap != nullptr && mmap->value<std::int64_t>() == 0) {
    r.accept("mmap_size");
    out.mmap_size = 0;
  } else {
    r.size("mmap_size", out.mmap_size);
  }
  r.report_unknown("[daemon]");
}

void load_store(const toml::node& node, StoreConfig& out, LoadContext& ctx) {
  const toml::table* t = as_section(node, "store", ctx.problems);
  if (t == nullptr) return;
  TableReader r(*t, "store", line_of(node), ctx.problems);
  std::string backend = "sqlite";
  bool backend_ok = one_of(r, "backend", backend, std::array<std::string_view, 2>{"sqlite", "postgresql"});
  out.backend = backend == "postgresql" ? StoreConfig::Backend::postgresql : StoreConfig::Backend::sqlite;
  const bool postgresql = out.backend == StoreConfig::Backend::postgresql;
  if (postgresql) {
    // The password is what must not sit in the file; a URL without one (PGPASSWORD, a .pgpass
    // file, peer or certificate authentication) may be written as it is.
    if (read_secret(r, "url", out.url, true, false, ctx.base_dir)) {
      if (out.url.literal() && !conninfo_password(out.url.value()).empty())
        r.warn("url", "the password is written in the config file; put the URL in \"env:NAME\" or \"file:PATH\"");
    }
  } else if (r.get("url") != nullptr) {
    if (backend_ok || r.get("backend") == nullptr)
      r.error("url", "is for backend = \"postgresql\"; SQLite keeps its state in [daemon] state");
  }
  constexpr Duration kMinTimeout = std::chrono::milliseconds(100);
  r.duration("statement_timeout", out.statement_timeout, kMinTimeout);
  r.duration("connect_timeout", out.connect_timeout, kMinTimeout);
  if (!postgresql && r.get("pool_size") != nullptr && (backend_ok || r.get("backend") == nullptr))
    r.error("pool_size", "is for backend = \"postgresql\"; SQLite has one writer, on the store's thread");
  for (std::string_view key : {"instance", "lease_ttl"}) {
    if (!postgresql && r.get(key) != nullptr && (backend_ok || r.get("backend") == nullptr))
      r.error(key, "is for backend = \"postgresql\" (several instances share one database); SQLite serves one instance");
  }
  if (postgresql) {
    if (r.string("instance", out.instance)) {
      const bool valid = out.instance.size() <= 64 &&
                         std::all_of(out.instance.begin(), out.instance.end(), [](unsigned char c) {
                           return std::isalnum(c) != 0 || c == '.' || c == '-' || c == '_';
                         });
      if (!valid) r.error("instance", "must be at most 64 letters, digits, '.', '-' or '_'");
    }
    r.duration("lease_ttl", out.lease_ttl, std::chrono::seconds(3));
    r.integer("pool_size", out.pool_size, 1, 64);
  }
  r.report_unknown("[store]");
}

void load_http(const toml::node& node, HttpConfig& out, LoadContext& ctx) {
  const toml::table* t = as_section(node, "http", ctx.problems);
  if (t == nullptr) return;
  TableReader r(*t, "http", line_of(node), ctx.problems);
  constexpr Duration kMinTimeout = std::chrono::milliseconds(100);
  r.duration("connect_timeout", out.connect_timeout, kMinTimeout);
  r.duration("tls_timeout", out.tls_timeout, kMinTimeout);
  r.duration("write_timeout", out.write_timeout, kMinTimeout);
  r.duration("read_timeout", out.read_timeout, kMinTimeout);
  r.size("max_body", out.max_body);
  if (r.size("max_decompressed", out.max_decompressed) && out.max_decompressed < out.max_body)
    r.warn("max_decompressed", "is smaller than max_body: compressed responses will hit this cap first");
  r.integer("max_redirects", out.max_redirects, 0, 20);
  r.duration("per_host_delay", out.per_host_delay, Duration::zero());
  r.integer("max_idle_per_host", out.max_idle_per_host, 0, 100);
  r.integer("max_idle_total", out.max_idle_total, 0, 10000);
  if (out.max_idle_total > 0 && out.max_idle_total < out.max_idle_per_host)
    r.warn("max_idle_total", "is smaller than max_idle_per_host: no host keeps more than max_idle_total");
  r.duration("idle_timeout", out.idle_timeout, kMinTimeout);
  std::string ca;
  if (r.string("ca_file", ca) && !ca.empty()) {
    auto p = resolve_path(ca, ctx.base_dir);
    if (readable_file(p))
      out.ca_file = p.string();
    else
      r.error("ca_file", "cannot read the CA bundle " + p.string());
  }
  std::optional<ProxyConfig> proxy;
  if (read_proxy(r, proxy, ctx.base_dir)) out.proxy = std::move(*proxy);
  read_allow_private(r, out.allow_private);
  r.report_unknown("[http]");
}

void load_sentiment(const toml::node& node, SentimentConfig& out, LoadContext& ctx) {
  const toml::table* t = as_section(node, "sentiment", ctx.problems);
  if (t == nullptr) return;
  TableReader r(*t, "sentiment", line_of(node), ctx.problems);
  std::vector<std::string> lexicons;
  if (r.string_list("lexicons", lexicons)) {
    out.lexicons.clear();
    for (std::size_t i = 0; i < lexicons.size(); ++i) {
      auto p = resolve_path(lexicons[i], ctx.base_dir);
      if (!readable_file(p))
        ctx.problems.error(r.path("lexicons") + "[" + std::to_string(i + 1) + "]", r.line("lexicons"),
                           "cannot read the lexicon file " + p.string());
      out.lexicons.push_back(p.string());
    }
  }
  one_of(r, "lang", out.lang, std::array<std::string_view, 3>{"auto", "ru", "en"});
  r.report_unknown("[sentiment]");
}

void for_each_table(toml::node& node, std::string_view section, ConfigProblems& problems,
                    const std::function<void(TableItem&)>& fn) {
  std::string name(section);
  if (node.is_table()) {
    problems.error(name, line_of(node), "write [[" + name + "]] (one per " + name + "), not [" + name + "]");
    return;
  }
  auto* arr = node.as_array();
  if (arr == nullptr) {
    problems.error(name, line_of(node), "expected [[" + name + "]] tables, got " + std::string(type_name(node)));
    return;
  }
  for (std::size_t i = 0; i < arr->size(); ++i) {
    toml::node& element = *arr->get(i);
    std::string index_key = name + "[" + std::to_string(i + 1) + "]";
    auto* t = element.as_table();
    if (t == nullptr) {
      problems.error(index_key, line_of(element) != 0 ? line_of(element) : line_of(node),
                     "expected a table, got " + std::string(type_name(element)));
      continue;
    }
    std::string prefix = index_key;
    if (const auto* n = t->get_as<std::string>("name"); n != nullptr && !n->get().empty())
      prefix = name + "[" + quote_key(n->get()) + "]";
    int line = line_of(*t) != 0 ? line_of(*t) : line_of(node);
    TableItem item{*t, i + 1, prefix, line};
    fn(item);
  }
}

bool read_name(TableReader& reader, std::string_view what, std::string& out,
               std::vector<std::pair<std::string, int>>& seen, bool display_name) {
  std::string name;
  if (!reader.required_string("name", name)) return false;
  if (display_name) {
    // Brand names are shown in alerts: any text ("Рокетбанк"), but one line and not blank.
    if (name.find_first_not_of(" \t") == std::string::npos || has_control_chars(name)) {
      reader.error("name", "must be non-blank text without control characters");
      return false;
    }
  } else if (!valid_name(name)) {
    reader.error("name", "may contain only letters A–Z a–z, digits, \"_\", \".\" and \"-\"");
    return false;
  }
  auto it = std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == name; });
  if (it != seen.end()) {
    reader.error("name", "duplicate " + std::string(what) + " name \"" + name + "\" (first at line " +
                             std::to_string(it->second) + ")");
    return false;
  }
  seen.emplace_back(name, reader.line("name"));
  out = std::move(name);
  return true;
}

void load_brands(toml::node& node, Config& config, LoadContext& ctx) {
  std::vector<std::pair<std::string, int>> seen;
  for_each_table(node, "brand", ctx.problems, [&](TableItem& item) {
    TableReader r(item.table, item.prefix, item.line, ctx.problems);
    BrandConfig brand;
    brand.line = item.line;
    bool ok = read_name(r, "brand", brand.name, seen, /*display_name=*/true);
    r.string_list("aliases", brand.aliases);
    r.string_list("guard", brand.guard);
    r.boolean("typos", brand.typos);
    r.report_unknown("[[brand]]");
    if (ok) config.brands.push_back(std::move(brand));
  });
}

}  // namespace otklik::config_detail
