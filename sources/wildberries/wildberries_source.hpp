#pragma once
/// The `wildberries` preset: a seller's feedbacks (or, with kind = "questions", customer questions)
/// through the official seller API, read with the seller's token.
///
/// Each poll reads two lists of the API, newest first: the unanswered one (page after page until a
/// feedback seen on the previous poll, the last page or max_pages; the first poll reads one page)
/// and the first page of the answered one, so that an answer given on the site comes back with its
/// text and closes the case. The answered list is ordered by the feedback's date, so an old
/// feedback answered today may be far down it: a feedback that was unanswered at the last poll
/// and is on neither list now is read by its id (a few per poll), when the whole unanswered list
/// was read. Every call uses one request budget per token (the API limits the whole category per
/// seller account).

#include "sources/api/api_client.hpp"
#include "sources/source.hpp"
#include "sources/wildberries/wildberries_api.hpp"
#include "sources/wildberries/wildberries_parse.hpp"

#include <memory>

namespace otklik {

/// The preset's settings, read from a validated config.
struct WildberriesSettings {
  WildberriesKind kind = WildberriesKind::feedbacks;
  WildberriesToken token = WildberriesToken::personal;
  std::string nm_id;      ///< one product only; "" for all
  int max_pages = 3;      ///< pages of the unanswered list per poll
  int answered_pages = 1; ///< pages of the answered list per poll
  std::size_t lookups = 3; ///< items read by id per poll (those that left the unanswered list)
};

/// How many ids of unanswered items the cursor keeps for the follow-up by id.
inline constexpr std::size_t kOpenIds = 200;

/// The ids of the items that were unanswered at the last poll (the cursor's "open" list).
std::vector<std::string> wildberries_open_ids(std::string_view cursor);

/// The cursor after a poll: {"seen": [the newest ids of each walk], "open": [unanswered ids]}
/// (seen_ids() reads "seen"); "" when both are empty.
std::string wildberries_cursor(const std::vector<const std::vector<Mention>*>& walks,
                               const std::vector<std::string>& open);

WildberriesSettings wildberries_settings(const SourceConfig& config);

class WildberriesSource final : public Source {
 public:
  WildberriesSource(SourceConfig config, BudgetBook& budgets);

  [[nodiscard]] const SourceConfig& config() const override { return config_; }
  boost::asio::awaitable<Result<PollResult>> poll(PollContext ctx) override;

 private:
  SourceConfig config_;
  WildberriesSettings settings_;
  ApiClient client_;
};

/// The source type: keys, validation, the official base URL, a 15-minute default interval.
SourceType wildberries_type(std::shared_ptr<BudgetBook> budgets);

}  // namespace otklik
