#pragma once
/// The configuration as plain structs. Every field has its default here; units are in the names or
/// comments. Loading (config_load.hpp) fills these from TOML and reports every problem at once.
/// docs/configuration.md documents each key.

#include "daemon/config/proxy_config.hpp"
#include "daemon/core/duration.hpp"
#include "daemon/core/secret.hpp"

#include <toml++/toml.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace otklik {

using namespace std::chrono_literals;

/// Severity of a negative item, from its score; routes filter on it.
enum class Severity { low = 1, medium = 2, high = 3 };

struct DaemonConfig {
  std::string state = "/var/lib/otklik/otklik.db";  ///< SQLite file (relative: to the config's folder)
  std::string listen = "127.0.0.1:9464";            ///< health/metrics address; "" disables
  std::string locale = "ru";                        ///< alert language: "ru" or "en"
  std::string timezone = "UTC";                     ///< IANA name, for dates shown in alerts
  std::string user_agent = "Otklik/0.1 (+https://github.com/otklik/otklik)";
  Duration shutdown_timeout = 10s;                  ///< bound on draining in-flight sends
  std::string log_level = "info";                   ///< trace, debug, info, warn, error
  /// Threads that parse pages and score items off the event loop; 0 = one fewer than the CPU
  /// cores (at least 1, at most 4).
  int workers = 0;
  /// Polls (fetch, parse, ingest) running at once, at most; the rest wait their turn.
  int max_concurrent_polls = 32;
  std::uint64_t cache_size = 16ull << 20;           ///< SQLite page cache, bytes
  std::uint64_t mmap_size = 0;                      ///< SQLite memory-mapped reads, bytes; 0 = off
};

/// Where the daemon keeps its state. SQLite (the file of [daemon] state, one instance) or
/// PostgreSQL (any number of instances sharing the work under leases).
struct StoreConfig {
  enum class Backend { sqlite, postgresql };
  Backend backend = Backend::sqlite;
  /// PostgreSQL connection URL or "key=value" string (a secret: env:/file:/literal); required for
  /// postgresql, refused for sqlite.
  Secret url;
  Duration statement_timeout = 10s;  ///< the server cancels a statement running longer
  Duration connect_timeout = 5s;     ///< bound on opening the session (TCP, TLS, authentication)
  /// PostgreSQL: this instance's id among those sharing the database ("" = the host name); letters,
  /// digits, '.', '-', '_', at most 64.
  std::string instance;
  /// PostgreSQL: how long a source lease or the leader lease lasts unless renewed (renewed every
  /// third of it): a dead instance's work is taken over within about 4/3 of it.
  Duration lease_ttl = 15s;
  /// PostgreSQL: sessions the store's jobs run on at once (one thread each), besides the lease
  /// session and the web inbox's; 1–64.
  int pool_size = 4;
};

/// The password a PostgreSQL connection string holds: "postgresql://user:PASS@host/db" or
/// "…?password=PASS" (as written, percent escapes kept), or "password=PASS" / "password='P S'" in
/// "key=value" form (unquoted); "" when none.
std::string conninfo_password(std::string_view conninfo);

/// Limits of the HTTP client, shared by all sources and channels.
struct HttpConfig {
  Duration connect_timeout = 10s;
  Duration tls_timeout = 10s;
  Duration write_timeout = 10s;
  Duration read_timeout = 30s;           ///< whole response, headers and body
  std::uint64_t max_body = 8ull << 20;   ///< bytes on the wire (default 8 MiB)
  std::uint64_t max_decompressed = 32ull << 20;  ///< bytes after gzip/deflate
  int max_redirects = 5;
  Duration per_host_delay = 1s;          ///< minimum gap between requests to one host
  std::string ca_file;                   ///< extra CA bundle (PEM); "" = system store only
  // Keep-alive: idle connections kept for the next request to the same scheme, host and port.
  int max_idle_per_host = 4;             ///< idle connections kept per host; 0 = keep-alive off
  int max_idle_total = 64;               ///< idle connections kept over all hosts; 0 = keep-alive off
  Duration idle_timeout = 15s;           ///< an idle connection is closed after this long unused
  /// The proxy of every source and channel that sets none of its own; kind none = direct.
  ProxyConfig proxy;
  /// Hosts of configured URLs that may resolve to loopback, private or link-local addresses
  /// (an intranet webhook); lower case, IPv6 without brackets. Literal private addresses and
  /// `localhost` in a configured URL need no entry. See daemon/net/address_policy.hpp.
  std::vector<std::string> allow_private;
};

/// The scorer: built-in lexicons are compiled in; these add to or override them.
struct SentimentConfig {
  std::vector<std::string> lexicons;  ///< extra lexicon TSV files (relative: to the config's folder)
  std::string lang = "auto";          ///< "auto", "ru" or "en": language when detection is unsure
};

