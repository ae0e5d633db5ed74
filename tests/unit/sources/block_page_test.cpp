// Block pages: captcha, anti-bot and ban pages are recognised; normal pages — even ones whose
// reviews talk about captchas — are not.
#include "sources/generic/block_page.hpp"

#include <catch2/catch.hpp>

#include <string>

using otklik::detect_block_page;

namespace {

std::string page(std::string title, std::string body) {
  return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body>" + body +
         "</body></html>";
}

std::string long_reviews() {
  std::string reviews;
  for (int i = 0; i < 20; ++i)
    reviews += "<div class=\"review\"><p>Отделение на Садовой: ждал сорок минут, менеджер был вежлив, но медленный. "
               "Приложение иногда просит ввести капчу при входе, это раздражает.</p></div>";
  return reviews;
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
      {"Yandex captcha form", 200, "text/html",
       page("Вы не робот?", "<form action=\"/checkcaptcha?key=abc\" method=\"post\"><div class=\"CheckboxCaptcha\">"
                            "</div></form><script src=\"/showcaptcha.js\"></script>"),
       "captcha page"},
      {"Yandex title only", 200, "text/html", page("Ой!", "<div>Подтвердите, что запросы отправляли вы, а не робот</div>"),
       "captcha page"},
      {"Yandex JSON endpoint asks for a captcha", 200, "application/json",
       R"({"type":"captcha","captcha":{"img-url":"https://example.invalid/captchaimg"}})", "captcha page"},
      {"Cloudflare challenge", 403, "text/html",
       page("Just a moment...", "<form id=\"challenge-form\" action=\"/?__cf_chl_f_tk=xyz\"></form>"),
       "anti-bot challenge"},
      {"Cloudflare title without markers", 503, "text/html", page("Just a moment...", "<p>Checking your browser</p>"),
       "anti-bot challenge"},
      {"Cloudflare block", 403, "text/html",
       page("Attention Required! | Cloudflare", "<div id=\"cf-error-details\">Sorry, you have been blocked</div>"),
       "access denied page"},
      {"Google unusual traffic", 429, "text/html",
       page("https://www.google.com/search", "<div>Our systems have detected unusual traffic from your computer network.</div>"),
       "captcha page"},
      {"Qrator", 401, "text/html", page("", "<script src=\"/__qrator/qauth_utm_v2.js\"></script>"), "anti-bot challenge"},
      {"DDoS-Guard check page", 403, "text/html", page("DDoS-Guard", "<div>Checking your browser before accessing</div>"),
       "anti-bot challenge"},
      {"Russian ban page", 403, "text/html", page("Доступ ограничен", "<p>Ваш IP заблокирован.</p>"), "access denied page"},
      {"English ban page", 403, "text/html", page("Access Denied", "<h1>Access Denied</h1>"), "access denied page"},
      {"rate limit page", 429, "text/html", page("Too Many Requests", "<h1>429</h1>"), "rate limit page"},
      {"reCAPTCHA alone on the page", 200, "text/html",
       page("Проверка", "<form><div class=\"g-recaptcha\" data-sitekey=\"k\"></div><button>OK</button></form>"),
       "captcha page"},
      {"bare 429 speaking of robots", 429, "text/plain", "Too many requests from your IP: are you a robot?",
       "rate limit page"},
      {"bare 403 saying blocked", 403, "text/html", "<html><body>Your address is blocked</body></html>",
       "access denied page"},
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
      {"reviews that mention a captcha", 200, "text/html", page("Отзывы о банке", long_reviews())},
      {"a login form with reCAPTCHA among reviews", 200, "text/html",
       page("Отзывы", long_reviews() + "<form class=\"login\"><div class=\"g-recaptcha\"></div></form>")},
      {"Cloudflare's detection script on a normal page", 200, "text/html",
       page("Отзывы", long_reviews() + "<script src=\"/cdn-cgi/challenge-platform/scripts/jsd/main.js\"></script>")},
      {"protected by DDoS-Guard in the footer", 200, "text/html",
       page("Отзывы", long_reviews() + "<footer>Защита: DDoS-Guard</footer>")},
      {"an RSS feed about captchas", 200, "application/rss+xml",
       "<rss><channel><title>captcha news</title><item><title>Капча снова ломается</title></item></channel></rss>"},
      {"JSON reviews that mention a captcha", 200, "application/json",
       R"({"reviews":[{"text":"опять captcha при входе"}]})"},
      {"an ordinary 404", 404, "text/html", page("Не найдено", "<p>Страница не найдена</p>")},
      {"an ordinary 503", 503, "text/html", page("Service Unavailable", "<p>Try again later</p>")},
      {"empty body", 200, "text/html", ""},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    CHECK_FALSE(detect_block_page(c.status, c.type, c.body).has_value());
  }
}

TEST_CASE("only the start of a huge page is looked at", "[sources][block]") {
  std::string body = page("Отзывы", long_reviews());
  body += std::string(2 * 1024 * 1024, 'x');
  body += "<form action=\"/showcaptcha\"></form>";  // past 64 KiB: not seen
  CHECK_FALSE(detect_block_page(200, "text/html", body).has_value());
  std::string nul("<title>Access denied</title>\0\xff\xfe", 31);
  CHECK(detect_block_page(403, "text/html", nul) == std::optional<std::string>("access denied page"));
}
