#pragma once
/// A log sink that puts a fixed prefix before every message and passes it on to the sinks it
/// wraps (their own patterns unchanged): "[b] source x: …", so that the lines of several instances
/// written to one journal or collector say which instance wrote them.

#include <spdlog/sinks/sink.h>

#include <memory>
#include <string>
#include <vector>

namespace otklik {

std::shared_ptr<spdlog::sinks::sink> prefixing_sink(std::string prefix,
                                                    std::vector<std::shared_ptr<spdlog::sinks::sink>> inner);

}  // namespace otklik
