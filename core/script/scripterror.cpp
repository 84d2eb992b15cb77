#include "script/scripterror.h"

namespace pollscope {

QString ScriptError::format(const SourceText& source) const
{
    const QString lineNumber = QString::number(location.line);
    const QString gutter = QString(lineNumber.size() + 1, u' ');
    const QStringView text = source.line(location.line);
    // The caret lines up with the column, tabs kept so that it matches the source line.
    QString pad;
    for (int i = 0; i < location.column - 1 && i < text.size(); ++i)
        pad += text[i] == u'\t' ? u'\t' : u' ';
    const int width = std::max(1, std::min(location.length, int(text.size()) - (location.column - 1)));
    // One multi-argument arg() so that a '%' in the message or the source stays literal.
    return QStringLiteral("%1:%2:%3: error: %4\n %5 | %6\n%7 | %8%9\n")
        .arg(source.fileName(), lineNumber, QString::number(location.column), message, lineNumber,
             text.toString(), gutter, pad, u'^' + QString(width - 1, u'~'));
}

QString formatErrors(const SourceText& source, const QList<ScriptError>& errors)
{
    QString text;
    for (const ScriptError& error : errors)
        text += error.format(source);
    return text;
}

} // namespace pollscope
