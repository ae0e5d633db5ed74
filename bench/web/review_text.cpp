#include "bench/web/review_text.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

namespace otklik::bench {
namespace {

using Pick = std::uniform_int_distribution<std::size_t>;

template <typename List>
std::string_view pick(std::mt19937_64& rng, const List& list) {
  return list[Pick(0, list.size() - 1)(rng)];
}

struct Complaint {
  const char* topic;
  std::array<const char*, 3> ru;
  std::array<const char*, 3> en;
};

// Topic ids as in config/topics/topics.toml, in its order.
constexpr std::array kComplaints{
    Complaint{"rudeness",
              {"Сотрудница нахамила и отказалась объяснить условия.", "Менеджер разговаривал грубо и перебивал.",
               "Охранник на входе нагрубил без всякой причины."},
              {"The manager was rude and kept interrupting me.", "The staff were rude and refused to explain anything.",
               "The guard at the door was openly hostile."}},
    Complaint{"waiting",
              {"Простоял в очереди полтора часа, работало одно окно.", "Ждал в очереди больше часа, никто не подошёл.",
               "Талон электронной очереди взял в десять, приняли в двенадцать."},
              {"I waited in the queue for an hour and a half with one desk open.",
               "Waited two hours on hold before anyone answered.", "The queue did not move for forty minutes."}},
    Complaint{"unreachable",
              {"Горячая линия не отвечает, всё время занято.", "В чате поддержки никто не отвечает третий день.",
               "Дозвониться до поддержки невозможно, робот сбрасывает звонок."},
              {"The hotline never answers, it is always busy.", "Nobody replies in the support chat for three days now.",
               "It is impossible to reach support, the robot hangs up."}},
    Complaint{"canned_reply",
              {"Поддержка отвечает шаблонами и ничего не решает.", "Получил отписку вместо ответа на жалобу.",
               "Каждый раз пишут, что заявка в работе, и всё."},
              {"Support answers with canned replies and solves nothing.", "I got a form letter instead of an answer.",
               "Every time they say the ticket is being processed, and that is all."}},
    Complaint{"money",
              {"Списали деньги дважды и третью неделю не возвращают.", "Деньги за отменённый заказ так и не вернули.",
               "С карты списали оплату, а покупка не прошла."},
              {"They charged my card twice and refuse to refund the money.",
               "The refund for the cancelled order never arrived.", "The payment was taken but the purchase failed."}},
    Complaint{"fees",
              {"Взяли комиссию, о которой никто не предупреждал.", "В договоре оказались скрытые платежи.",
               "За обслуживание карты начали списывать деньги без уведомления."},
              {"They took a fee nobody told me about.", "The contract had hidden charges.",
               "A monthly card fee appeared without any notice."}},
    Complaint{"imposed",
              {"Навязали страховку при оформлении кредита.", "Без моего согласия подключили платную подписку.",
               "Отказаться от дополнительной услуги не дали."},
              {"They pushed an insurance policy on me with the loan.",
               "A paid subscription was switched on without my consent.", "I was not allowed to refuse the extra service."}},
    Complaint{"app_failure",
              {"Приложение вылетает при запуске после обновления.", "Сайт выдаёт ошибку при оплате уже неделю.",
               "В приложении не проходят переводы, висит загрузка."},
              {"The app crashes on start since the last update.", "The website shows an error at checkout for a week.",
               "Transfers in the app hang forever."}},
    Complaint{"blocked",
              {"Карту заблокировали без объяснений.", "Счёт заблокировали, а разблокировать обещают через месяц.",
               "Мою карту заблокировали прямо в отпуске."},
              {"My card was blocked without any explanation.", "They froze my account and promise to unblock it in a month.",
               "The card was blocked while I was abroad."}},
    Complaint{"delivery",
              {"Курьер опоздал на три часа и не позвонил.", "Заказ потерялся, доставка сорвана второй раз.",
               "Посылку неделю держат на складе."},
              {"The courier was three hours late and never called.", "The order got lost, the delivery failed twice.",
               "The parcel has been stuck at the warehouse for a week."}},
    Complaint{"quality",
              {"Качество ужасное, за такие деньги стыдно.", "Продукты оказались просроченными.",
               "Услугу оказали плохо, всё пришлось переделывать."},
              {"The quality is awful for the price.", "The groceries were past their date.",
               "The work was done badly and had to be redone."}},
    Complaint{"damaged",
              {"Привезли разбитую посуду и отказались менять.", "Товар пришёл с браком, коробка мятая.",
               "Телевизор доставили с трещиной на экране."},
              {"The dishes arrived broken and they refused to replace them.",
               "The item came defective in a crushed box.", "The TV was delivered with a cracked screen."}},
    Complaint{"misleading",
              {"На сайте одна цена, на кассе другая.", "Обещали кэшбэк, а по факту его нет.",
               "В рекламе одни условия, в договоре совсем другие."},
              {"The price on the website differs from the one at the till.", "They promised cashback and never paid it.",
               "The advert says one thing and the contract another."}},
};

constexpr std::array kRuPraise{
    "Всё прошло быстро, сотрудник вежливый, спасибо.", "Отличный сервис, менеджер всё понятно объяснила.",
    "Приложение удобное, переводы проходят мгновенно.", "Курьер приехал вовремя, всё аккуратно упаковано.",
    "Очень доволен, рекомендую друзьям.", "Вопрос решили за десять минут, спасибо поддержке.",
    "Приятный персонал и чистое отделение."};
constexpr std::array kEnPraise{
    "Quick service and a friendly manager, thank you.", "Excellent support, they solved my question in minutes.",
    "The app is handy and transfers are instant.", "The courier was on time and the parcel was packed well.",
    "Very happy, I recommend them to my friends.", "Polite staff and a clean branch."};
constexpr std::array kRuNeutral{
    "Обычное отделение, очередь небольшая.", "Зашёл уточнить условия вклада.", "Оформил карту, посмотрим, как будет.",
    "Цены как везде, ассортимент средний.", "Приложение работает, ничего особенного.",
    "Доставка заняла два дня, как и обещали."};
constexpr std::array kEnNeutral{
    "An ordinary branch, a short queue.", "Came in to ask about the deposit terms.",
    "The app works, nothing special.", "Prices are about average.", "Delivery took two days as promised."};

constexpr std::array kRuNegativeTitles{"Жалоба", "Ужасное обслуживание", "Больше не приду", "Верните деньги",
                                       "Это безобразие", "Разочарован", "Плохой сервис"};
constexpr std::array kEnNegativeTitles{"Complaint", "Terrible service", "Never again", "Give my money back",
                                       "Disappointed", "Awful experience"};
constexpr std::array kRuPraiseTitles{"Спасибо", "Всё хорошо", "Рекомендую", "Отличный сервис"};
constexpr std::array kEnPraiseTitles{"Thank you", "All good", "Recommended", "Great service"};
constexpr std::array kRuNeutralTitles{"Отзыв", "Впечатления", "Нормально", "Обычный визит"};
constexpr std::array kEnNeutralTitles{"Review", "My experience", "Fine", "An ordinary visit"};

constexpr std::array kRuClosing{"Больше не приду.", "Буду писать в Центробанк.", "Очень разочарован.",
                                "Ужасно.", "Отвратительно."};
constexpr std::array kEnClosing{"Never again.", "I will complain to the regulator.", "Very disappointed.",
                                "Terrible.", "Disgusting."};

// Streets: a few in many reviews, the tail in few (Zipf weights). The last one is the rare word.
constexpr std::array kRuStreets{
    "Ленина", "Тверской", "Мира", "Гагарина", "Садовой", "Пушкина", "Советской", "Кирова", "Московской", "Победы",
    "Лесной", "Школьной", "Новой", "Центральной", "Молодёжной", "Строителей", "Заречной", "Набережной", "Полевой",
    "Комсомольской", "Октябрьской", "Первомайской", "Пролетарской", "Луговой", "Зелёной", "Рабочей", "Солнечной",
    "Садовнической", "Вокзальной", "Береговой", "Чехова", "Горького", "Лермонтова", "Некрасова", "Толстого",
    "Маяковского", "Суворова", "Кутузова", "Жукова", "Чкалова", "Королёва", "Фрунзе", "Дзержинского", "Калинина",
    "Куйбышева", "Свердлова", "Маркса", "Энгельса", "Островского", "Крупской", "Шаболовки", "Полянки", "Покровки",
    "Маросейки", "Петровки", "Неглинной", "Моховой", "Знаменки", "Волхонки", "Пречистенки", "Остоженки", "Арбата",
    "Плющихи", "Таганской", "Марксистской", "Воронцовской", "Большой Ордынки", "Пятницкой", "Новокузнецкой",
    "Бахрушина", "Кожевнической", "Дубининской", "Павловской", "Люсиновской", "Мытной", "Донской", "Вавилова",
    "Профсоюзной", "Обручева", "Вернадского", "Удальцова", "Лобачевского", "Косыгина", "Мосфильмовской",
    "Пырьева", "Минской", "Кастанаевской", "Филёвской", "Кубинки", "Ярцевской", "Крылатской", "Осенней",
    "Рублёвки", "Маршала Тимошенко", "Академика Павлова", "Гришина", "Кременчугской", "Веерной", "Нежинской",
    "Староволынской", "Кривоколенного"};
constexpr std::array kEnStreets{
    "Main Street", "High Street", "Park Avenue", "Oak Street", "Maple Avenue", "Elm Street", "Church Road",
    "Station Road", "Mill Lane", "Victoria Road", "Green Lane", "King Street", "Queen Street", "Bridge Street",
    "Harbour Road", "Orchard Way", "Willow Crescent", "Chestnut Grove", "Fenwick Row", "Quillfeather Mews"};
constexpr std::array kRuStaff{"Анна", "Ольга", "Мария", "Елена", "Ирина", "Сергей", "Дмитрий", "Павел", "Алексей",
                              "Наталья", "Татьяна", "Виктор", "Юлия", "Константин"};
constexpr std::array kEnStaff{"Anna", "Mark", "Linda", "Steve", "Rachel", "Tom", "Grace", "Peter"};

std::size_t zipf_index(std::mt19937_64& rng, std::size_t n) {
  // Cumulative weights 1/(k+1)^1.1, drawn by bisection; computed once per list size.
  static thread_local std::vector<std::pair<std::size_t, std::vector<double>>> tables;
  const std::vector<double>* cumulative = nullptr;
  for (const auto& t : tables)
    if (t.first == n) cumulative = &t.second;
  if (!cumulative) {
    std::vector<double> c(n);
    double sum = 0;
    for (std::size_t k = 0; k < n; ++k) c[k] = sum += 1.0 / std::pow(static_cast<double>(k + 1), 1.1);
    tables.emplace_back(n, std::move(c));
    cumulative = &tables.back().second;
  }
  const double x = std::uniform_real_distribution<double>(0, cumulative->back())(rng);
  const auto it = std::lower_bound(cumulative->begin(), cumulative->end(), x);
  return std::min<std::size_t>(static_cast<std::size_t>(it - cumulative->begin()), n - 1);
}

bool chance(std::mt19937_64& rng, int percent) {
  return std::uniform_int_distribution<int>(0, 99)(rng) < percent;
}

/// A sentence of detail: where, who, which order (each word of it rarer than the phrases').
std::string detail(std::mt19937_64& rng, bool ru) {
  switch (std::uniform_int_distribution<int>(0, 3)(rng)) {
    case 0:
      return ru ? std::string("Отделение на улице ") + kRuStreets[zipf_index(rng, kRuStreets.size())] + "."
                : std::string("The branch on ") + kEnStreets[zipf_index(rng, kEnStreets.size())] + ".";
    case 1:
      return ru ? std::string("Имя сотрудника — ") + std::string(pick(rng, kRuStaff)) + "."
                : std::string("I was served by ") + std::string(pick(rng, kEnStaff)) + ".";
    case 2: {
      const auto order = std::uniform_int_distribution<int>(100000, 9999999)(rng);
      return ru ? "Заказ номер " + std::to_string(order) + "." : "Order number " + std::to_string(order) + ".";
    }
    default:
      return ru ? std::string("Был там в ") + std::to_string(std::uniform_int_distribution<int>(8, 20)(rng)) +
                      " часов."
                : std::string("I was there at ") + std::to_string(std::uniform_int_distribution<int>(8, 20)(rng)) +
                      " o'clock.";
  }
}

void append(std::string& text, std::string_view sentence) {
  if (!text.empty()) text += ' ';
  text += sentence;
}

}  // namespace

ReviewText make_review(std::mt19937_64& rng, ReviewKind kind, int russian_percent) {
  ReviewText r;
  r.russian = chance(rng, russian_percent);
  const bool ru = r.russian;
  if (kind == ReviewKind::negative) {
    r.title = ru ? pick(rng, kRuNegativeTitles) : pick(rng, kEnNegativeTitles);
    const int claims = std::uniform_int_distribution<int>(1, 3)(rng);
    std::vector<std::size_t> chosen;
    for (int c = 0; c < claims; ++c) {
      const std::size_t k = Pick(0, kComplaints.size() - 1)(rng);
      if (std::find(chosen.begin(), chosen.end(), k) != chosen.end()) continue;
      chosen.push_back(k);
      append(r.text, ru ? pick(rng, kComplaints[k].ru) : pick(rng, kComplaints[k].en));
    }
    std::sort(chosen.begin(), chosen.end());
    for (std::size_t k : chosen) r.topics.emplace_back(kComplaints[k].topic);
    if (chance(rng, 70)) append(r.text, detail(rng, ru));
    if (chance(rng, 50)) append(r.text, ru ? pick(rng, kRuClosing) : pick(rng, kEnClosing));
    r.rating = chance(rng, 70) ? 1 : 2;
  } else {
    const bool positive = kind == ReviewKind::positive;
    r.title = positive ? (ru ? pick(rng, kRuPraiseTitles) : pick(rng, kEnPraiseTitles))
                       : (ru ? pick(rng, kRuNeutralTitles) : pick(rng, kEnNeutralTitles));
    const int sentences = std::uniform_int_distribution<int>(1, 3)(rng);
    for (int s = 0; s < sentences; ++s)
      append(r.text, positive ? (ru ? pick(rng, kRuPraise) : pick(rng, kEnPraise))
                              : (ru ? pick(rng, kRuNeutral) : pick(rng, kEnNeutral)));
    if (chance(rng, 60)) append(r.text, detail(rng, ru));
    r.rating = positive ? (chance(rng, 70) ? 5 : 4) : (chance(rng, 50) ? 3 : 4);
  }
  return r;
}

SearchWords search_words() {
  return {"приложение", kRuStreets.back(), "карту заблокировали"};
}

}  // namespace otklik::bench
