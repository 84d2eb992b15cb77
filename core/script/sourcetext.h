#pragma once

#include <QString>
#include <QStringView>

#include <vector>

namespace pollscope {

/// A scenario's source with its file name and line starts, for positions and error context.
class SourceText
{
public:
    SourceText() = default;
    SourceText(QString fileName, QString text);

    const QString& fileName() const { return m_fileName; }
    const QString& text() const { return m_text; }
    int lineCount() const { return int(m_lineStarts.size()); }
    /// The text of a 1-based line, without its line break.
    QStringView line(int line) const;

private:
    QString m_fileName;
    QString m_text;
    std::vector<int> m_lineStarts;
};

} // namespace pollscope
