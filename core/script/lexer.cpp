#include "script/lexer.h"

#include <QHash>

#include <limits>

namespace pollscope {

namespace {

const QHash<QString, TokenKind>& keywords()
{
    static const QHash<QString, TokenKind> table {
        { u"scenario"_qs, TokenKind::KwScenario }, { u"about"_qs, TokenKind::KwAbout },
        { u"runtime"_qs, TokenKind::KwRuntime },   { u"seed"_qs, TokenKind::KwSeed },
        { u"variant"_qs, TokenKind::KwVariant },   { u"async"_qs, TokenKind::KwAsync },
        { u"fn"_qs, TokenKind::KwFn },             { u"let"_qs, TokenKind::KwLet },
        { u"mut"_qs, TokenKind::KwMut },           { u"for"_qs, TokenKind::KwFor },
        { u"in"_qs, TokenKind::KwIn },             { u"loop"_qs, TokenKind::KwLoop },
        { u"while"_qs, TokenKind::KwWhile },       { u"if"_qs, TokenKind::KwIf },
        { u"else"_qs, TokenKind::KwElse },         { u"break"_qs, TokenKind::KwBreak },
        { u"continue"_qs, TokenKind::KwContinue }, { u"return"_qs, TokenKind::KwReturn },
        { u"spawn"_qs, TokenKind::KwSpawn },       { u"as"_qs, TokenKind::KwAs },
        { u"true"_qs, TokenKind::KwTrue },         { u"false"_qs, TokenKind::KwFalse },
    };
    return table;
}

bool isIdentStart(QChar c) { return c.isLetter() || c == u'_'; }
bool isIdentPart(QChar c) { return c.isLetterOrNumber() || c == u'_'; }

class Lexer
{
public:
    Lexer(const QString& text, QList<ScriptError>& errors)
        : m_text(text)
        , m_errors(errors)
    {
    }

    QList<Token> run()
    {
        QList<Token> tokens;
        for (;;) {
            skipSpaceAndComments();
            if (m_pos >= m_text.size()) {
                tokens.append(make(TokenKind::End, m_pos, 0));
                return tokens;
            }
            if (auto token = next())
                tokens.append(*token);
        }
    }

private:
    QChar peek(int ahead = 0) const
    {
        return m_pos + ahead < m_text.size() ? m_text[m_pos + ahead] : QChar();
    }

    void advance()
    {
        if (m_text[m_pos] == u'\n') {
            ++m_line;
            m_lineStart = m_pos + 1;
        }
        ++m_pos;
    }

    Token make(TokenKind kind, int start, int length) const
    {
        Token token;
        token.kind = kind;
        token.location = location(start, length);
        return token;
    }

    SourceLocation location(int start, int length) const
    {
        // Tokens never span lines, so the column comes from the current line start.
        return SourceLocation { start, m_line, start - m_lineStart + 1, std::max(1, length) };
    }

    void error(int start, int length, const QString& message)
    {
        m_errors.append(ScriptError { location(start, length), message });
    }

    void skipSpaceAndComments()
    {
        while (m_pos < m_text.size()) {
            const QChar c = peek();
            if (c.isSpace()) {
                advance();
            } else if (c == u'/' && peek(1) == u'/') {
                while (m_pos < m_text.size() && peek() != u'\n')
                    advance();
            } else if (c == u'/' && peek(1) == u'*') {
                const int start = m_pos;
                const int startLine = m_line;
                const int startColumn = m_pos - m_lineStart + 1;
                advance();
                advance();
                while (m_pos < m_text.size() && !(peek() == u'*' && peek(1) == u'/'))
                    advance();
                if (m_pos >= m_text.size()) {
                    m_errors.append(ScriptError { SourceLocation { start, startLine, startColumn, 2 },
                                                  u"unterminated block comment: add `*/`"_qs });
                    return;
                }
                advance();
                advance();
            } else {
                return;
            }
        }
    }

    std::optional<Token> next()
    {
        const int start = m_pos;
        const QChar c = peek();
        if (isIdentStart(c)) {
            while (m_pos < m_text.size() && isIdentPart(peek()))
                advance();
            const QString word = m_text.mid(start, m_pos - start);
            Token token = make(keywords().value(word, TokenKind::Identifier), start, m_pos - start);
            token.text = word;
            return token;
        }
        if (c.isDigit())
            return number();
        if (c == u'"')
            return string();
        return punctuation();
    }

