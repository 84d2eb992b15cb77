#include "script/scripterror.h"

#include <QRegularExpression>

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

std::optional<ScriptError> ScriptError::parse(const QString& text, const QString& fileName)
{
    // The file name is matched as given, not by pattern: built-ins' names hold a colon.
    if (fileName.isEmpty() || !text.startsWith(fileName + u':'))
        return std::nullopt;
    static const QRegularExpression position(uR"(^(\d+):(\d+): (?:error: )?([^\n]*))"_qs);
    const QRegularExpressionMatch match = position.match(text.mid(fileName.size() + 1));
    if (!match.hasMatch())
        return std::nullopt;
    ScriptError error;
    error.location.line = match.captured(1).toInt();
    error.location.column = match.captured(2).toInt();
    error.message = match.captured(3);
    if (error.location.line < 1 || error.location.column < 1)
        return std::nullopt;
    // The caret line, `   | ^~~`, is the third.
    const QStringView caret = QStringView(text).split(u'\n').value(2);
    if (const qsizetype at = caret.indexOf(u'^'); at >= 0) {
        qsizetype end = at + 1;
        while (end < caret.size() && caret[end] == u'~')
            ++end;
        error.location.length = int(end - at);
    }
    return error;
}

QString formatErrors(const SourceText& source, const QList<ScriptError>& errors)
{
    QString text;
    for (const ScriptError& error : errors)
        text += error.format(source);
    return text;
}

} // namespace pollscope
