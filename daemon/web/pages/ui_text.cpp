#include "daemon/web/pages/ui_text.hpp"

#include "daemon/core/plural.hpp"
#include "daemon/web/pages/format.hpp"

#include <array>
#include <cstddef>

namespace otklik::web {
namespace {

struct Entry {
  Text key;
  std::string_view ru;
  std::string_view en;
};

// In the order of the enum: a static_assert below keeps it so.
constexpr std::array kTable{
    Entry{Text::nav_inbox, "Входящие", "Inbox"},
    Entry{Text::nav_sources, "Источники", "Sources"},
    Entry{Text::nav_overview, "Обзор", "Overview"},
    Entry{Text::nav_digest, "Дайджест", "Digest"},
    Entry{Text::nav_users, "Пользователи", "Users"},
    Entry{Text::sign_out, "Выйти", "Sign out"},
    Entry{Text::sign_out_all, "Выйти везде", "Sign out everywhere"},
    Entry{Text::skip_to_content, "К содержимому", "Skip to content"},
    Entry{Text::times_in_zone, "Время указано в поясе", "Times are in the zone"},
    Entry{Text::login_title, "Вход", "Sign in"},
    Entry{Text::login_user, "Имя", "User name"},
    Entry{Text::login_password, "Пароль", "Password"},
    Entry{Text::login_submit, "Войти", "Sign in"},
    Entry{Text::login_bad_credentials, "Неверное имя или пароль.", "Wrong user name or password."},
    Entry{Text::login_too_many, "Слишком много попыток. Попробуйте позже.", "Too many attempts. Try again later."},
    Entry{Text::login_expired, "Сеанс истёк. Войдите снова.", "The session has expired. Sign in again."},
    Entry{Text::label_negative, "Негатив", "Negative"},
    Entry{Text::label_neutral, "Нейтрально", "Neutral"},
    Entry{Text::label_positive, "Позитив", "Positive"},
    Entry{Text::state_new, "Новый", "New"},
    Entry{Text::state_taken, "Взят", "Taken"},
    Entry{Text::state_answered, "Отвечен", "Answered"},
    Entry{Text::state_resolved, "Решён", "Resolved"},
    Entry{Text::state_dismissed, "Не негатив", "Not negative"},
    Entry{Text::state_none, "Без кейса", "No case"},
    Entry{Text::severity_low, "Низкая", "Low"},
    Entry{Text::severity_medium, "Средняя", "Medium"},
    Entry{Text::severity_high, "Высокая", "High"},
    Entry{Text::inbox_title, "Входящие", "Inbox"},
    Entry{Text::filter_brand, "Бренд", "Brand"},
    Entry{Text::filter_source, "Источник", "Source"},
    Entry{Text::filter_label, "Тональность", "Sentiment"},
    Entry{Text::filter_severity, "Важность", "Severity"},
    Entry{Text::filter_state, "Кейс", "Case"},
    Entry{Text::filter_topic, "Тема", "Topic"},
    Entry{Text::filter_rating_min, "Оценка от", "Rating from"},
    Entry{Text::filter_rating_max, "Оценка до", "Rating to"},
    Entry{Text::filter_from, "С даты", "From"},
    Entry{Text::filter_to, "По дату", "To"},
    Entry{Text::filter_search, "Поиск", "Search"},
    Entry{Text::filter_any, "Все", "Any"},
    Entry{Text::filter_apply, "Показать", "Apply"},
    Entry{Text::filter_reset, "Сбросить", "Reset"},
    Entry{Text::col_time, "Время", "Time"},
    Entry{Text::col_where, "Где", "Where"},
    Entry{Text::col_rating, "Оценка", "Rating"},
    Entry{Text::col_status, "Статус", "Status"},
    Entry{Text::col_mention, "Упоминание", "Mention"},
    Entry{Text::no_rows, "Ничего не найдено.", "Nothing matches."},
    Entry{Text::older, "Раньше", "Older"},
    Entry{Text::team_says, "Команда", "Team"},
    Entry{Text::live_connected, "Новые появляются сами", "New alerts appear live"},
    Entry{Text::live_reconnecting, "Переподключение…", "Reconnecting…"},
    Entry{Text::open_case, "Открыть", "Open"},
    Entry{Text::no_rating, "без оценки", "no rating"},
    Entry{Text::case_title, "Упоминание", "Mention"},
    Entry{Text::author, "Автор", "Author"},
    Entry{Text::rating, "Оценка", "Rating"},
    Entry{Text::original, "Открыть на сайте", "Open on the site"},
    Entry{Text::claims, "Претензии", "Claims"},
    Entry{Text::topics, "Темы", "Topics"},
    Entry{Text::why_title, "Почему такая оценка", "Why it scored so"},
    Entry{Text::why_terms, "Слова, которые повлияли", "Terms that drove it"},
    Entry{Text::why_sentences, "Самые негативные предложения", "The most negative sentences"},
    Entry{Text::score, "Оценка тональности", "Score"},
    Entry{Text::company_reply, "Ответ компании", "The company's reply"},
    Entry{Text::earlier_title, "Как в прошлый раз: автор писал раньше", "As last time: the author wrote before"},
    Entry{Text::timeline, "История кейса", "Case timeline"},
    Entry{Text::no_case, "Кейс не открывался.", "No case was opened."},
    Entry{Text::no_events, "Событий нет.", "No events."},
    Entry{Text::actions, "Действия", "Actions"},
    Entry{Text::act_take, "Беру", "Take"},
    Entry{Text::act_answer, "Ответили", "Answered"},
    Entry{Text::act_resolve, "Решено", "Resolved"},
    Entry{Text::act_dismiss, "Не негатив", "Not negative"},
    Entry{Text::act_reopen, "Вернуть", "Reopen"},
    Entry{Text::relabel_title, "Исправить тональность", "Correct the label"},
    Entry{Text::relabel_to_neutral, "Это не негатив", "Not negative"},
    Entry{Text::relabel_to_negative, "Это негатив", "This is negative"},
    Entry{Text::relabel_history, "Исправления", "Corrections"},
    Entry{Text::no_relabels, "Исправлений нет.", "No corrections."},
    Entry{Text::ev_open, "Оповещение отправлено", "Alerted"},
    Entry{Text::ev_escalate, "Эскалация", "Escalation"},
    Entry{Text::ev_follow_up, "Напоминание уточнить у клиента", "Follow-up reminder"},
    Entry{Text::ev_unchanged, "без изменений", "no change"},
    Entry{Text::reply_title, "Ответ", "Reply"},
    Entry{Text::reply_to, "Ответ будет опубликован:", "The reply is posted to:"},
    Entry{Text::reply_submit, "Опубликовать ответ", "Post the reply"},
    Entry{Text::repeated_topics, "Снова о том же", "Again about"},
    Entry{Text::scorer_label, "Оценка системы", "Scorer"},
    Entry{Text::team_label, "Исправлено командой", "Corrected by the team"},
    Entry{Text::severity_word, "Важность", "Severity"},
    Entry{Text::anonymous, "без имени", "anonymous"},
    Entry{Text::sources_title, "Источники", "Sources"},
    Entry{Text::col_source, "Источник", "Source"},
    Entry{Text::col_kind, "Тип", "Kind"},
    Entry{Text::col_last_success, "Последний успех", "Last success"},
    Entry{Text::col_failures, "Ошибок подряд", "Failures in a row"},
    Entry{Text::col_reason, "Причина", "Reason"},
    Entry{Text::col_broken_since, "Сломан с", "Broken since"},
    Entry{Text::col_next_poll, "Следующий опрос", "Next poll"},
    Entry{Text::poll_now, "Опросить сейчас", "Poll now"},
    Entry{Text::never, "никогда", "never"},
    Entry{Text::status_broken, "Сломан", "Broken"},
    Entry{Text::status_failing, "Ошибки", "Failing"},
    Entry{Text::status_ok, "Работает", "OK"},
    Entry{Text::no_sources, "Источников нет.", "No sources."},
    Entry{Text::overview_title, "Обзор", "Overview"},
    Entry{Text::chart_per_day, "Негатив по дням", "Negatives per day"},
    Entry{Text::chart_per_week, "Негатив по неделям", "Negatives per week"},
    Entry{Text::chart_topics_per_day, "Темы негатива по дням", "Topics of negatives per day"},
    Entry{Text::chart_top_topics, "Главные темы за 7 дней", "Top topics of the last 7 days"},
    Entry{Text::to_take, "Время до «Беру»", "Time to take"},
    Entry{Text::to_answer, "Время до ответа", "Time to answer"},
    Entry{Text::median, "медиана", "median"},
    Entry{Text::p90, "90-й процентиль", "90th percentile"},
    Entry{Text::deadline, "срок", "deadline"},
    Entry{Text::open_cases, "Открытые кейсы", "Open cases"},
    Entry{Text::overdue_cases, "Просроченные", "Overdue"},
    Entry{Text::no_data, "Нет данных.", "No data."},
    Entry{Text::all_brands, "Все бренды", "All brands"},
    Entry{Text::no_brand, "Без бренда", "No brand"},
    Entry{Text::other_brands, "Остальные", "Others"},
    Entry{Text::over_deadline, "дольше срока", "over the deadline"},
    Entry{Text::cases_counted, "кейсов учтено", "cases counted"},
    Entry{Text::digest_title, "Дайджесты", "Digests"},
    Entry{Text::col_week, "Неделя", "Week"},
    Entry{Text::col_recipients, "Получатели", "Recipients"},
    Entry{Text::col_state, "Состояние", "State"},
    Entry{Text::col_sent_at, "Отправлен", "Sent at"},
    Entry{Text::col_attempts, "Попыток", "Attempts"},
    Entry{Text::digest_preview, "Предпросмотр текущей недели", "Preview of the current week"},
    Entry{Text::digest_pending, "Ожидает", "Pending"},
    Entry{Text::digest_sent, "Отправлен", "Sent"},
    Entry{Text::digest_failed, "Ошибка", "Failed"},
    Entry{Text::no_digests, "Дайджестов ещё не было.", "No digest was sent yet."},
    Entry{Text::users_title, "Пользователи", "Users"},
    Entry{Text::col_user, "Имя", "Name"},
    Entry{Text::col_role, "Роль", "Role"},
    Entry{Text::col_created, "Создан", "Created"},
    Entry{Text::col_updated, "Изменён", "Updated"},
    Entry{Text::role_viewer, "Читатель", "Viewer"},
    Entry{Text::role_agent, "Агент", "Agent"},
    Entry{Text::role_admin, "Администратор", "Admin"},
    Entry{Text::no_users, "Пользователей нет.", "No users."},
    Entry{Text::error_403, "Нет доступа.", "Not allowed."},
    Entry{Text::error_404, "Страница не найдена.", "Page not found."},
    Entry{Text::error_500, "Что-то пошло не так. Подробности в журнале демона.",
          "Something went wrong. The daemon's log has the details."},
    Entry{Text::error_other, "Ошибка запроса.", "The request failed."},
    Entry{Text::back_to_inbox, "Вернуться во входящие", "Back to the inbox"},
};

constexpr bool in_enum_order() {
  for (std::size_t i = 0; i < kTable.size(); ++i)
    if (static_cast<std::size_t>(kTable[i].key) != i) return false;
  return kTable.size() == static_cast<std::size_t>(Text::count_);
}
static_assert(in_enum_order(), "kTable must list every Text key once, in the enum's order");

}  // namespace

Locale parse_locale(std::string_view s) noexcept { return s == "ru" ? Locale::ru : Locale::en; }

std::string_view tr(Locale locale, Text key) noexcept {
  const auto i = static_cast<std::size_t>(key);
  if (i >= kTable.size()) return {};
  return locale == Locale::ru ? kTable[i].ru : kTable[i].en;
}

std::string count_mentions(Locale locale, std::int64_t n) {
  const std::string number = format_int(n, locale);
  if (locale == Locale::ru) return number + " " + std::string(plural_ru(n, "упоминание", "упоминания", "упоминаний"));
  return number + (n == 1 ? " mention" : " mentions");
}

std::string repeat_summary(Locale locale, std::int64_t negatives, std::int64_t window_days) {
  const std::string n = format_int(negatives, locale), days = format_int(window_days, locale);
  if (locale == Locale::ru)
    return n + " " + std::string(plural_ru(negatives, "негативный отзыв", "негативных отзыва", "негативных отзывов")) +
           " за " + days + " " + std::string(plural_ru(window_days, "день", "дня", "дней"));
  return n + (negatives == 1 ? " negative mention" : " negative mentions") + " in " + days +
         (window_days == 1 ? " day" : " days");
}

std::string_view label_name(Locale locale, Label l) noexcept {
  switch (l) {
    case Label::negative: return tr(locale, Text::label_negative);
    case Label::neutral: return tr(locale, Text::label_neutral);
    case Label::positive: return tr(locale, Text::label_positive);
  }
  return {};
}

std::string_view state_name(Locale locale, std::string_view state) noexcept {
  if (state == "new") return tr(locale, Text::state_new);
  if (state == "taken") return tr(locale, Text::state_taken);
  if (state == "answered") return tr(locale, Text::state_answered);
  if (state == "resolved") return tr(locale, Text::state_resolved);
  if (state == "dismissed") return tr(locale, Text::state_dismissed);
  if (state == "none" || state.empty()) return tr(locale, Text::state_none);
  return state;
}

std::string_view severity_name(Locale locale, std::string_view severity) noexcept {
  if (severity == "low") return tr(locale, Text::severity_low);
  if (severity == "medium") return tr(locale, Text::severity_medium);
  if (severity == "high") return tr(locale, Text::severity_high);
  return severity;
}

std::string_view role_name(Locale locale, WebRole r) noexcept {
  switch (r) {
    case WebRole::viewer: return tr(locale, Text::role_viewer);
    case WebRole::agent: return tr(locale, Text::role_agent);
    case WebRole::admin: return tr(locale, Text::role_admin);
  }
  return {};
}

std::string_view action_name(Locale locale, CaseAction a) noexcept {
  switch (a) {
    case CaseAction::take: return tr(locale, Text::act_take);
    case CaseAction::answer: return tr(locale, Text::act_answer);
    case CaseAction::resolve: return tr(locale, Text::act_resolve);
    case CaseAction::dismiss: return tr(locale, Text::act_dismiss);
    case CaseAction::reopen: return tr(locale, Text::act_reopen);
  }
  return {};
}

}  // namespace otklik::web
