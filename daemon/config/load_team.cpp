/// [calendar], [sla], [quiet_hours], [lifecycle], [smtp], [digest]: how the team works with alerts
/// and where the weekly digest goes.
#include "daemon/config/checks.hpp"
#include "daemon/config/load_parts.hpp"

#include <algorithm>
#include <set>

namespace otklik::config_detail {
namespace {

void read_timezone(TableReader& r, std::string& out) {
  std::string tz;
  if (!r.string("timezone", tz)) return;
  if (timezone_exists(tz))
    out = tz;
  else
    r.error("timezone", "unknown time zone \"" + tz + "\" (an IANA name such as \"Europe/Moscow\", or \"UTC\")");
}

void read_dates(TableReader& r, std::string_view key, std::vector<std::string>& out) {
  std::vector<std::string> dates;
  if (!r.string_list(key, dates)) return;
  for (const auto& d : dates)
    if (!valid_date(d)) r.error(key, "\"" + d + "\" is not a date written as YYYY-MM-DD");
  std::sort(dates.begin(), dates.end());
  dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
  out = std::move(dates);
}

Severity read_severity(TableReader& r, std::string_view key, Severity fallback) {
  std::string text;
  if (!r.string(key, text)) return fallback;
  if (auto s = parse_severity(text)) return *s;
  r.error(key, "expected \"low\", \"medium\" or \"high\", got \"" + text + "\"");
  return fallback;
}

/// take / resolve / business_hours, shared by [sla] and each [[sla.policy]].
void read_deadlines(TableReader& r, SlaPolicyConfig& p) {
  r.duration("take", p.take, std::chrono::minutes(1));
  r.duration("resolve", p.resolve, std::chrono::minutes(1));
  r.boolean("business_hours", p.business_hours);
  if (p.resolve < p.take)
    r.error("resolve", "is shorter than take (" + format_duration(p.resolve) + " < " + format_duration(p.take) + ")");
}

bool channel_exists(const Config& config, const std::string& name) { return config.find_channel(name) != nullptr; }

}  // namespace

void load_calendar(const toml::node& node, CalendarConfig& out, LoadContext& ctx) {
  const toml::table* t = as_section(node, "calendar", ctx.problems);
  if (t == nullptr) return;
  TableReader r(*t, "calendar", line_of(node), ctx.problems);
  out.configured = true;
  read_timezone(r, out.timezone);
  std::vector<std::string> days;
  if (r.string_list("workdays", days)) {
    std::vector<int> parsed;
    for (const auto& d : days) {
      if (auto n = parse_weekday(d))
        parsed.push_back(*n);
      else
        r.error("workdays", "\"" + d + "\" is not a day name (\"monday\" … \"sunday\")");
    }
    std::sort(parsed.begin(), parsed.end());
    parsed.erase(std::unique(parsed.begin(), parsed.end()), parsed.end());
    if (parsed.empty() && !days.empty()) {
      // errors reported above
    } else if (parsed.empty()) {
      r.error("workdays", "must name at least one day");
    } else {
      out.workdays = std::move(parsed);
    }
  }
  std::string hours;
  if (r.string("hours", hours)) {
    auto dash = hours.find('-');
    std::optional<int> start, end;
    if (dash != std::string::npos) {
      start = parse_clock_time(hours.substr(0, dash));
      end = parse_clock_time(hours.substr(dash + 1), /*allow_end_of_day=*/true);
    }
    if (!start || !end)
      r.error("hours", "expected \"HH:MM-HH:MM\" such as \"09:00-18:00\", got \"" + hours + "\"");
    else if (*end <= *start)
      r.error("hours", "the end must be after the start (working time past midnight is not supported)");
    else
      out.day_start_minutes = *start, out.day_end_minutes = *end;
  }
  read_dates(r, "holidays", out.holidays);
  read_dates(r, "extra_workdays", out.extra_workdays);
  for (const auto& d : out.extra_workdays)
    if (std::binary_search(out.holidays.begin(), out.holidays.end(), d))
      r.error("extra_workdays", d + " is also listed in holidays");
  r.report_unknown("[calendar]");
}

void load_sla(toml::node& node, Config& config, LoadContext& ctx) {
  auto* t = node.as_table();
  if (t == nullptr) {
    as_section(node, "sla", ctx.problems);
    return;
  }
  SlaConfig& sla = config.sla;
  sla.enabled = true;
  TableReader r(*t, "sla", line_of(node), ctx.problems);
  read_deadlines(r, sla.defaults);
  r.duration("check_interval", sla.check_interval, std::chrono::seconds(1));

  if (toml::node* policies = t->get("policy")) {
    r.accept("policy");
    for_each_table(*policies, "sla.policy", ctx.problems, [&](TableItem& item) {
      TableReader p(item.table, item.prefix, item.line, ctx.problems);
      SlaPolicyConfig policy = sla.defaults;
      policy.line = item.line;
      policy.min_severity = read_severity(p, "min_severity", Severity::low);
      if (p.string_list("channels", policy.channels))
        for (const auto& ch : policy.channels)
          if (!channel_exists(config, ch)) p.error("channels", "no [[channel]] named \"" + ch + "\"");
      read_deadlines(p, policy);
      p.report_unknown("[[sla.policy]]");
      sla.policies.push_back(std::move(policy));
    });
  }
  if (toml::node* steps = t->get("escalation")) {
    r.accept("escalation");
    for_each_table(*steps, "sla.escalation", ctx.problems, [&](TableItem& item) {
      TableReader s(item.table, item.prefix, item.line, ctx.problems);
      EscalationStepConfig step;
      step.line = item.line;
      s.duration("after", step.after, std::chrono::seconds(0));
      if (s.required_string("channel", step.channel) && !channel_exists(config, step.channel))
        s.error("channel", "no [[channel]] named \"" + step.channel + "\"");
      if (s.string_list("mention", step.mention))
        for (const auto& m : step.mention)
          if (has_control_chars(m)) s.error("mention", "contains control characters");
      s.report_unknown("[[sla.escalation]]");
      sla.escalation.push_back(std::move(step));
    });
    for (std::size_t i = 1; i < sla.escalation.size(); ++i)
      if (sla.escalation[i].after < sla.escalation[i - 1].after)
        ctx.problems.error("sla.escalation[" + std::to_string(i + 1) + "]", sla.escalation[i].line,
                           "steps must be in order of \"after\" (this one comes earlier than the step before)");
  }
  r.report_unknown("[sla]");
}

void load_quiet_hours(const toml::node& node, QuietHoursConfig& out, LoadContext& ctx) {
  const toml::table* t = as_section(node, "quiet_hours", ctx.problems);
  if (t == nullptr) return;
  TableReader r(*t, "quiet_hours", line_of(node), ctx.problems);
  out.enabled = true;
  r.boolean("enabled", out.enabled);
  out.urgent_severity = read_severity(r, "urgent_severity", out.urgent_severity);
  r.report_unknown("[quiet_hours]");
}

void load_lifecycle(const toml::node& node, LifecycleConfig& out, LoadContext& ctx) {
  const toml::table* t = as_section(node, "lifecycle", ctx.problems);
  if (t == nullptr) return;
  TableReader r(*t, "lifecycle", line_of(node), ctx.problems);
  r.duration("follow_up", out.follow_up, std::chrono::seconds(0));
  if (r.duration("telegram_poll_timeout", out.telegram_poll_timeout, std::chrono::seconds(1)) &&
      out.telegram_poll_timeout > std::chrono::seconds(300))
    r.error("telegram_poll_timeout", "must be at most 5m (Telegram holds a long poll for a limited time)");
  std::string path;
  if (r.string("slack_actions_path", path)) {
    if (path.empty() || path.front() != '/' || has_control_chars(path) || path.find(' ') != std::string::npos)
      r.error("slack_actions_path", "expected a path starting with \"/\", without spaces");
    else if (path == "/metrics" || path == "/healthz" || path == "/readyz")
      r.error("slack_actions_path", "\"" + path + "\" is taken by the health endpoint");
    else
      out.slack_actions_path = path;
  }
  r.report_unknown("[lifecycle]");
}

void load_smtp(const toml::node& node, SmtpConfig& out, LoadContext& ctx) {
  const toml::table* t = as_section(node, "smtp", ctx.problems);
  if (t == nullptr) return;
  TableReader r(*t, "smtp", line_of(node), ctx.problems);
  out.enabled = true;
  if (r.required_string("host", out.host) &&
      (has_control_chars(out.host) || out.host.find_first_of(" /:@") != std::string::npos))
    r.error("host", "expected a host name or IP address, without scheme, port or spaces");
  std::string security;
  if (r.string("security", security)) {
    if (security == "starttls" || security == "tls" || security == "none")
      out.security = security;
    else
      r.error("security", "expected \"starttls\", \"tls\" or \"none\", got \"" + security + "\"");
  }
  if (out.security == "none" && !out.host.empty() && !loopback_host(out.host))
    r.error("security", "\"none\" (no encryption) is allowed only to a relay on this machine "
                        "(localhost, 127.0.0.1); use \"starttls\" or \"tls\" for " + out.host);
  r.integer("port", out.port, 1, 65535);
  if (r.string("username", out.username) && has_control_chars(out.username))
    r.error("username", "contains control characters");
  read_secret(r, "password", out.password, false, true, ctx.base_dir);
  if (!out.username.empty() && out.password.empty()) r.error("password", "is required when username is set");
  if (out.username.empty() && !out.password.empty()) r.error("username", "is required when password is set");
  if (r.required_string("from", out.from))
    if (auto problem = check_mailbox(out.from)) r.error("from", *problem);
  if (r.string("helo", out.helo) && (out.helo.empty() || out.helo.find_first_of(" \r\n\t") != std::string::npos))
    r.error("helo", "expected a host name without spaces");
  r.duration("timeout", out.timeout, std::chrono::seconds(1));
  r.report_unknown("[smtp]");
}

void load_digest(toml::node& node, Config& config, LoadContext& ctx) {
  auto* t = node.as_table();
  if (t == nullptr) {
    as_section(node, "digest", ctx.problems);
    return;
  }
  DigestConfig& d = config.digest;
  d.enabled = true;
  TableReader r(*t, "digest", line_of(node), ctx.problems);
  std::string day;
  if (r.string("day", day)) {
    if (auto n = parse_weekday(day))
      d.day = *n;
    else
      r.error("day", "\"" + day + "\" is not a day name (\"monday\" … \"sunday\")");
  }
  std::string time;
  if (r.string("time", time)) {
    if (auto m = parse_clock_time(time))
      d.time_minutes = *m;
    else
      r.error("time", "expected \"HH:MM\" such as \"09:00\", got \"" + time + "\"");
  }
  read_timezone(r, d.timezone);
  r.integer("top_mentions", d.top_mentions, 1, 100);
  std::string locale;
  if (r.string("locale", locale)) {
    if (locale == "ru" || locale == "en")
      d.locale = locale;
    else
      r.error("locale", "expected \"ru\" or \"en\", got \"" + locale + "\"");
  }

  auto read_audience = [&](TableReader& a, DigestAudience& out, bool required) {
    if (!a.string_list("to", out.to)) {
      if (required && a.get("to") == nullptr) a.error("to", "is required: the recipients' addresses");
    } else if (out.to.empty()) {
      a.error("to", "must name at least one address");
    }
    for (const auto& address : out.to)
      if (auto problem = check_email(address)) a.error("to", "\"" + address + "\" " + *problem);
    if (a.string_list("brands", out.brands))
      for (const auto& b : out.brands)
        if (config.find_brand(b) == nullptr) a.error("brands", "no [[brand]] named \"" + b + "\"");
  };

  DigestAudience main;
  main.line = line_of(node);
  bool has_lists = t->get("list") != nullptr;
  read_audience(r, main, /*required=*/!has_lists);
  if (!main.to.empty()) d.audiences.push_back(std::move(main));
  if (toml::node* lists = t->get("list")) {
    r.accept("list");
    for_each_table(*lists, "digest.list", ctx.problems, [&](TableItem& item) {
      TableReader a(item.table, item.prefix, item.line, ctx.problems);
      DigestAudience audience;
      audience.line = item.line;
      read_audience(a, audience, true);
      a.report_unknown("[[digest.list]]");
      if (!audience.to.empty()) d.audiences.push_back(std::move(audience));
    });
  }
  // Two lists with the same recipients would share one "sent" record per week.
  std::set<std::vector<std::string>> seen;
  for (const auto& a : d.audiences) {
    auto key = a.to;
    std::sort(key.begin(), key.end());
    if (!seen.insert(key).second)
      ctx.problems.error("digest", a.line, "two recipient lists have the same addresses; merge their brands");
  }
  r.report_unknown("[digest]");
}

void check_team_sections(const Config& config, const toml::table& doc, ConfigProblems& problems) {
  bool has_email = false;
  for (const auto& ch : config.channels) {
    if (ch.type == "email") has_email = true;
    if (ch.type == "slack" && ch.actions && config.daemon.listen.empty())
      problems.error("channel[" + quote_key(ch.name) + "].signing_secret", ch.line,
                     "Slack buttons need the HTTP endpoint: set [daemon].listen (behind a reverse proxy)");
  }
  auto line = [&](std::string_view section) {
    const toml::node* n = doc.get(section);
    return n != nullptr ? line_of(*n) : 0;
  };
  if (has_email && !config.smtp.enabled)
    problems.error("smtp", 0, "an email [[channel]] needs an [smtp] section (host, from …)");
  if (config.digest.enabled && !config.smtp.enabled)
    problems.error("digest", line("digest"), "the weekly digest is sent by email: add an [smtp] section");
  bool business = config.sla.enabled && (config.sla.defaults.business_hours ||
                                         std::any_of(config.sla.policies.begin(), config.sla.policies.end(),
                                                     [](const SlaPolicyConfig& p) { return p.business_hours; }));
  if ((business || config.quiet_hours.enabled) && !config.calendar.configured)
    problems.warn("calendar", 0,
                  "no [calendar]: working time is Monday–Friday 09:00–18:00 UTC for SLA clocks and quiet hours");
  if (config.sla.enabled && config.sla.escalation.empty())
    problems.warn("sla", line("sla"), "no [[sla.escalation]] steps: overdue alerts are marked but nobody is told");
}

}  // namespace otklik::config_detail
