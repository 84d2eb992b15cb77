#include "io/outputfile.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace pollscope {

bool writeOutputFile(
    const QString& path, const std::function<bool(QIODevice&)>& write, QString& error)
{
    error.clear();
    const QFileInfo info(path); // follows symbolic links
    if (info.exists() && !info.isFile() && !info.isDir()) {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly)) {
            error = file.errorString();
            return false;
        }
        const bool written = write(file) && file.flush();
        if (file.error() != QFileDevice::NoError)
            error = file.errorString();
        return written && error.isEmpty();
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        error = file.errorString();
        return false;
    }
    if (!write(file)) {
        if (file.error() != QFileDevice::NoError) // the device failed (disk full, ...)
            error = file.errorString();
        file.cancelWriting(); // the temporary file goes, the target stays as it was
        return false;
    }
    if (!file.commit()) {
        error = file.errorString();
        return false;
    }
    return true;
}

} // namespace pollscope