    std::optional<Token> number()
    {
        const int start = m_pos;
        qint64 whole = 0;
        bool overflow = false;
        bool fractionOverflow = false; // reported as too many decimal places, below
        auto digits = [&](qint64& value, int& count, bool& tooLarge) {
            while (m_pos < m_text.size() && (peek().isDigit() || peek() == u'_')) {
                if (peek() != u'_') {
                    const int digit = peek().digitValue();
                    if (value > (std::numeric_limits<qint64>::max() - digit) / 10)
                        tooLarge = true;
                    else
                        value = value * 10 + digit;
                    ++count;
                }
                advance();
            }
        };
        int wholeDigits = 0;
        digits(whole, wholeDigits, overflow);
        qint64 fraction = 0;
        int fractionDigits = 0;
        if (peek() == u'.' && peek(1).isDigit()) {
            advance();
            digits(fraction, fractionDigits, fractionOverflow);
        }
        const int unitStart = m_pos;
        while (m_pos < m_text.size() && isIdentPart(peek()))
            advance();
        const QString unit = m_text.mid(unitStart, m_pos - unitStart);
        const int length = m_pos - start;
        // A bad number still stands in the token stream, so that it causes no second error.
        auto invalid = [&](const QString& message) {
            error(start, length, message);
            return make(unit.isEmpty() ? TokenKind::Integer : TokenKind::Duration, start, length);
        };
        if (overflow)
            return invalid(u"number is too large"_qs);
        if (unit.isEmpty()) {
            if (fractionDigits)
                return invalid(u"fractions need a duration unit, e.g. 1.5ms; counts are whole numbers"_qs);
            Token token = make(TokenKind::Integer, start, length);
            token.number = whole;
            return token;
        }
        static const QHash<QString, qint64> units {
            { u"ns"_qs, 1 }, { u"us"_qs, 1000 }, { u"ms"_qs, 1'000'000 }, { u"s"_qs, 1'000'000'000 },
        };
        if (!units.contains(unit)) {
            error(unitStart, m_pos - unitStart,
                  QStringLiteral("unknown duration unit `%1`; use ns, us, ms or s (e.g. 80ms)").arg(unit));
            return make(TokenKind::Duration, start, length);
        }
        const qint64 scale = units.value(unit);
        qint64 fractionNs = 0;
        if (fractionDigits) {
            // A nanosecond is the finest unit, 1e-9 s: more than nine places never fit.
            if (fractionDigits > 9 || fractionOverflow)
                return invalid(u"too many decimal places: a duration has at most 9"_qs);
            qint64 divisor = 1;
            for (int i = 0; i < fractionDigits; ++i)
                divisor *= 10;
            // fraction < 1e9 and scale <= 1e9: the product fits.
            if ((fraction * scale) % divisor != 0)
                return invalid(u"duration is finer than a nanosecond"_qs);
            fractionNs = fraction * scale / divisor;
        }
        if (whole > (std::numeric_limits<qint64>::max() - fractionNs) / scale)
            return invalid(u"duration is too long"_qs);
        Token token = make(TokenKind::Duration, start, length);
        token.number = whole * scale + fractionNs;
        return token;
    }

    std::optional<Token> string()
    {
        const int start = m_pos;
        advance(); // opening quote
        while (m_pos < m_text.size() && peek() != u'"' && peek() != u'\n') {
            if (peek() == u'\\' && m_pos + 1 < m_text.size() && peek(1) != u'\n')
                advance();
            advance();
        }
        const bool closed = peek() == u'"';
        if (closed) {
            advance();
        } else {
            error(start, m_pos - start, u"unterminated string: add the closing `\"` on the same line"_qs);
        }
        // An unterminated string still yields a token, so that the parser does not stumble
        // over its absence and report the same mistake again.
        Token token = make(TokenKind::String, start, m_pos - start);
        token.text = m_text.mid(start + 1, m_pos - start - (closed ? 2 : 1));
        return token;
    }

    std::optional<Token> punctuation()
    {
        struct Symbol {
            const char16_t* text;
            TokenKind kind;
        };
        // Longest first, so `..` wins over `.` and `==` over `=`.
        static const Symbol symbols[] = {
            { u"..", TokenKind::DotDot },     { u"==", TokenKind::Eq },       { u"!=", TokenKind::Ne },
            { u"<=", TokenKind::Le },         { u">=", TokenKind::Ge },       { u"&&", TokenKind::AndAnd },
            { u"||", TokenKind::OrOr },       { u"+=", TokenKind::PlusAssign }, { u"-=", TokenKind::MinusAssign },
            { u"(", TokenKind::LParen },      { u")", TokenKind::RParen },    { u"{", TokenKind::LBrace },
            { u"}", TokenKind::RBrace },       { u"[", TokenKind::LBracket },  { u"]", TokenKind::RBracket },
            { u",", TokenKind::Comma },       { u";", TokenKind::Semicolon }, { u":", TokenKind::Colon },
            { u".", TokenKind::Dot },         { u"?", TokenKind::Question },  { u"=", TokenKind::Assign },
            { u"<", TokenKind::Lt },          { u">", TokenKind::Gt },        { u"+", TokenKind::Plus },
            { u"-", TokenKind::Minus },       { u"*", TokenKind::Star },      { u"/", TokenKind::Slash },
            { u"%", TokenKind::Percent },     { u"!", TokenKind::Bang },
        };
        const QStringView rest = QStringView(m_text).mid(m_pos);
        for (const Symbol& symbol : symbols) {
            const QStringView text(symbol.text);
            if (rest.startsWith(text)) {
                Token token = make(symbol.kind, m_pos, int(text.size()));
                for (int i = 0; i < text.size(); ++i)
                    advance();
                return token;
            }
        }
        const int start = m_pos;
        const char32_t code = QChar::isHighSurrogate(peek().unicode()) && m_pos + 1 < m_text.size()
            ? QChar::surrogateToUcs4(peek(), peek(1))
            : peek().unicode();
        advance();
        if (code > 0xffff && m_pos < m_text.size())
            advance();
        // One that would not show (a control or format character) is named by its code point.
        const QChar::Category category = QChar::category(code);
        const bool invisible = category == QChar::Other_Control ||
            category == QChar::Other_Format || QChar::isSpace(code);
        const QString shown = invisible
            ? QStringLiteral("U+%1").arg(uint(code), 4, 16, QChar(u'0')).toUpper()
            : u'`' + QString::fromUcs4(&code, 1) + u'`';
        error(start, m_pos - start,
            code == U'\'' ? u"strings use double quotes: \"...\""_qs
                          : QStringLiteral("unexpected character %1").arg(shown));
        return std::nullopt;
    }

    const QString& m_text;
    QList<ScriptError>& m_errors;
    int m_pos = 0;
    int m_line = 1;
    int m_lineStart = 0;
};

} // namespace

QList<Token> tokenize(const QString& text, QList<ScriptError>& errors)
{
    return Lexer(text, errors).run();
}

QString describeToken(TokenKind kind)
{
    switch (kind) {
    case TokenKind::End:
        return u"the end of the file"_qs;
    case TokenKind::Identifier:
        return u"a name"_qs;
    case TokenKind::Integer:
        return u"a number"_qs;
    case TokenKind::Duration:
        return u"a duration"_qs;
    case TokenKind::String:
        return u"a string"_qs;
    default:
        break;
    }
    static const QHash<TokenKind, QString> spelled = [] {
        QHash<TokenKind, QString> table;
        for (auto it = keywords().cbegin(); it != keywords().cend(); ++it)
            table.insert(it.value(), it.key());
        const std::pair<TokenKind, const char16_t*> symbols[] = {
            { TokenKind::LParen, u"(" },  { TokenKind::RParen, u")" },   { TokenKind::LBrace, u"{" },
            { TokenKind::RBrace, u"}" },  { TokenKind::LBracket, u"[" }, { TokenKind::RBracket, u"]" },
            { TokenKind::Comma, u"," },   { TokenKind::Semicolon, u";" }, { TokenKind::Colon, u":" },
            { TokenKind::Dot, u"." },     { TokenKind::DotDot, u".." },  { TokenKind::Question, u"?" },
            { TokenKind::Assign, u"=" },  { TokenKind::PlusAssign, u"+=" }, { TokenKind::MinusAssign, u"-=" },
            { TokenKind::Eq, u"==" },     { TokenKind::Ne, u"!=" },      { TokenKind::Lt, u"<" },
            { TokenKind::Le, u"<=" },     { TokenKind::Gt, u">" },       { TokenKind::Ge, u">=" },
            { TokenKind::Plus, u"+" },    { TokenKind::Minus, u"-" },    { TokenKind::Star, u"*" },
            { TokenKind::Slash, u"/" },   { TokenKind::Percent, u"%" },  { TokenKind::AndAnd, u"&&" },
            { TokenKind::OrOr, u"||" },   { TokenKind::Bang, u"!" },
        };
        for (const auto& [k, text] : symbols)
            table.insert(k, QString::fromUtf16(text));
        return table;
    }();
    return u'`' + spelled.value(kind) + u'`';
}

} // namespace pollscope
