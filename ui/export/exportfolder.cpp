#include "export/exportfolder.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

namespace pollscope {

namespace {
constexpr auto kSetting = "files/exportDir";
}

QString exportFolder()
{
    const QString last = QSettings().value(QLatin1String(kSetting)).toString();
    if (!last.isEmpty() && QFileInfo(last).isDir())
        return last;
    const QString pictures = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    if (!pictures.isEmpty() && QFileInfo(pictures).isDir())
        return pictures;
    return QDir::homePath();
}

void rememberExportFolder(const QString& written)
{
    QSettings().setValue(QLatin1String(kSetting), QFileInfo(written).absolutePath());
}

} // namespace pollscope
