#pragma once
/// The Source of the generic types: one conditional GET of the configured URL, then a pure parse
/// function over the body (rss, html or json).

#include "sources/generic/parsed_page.hpp"
#include "sources/source.hpp"

#include <functional>
#include <string>

namespace otklik {

/// A pure parse function bound to its options.
using PageParser = std::function<Result<ParsedPage>(const ParseInput&)>;

class FeedSource final : public Source {
 public:
  /// `accept` is sent as the Accept header (e.g. "application/json").
  FeedSource(SourceConfig config, PageParser parser, std::string accept);

  [[nodiscard]] const SourceConfig& config() const override { return config_; }

  /// GET with If-None-Match / If-Modified-Since from `ctx.state`. 304 → not_modified (the
  /// validators are kept); another non-2xx → status_failure(); transport failures as returned by
  /// the client; a body that does not parse → parse_failed. The Content-Type charset and the final
  /// URL (after redirects) are passed to the parser.
  boost::asio::awaitable<Result<PollResult>> poll(PollContext ctx) override;

 private:
  SourceConfig config_;
  PageParser parser_;
  std::string accept_;
};

}  // namespace otklik
