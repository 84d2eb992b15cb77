#include "script/scripterror.h"

namespace pollscope {

namespace {

/// `FILE:LINE:COL: severity: message`, then the source line and a caret under the position.
QString formatAt(const SourceText& source, const SourceLocation& location, QStringView severity,
    const QString& message)
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
    return QStringLiteral("%1:%2:%3: %4: %5\n %6 | %7\n%8 | %9%10\n")
        .arg(source.fileName(), lineNumber, QString::number(location.column), severity, message,
            lineNumber, text.toString(), gutter, pad, u'^' + QString(width - 1, u'~'));
}

} // namespace

QString ScriptError::format(const SourceText& source) const
{
    return formatAt(source, location, u"error", message);
}

QString ScriptNote::format(const SourceText& source) const
{
    if (location.line <= 0)
        return QStringLiteral("%1: note: %2\n").arg(source.fileName(), message);
    return formatAt(source, location, u"note", message);
}

QString formatErrors(const SourceText& source, const QList<ScriptError>& errors)
{
    QString text;
    for (const ScriptError& error : errors)
        text += error.format(source);
    return text;
}

} // namespace pollscope
