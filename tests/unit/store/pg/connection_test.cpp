#include "daemon/store/pg/connection.hpp"
#include "daemon/store/pg/failure.hpp"
#include "daemon/store/pg/transaction.hpp"

#include "pg_test_support.hpp"
#include "tests/support/catch_result.hpp"

#include <libpq-fe.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <string>

using namespace otklik;
using namespace std::chrono_literals;
using otklik::test::TestDatabase;
namespace pg = otklik::store::pg;

namespace {

using Clock = std::chrono::steady_clock;

/// A TCP socket on 127.0.0.1 with a port of its own: listening (connections complete in the
/// kernel and then hear nothing, a server that hangs) or not (connections are refused).
class LocalPort {
 public:
  explicit LocalPort(bool listening) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
    if (listening) REQUIRE(::listen(fd_, 16) == 0);
  }
  LocalPort(const LocalPort&) = delete;
  LocalPort& operator=(const LocalPort&) = delete;
  ~LocalPort() { ::close(fd_); }
  [[nodiscard]] int port() const noexcept { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

std::map<std::string, std::string> conninfo_of(PGconn* conn) {
  std::map<std::string, std::string> out;
  PQconninfoOption* options = PQconninfo(conn);
  for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val != nullptr) out[o->keyword] = o->val;
  }
  PQconninfoFree(options);
  return out;
}

std::int64_t count(pg::Connection& c, const std::string& table) {
  auto r = c.query("SELECT COUNT(*) FROM " + table);
  REQUIRE(r);
  return r->int64(0, 0).value();
}

}  // namespace

TEST_CASE("a parameterised query and the typed getters", "[store][pg]") {
  TestDatabase db;
  auto c = db.connect();
  auto r = c.query("SELECT $1::bigint + 1, $2::text, NULL::bigint, $3::bytea, $4::double precision, $5::boolean",
                   {std::int64_t{41}, "отклик 'quoted'", pg::Param::bytea(std::string("\0\x01\xff", 3)), 0.25, true});
  REQUIRE(r);
  REQUIRE(r->rows() == 1);
  REQUIRE(r->columns() == 6);
  CHECK(r->int64(0, 0).value() == 42);
  CHECK(r->text(0, 1).value() == "отклик 'quoted'");
  CHECK(r->optional_int64(0, 2).value() == std::nullopt);
  CHECK(r->optional_int64(0, 0).value() == std::optional<std::int64_t>(42));
  CHECK(r->bytes(0, 3).value() == std::string("\0\x01\xff", 3));
  CHECK(r->real(0, 4).value() == 0.25);
  CHECK(r->boolean(0, 5).value());

  // What cannot be read is a Failure, not an exception.
  CHECK_FALSE(r->int64(0, 2));     // NULL
  CHECK_FALSE(r->int64(0, 1));     // text
  CHECK_FALSE(r->text(1, 0));      // no such row
  CHECK_FALSE(r->text(0, 6));      // no such column
  CHECK_FALSE(r->boolean(0, 0));   // not a boolean
  CHECK_FALSE(r->bytes(0, 1));     // not BYTEA
  CHECK(r->int64(0, 2).error().detail.find("NULL") != std::string::npos);

  // A NULL parameter, and affected rows.
  REQUIRE(c.exec("CREATE TABLE t (x BIGINT)"));
  auto ins = c.query("INSERT INTO t VALUES ($1), ($2), (3)", {pg::Param{}, std::optional<std::int64_t>(2)});
  REQUIRE(ins);
  CHECK(ins->affected() == 3);
  CHECK(c.query("SELECT COUNT(*) FROM t WHERE x IS NULL")->int64(0, 0).value() == 1);

  // A NUL byte in a text parameter is refused, never cut off silently.
  auto nul = c.query("SELECT $1::text", {std::string("before\0after", 12)});
  REQUIRE_FALSE(nul);
  CHECK(nul.error().code == make_error_code(errc::invalid_input));
  CHECK(nul.error().detail.find("parameter $1 holds a NUL byte") != std::string::npos);
  CHECK(c.query("SELECT 1")->int64(0, 0).value() == 1);  // the session goes on
}

