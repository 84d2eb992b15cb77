#pragma once

#include "script/scripterror.h"

#include <QList>
#include <QString>

namespace pollscope {

enum class TokenKind : std::uint8_t {
    End,
    Identifier,
    Integer,
    Duration, ///< number = nanoseconds
    String, ///< text = raw content between the quotes (escapes and {names} still in it)
    // Keywords
    KwScenario, KwAbout, KwRuntime, KwSeed, KwVariant, KwAsync, KwFn, KwLet, KwMut, KwFor, KwIn,
    KwLoop, KwWhile, KwIf, KwElse, KwBreak, KwContinue, KwReturn, KwSpawn, KwAs, KwTrue, KwFalse,
    // Punctuation
    LParen, RParen, LBrace, RBrace, LBracket, RBracket, Comma, Semicolon, Colon, Dot, DotDot,
    Question, Assign, PlusAssign, MinusAssign, Eq, Ne, Lt, Le, Gt, Ge, Plus, Minus, Star, Slash,
    Percent, AndAnd, OrOr, Bang,
};

struct Token {
    TokenKind kind = TokenKind::End;
    SourceLocation location;
    qint64 number = 0;
    QString text;
};

/// How a token kind reads in an error message, e.g. "`;`" or "a string".
QString describeToken(TokenKind kind);

/// Splits a scenario into tokens. Never fails: bad characters, unterminated strings and
/// numbers with unknown units are reported in `errors` and skipped.
QList<Token> tokenize(const QString& text, QList<ScriptError>& errors);

} // namespace pollscope
