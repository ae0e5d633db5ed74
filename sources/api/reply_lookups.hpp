#pragma once
/// The company's answers of reviews whose list only says how many comments each has (Ozon's
/// comments_amount, Yandex Market's commentsCount): each such review's comments are looked up once
/// per change of that count, at most `max_lookups` a poll, and kept between polls, so that a poll
/// asks only about what changed.

#include "daemon/core/error.hpp"
#include "sources/api/api_client.hpp"
#include "sources/source.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace otklik {

struct ReplyLookupSite {
  std::function<ApiCall(const std::string& id)> call;                 ///< the comments of one review
  std::function<Result<std::string>(std::string_view body)> parse;    ///< the company's answer in them ("" = none)
  std::string noun = "review";                                        ///< "review", "feedback": for warnings
  int max_lookups = 30;
};

class ReplyLookups {
 public:
  explicit ReplyLookups(ReplyLookupSite site);

  /// Sets company_reply on every mention of `out` listed in `commented` (id → count of comments):
  /// from the last poll when the count is unchanged, else looked up. A refused key is returned
  /// (the poll fails: the key was accepted a moment ago, so this is news); other failures become
  /// warnings and leave the answer known so far; a 429 stops the lookups of this poll. Answers of
  /// reviews not in this poll are forgotten (looked up again if they come back).
  boost::asio::awaitable<std::optional<Failure>> fill(ApiClient& client, ApiContext& ctx,
                                                      const std::map<std::string, int>& commented, PollResult& out);

 private:
  struct Reply {
    int comments = 0;
    std::string text;
  };
  ReplyLookupSite site_;
  std::map<std::string, Reply> replies_;
};

}  // namespace otklik