TEST_CASE("the session's settings: statement_timeout, application_name, keepalives, tcp_user_timeout",
          "[store][pg]") {
  TestDatabase db;
  auto options = db.options();
  options.statement_timeout = 1500ms;
  options.keepalives_idle = 17s;
  options.keepalives_interval = 4s;
  options.keepalives_count = 5;
  options.tcp_user_timeout = 12'000ms;
  auto c = pg::Connection::connect(options);
  REQUIRE(c);
  CHECK(c->statement_timeout() == 1500ms);
  auto r = c->query("SELECT current_setting('statement_timeout'), current_setting('application_name'), "
                    "current_setting('client_encoding'), current_database()");
  REQUIRE(r);
  CHECK(r->text(0, 0).value() == "1500ms");
  CHECK(r->text(0, 1).value() == "otklik-test");
  CHECK(r->text(0, 2).value() == "UTF8");
  CHECK(r->text(0, 3).value() == db.name());
  const auto settings = conninfo_of(c->handle());
  CHECK(settings.at("keepalives") == "1");
  CHECK(settings.at("keepalives_idle") == "17");
  CHECK(settings.at("keepalives_interval") == "4");
  CHECK(settings.at("keepalives_count") == "5");
  CHECK(settings.at("tcp_user_timeout") == "12000");

  // The connection string's own settings win over the defaults.
  options.conninfo = "dbname=" + db.name() + " keepalives_idle=99 application_name=mine";
  auto own = pg::Connection::connect(options);
  REQUIRE(own);
  CHECK(conninfo_of(own->handle()).at("keepalives_idle") == "99");
  CHECK(own->query("SELECT current_setting('application_name')")->text(0, 0).value() == "mine");
}

TEST_CASE("statement_timeout cancels a statement that runs too long", "[store][pg]") {
  TestDatabase db;
  auto options = db.options();
  options.statement_timeout = 200ms;
  auto c = pg::Connection::connect(options);
  REQUIRE(c);
  const auto t0 = Clock::now();
  auto r = c->query("SELECT pg_sleep(5)");
  const auto took = Clock::now() - t0;
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::timeout);
  CHECK(pg::sqlstate(r.error()) == "57014");
  CHECK(r.error().detail.find("statement timeout") != std::string::npos);
  CHECK(took >= 150ms);
  CHECK(took < 2s);
  // The session goes on.
  REQUIRE(c->ok());
  CHECK(c->query("SELECT 1")->int64(0, 0).value() == 1);
}

TEST_CASE("a refused port fails at once with a clear error", "[store][pg]") {
  LocalPort closed(false);
  pg::ConnectOptions options;
  options.conninfo = "host=127.0.0.1 port=" + std::to_string(closed.port()) + " dbname=otklik";
  options.connect_timeout = 5s;
  const auto t0 = Clock::now();
  auto c = pg::Connection::connect(options);
  const auto took = Clock::now() - t0;
  REQUIRE_FALSE(c);
  CHECK(c.error().code == errc::connect_failed);
  CHECK(took < 1s);
  INFO(c.error().message());
  CHECK(c.error().detail.find("127.0.0.1:" + std::to_string(closed.port())) != std::string::npos);
  CHECK(c.error().detail.find("refused") != std::string::npos);
}

TEST_CASE("a server that does not answer fails within the connect deadline", "[store][pg]") {
  LocalPort silent(true);  // accepts in the kernel, never speaks
  struct Case {
    const char* what;
    std::string conninfo;
    bool must_time_out;  ///< false where the network may say "unreachable" at once instead
  };
  const Case cases[] = {
      {"a listener that never answers", "host=127.0.0.1 port=" + std::to_string(silent.port()) + " sslmode=disable", true},
      {"the same, TLS preferred", "host=127.0.0.1 port=" + std::to_string(silent.port()) + " sslmode=prefer", true},
      {"a blackholed address", "host=10.255.255.1 port=5432", false},
  };
  for (const Case& k : cases) {
    INFO(k.what);
    pg::ConnectOptions options;
    options.conninfo = k.conninfo + " dbname=otklik";
    options.connect_timeout = 300ms;
    const auto t0 = Clock::now();
    auto c = pg::Connection::connect(options);
    const auto took = Clock::now() - t0;
    REQUIRE_FALSE(c);
    INFO(c.error().message());
    CHECK(took < 1s);
    if (k.must_time_out) {
      CHECK(c.error().code == errc::timeout);
      CHECK(took >= 290ms);
      CHECK(c.error().detail.find("no session within 300 ms") != std::string::npos);
    } else {
      CHECK((c.error().code == errc::timeout || c.error().code == errc::connect_failed));
    }
  }
}