struct BrandConfig {
  std::string name;
  std::vector<std::string> aliases;  ///< other spellings matched in mention text ("Сбер", "Sber")
  std::vector<std::string> guard;    ///< phrases that look like the brand but are not ("запах озона")
  bool typos = true;                 ///< brand matching also accepts misspellings ("Рокербанк")
  int line = 0;                      ///< where the [[brand]] table starts, for messages
};

/// `[[source]] auto_reply`: which reviews get an answer without a person (docs/replies.md).
enum class AutoReply {
  off,       ///< none (the default)
  positive,  ///< positive reviews without a complaint, thanked from the template after a delay
};

/// What to do with a negative review the company has already answered on the site.
enum class AnsweredPolicy {
  inform,  ///< alert, show the reply, and open the case as answered (no take/answer deadlines)
  act,     ///< alert and open the case like any other (the reply is shown)
  quiet,   ///< store it, alert nobody
};

struct SourceConfig {
  std::string name;
  std::string type;                  ///< "rss", "html", "json", or a preset name
  /// How alerts name the source: given, or "<site> · <name>" for a preset ("Яндекс Карты ·
  /// maps-tverskaya"), or the name.
  std::string label;
  std::string url;                   ///< given, or built by a preset from its keys
  Duration interval = 15min;         ///< given, or the preset's polite default
  std::string brand;                 ///< a [[brand]] name; "" when the source covers several
  /// The text may be about anything (social search, news alerts): each item must name a
  /// configured brand (brand_match.hpp) or it is dropped; the brand found is the item's brand.
  bool match_brands = false;
  Duration alert_max_age = 48h;      ///< on the first poll, older items are stored silently
  /// Alerts one poll may raise; the negatives beyond are stored and told in one notice ("N more
  /// negative reviews from …"), so a site that serves its whole archive does not flood the chat.
  /// 0: no limit.
  int max_alerts_per_poll = 20;
  AnsweredPolicy answered = AnsweredPolicy::inform;  ///< reviews with an official reply
  /// `sensitivity`: the score at or below which an item of this source is negative (the
  /// pipeline relabels by it before understanding, routing and storage; docs/sentiment.md,
  /// "Sensitivity"). Unset ("normal"): the scorer's own label, unchanged.
  std::optional<double> negative_threshold;
  /// Thank positive reviews without a complaint on their own (docs/replies.md): "off" or
  /// "positive". Only for sources whose site takes answers through its API.
  AutoReply auto_reply = AutoReply::off;
  Duration auto_reply_delay = 1h;    ///< how long after it is first seen a positive review is thanked
  Secret api_key;                    ///< presets of keyed APIs (Google Places, 2GIS, VK): env:/file: reference
  /// The other secrets a preset takes (client_secret, refresh_token, private_key…), by key name,
  /// resolved at load time (SourceCatalog::secret_keys); they never stay in `options`.
  std::vector<std::pair<std::string, Secret>> secrets;
  bool enabled = true;
  std::optional<std::string> user_agent;  ///< overrides [daemon].user_agent
  std::optional<ProxyConfig> proxy;  ///< unset: [http] proxy; kind none: direct ("none")
  toml::table options;               ///< type-specific keys (item, fields, …), validated by the source registry
  int line = 0;                      ///< where the [[source]] table starts, for messages
};

struct ChannelConfig {
  std::string name;
  std::string type;                  ///< telegram, slack, mattermost, webhook, console
  Secret token;                      ///< telegram bot token
  std::string chat_id;               ///< telegram chat id or @channelname
  std::string api_url = "https://api.telegram.org";  ///< telegram Bot API base
  Secret webhook_url;                ///< slack / mattermost incoming webhook (a secret: it authorises)
  std::string url;                   ///< webhook target
  std::vector<std::pair<std::string, Secret>> headers;  ///< webhook extra headers (e.g. Authorization)
  std::optional<std::string> locale; ///< overrides [daemon].locale for this channel
  // Alert actions (lifecycle): buttons on alerts to take, answer and dismiss them.
  bool actions = true;               ///< telegram/slack: show the action buttons
  std::vector<std::string> allowed_users;  ///< telegram: user ids or @usernames who may act; empty: anyone in the chat
  Secret signing_secret;             ///< slack: the app's signing secret (interactivity); empty: no buttons
  /// Who may publish an answer on the review's site from this chat (docs/replies.md): telegram
  /// numeric user ids or "@username", slack user ids ("U012AB3CD"). Empty: nobody (the Reply
  /// button still gives the draft).
  std::vector<std::string> reply_users;
  std::vector<std::string> to;       ///< email: recipient addresses
  /// The longest wait between retries of a failing delivery (the API's own Retry-After may ask
  /// for longer and is honoured).
  Duration max_backoff = 60s;
  std::optional<ProxyConfig> proxy;  ///< HTTP channels; unset: [http] proxy; kind none: direct ("none")
  int line = 0;
};

