#include "daemon/app/source_health.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

namespace otklik {

namespace {
/// broken_reason of a source whose key was refused, so that the web page and the digest say why.
constexpr std::string_view kRejectedPrefix = "credentials rejected: ";
}  // namespace

HealthStep track_health(SourceState& state, const PollOutcome& outcome, int empty_limit, TimePoint now) {
  HealthStep step;
  const bool broken = state.broken_since.has_value();
  if (!outcome.ok) {
    if (!outcome.blocked.empty() && !broken) {
      state.broken_since = now;
      state.broken_reason = outcome.blocked;
      step = {HealthChange::broken, outcome.blocked};
    } else if (!outcome.rejected.empty() && !broken) {
      state.broken_since = now;
      state.broken_reason = std::string(kRejectedPrefix) + outcome.rejected;
      step = {HealthChange::broken, state.broken_reason, true};
    }
    return step;  // other failures are counted by consecutive_failures, metrics and logs
  }
  // A key accepted again is a recovery whatever the answer holds (a shop may have no reviews).
  const bool was_rejected = broken && state.broken_reason.starts_with(kRejectedPrefix);
  if (outcome.not_modified && !was_rejected) return step;
  if (outcome.items > 0 || was_rejected) {
    state.empty_polls = 0;
    if (broken) {
      state.broken_since.reset();
      state.broken_reason.clear();
      step.change = HealthChange::recovered;
    }
    return step;
  }
  state.empty_polls += 1;
  if (empty_limit > 0 && state.empty_polls >= empty_limit && !broken) {
    state.broken_since = now;
    state.broken_reason = fmt::format("no items in {} polls in a row", state.empty_polls);
    step = {HealthChange::broken, state.broken_reason};
  }
  return step;
}

std::vector<std::string> health_channels(const Config& config) {
  if (!config.source_health.channels.empty()) return config.source_health.channels;
  std::vector<std::string> out;
  for (const auto& ch : config.channels)
    if (ch.type != "email") out.push_back(ch.name);
  return out;
}

SourceHealthPolicy make_health_policy(const Config& config) {
  return {config.source_health.empty_polls, health_channels(config), config.daemon.locale};
}

namespace {

bool english(std::string_view locale) { return locale.substr(0, 2) == "en"; }

}  // namespace

std::string health_notice(const SourceConfig& source, const HealthStep& step, const SourceState& state,
                          std::size_t items, std::string_view locale) {
  std::string title;
  std::string text;
  const bool en = english(locale);
  const bool empty = state.empty_polls > 0 && step.reason.rfind("no items", 0) == 0;
  if (step.change == HealthChange::broken) {
    if (empty) {
      title = en ? fmt::format("Source \"{}\" stopped finding reviews", source.name)
                 : fmt::format("Источник «{}» перестал находить отзывы", source.name);
      text = en ? fmt::format("{} successful polls in a row found no items. The page's layout may have changed "
                              "(the selectors no longer find reviews), or the site may be blocking us. "
                              "Check {} in a browser. Otklik keeps polling and will say when items come back.",
                              state.empty_polls, source.url)
                : fmt::format("{} успешных опросов подряд без единого отзыва. Селекторы больше не находят отзывы "
                              "(сайт поменял вёрстку), или нас заблокировали. Откройте {} в браузере. "
                              "Otklik продолжает опрашивать источник и сообщит, когда отзывы снова появятся.",
                              state.empty_polls, source.url);
    } else if (step.rejected) {
      title = en ? fmt::format("Source \"{}\": the API rejected the credentials", source.name)
                 : fmt::format("Источник «{}»: API не принимает ключ", source.name);
      text = en ? fmt::format("{}. Nothing is read until the key or token is renewed in the config (and the "
                              "daemon reloaded); Otklik keeps trying and will say when it works again.",
                              step.reason)
                : fmt::format("{}. Пока ключ или токен не заменён в конфигурации (и демон не перечитал её), отзывы "
                              "не читаются; Otklik продолжает попытки и сообщит, когда источник снова заработает.",
                              step.reason);
    } else {
      title = en ? fmt::format("Source \"{}\" is blocked: {}", source.name, step.reason)
                 : fmt::format("Источник «{}» заблокирован: {}", source.name, step.reason);
      text = en ? fmt::format("The site answered with a {} instead of reviews, so nothing was read. Otklik keeps "
                              "polling with longer pauses; the reviews are collected once access returns. If it "
                              "lasts, lengthen the source's interval or check {}.",
                              step.reason, source.url)
                : fmt::format("Сайт вместо отзывов отдаёт {} — ничего не прочитано. Otklik продолжает опрашивать "
                              "с увеличенными паузами и соберёт отзывы, когда доступ вернётся. Если это надолго — "
                              "увеличьте интервал источника или проверьте {}.",
                              step.reason, source.url);
    }
  } else if (step.change == HealthChange::recovered) {
    title = en ? fmt::format("Source \"{}\" works again", source.name)
               : fmt::format("Источник «{}» снова работает", source.name);
    text = en ? fmt::format("The last poll found {} items.", items)
              : fmt::format("Последний опрос нашёл отзывов: {}.", items);
  }
  return boost::json::serialize(boost::json::object{{"title", title}, {"text", text}});
}

}  // namespace otklik
