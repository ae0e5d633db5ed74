#include "web_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <sys/socket.h>

#include <cctype>
#include <strings.h>

namespace otklik::test {

std::string WebAnswer::header(const std::string& name) const {
  for (const auto& [k, v] : headers)
    if (strcasecmp(k.c_str(), name.c_str()) == 0) return v;
  return {};
}

std::vector<std::string> WebAnswer::all(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : headers)
    if (strcasecmp(k.c_str(), name.c_str()) == 0) out.push_back(v);
  return out;
}

std::string form_encode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

WebAnswer WebClient::request(const std::string& method, const std::string& target, const std::string& body,
                             const std::vector<std::pair<std::string, std::string>>& headers) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port_});
  const timeval timeout{30, 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!cookie_.empty()) req.set(http::field::cookie, "otklik_session=" + cookie_);
  for (const auto& [k, v] : headers) req.set(k, v);
  if (method == "POST") {
    req.set(http::field::content_type, "application/x-www-form-urlencoded");
    req.body() = body;
    req.prepare_payload();
  }
  req.keep_alive(false);
  http::write(socket, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  boost::system::error_code ec;
  http::read(socket, buffer, res, ec);
  WebAnswer out;
  if (ec && ec != http::error::end_of_stream) throw boost::system::system_error(ec);
  out.status = static_cast<int>(res.result_int());
  for (const auto& f : res) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  out.body = res.body();
  for (const auto& c : out.all("Set-Cookie")) {
    if (c.rfind("otklik_session=", 0) != 0) continue;
    const auto end = c.find(';');
    cookie_ = c.substr(15, end == std::string::npos ? std::string::npos : end - 15);
  }
  const auto field = out.body.find("name=\"csrf\"");
  if (field != std::string::npos) {
    const auto tag_start = out.body.rfind('<', field);
    const auto tag_end = out.body.find('>', field);
    const auto value = out.body.find("value=\"", tag_start);
    if (value != std::string::npos && value < tag_end) {
      const auto v0 = value + 7;
      csrf_ = out.body.substr(v0, out.body.find('"', v0) - v0);
    }
  }
  return out;
}

WebAnswer WebClient::get(const std::string& target, const std::vector<std::pair<std::string, std::string>>& headers) {
  return request("GET", target, "", headers);
}

WebAnswer WebClient::post(const std::string& target, const std::vector<std::pair<std::string, std::string>>& fields,
                          const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string body;
  for (const auto& [k, v] : fields) {
    if (!body.empty()) body += '&';
    body += form_encode(k) + "=" + form_encode(v);
  }
  return request("POST", target, body, headers);
}

WebAnswer WebClient::sign_in(const std::string& user, const std::string& password) {
  return post("/login", {{"user", user}, {"password", password}, {"next", "/"}});
}

}  // namespace otklik::test
