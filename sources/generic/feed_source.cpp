#include "sources/generic/feed_source.hpp"

#include "sources/generic/block_page.hpp"
#include "sources/generic/url_util.hpp"

namespace otklik {

FeedSource::FeedSource(SourceConfig config, PageParser parser, std::string accept)
    : config_(std::move(config)), parser_(std::move(parser)), accept_(std::move(accept)) {}

boost::asio::awaitable<Result<PollResult>> FeedSource::poll(PollContext ctx) {
  HttpRequest request;
  request.url = config_.url;
  request.etag = ctx.state.etag;
  request.last_modified = ctx.state.last_modified;
  if (!ctx.user_agent.empty()) request.user_agent = ctx.user_agent;
  if (!accept_.empty()) request.headers.emplace_back("Accept", accept_);

  Result<HttpResponse> fetched = co_await ctx.http.fetch(std::move(request));
  if (!fetched) co_return fetched.error();
  const HttpResponse& response = *fetched;

  PollResult result;
  result.etag = std::string(response.header("ETag").value_or(""));
  result.last_modified = std::string(response.header("Last-Modified").value_or(""));
  if (response.not_modified()) {
    result.not_modified = true;
    // A 304 need not repeat the validators; keep the ones that produced it.
    if (result.etag.empty()) result.etag = ctx.state.etag;
    if (result.last_modified.empty()) result.last_modified = ctx.state.last_modified;
    co_return result;
  }
  // A captcha or ban page is "blocked", not a page without reviews (and not a plain HTTP error):
  // the source is reported once and backs off (Retry-After honoured).
  if (auto blocked = detect_block_page(response.status, response.header("Content-Type").value_or(""), response.body)) {
    Failure failure(errc::blocked, *blocked);
    if (auto status = status_failure(response, ctx.now)) failure.retry_after = status->retry_after;
    co_return failure;
  }
  if (auto failure = status_failure(response, ctx.now)) co_return *failure;

  ParseInput input;
  input.body = response.body;
  input.charset = charset_from_content_type(response.header("Content-Type").value_or(""));
  input.base_url = response.final_url.empty() ? config_.url : response.final_url;
  input.source = config_.name;
  input.brand = config_.brand;
  input.fetched = ctx.now;
  Result<ParsedPage> page = parser_(input);
  if (!page) {
    Failure failure = page.error();
    failure.detail = input.base_url + ": " + failure.detail;
    co_return failure;
  }
  result.mentions = std::move(page->mentions);
  result.warnings = std::move(page->warnings);
  co_return result;
}

}  // namespace otklik
