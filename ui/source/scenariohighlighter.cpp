#include "source/scenariohighlighter.h"

#include <QColor>
#include <QFont>

#include <algorithm>
#include <iterator>

namespace pollscope {

namespace {

bool isIdentStart(QChar c)
{
    return c.isLetter() || c == u'_';
}
bool isIdentPart(QChar c)
{
    return c.isLetterOrNumber() || c == u'_';
}

} // namespace

ScenarioHighlighter::ScenarioHighlighter(QTextDocument* document)
    : QSyntaxHighlighter(document)
{
}

void ScenarioHighlighter::setDarkTheme(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    rehighlight();
}

bool ScenarioHighlighter::isKeyword(QStringView word)
{
    static const QStringView keywords[] = {
        u"scenario",
        u"about",
        u"runtime",
        u"seed",
        u"variant",
        u"async",
        u"fn",
        u"let",
        u"mut",
        u"for",
        u"in",
        u"loop",
        u"while",
        u"if",
        u"else",
        u"break",
        u"continue",
        u"return",
        u"spawn",
        u"as",
        u"true",
        u"false",
    };
    return std::find(std::begin(keywords), std::end(keywords), word) != std::end(keywords);
}

bool ScenarioHighlighter::isBuiltin(QStringView word)
{
    static const QStringView builtins[] = {
        u"sleep",
        u"io",
        u"yield_now",
        u"spawn_blocking",
        u"block",
        u"compute",
        u"join",
        u"select",
        u"channel",
        u"mark",
        u"fail",
        u"rand",
        u"print",
    };
    return std::find(std::begin(builtins), std::end(builtins), word) != std::end(builtins);
}

QTextCharFormat ScenarioHighlighter::format(Token token) const
{
    // Light colours after Qt Creator's default scheme, dark ones after its dark scheme.
    QTextCharFormat f;
    switch (token) {
    case Token::Keyword:
        f.setForeground(QColor(m_dark ? 0xcc7832 : 0x0033b3));
        f.setFontWeight(QFont::Bold);
        break;
    case Token::Builtin:
        f.setForeground(QColor(m_dark ? 0xffc66d : 0x00627a));
        break;
    case Token::Duration:
        f.setForeground(QColor(m_dark ? 0xe6a04a : 0xa85800));
        f.setFontWeight(QFont::DemiBold);
        break;
    case Token::Number:
        f.setForeground(QColor(m_dark ? 0x6897bb : 0x1750eb));
        break;
    case Token::String:
        f.setForeground(QColor(m_dark ? 0x6a8759 : 0x067d17));
        break;
    case Token::Interpolation:
        f.setForeground(QColor(m_dark ? 0xb389c9 : 0x871094));
        f.setFontWeight(QFont::Bold);
        break;
    case Token::Comment:
        f.setForeground(QColor(m_dark ? 0x808080 : 0x8c8c8c));
        f.setFontItalic(true);
        break;
    case Token::Await:
        f.setForeground(QColor(m_dark ? 0xff6b68 : 0xc7222d));
        f.setFontWeight(QFont::Bold);
        break;
    case Token::Question:
        f.setForeground(QColor(m_dark ? 0xff9e4f : 0xd55e00));
        f.setFontWeight(QFont::Black);
        break;
    }
    return f;
}

void ScenarioHighlighter::highlightString(const QString& text, int start, int end)
{
    setFormat(start, end - start, format(Token::String));
    // {name} inside the quotes, as the interpreter fills it in.
    for (int i = start + 1; i < end; ++i) {
        if (text[i] == u'\\') {
            ++i;
            continue;
        }
        if (text[i] != u'{')
            continue;
        int j = i + 1;
        while (j < end && isIdentPart(text[j]))
            ++j;
        if (j < end && text[j] == u'}' && j > i + 1 && isIdentStart(text[i + 1])) {
            setFormat(i, j - i + 1, format(Token::Interpolation));
            i = j;
        }
    }
}

void ScenarioHighlighter::highlightBlock(const QString& text)
{
    const int n = int(text.size());
    int i = 0;
    setCurrentBlockState(Normal);
    if (previousBlockState() == InBlockComment) {
        const int close = int(text.indexOf(u"*/"));
        if (close < 0) {
            setFormat(0, n, format(Token::Comment));
            setCurrentBlockState(InBlockComment);
            return;
        }
        setFormat(0, close + 2, format(Token::Comment));
        i = close + 2;
    }
    while (i < n) {
        const QChar c = text[i];
        if (c == u'/' && i + 1 < n && text[i + 1] == u'/') {
            setFormat(i, n - i, format(Token::Comment));
            return;
        }
        if (c == u'/' && i + 1 < n && text[i + 1] == u'*') {
            const int close = int(text.indexOf(u"*/", i + 2));
            if (close < 0) {
                setFormat(i, n - i, format(Token::Comment));
                setCurrentBlockState(InBlockComment);
                return;
            }
            setFormat(i, close + 2 - i, format(Token::Comment));
            i = close + 2;
            continue;
        }
        if (c == u'"') {
            int j = i + 1;
            while (j < n && text[j] != u'"') {
                if (text[j] == u'\\')
                    ++j;
                ++j;
            }
            const int end = std::min(n, j + 1);
            highlightString(text, i, end);
            i = end;
            continue;
        }
        if (c.isDigit()) {
            int j = i;
            while (j < n && (text[j].isDigit() || text[j] == u'_'))
                ++j;
            if (j + 1 < n && text[j] == u'.' && text[j + 1].isDigit()) {
                ++j;
                while (j < n && (text[j].isDigit() || text[j] == u'_'))
                    ++j;
            }
            int k = j;
            while (k < n && isIdentPart(text[k]))
                ++k;
            const QStringView unit = QStringView(text).mid(j, k - j);
            if (unit.isEmpty())
                setFormat(i, j - i, format(Token::Number));
            else if (unit == u"ns" || unit == u"us" || unit == u"ms" || unit == u"s")
                setFormat(i, k - i, format(Token::Duration));
            // Anything else is a number with an unknown unit: left plain; `check` explains it.
            i = k;
            continue;
        }
        if (isIdentStart(c)) {
            int j = i;
            while (j < n && isIdentPart(text[j]))
                ++j;
            const QStringView word = QStringView(text).mid(i, j - i);
            if (isKeyword(word))
                setFormat(i, j - i, format(Token::Keyword));
            else if (isBuiltin(word))
                setFormat(i, j - i, format(Token::Builtin));
            i = j;
            continue;
        }
        if (c == u'.' && QStringView(text).mid(i + 1, 5) == u"await" &&
            (i + 6 >= n || !isIdentPart(text[i + 6]))) {
            setFormat(i, 6, format(Token::Await));
            i += 6;
            continue;
        }
        if (c == u'?') {
            setFormat(i, 1, format(Token::Question));
            ++i;
            continue;
        }
        ++i;
    }
}

} // namespace pollscope
