#pragma once
/// The Source of the generic types and the presets: a conditional GET of the configured URL, a pure
/// parse function over the body (rss, html, json, or a site's format), and for presets with pages
/// a walk through older pages (paged_poll.hpp).

#include "sources/generic/paging.hpp"
#include "sources/generic/parsed_page.hpp"
#include "sources/source.hpp"

#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace otklik {

/// A pure parse function bound to its options.
using PageParser = std::function<Result<ParsedPage>(const ParseInput&)>;

/// How a FeedSource fetches.
struct FeedOptions {
  std::string accept;                                        ///< the Accept header ("" = none)
  std::vector<std::pair<std::string, std::string>> headers;  ///< more request headers (an API's field mask)
  NextPageFn next_page;                                      ///< null: the site has one page
  int max_pages = 1;                                         ///< pages read in one poll at most
  /// A keyed API: the query parameter ("key", "access_token") and the key, added to every request
  /// and replaced by "***" in every error and warning.
  std::string key_param;
  std::string key_value;
  /// Or in a header instead ("Authorization" with key_prefix "Bearer "): never in the URL.
  std::string key_header;
  std::string key_prefix;
};

class FeedSource final : public Source {
 public:
  /// `accept` is sent as the Accept header (e.g. "application/json"); one page.
  FeedSource(SourceConfig config, PageParser parser, std::string accept);
  FeedSource(SourceConfig config, PageParser parser, FeedOptions options);

  [[nodiscard]] const SourceConfig& config() const override { return config_; }

  /// GET with If-None-Match / If-Modified-Since from `ctx.state`. 304 → not_modified (the
  /// validators are kept); another non-2xx → status_failure(); transport failures as returned by
  /// the client; a body that does not parse → parse_failed. The Content-Type charset and the final
  /// URL (after redirects) are passed to the parser. With a next-page step, older pages follow
  /// (paged_poll.hpp); a later page that fails ends the walk with a warning and keeps what was read.
  /// A parser's notice about a whole page (ParsedPage::notices) becomes a warning the first time
  /// its key is seen by this source, and never again: a site that keeps serving bad bytes is
  /// reported once, not on every poll.
  /// A first page equal to the one whose items were all stored last time (SourceState::
  /// page_digest: the body, the final URL and the Content-Type) is not parsed: `unchanged`.
  boost::asio::awaitable<Result<PollResult>> poll(PollContext ctx) override;

 private:
  /// The first page's digest, and whether it is the one stored last time (nothing parsed then).
  struct PageDigest {
    std::string value;
    bool same = false;
  };
  /// One page: GET, blocked/status checks, parse. `conditional` sends the validators of `ctx.state`.
  /// With `digest` (the first page), the page's digest is taken before parsing, and a page equal
  /// to `ctx.state.page_digest` is not parsed.
  boost::asio::awaitable<Result<std::pair<HttpResponse, ParsedPage>>> fetch_page(PollContext& ctx, const std::string& url,
                                                                                 bool conditional,
                                                                                 PageDigest* digest = nullptr);

  SourceConfig config_;
  PageParser parser_;
  FeedOptions options_;
  std::set<std::string> noticed_;  ///< the keys of page notices already reported
};

}  // namespace otklik
