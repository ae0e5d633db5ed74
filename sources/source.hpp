#pragma once
/// A Source knows how to fetch (and page through) one kind of place and turn its bytes into
/// Mentions through a pure parse function. It never decides what is negative or who is told.

#include "daemon/config/config.hpp"
#include "daemon/config/config_load.hpp"
#include "daemon/core/error.hpp"
#include "daemon/core/mention.hpp"
#include "daemon/net/http_client.hpp"
#include "daemon/store/source_state_store.hpp"
#include "sources/api/reply_poster.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace otklik {

/// What one poll needs besides the source's own config.
struct PollContext {
  HttpClient& http;
  const SourceState& state;   ///< etag / last_modified / cursor from the previous poll
  TimePoint now;
  std::string user_agent;     ///< the effective User-Agent for this source
  /// Where parsing runs (a worker pool), so that a big page never holds the event loop; empty:
  /// inline on the caller's thread.
  boost::asio::any_io_executor work{};
};

struct PollResult {
  std::vector<Mention> mentions;  ///< newest first or in page order; the pipeline does not care
  bool not_modified = false;      ///< the server answered 304: nothing new
  /// The first page is byte for byte the one whose items were all stored last time
  /// (SourceState::page_digest): nothing new, nothing parsed. `mentions` is empty.
  bool unchanged = false;
  /// The first page's digest when this poll read all it had to (for SourceState::page_digest);
  /// "" when a later page failed, or for a source that does not compute one.
  std::string page_digest;
  std::string etag;               ///< to keep for the next poll ("" = none)
  std::string last_modified;
  std::string cursor;             ///< paging state to keep (presets)
  std::vector<std::string> warnings;  ///< items skipped and why (logged, counted)
};

class Source {
 public:
  virtual ~Source() = default;
  [[nodiscard]] virtual const SourceConfig& config() const = 0;
  /// One poll. Failures are values (timeout, http_status, parse_failed, blocked …).
  virtual boost::asio::awaitable<Result<PollResult>> poll(PollContext ctx) = 0;
};

/// Describes a source type for `otklik sources` and for config validation.
struct SourceKey {
  std::string name;
  bool required = false;
  std::string description;
};

/// Whether a type uses the [[source]] `api_key` (a secret reference).
enum class ApiKeyUse { none, optional, required };

struct SourceType {
  std::string name;         ///< "rss", "html", "json", or a preset
  std::string description;
  std::vector<SourceKey> keys;  ///< type-specific keys (in [[source]] next to name/type/url…)
  /// Validates `source.options`; reports problems under `key_prefix`.
  std::function<void(const SourceConfig&, const std::string& key_prefix, ConfigProblems&)> validate;
  /// Builds the source; called only for a config that validated.
  std::function<std::unique_ptr<Source>(const SourceConfig&)> create;
  /// Presets that know their site: the first page's URL from the source's keys, so that `url` may
  /// be left out (when given, it wins: a mirror, a proxy). Null: the type needs `url`.
  std::function<std::string(const SourceConfig&)> build_url;
  /// The interval when the [[source]] sets none: polite for the site. nullopt: the daemon's 15m.
  std::optional<Duration> default_interval;
  ApiKeyUse api_key = ApiKeyUse::none;
  std::string paging;       ///< how it pages, for `otklik sources` ("" = one page)
  std::string site;         ///< the site as alerts name it ("Яндекс Карты"); "" for generic types
  /// Keys whose values are secrets (env:/file:), resolved into SourceConfig::secrets; also listed
  /// in `keys` for `otklik sources`.
  std::vector<SecretKeySpec> secrets;
  /// Sites that take the company's answers through their API (docs/replies.md): builds the
  /// poster for a validated source (sharing the source's client, token and budget). Null: the
  /// site takes no answers; an alert's Reply button then opens the review page. A type may
  /// return null for a config that cannot answer (Trustpilot without its business API keys).
  std::function<std::unique_ptr<ReplyPoster>(const SourceConfig&)> create_replier;
};

/// The source types known to this build. Implements SourceCatalog for the config loader.
class SourceRegistry final : public SourceCatalog {
 public:
  /// A registry with the generic types (rss, html, json) and every preset.
  static SourceRegistry with_builtin_types();

  void add(SourceType type);
  [[nodiscard]] const SourceType* find(std::string_view name) const;
  [[nodiscard]] const std::vector<SourceType>& types() const { return types_; }

  [[nodiscard]] bool known_type(std::string_view type) const override { return find(type) != nullptr; }
  void validate(const SourceConfig& source, const std::string& key_prefix,
                ConfigProblems& problems) const override;
  [[nodiscard]] bool builds_url(std::string_view type) const override;
  [[nodiscard]] std::string built_url(const SourceConfig& source) const override;
  [[nodiscard]] std::optional<Duration> default_interval(std::string_view type) const override;
  [[nodiscard]] std::string site_name(std::string_view type) const override;
  [[nodiscard]] std::vector<SecretKeySpec> secret_keys(std::string_view type) const override;
  [[nodiscard]] bool takes_replies(std::string_view type) const override;
  /// The poster for a validated source whose site takes answers; null otherwise.
  [[nodiscard]] std::unique_ptr<ReplyPoster> create_replier(const SourceConfig& source) const;
  /// Creates the source for a validated config; throws std::invalid_argument for an unknown type.
  [[nodiscard]] std::unique_ptr<Source> create(const SourceConfig& source) const;

 private:
  std::vector<SourceType> types_;
};

}  // namespace otklik
