#pragma once
/// The TLS settings of the web inbox when the daemon serves HTTPS itself ([web] tls_certificate,
/// tls_key): TLS 1.2 and later only, the certificate chain and key from PEM files.

#include "daemon/core/error.hpp"

#include <boost/asio/ssl/context.hpp>

#include <filesystem>
#include <memory>

namespace otklik::web {

/// A server context from a PEM certificate chain (leaf first) and its PEM private key. Fails with
/// errc::io_error when a file cannot be read, errc::invalid_input when it holds no usable
/// certificate or key or the key does not belong to the certificate; the message names the file.
Result<std::shared_ptr<boost::asio::ssl::context>> make_server_tls_context(const std::filesystem::path& certificate_chain,
                                                                           const std::filesystem::path& private_key);

}  // namespace otklik::web