TEST_CASE("the password never appears in an error", "[store][pg]") {
  const std::string secret = "Pa55-secret-word";
  LocalPort closed(false);
  const std::string port = std::to_string(closed.port());
  TestDatabase db;
  struct Case {
    const char* what;
    std::string conninfo;
    errc code;
  };
  const Case cases[] = {
      {"URL, refused", "postgresql://otklik:" + secret + "@127.0.0.1:" + port + "/otklik", errc::connect_failed},
      {"key=value, refused", "host=127.0.0.1 port=" + port + " password=" + secret, errc::connect_failed},
      {"quoted key=value, refused", "host=127.0.0.1 port=" + port + " password='" + secret + "'", errc::connect_failed},
      {"URL with a bad escape", "postgresql://otklik:" + secret + "%zz@127.0.0.1/otklik", errc::invalid_input},
      // libpq checks option values when it starts connecting, not when it parses.
      {"URL with a bad port", "postgresql://otklik:" + secret + "@127.0.0.1:" + secret + "/otklik",
       errc::connect_failed},
      {"key=value without '='", "host=127.0.0.1 password " + secret, errc::invalid_input},
      {"unterminated quote", "host=127.0.0.1 password='" + secret, errc::invalid_input},
      {"unknown option", "host=127.0.0.1 " + secret + "=1", errc::invalid_input},
      {"wrong user and password at the real server", "dbname=" + db.name() + " user=otklik_nobody password=" + secret,
       errc::connect_failed},
  };
  for (const Case& k : cases) {
    INFO(k.what);
    pg::ConnectOptions options;
    options.conninfo = k.conninfo;
    options.connect_timeout = 5s;
    auto c = pg::Connection::connect(options);
    REQUIRE_FALSE(c);
    INFO(c.error().message());
    CHECK(c.error().code == k.code);
    CHECK(c.error().message().find(secret) == std::string::npos);
    CHECK(c.error().message().find("Pa55") == std::string::npos);
  }
}

TEST_CASE("a transaction rolls back unless committed", "[store][pg]") {
  TestDatabase db;
  auto c = db.connect();
  REQUIRE(c.exec("CREATE TABLE t (x BIGINT PRIMARY KEY)"));

  {
    auto tx = pg::Transaction::begin(c);
    REQUIRE(tx);
    REQUIRE(c.query("INSERT INTO t VALUES ($1)", {1}));
    CHECK(c.in_transaction());
  }  // left without commit
  CHECK_FALSE(c.in_transaction());
  CHECK(count(c, "t") == 0);

  {
    auto tx = pg::Transaction::begin(c);
    REQUIRE(tx);
    REQUIRE(c.query("INSERT INTO t VALUES ($1)", {1}));
    REQUIRE(tx->commit());
    CHECK_FALSE(tx->commit());  // once only
  }
  CHECK(count(c, "t") == 1);

  {
    // A failed statement spoils the transaction: COMMIT reports it, nothing of it stays.
    auto tx = pg::Transaction::begin(c);
    REQUIRE(tx);
    REQUIRE(c.query("INSERT INTO t VALUES ($1)", {2}));
    auto dup = c.query("INSERT INTO t VALUES ($1)", {1});
    REQUIRE_FALSE(dup);
    auto r = tx->commit();
    REQUIRE_FALSE(r);
    CHECK(r.error().detail.find("rolled back") != std::string::npos);
  }
  CHECK_FALSE(c.in_transaction());
  CHECK(count(c, "t") == 1);
}

TEST_CASE("errors carry the SQLSTATE and the server's message", "[store][pg]") {
  TestDatabase db;
  auto c = db.connect();
  REQUIRE(c.exec("CREATE TABLE t (x BIGINT PRIMARY KEY)"));
  REQUIRE(c.query("INSERT INTO t VALUES (1)"));
  struct Case {
    const char* sql;
    const char* state;
    const char* words;
  };
  const Case cases[] = {
      {"INSERT INTO t VALUES (1)", "23505", "duplicate key"},
      {"SELEC 1", "42601", "syntax error"},
      {"SELECT * FROM missing", "42P01", "does not exist"},
      {"SELECT 1 / 0", "22012", "division by zero"},
  };
  for (const Case& k : cases) {
    INFO(k.sql);
    auto r = c.query(k.sql);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::store_failed);
    CHECK(pg::sqlstate(r.error()) == k.state);
    CHECK(r.error().detail.find(k.words) != std::string::npos);
    CHECK(r.error().detail.find(c.describe()) == 0);
  }
  CHECK(pg::sqlstate(Failure(errc::store_failed, "no state here")).empty());
}
