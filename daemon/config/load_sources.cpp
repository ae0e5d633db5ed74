/// [[source]] and [[route]], and the coverage warnings that need the whole config.
#include "daemon/config/checks.hpp"
#include "daemon/config/load_parts.hpp"

#include <algorithm>
#include <cstdio>

namespace otklik::config_detail {
namespace {

constexpr Duration kMinInterval = std::chrono::seconds(10);
constexpr Duration kMinLocalInterval = std::chrono::seconds(1);

/// Moves the keys no common reader asked for into `options`, keeping their source positions.
void take_options(toml::table& table, const TableReader& reader, toml::table& options) {
  for (const auto& key : reader.unread_keys()) {
    toml::node* n = table.get(key);
    if (n == nullptr) continue;
    n->visit([&](auto& value) { options.insert_or_assign(key, std::move(value)); });
  }
}

/// The named sensitivities, as the score at or below which an item is negative ("normal": the
/// scorer's own label, which is negative at -0.15). Round steps on the curve of `otklik eval
/// --curve` (docs/sentiment.md, "Sensitivity"): high catches more complaints with more false
/// alarms, low the reverse; they are measured there, not fitted to a corpus.
constexpr double kHighSensitivity = -0.05;
constexpr double kLowSensitivity = -0.30;

/// `sensitivity = "high" | "normal" | "low"` or a number: the negative threshold, in [-1, 0).
void read_sensitivity(TableReader& r, std::optional<double>& out) {
  const toml::node* n = r.get("sensitivity");
  if (n == nullptr) return;
  const std::string expected =
      "expected \"high\", \"normal\", \"low\" or a number from -1 up to (not including) 0: the score at or "
      "below which an item is negative";
  if (const auto* s = n->as_string()) {
    const std::string& v = s->get();
    if (v == "high") out = kHighSensitivity;
    else if (v == "normal") out = std::nullopt;
    else if (v == "low") out = kLowSensitivity;
    else r.error("sensitivity", expected + ", got \"" + v + "\"");
    return;
  }
  std::optional<double> number;
  if (const auto* f = n->as_floating_point()) number = f->get();
  if (const auto* i = n->as_integer()) number = static_cast<double>(i->get());
  if (!number) {
    r.error("sensitivity", expected + ", got " + std::string(type_name(*n)));
    return;
  }
  // 0 would make every item without evidence (score 0) a complaint; below -1 nothing scores.
  if (!(*number >= -1.0 && *number < 0.0)) {
    char shown[32];
    std::snprintf(shown, sizeof shown, "%g", *number);
    r.error("sensitivity", expected + ", got " + shown);
    return;
  }
  out = number;
}

template <class T>
bool contains_name(const std::vector<T>& items, const std::string& name) {
  return std::any_of(items.begin(), items.end(), [&](const T& i) { return i.name == name; });
}

}  // namespace

void load_sources(toml::node& node, Config& config, LoadContext& ctx) {
  std::vector<std::pair<std::string, int>> seen;
  for_each_table(node, "source", ctx.problems, [&](TableItem& item) {
    TableReader r(item.table, item.prefix, item.line, ctx.problems);
    SourceConfig source;
    source.line = item.line;
    // A source with a usable name is kept even when other keys are wrong, so that references to
    // it are not reported as well; the config is invalid anyway.
    bool named = read_name(r, "source", source.name, seen);
    r.required_string("type", source.type);
    const bool known = ctx.catalog != nullptr && !source.type.empty() && ctx.catalog->known_type(source.type);
    // Presets that know their site build the URL from their keys; `url` then overrides it.
    const bool url_optional = known && ctx.catalog->builds_url(source.type);
    if (url_optional ? r.string("url", source.url) : r.required_string("url", source.url)) {
      source.url = resolve_file_url(source.url, ctx.base_dir);
      if (auto problem = check_url(source.url, {"http", "https", "file"})) r.error("url", *problem);
    }
    // Remote sites are polled at most every 10 s; file:// and loopback sources (fakes in tests,
    // local mirrors) may go down to 1 s. Without `interval`, a preset polls at its site's polite pace.
    const bool local = !source.url.empty() && local_url(source.url);
    if (known) {
      if (auto d = ctx.catalog->default_interval(source.type)) source.interval = *d;
    }
    r.duration("interval", source.interval, local ? kMinLocalInterval : kMinInterval);
    if (r.string("brand", source.brand) && !source.brand.empty() && !contains_name(config.brands, source.brand)) {
      r.error("brand", "no [[brand]] is named \"" + source.brand + "\"");
    }
    if (r.string("label", source.label) && (source.label.empty() || has_control_chars(source.label)))
      r.error("label", "must be non-empty and without control characters");
    r.boolean("match_brands", source.match_brands);
    if (source.match_brands && config.brands.empty())
      r.error("match_brands", "needs at least one [[brand]] to look for");
    r.duration("alert_max_age", source.alert_max_age, Duration::zero());
    r.integer("max_alerts_per_poll", source.max_alerts_per_poll, 0, 100000);
    read_secret(r, "api_key", source.api_key, false, true, ctx.base_dir);
    if (known) {
      for (const auto& spec : ctx.catalog->secret_keys(source.type)) {
        Secret secret;
        if (read_secret(r, spec.name, secret, spec.required, true, ctx.base_dir, spec.whole_file))
          source.secrets.emplace_back(spec.name, std::move(secret));
      }
    }
    std::string answered;
    if (r.string("answered", answered)) {
      if (answered == "inform") source.answered = AnsweredPolicy::inform;
      else if (answered == "act") source.answered = AnsweredPolicy::act;
      else if (answered == "quiet") source.answered = AnsweredPolicy::quiet;
      else r.error("answered", "expected \"inform\", \"act\" or \"quiet\", got \"" + answered + "\"");
    }
    read_sensitivity(r, source.negative_threshold);
    std::string auto_reply;
    if (r.string("auto_reply", auto_reply)) {
      if (auto_reply == "off") source.auto_reply = AutoReply::off;
      else if (auto_reply == "positive") source.auto_reply = AutoReply::positive;
      else r.error("auto_reply", "expected \"off\" or \"positive\", got \"" + auto_reply + "\"");
      if (source.auto_reply != AutoReply::off && known && !ctx.catalog->takes_replies(source.type))
        r.error("auto_reply", "the site of type \"" + source.type +
                                  "\" takes no answers through an API (docs/replies.md lists those that do)");
    }
    r.duration("auto_reply_delay", source.auto_reply_delay, std::chrono::minutes(1));
    r.boolean("enabled", source.enabled);
    if (r.string("user_agent", source.user_agent) && (source.user_agent->empty() || has_control_chars(*source.user_agent)))
      r.error("user_agent", "must be non-empty and without control characters");
    read_proxy(r, source.proxy, ctx.base_dir);

    take_options(item.table, r, source.options);
    if (ctx.catalog != nullptr && !source.type.empty()) {
      if (!known) {
        r.error("type", "unknown source type \"" + source.type + "\" (see `otklik sources` for the list)");
      } else {
        const std::size_t before = ctx.problems.items().size();
        ctx.catalog->validate(source, item.prefix, ctx.problems);
        const auto& all = ctx.problems.items();
        const bool valid = std::none_of(all.begin() + static_cast<std::ptrdiff_t>(before), all.end(),
                                        [](const ConfigProblem& p) { return !p.warning; });
        if (url_optional && source.url.empty() && valid) source.url = ctx.catalog->built_url(source);
      }
    }
    if (source.label.empty()) {
      const std::string site = known ? ctx.catalog->site_name(source.type) : std::string();
      source.label = site.empty() ? source.name : site + " \u00B7 " + source.name;
    }
    if (named) config.sources.push_back(std::move(source));
  });
}

void load_routes(toml::node& node, Config& config, LoadContext& ctx) {
  for_each_table(node, "route", ctx.problems, [&](TableItem& item) {
    TableReader r(item.table, "route[" + std::to_string(item.index) + "]", item.line, ctx.problems);
    RouteConfig route;
    route.line = item.line;
    if (r.required_string("channel", route.channel) && !contains_name(config.channels, route.channel)) {
      r.error("channel", "no [[channel]] is named \"" + route.channel + "\"");
    }
    auto check_names = [&](std::string_view key, const std::vector<std::string>& names, auto exists,
                           std::string_view what) {
      for (std::size_t i = 0; i < names.size(); ++i) {
        if (!exists(names[i])) {
          ctx.problems.error(r.path(key) + "[" + std::to_string(i + 1) + "]", r.line(key),
                             "no [[" + std::string(what) + "]] is named \"" + names[i] + "\"");
        }
      }
    };
    if (r.string_list("sources", route.sources))
      check_names("sources", route.sources, [&](const std::string& n) { return contains_name(config.sources, n); },
                  "source");
    if (r.string_list("brands", route.brands))
      check_names("brands", route.brands, [&](const std::string& n) { return contains_name(config.brands, n); },
                  "brand");
    std::string severity;
    if (r.string("min_severity", severity)) {
      if (auto s = parse_severity(severity))
        route.min_severity = *s;
      else
        r.error("min_severity", "expected \"low\", \"medium\" or \"high\", got \"" + severity + "\"");
    }
    r.report_unknown("[[route]]");
    if (!route.channel.empty()) config.routes.push_back(std::move(route));
  });
}

void check_coverage(const Config& config, ConfigProblems& problems) {
  for (const auto& channel : config.channels) {
    bool used = std::any_of(config.routes.begin(), config.routes.end(),
                            [&](const RouteConfig& r) { return r.channel == channel.name; });
    if (!used)
      problems.warn("channel[" + quote_key(channel.name) + "]", channel.line,
                    "no [[route]] sends anything to this channel");
  }
  for (const auto& source : config.sources) {
    if (!source.enabled) continue;
    bool covered = std::any_of(config.routes.begin(), config.routes.end(), [&](const RouteConfig& r) {
      bool source_ok = r.sources.empty() ||
                       std::find(r.sources.begin(), r.sources.end(), source.name) != r.sources.end();
      bool brand_ok = r.brands.empty() || source.brand.empty() ||
                      std::find(r.brands.begin(), r.brands.end(), source.brand) != r.brands.end();
      return source_ok && brand_ok;
    });
    if (!covered)
      problems.warn("source[" + quote_key(source.name) + "]", source.line,
                    "no [[route]] covers this source: its alerts are stored but sent nowhere");
  }
}

}  // namespace otklik::config_detail
