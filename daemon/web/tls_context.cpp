#include "daemon/web/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <fstream>
#include <sstream>

namespace otklik::web {

namespace ssl = boost::asio::ssl;

namespace {

Result<std::string> read_file(const std::filesystem::path& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Failure(errc::io_error, std::string(what) + " " + path.string() + ": cannot read it");
  std::ostringstream s;
  s << in.rdbuf();
  if (!in && !in.eof()) return Failure(errc::io_error, std::string(what) + " " + path.string() + ": read failed");
  return s.str();
}

}  // namespace

Result<std::shared_ptr<ssl::context>> make_server_tls_context(const std::filesystem::path& certificate_chain,
                                                              const std::filesystem::path& private_key) {
  auto chain = read_file(certificate_chain, "TLS certificate");
  if (!chain) return chain.error();
  auto key = read_file(private_key, "TLS key");
  if (!key) return key.error();

  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);

  boost::system::error_code ec;
  ctx->use_certificate_chain(boost::asio::buffer(*chain), ec);
  if (ec) {
    return Failure(errc::invalid_input,
                   "TLS certificate " + certificate_chain.string() + ": no PEM certificate chain (" + ec.message() + ")");
  }
  ctx->use_private_key(boost::asio::buffer(*key), ssl::context::pem, ec);
  if (ec && ec.category() == boost::asio::error::get_ssl_category() &&
      ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH) {
    return Failure(errc::invalid_input, "TLS key " + private_key.string() + " does not belong to the certificate " +
                                            certificate_chain.string());
  }
  if (ec) {
    return Failure(errc::invalid_input, "TLS key " + private_key.string() + ": no PEM private key (" + ec.message() + ")");
  }
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1) {
    ERR_clear_error();
    return Failure(errc::invalid_input, "TLS key " + private_key.string() + " does not belong to the certificate " +
                                            certificate_chain.string());
  }
  return ctx;
}

}  // namespace otklik::web
