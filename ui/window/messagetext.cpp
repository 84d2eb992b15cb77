#include "window/messagetext.h"

namespace pollscope {

namespace {

/// Calls `text(part)` for the plain parts of `message` and `code(part)` for the backticked ones,
/// in order.
template <typename Text, typename Code>
void splitCode(const QString& message, Text text, Code code)
{
    qsizetype from = 0;
    while (from < message.size()) {
        const qsizetype open = message.indexOf(u'`', from);
        const qsizetype close = open < 0 ? -1 : message.indexOf(u'`', open + 1);
        if (close < 0) {
            text(message.mid(from));
            return;
        }
        text(message.mid(from, open - from));
        code(message.mid(open + 1, close - open - 1));
        from = close + 1;
    }
}

QString escaped(const QString& text)
{
    return text.toHtmlEscaped().replace(u'\n', u"<br>"_qs);
}

} // namespace

QString messageToHtml(const QString& message)
{
    QString html;
    splitCode(
        message, [&](const QString& text) { html += escaped(text); },
        [&](const QString& code) { html += u"<code>"_qs + escaped(code) + u"</code>"_qs; });
    return html;
}

QString messageToPlainText(const QString& message)
{
    QString plain;
    const auto append = [&](const QString& part) { plain += part; };
    splitCode(message, append, append);
    return plain;
}

} // namespace pollscope
