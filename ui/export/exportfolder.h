#pragma once

#include <QString>

namespace pollscope {

/// The folder an export (image or trace) is first suggested in: the one last exported to while
/// it exists, else the Pictures folder if there is one, else home. Never a missing folder:
/// writing there would fail on the first try.
QString exportFolder();
/// Remembers the folder of `written`, a file just exported, for exportFolder().
void rememberExportFolder(const QString& written);

} // namespace pollscope