struct RouteConfig {
  std::string channel;
  std::vector<std::string> sources;  ///< empty: every source
  std::vector<std::string> brands;   ///< empty: every brand
  Severity min_severity = Severity::low;
  int line = 0;
};

/// The team's working time: SLA clocks count only working time; quiet hours are the rest.
struct CalendarConfig {
  std::string timezone = "UTC";                   ///< IANA name
  std::vector<int> workdays{1, 2, 3, 4, 5};       ///< ISO weekdays (1 = Monday … 7 = Sunday)
  int day_start_minutes = 9 * 60;                 ///< "hours" = "09:00-18:00"
  int day_end_minutes = 18 * 60;
  std::vector<std::string> holidays;              ///< "YYYY-MM-DD": days off although workdays
  std::vector<std::string> extra_workdays;        ///< "YYYY-MM-DD": working days although weekends
  bool configured = false;                        ///< a [calendar] section was given
};

/// Deadlines for one kind of alert. The first [[sla.policy]] that matches an alert applies; the
/// [sla] keys themselves are the default.
struct SlaPolicyConfig {
  Severity min_severity = Severity::low;          ///< applies to alerts at least this severe
  std::vector<std::string> channels;              ///< applies to alerts routed to these channels; empty: any
  Duration take = 30min;                          ///< from the alert to "taken"
  Duration resolve = 4h;                          ///< from the alert to "answered"
  bool business_hours = true;                     ///< count only the [calendar]'s working time
  int line = 0;
};

/// One escalation step: `after` past a missed deadline, a notice to `channel` naming `mention`.
struct EscalationStepConfig {
  Duration after = 0s;
  std::string channel;
  std::vector<std::string> mention;               ///< "@username" (telegram, slack "<@U…>" ids), names
  int line = 0;
};

struct SlaConfig {
  bool enabled = false;                           ///< an [sla] section was given
  SlaPolicyConfig defaults;                       ///< take, resolve, business_hours at [sla] level
  std::vector<SlaPolicyConfig> policies;          ///< [[sla.policy]]
  std::vector<EscalationStepConfig> escalation;   ///< [[sla.escalation]], in order
  Duration check_interval = 30s;                  ///< how often deadlines are checked
};

struct QuietHoursConfig {
  bool enabled = false;                           ///< hold non-urgent alerts outside working time
  Severity urgent_severity = Severity::high;      ///< alerts this severe go through at night
};

struct LifecycleConfig {
  Duration follow_up = 24h;                       ///< after "answered", remind to ask the customer; 0: off
  Duration telegram_poll_timeout = 50s;           ///< getUpdates long-poll timeout
  std::string slack_actions_path = "/slack/actions";  ///< on [daemon].listen: Slack's interactivity URL
};

struct SmtpConfig {
  bool enabled = false;                           ///< an [smtp] section was given
  std::string host;
  int port = 0;                                   ///< 0: by security (587 starttls, 465 tls, 25 none)
  std::string security = "starttls";              ///< "starttls" | "tls" | "none" (loopback only)
  std::string username;                           ///< "": no AUTH
  Secret password;
  std::string from;                               ///< "Otklik <otklik@example.org>" or a bare address
  std::string helo;                               ///< EHLO name; "": the host's name
  Duration timeout = 30s;                         ///< per command (connect, TLS, each reply)
  std::string ca_file;                            ///< extra CA bundle: [http].ca_file, set by the loader
};

/// One recipient list of the weekly digest and the brands it covers (empty: all).
struct DigestAudience {
  std::vector<std::string> to;
  std::vector<std::string> brands;
  int line = 0;
};

struct DigestConfig {
  bool enabled = false;                           ///< a [digest] section was given
  int day = 1;                                    ///< ISO weekday to send on (1 = monday)
  int time_minutes = 9 * 60;                      ///< local time to send at
  std::string timezone = "UTC";
  std::vector<DigestAudience> audiences;          ///< [digest] to/brands first, then [[digest.list]]
  int top_mentions = 10;                          ///< how many top negative mentions to list
  std::optional<std::string> locale;              ///< overrides [daemon].locale
};

/// [topics]: the taxonomy of complaint topics (understanding/topics.hpp).
struct TopicsConfig {
  bool builtin = true;                ///< start from the built-in taxonomy (config/topics/topics.toml)
  std::vector<std::string> files;     ///< user topic files, absolute paths, applied in order
  std::vector<std::string> disable;   ///< topic ids left out
};

/// [understanding]: what alerts say beyond the sentiment.
struct UnderstandingConfig {
  bool claims = true;                 ///< list a complaint's claims, numbered
  bool hints = true;                  ///< response hints per topic under the alert
  int max_claims = 10;
  Duration repeat_window = std::chrono::hours(24 * 30);  ///< how far back a repeat author is looked up
};

