#include "script/sourcetext.h"

namespace pollscope {

SourceText::SourceText(QString fileName, QString text)
    : m_fileName(std::move(fileName))
    , m_text(std::move(text))
{
    m_lineStarts.push_back(0);
    for (int i = 0; i < m_text.size(); ++i)
        if (m_text[i] == u'\n')
            m_lineStarts.push_back(i + 1);
}

QStringView SourceText::line(int line) const
{
    if (line < 1 || line > lineCount())
        return {};
    const int start = m_lineStarts[std::size_t(line - 1)];
    int end = line < lineCount() ? m_lineStarts[std::size_t(line)] - 1 : int(m_text.size());
    if (end > start && m_text[end - 1] == u'\r')
        --end;
    return QStringView(m_text).mid(start, end - start);
}

} // namespace pollscope
