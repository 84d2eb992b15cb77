#pragma once

#include <QString>

#include <functional>

class QIODevice;

namespace pollscope {

/// Writes `path` through `write`, which returns false when it gives up.
///
/// A regular file, or a new one, is written with QSaveFile: it appears whole or not at all,
/// and a failed write leaves what was there. Anything else that exists (a device such as
/// /dev/null, a FIFO) is written directly: QSaveFile would rename its temporary file over it
/// and, run as root, replace the device node with a regular file.
///
/// Returns false if the file could not be opened or written, with the device's reason in
/// `error`; also when `write` gave up, with `error` then empty unless the device failed too.
bool writeOutputFile(
    const QString& path, const std::function<bool(QIODevice&)>& write, QString& error);

} // namespace pollscope
