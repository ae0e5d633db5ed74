#include "tests/support/store/seed_history.hpp"

#include "daemon/understanding/author.hpp"

#include <algorithm>
#include <array>

namespace otklik::test {
namespace {

constexpr std::array kFirst{"Анна", "Иван", "Мария", "Павел", "Ольга", "Sergey", "Elena", "John", "Kate", "Дмитрий"};
constexpr std::array kLast{"Петрова", "Смирнов", "Кузнецова", "Попов", "Васильева", "Ivanov", "Smith", "Orlova",
                           "Brown", "Соколов"};

constexpr std::array kNegative{
    "Ждал в очереди больше часа, никто не подошёл. Ужасное обслуживание.",
    "Списали деньги дважды и третью неделю не возвращают. Поддержка отвечает шаблонами.",
    "Менеджер нахамил и отказался объяснить условия. Больше не приду.",
    "Waited two hours on hold and the agent hung up on me. Terrible support.",
    "They charged my card twice and nobody answers the phone. Never again.",
};
constexpr std::array kOther{
    "Всё прошло быстро, сотрудник вежливый, спасибо.",
    "Обычное отделение, очередь небольшая.",
    "Quick service and a friendly manager, thank you.",
    "The app works, nothing special.",
};

}  // namespace

std::string seed_author(int i) {
  return std::string(kFirst[static_cast<std::size_t>(i) % kFirst.size()]) + " " +
         kLast[static_cast<std::size_t>(i / 10) % kLast.size()] + " " + std::to_string(i / 100);
}

Result<void> seed_history(SqliteStore& store, ManualClock& clock, TimePoint now, const SeedOptions& options,
                          const std::function<void(std::int64_t)>& progress) {
  const RunSql run_sql = [&store](const std::string& sql) { return store.database().exec(sql); };
  return seed_history(store, run_sql, clock, now, options, progress);
}

Result<void> seed_history(Store& store, const RunSql& run_sql, ManualClock& clock, TimePoint now,
                          const SeedOptions& o, const std::function<void(std::int64_t)>& progress) {
  using namespace std::chrono;
  const auto span = duration_cast<milliseconds>(hours(24 * 7) * std::max(o.weeks, 1));
  const std::int64_t n = std::max<std::int64_t>(o.mentions, 0);
  std::int64_t done = 0;
  while (done < n) {
    const std::int64_t end = std::min(n, done + std::max(o.batch, 1));
    // The batch happens at the time of its first mention (first seen then).
    const auto offset = span - span * done / std::max<std::int64_t>(n, 1);
    clock.set(now - offset);
    std::vector<IngestItem> items;
    items.reserve(static_cast<std::size_t>(end - done));
    for (std::int64_t i = done; i < end; ++i) {
      const bool negative = (i * 7919) % 100 < o.negative_percent;
      IngestItem item;
      Mention& m = item.mention;
      std::string number = std::to_string(i % std::max(o.sources, 1));
      if (static_cast<int>(number.size()) < o.source_width)
        number.insert(0, static_cast<std::size_t>(o.source_width) - number.size(), '0');
      m.source = o.source_prefix + number;
      m.external_id = "seed-" + std::to_string(i);
      m.url = "https://reviews.example/" + std::to_string(i);
      const int author = static_cast<int>((i * 104729) % std::max(o.authors, 1));
      m.author = seed_author(author);
      m.title = negative ? "Жалоба" : "Отзыв";
      m.text = negative ? kNegative[static_cast<std::size_t>(i) % kNegative.size()]
                        : kOther[static_cast<std::size_t>(i) % kOther.size()];
      m.rating = negative ? 1.0 : 4.0;
      m.published = now - span + span * i / std::max<std::int64_t>(n, 1);
      m.fetched = clock.now();
      m.brand = o.brand;
      item.sentiment.label = negative ? Label::negative : Label::positive;
      item.sentiment.score = negative ? -0.7 : 0.6;
      item.sentiment.confidence = 0.8;
      item.sentiment.lang = Lang::ru;
      if (negative) {
        item.sentiment.sentences = {{0, m.text.size(), -0.7, Label::negative}};
        item.sentiment.why = {{"ужасное", -0.7}};
        item.understanding.topics = {i % 2 == 0 ? "waiting" : "money"};
        item.policy.alerts = {{o.channel, "alert", "", std::nullopt}};
        item.policy.severity = "high";
      }
      item.understanding.author_name_key = understanding::author_keys(m.source, m.author, m.author_id).name_key;
      items.push_back(std::move(item));
    }
    auto stored = store.ingest_batch(items);
    if (!stored) return stored.error();
    for (const auto& r : *stored)
      if (!r) return r.error();
    // The alerts went out: delivered, so the outbox holds the history of sent rows.
    for (;;) {
      auto leased = store.lease(o.channel, clock.now() + hours(1), seconds(60), 500);
      if (!leased) return leased.error();
      if (leased->empty()) break;
      for (const auto& row : *leased)
        if (auto r = store.mark_sent(row.id, std::to_string(row.id), clock.now()); !r) return r.error();
    }
    // The team worked most cases: answered and resolved a day after they opened.
    const std::string resolve = "UPDATE cases SET state = 'resolved', check_at = NULL, "
                                "answered_by_platform = 'telegram', answered_by_id = '1', answered_by_name = '@agent', "
                                "answered_at = created_at + 86400000, resolved_by_platform = 'telegram', "
                                "resolved_by_id = '1', resolved_by_name = '@agent', resolved_at = created_at + 86400000 "
                                "WHERE state = 'new' AND mention_id % 100 >= " +
                                std::to_string(std::clamp(o.open_percent, 0, 100));
    if (auto r = run_sql(resolve); !r) return r.error();
    done = end;
    if (progress) progress(done);
  }
  clock.set(now);
  return {};
}

}  // namespace otklik::test
