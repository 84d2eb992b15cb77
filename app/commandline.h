#pragma once

#include <QStringList>

#include <optional>

namespace pollscope {

/// `pollscope list | check | run ...`: runs the command and returns its exit code (0 success,
/// 1 the scenario is invalid or failed, 2 usage or I/O error). Returns nullopt when the
/// arguments ask for the GUI instead.
std::optional<int> runCommandLine(const QStringList& arguments);

/// Whether the arguments name a command (rather than asking for the window).
bool isCommand(const QStringList& arguments);

} // namespace pollscope
