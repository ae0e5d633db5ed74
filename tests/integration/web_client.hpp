#pragma once
// A small HTTP/1.1 client for the web inbox's tests: one request per connection, a cookie jar of
// the session cookie, a deadline on every read.

#include <map>
#include <string>
#include <vector>

namespace otklik::test {

struct WebAnswer {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  [[nodiscard]] std::string header(const std::string& name) const;  ///< "" when absent
  [[nodiscard]] std::vector<std::string> all(const std::string& name) const;
};

class WebClient {
 public:
  explicit WebClient(unsigned short port) : port_(port) {}
  WebAnswer get(const std::string& target, const std::vector<std::pair<std::string, std::string>>& headers = {});
  /// A form post: `fields` are url-encoded into the body.
  WebAnswer post(const std::string& target, const std::vector<std::pair<std::string, std::string>>& fields,
                 const std::vector<std::pair<std::string, std::string>>& headers = {});
  /// Signs in; returns the answer to the POST (303 on success).
  WebAnswer sign_in(const std::string& user, const std::string& password);
  /// The CSRF token of the last page fetched (the value of the first name="csrf" field).
  [[nodiscard]] const std::string& csrf() const { return csrf_; }
  [[nodiscard]] const std::string& session_cookie() const { return cookie_; }
  void set_session_cookie(std::string value) { cookie_ = std::move(value); }
  void forget_session() { cookie_.clear(); }

 private:
  WebAnswer request(const std::string& method, const std::string& target, const std::string& body,
                    const std::vector<std::pair<std::string, std::string>>& headers);
  unsigned short port_;
  std::string cookie_;   ///< otklik_session value
  std::string csrf_;
};

/// Form-encodes one value.
std::string form_encode(const std::string& s);

}  // namespace otklik::test
