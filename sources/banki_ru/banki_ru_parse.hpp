#pragma once
/// The banki.ru preset: a bank's responses («Отзывы о банках») from the JSON list behind
/// https://www.banki.ru/services/responses/bank/BANK_CODE/ ,
///   GET https://www.banki.ru/services/responses/list/ajax/?page=N&is_countable=on&bank=BANK_CODE
/// (sent by the site's script with X-Requested-With: XMLHttpRequest), newest first:
///   {"data": [{"id": 10721721, "title": "…", "text": "<p>…</p>", "grade": 1 (1–5, or null when the
///     author gave none), "dateCreate": "2026-11-23 10:15:00" (Moscow time, UTC+3 all year),
///     "userName": "…", "agentAnswerText": "<p>…</p>" (the bank's official answer, absent or empty
///     when none), "isCountable": true, "resolutionIsApproved": null, "commentCount": 4,
///     "company": {"id", "code", "name", "url"}}, …],
///    "hasMorePages": true, "total": …}
/// One response is at https://www.banki.ru/services/responses/bank/response/ID/ . Pure.

#include "daemon/core/error.hpp"
#include "sources/generic/parsed_page.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// Parses one page of the list: external_id = the response id, url = the response's page, title and
/// text (HTML reduced), author = userName, rating = grade (1–5), published = dateCreate taken as
/// Moscow time, company_reply = agentAnswerText. Responses without text are skipped with a warning.
/// A body that is not JSON or has no "data" array → parse_failed; "data": [] → an empty page.
Result<ParsedPage> parse_banki_ru(const ParseInput& input);

/// `url` with page=N+1 while the body says "hasMorePages": true; nullopt otherwise.
std::optional<std::string> next_banki_ru_page(std::string_view url, std::string_view body, const ParsedPage& page);

/// https://www.banki.ru/services/responses/list/ajax/?page=1&is_countable=on&bank=BANK_CODE
/// (the code as in the bank's page address, e.g. "tcs"; percent-encoded).
std::string banki_ru_url(std::string_view bank_code);

/// The page of one response: https://www.banki.ru/services/responses/bank/response/ID/ .
std::string banki_ru_response_url(std::string_view id);

}  // namespace otklik