/// [spikes]: unusual negative volume per brand and topic.
struct SpikesConfig {
  bool enabled = true;
  Duration window = std::chrono::hours(3);      ///< the sliding window counted
  int baseline_weeks = 4;                       ///< how many previous weeks form the usual level
  int min_count = 5;                            ///< fewer negatives in the window are never a spike
  double min_ratio = 3.0;                       ///< and at least this many times the usual level
  Duration check_interval = std::chrono::minutes(10);  ///< how often active spikes are re-checked
  std::vector<std::string> channels;            ///< empty: the channels routed for the brand
};

/// [source_health]: sources that stop yielding items or serve captcha / ban pages.
struct SourceHealthConfig {
  int empty_polls = 5;                          ///< successful polls in a row with no items; 0: off
  std::vector<std::string> channels;            ///< where notices go; empty: every non-email channel
};

/// [web]: the team's web inbox served by the daemon (docs/web.md). Off unless `listen` is set.
struct WebConfig {
  /// Address to serve on, "HOST:PORT" (IP literal or localhost; "0.0.0.0:8080" for every
  /// interface); "" = no web inbox. Separate from [daemon] listen (metrics stay on loopback).
  std::string listen;
  /// HTTPS directly: PEM certificate chain and private key files (relative: to the config's
  /// folder). Both or neither; without them serve plain HTTP behind a TLS reverse proxy.
  std::string tls_certificate;
  std::string tls_key;
  Duration session_idle = 12h;          ///< a session unused this long ends
  Duration session_lifetime = 168h;     ///< a session ends this long after sign-in, used or not
  /// Cookies carry `Secure` (the browser sends them over HTTPS, and to http://localhost, only).
  /// Turn off only for a trusted network without TLS.
  bool secure_cookies = true;
  /// Sign-in by a trusted reverse proxy: the request header naming the user ("X-Remote-User");
  /// "" = off. Honoured only from `trusted_proxies`; the user must exist (`otklik user add`).
  std::string proxy_user_header;
  std::vector<std::string> trusted_proxies;  ///< IP addresses or CIDR blocks ("10.0.0.0/8")
  int login_attempts = 5;               ///< failed sign-ins per user name within login_window
  int login_attempts_per_address = 20;  ///< failed sign-ins per client address within login_window
  Duration login_window = 15min;
  int max_connections = 256;            ///< open connections at most (live pages included)
  int max_live_clients = 100;           ///< open live-update streams (server-sent events) at most
  int page_size = 50;                   ///< inbox rows per page (1..200)
};

/// [replies]: answer drafts and answers published on the sites (docs/replies.md).
struct RepliesConfig {
  bool enabled = true;                ///< Reply buttons and drafts on negative alerts
  /// A folder of the team's templates, one "<locale>.toml" per language (copy config/replies/
  /// and edit); "" = the built-in ones. Relative: to the config's folder.
  std::string templates;
  std::vector<std::string> deny;      ///< more phrases a draft and a posted answer must never hold
  /// Web inbox users (`otklik user add`) who may publish an answer from the case page.
  std::vector<std::string> web_users;
};

struct Config {
  std::filesystem::path path;        ///< the file this was loaded from
  DaemonConfig daemon;
  StoreConfig store;
  HttpConfig http;
  SentimentConfig sentiment;
  std::vector<BrandConfig> brands;
  std::vector<SourceConfig> sources;
  std::vector<ChannelConfig> channels;
  std::vector<RouteConfig> routes;
  CalendarConfig calendar;
  SlaConfig sla;
  QuietHoursConfig quiet_hours;
  LifecycleConfig lifecycle;
  SmtpConfig smtp;
  DigestConfig digest;
  TopicsConfig topics;
  UnderstandingConfig understanding;
  SpikesConfig spikes;
  SourceHealthConfig source_health;
  WebConfig web;
  RepliesConfig replies;

  [[nodiscard]] const SourceConfig* find_source(std::string_view name) const;
  [[nodiscard]] const ChannelConfig* find_channel(std::string_view name) const;
  [[nodiscard]] const BrandConfig* find_brand(std::string_view name) const;
};

std::string_view to_string(Severity s) noexcept;
std::optional<Severity> parse_severity(std::string_view s) noexcept;

/// `[[source]] label` by source name, for alerts.
std::map<std::string, std::string, std::less<>> source_labels(const Config& config);

/// Every secret value the config holds (bot tokens, API keys, webhook URLs, signing secrets, the
/// SMTP password, the store's URL and its password): what the redactor hides in logs, stored
/// errors and notices.
std::vector<std::string> secret_values(const Config& config);

}  // namespace otklik
