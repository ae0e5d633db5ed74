// Block pages: captcha, anti-bot and ban pages are recognised; normal pages — even ones whose
// reviews talk about captchas, robots and blocked cards — are not. Every page here is a
// hand-written minimal imitation of the style, not a copy of a real one.
#include "sources/generic/block_page.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

using otklik::detect_block_page;

namespace {

std::string page(std::string title, std::string body, std::string head_extra = "") {
  return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + title + "</title>" + head_extra +
         "</head><body>" + body + "</body></html>";
}

/// A page of reviews that talk about captchas, robots and blocking, as customers do.
std::string reviews(int n = 20) {
  std::string out;
  for (int i = 0; i < n; ++i)
    out += "<div class=\"review\"><p>Отделение на Садовой: ждал сорок минут, менеджер был вежлив, но медленный. "
           "Приложение просит ввести капчу (captcha) при каждом входе, как будто я робот. Карту заблокировали "
           "без объяснений, доступ ограничен уже неделю.</p><p>The app keeps asking whether I am a robot and "
           "then says access denied.</p></div>";
  return out;
}

}  // namespace

TEST_CASE("block pages are recognised with a short reason", "[sources][block]") {
  struct Case {
    const char* what;
    int status;
    const char* type;
    std::string body;
    const char* reason;
  };
  const Case cases[] = {
      // Yandex SmartCaptcha.
      {"Yandex captcha form", 200, "text/html",
       page("Вы не робот?", "<form action=\"/checkcaptcha?key=abc&amp;retpath=x\" method=\"post\"><div "
                            "class=\"CheckboxCaptcha\"><input type=\"checkbox\"> Я не робот</div></form>"),
       "captcha page"},
      {"Yandex captcha form with an unhelpful title", 200, "text/html",
       page("yandex", "<form action=\"/checkcaptcha?key=abc\"><div class=\"AdvancedCaptcha\"></div></form>"),
       "captcha page"},
      {"Yandex «Ой!» with the robot sentence", 200, "text/html",
       page("Ой!", "<div>Подтвердите, что запросы отправляли вы, а не робот</div>"), "captcha page"},
      {"Yandex title in capitals", 200, "text/html", page("ВЫ НЕ РОБОТ?", "<div></div>"), "captcha page"},
      {"Yandex JSON endpoint asks for a captcha", 200, "application/json",
       R"({"type":"captcha","captcha":{"img-url":"https://example.invalid/captchaimg","key":"k"}})", "captcha page"},
      {"JSON captcha demand without a content type", 200, "", R"(  {"type": "captcha", "captcha": {}})", "captcha page"},
      // Cloudflare.
      {"Cloudflare challenge with a form", 403, "text/html",
       page("Just a moment...", "<form id=\"challenge-form\" action=\"/?__cf_chl_f_tk=xyz\" method=\"POST\"></form>"),
       "anti-bot challenge"},
      {"Cloudflare managed challenge: inline options only", 403, "text/html; charset=UTF-8",
       page("Один момент…", "<noscript>Enable JavaScript and cookies to continue</noscript>"
                            "<script>(function(){window._cf_chl_opt={cType:'managed'};}());</script>"),
       "anti-bot challenge"},
      {"Cloudflare title without markers", 503, "text/html", page("Just a moment...", "<p>Checking your browser</p>"),
       "anti-bot challenge"},
      {"Cloudflare block", 403, "text/html",
       page("Attention Required! | Cloudflare",
            "<div id=\"cf-error-details\"><h1>Sorry, you have been blocked</h1><h2>Why have I been blocked?</h2></div>"),
       "access denied page"},
      {"Cloudflare block with an odd title", 403, "text/html",
       page("example.org", "<div id='cf-error-details'>blocked</div>"), "access denied page"},
      // Others.
      {"Google unusual traffic", 429, "text/html",
       page("https://www.google.com/search?q=x",
            "<div>Our systems have detected unusual traffic from your computer network.</div>"),
       "captcha page"},
      {"Google sorry form", 200, "text/html", page("", "<form action=\"/sorry/index?continue=x\"></form>"),
       "captcha page"},
      {"Qrator", 401, "text/html", page("", "<script src=\"/__qrator/qauth_utm_v2.js\"></script>"), "anti-bot challenge"},
      {"DDoS-Guard check page", 403, "text/html", page("DDoS-Guard", "<div>Checking your browser before accessing</div>"),
       "anti-bot challenge"},
      {"DDoS-Guard check script", 200, "text/html",
       page("", "<script src=\"/.well-known/ddos-guard/check?context=free_splash\"></script>"), "anti-bot challenge"},
      {"PerimeterX", 403, "text/html",
       page("Access to this page has been denied", "<div id=\"px-captcha\"></div>"), "captcha page"},
      {"Russian ban page", 403, "text/html", page("Доступ ограничен", "<p>Ваш IP заблокирован.</p>"), "access denied page"},
      {"Russian ban page with ё", 200, "text/html", page("Доступ запрещён", "<p>Обратитесь в поддержку.</p>"),
       "access denied page"},
      {"a windows-1251 ban page", 403, "text/html; charset=windows-1251",
       "<html><head><title>\xC4\xEE\xF1\xF2\xF3\xEF \xEE\xE3\xF0\xE0\xED\xE8\xF7\xE5\xED</title></head></html>",
       "access denied page"},
      {"a windows-1251 ban page declared in <meta>", 200, "text/html",
       "<html><head><meta charset=\"windows-1251\"><title>\xC2\xFB \xED\xE5 \xF0\xEE\xE1\xEE\xF2?</title></head></html>",
       "captcha page"},
      {"English ban page", 403, "text/html", page("Access Denied", "<h1>Access Denied</h1>"), "access denied page"},
      {"rate limit page", 429, "text/html", page("Too Many Requests", "<h1>429</h1>"), "rate limit page"},
      {"rate limit title on a 200", 200, "text/html", page("Слишком много запросов", "<p>Попробуйте позже</p>"),
       "rate limit page"},
      // Widgets alone.
      {"reCAPTCHA alone on the page", 200, "text/html",
       page("Проверка", "<form><div class=\"g-recaptcha\" data-sitekey=\"k\"></div><button>OK</button></form>"),
       "captcha page"},
      {"hCaptcha alone on the page", 200, "text/html",
       page("Security check", "<form><div class=\"h-captcha\" data-sitekey=\"k\"></div></form>"), "captcha page"},
      {"Turnstile alone on the page", 200, "text/html", page("", "<div class=\"cf-turnstile\" data-sitekey=\"k\"></div>"),
       "captcha page"},
      // Bare error answers.
      {"bare 429 speaking of robots", 429, "text/plain", "Too many requests from your IP: are you a robot?",
       "rate limit page"},
      {"bare 429 in plain text", 429, "text/plain", "Too Many Requests", "rate limit page"},
      {"bare 403 saying blocked", 403, "text/html", "<html><body>Your address is blocked</body></html>",
       "access denied page"},
      {"bare 403 asking for a captcha", 403, "text/html", "<html><body>Введите капчу</body></html>", "captcha page"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    const auto r = detect_block_page(c.status, c.type, c.body);
    REQUIRE(r.has_value());
    CHECK(*r == c.reason);
  }
}

TEST_CASE("normal pages are not block pages", "[sources][block]") {
  struct Case {
    const char* what;
    int status;
    const char* type;
    std::string body;
  };
  const Case cases[] = {
      {"reviews that mention captchas, robots and blocking", 200, "text/html", page("Отзывы о банке", reviews())},
      {"a login form with reCAPTCHA among reviews", 200, "text/html",
       page("Отзывы", reviews() + "<form class=\"login\"><div class=\"g-recaptcha\"></div></form>")},
      {"a Turnstile comment form among reviews", 200, "text/html",
       page("Отзывы", reviews() + "<form><div class=\"cf-turnstile\"></div></form>")},
      {"Cloudflare's detection script on a normal page", 200, "text/html",
       page("Отзывы", reviews() + "<script src=\"/cdn-cgi/challenge-platform/scripts/jsd/main.js\"></script>")},
      {"protected by DDoS-Guard in the footer", 200, "text/html",
       page("Отзывы", reviews() + "<footer>Защита: DDoS-Guard</footer>")},
      {"a forum thread titled with the word captcha", 200, "text/html",
       page("Не могу пройти captcha при входе — форум", reviews(30))},
      {"a news article titled «Доступ ограничен»", 200, "text/html", page("Доступ ограничен", reviews(30))},
      {"a short page with one review quoting a block page", 200, "text/html",
       page("Отзыв #123", "<p>Пишет «Вы не робот?» и «Доступ ограничен», хотя я просто открыл приложение.</p>")},
      {"a one-review page whose text says «Just a moment»", 200, "text/html",
       page("Отзыв", "<p>Just a moment... и так двадцать минут. Ужасно.</p>")},
      {"a reviews app shell with captcha settings in its inline state", 200, "text/html",
       page("Отзывы", "<div id=\"root\"></div>",
            "<script>window.__STATE__={\"captchaEnabled\":true,\"showcaptchaUrl\":\"/showcaptcha\"};</script>"
            "<script src=\"https://www.google.com/recaptcha/api.js\"></script>")},
      {"a long title mentioning blocking", 403, "text/html",
       page("Почему банк заблокировал карту и как снять ограничение: подробный разбор для клиентов — Финансовый "
            "журнал, выпуск 12",
            "<p>…</p>")},
      {"an RSS feed about captchas", 200, "application/rss+xml",
       "<rss><channel><title>captcha news</title><item><title>Вы не робот?</title></item></channel></rss>"},
      {"an Atom feed without a content type", 200, "",
       "<?xml version=\"1.0\"?><feed><title>Access denied</title></feed>"},
      {"JSON reviews that mention a captcha", 200, "application/json",
       R"({"reviews":[{"text":"опять captcha при входе, \"type\":\"captcha\" в ответе"}]})"},
      {"an ordinary 404", 404, "text/html", page("Не найдено", "<p>Страница не найдена</p>")},
      {"an ordinary 503", 503, "text/html", page("Service Unavailable", "<p>Try again later</p>")},
      {"maintenance", 503, "text/html", page("Технические работы", "<p>Сайт скоро вернётся</p>")},
      {"«Ой!» on a 404 without robots", 404, "text/html", page("Ой!", "<p>Такой страницы нет</p>")},
      {"a bare 403 with nothing to say", 403, "text/html", "<html><body>Forbidden</body></html>"},
      {"empty body", 200, "text/html", ""},
      {"a less-than sign in text", 200, "text/plain", "a < b and c > d"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    const auto r = detect_block_page(c.status, c.type, c.body);
    CHECK_FALSE(r.has_value());
    if (r) WARN(*r);
  }
}

TEST_CASE("only the start of a huge page is looked at, and hostile bytes are harmless", "[sources][block]") {
  std::string body = page("Отзывы", reviews());
  body += std::string(2 * 1024 * 1024, 'x');
  body += "<form action=\"/showcaptcha\"></form>";  // past 64 KiB: not seen
  CHECK_FALSE(detect_block_page(200, "text/html", body).has_value());

  std::string nul("<title>Access denied</title>\0\xff\xfe", 31);
  CHECK(detect_block_page(403, "text/html", nul) == std::optional<std::string>("access denied page"));

  // Pathological markup: unclosed tags, scripts, comments and titles; runs of '<'.
  const auto started = std::chrono::steady_clock::now();
  for (const std::string& junk :
       {std::string(1 << 20, '<'), [] {
          std::string s;
          for (int i = 0; i < 1 << 16; ++i) s += "<a";
          return s;
        }(),
        std::string("<script>") + std::string(1 << 20, 'x'), std::string("<!--") + std::string(1 << 20, '-'),
        std::string("<title>") + std::string(1 << 20, 'y'), std::string(1 << 20, '\xd0')}) {
    CHECK_FALSE(detect_block_page(200, "text/html", junk).has_value());
  }
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
}
