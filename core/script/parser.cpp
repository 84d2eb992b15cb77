#include "script/parser.h"

#include <QHash>
#include <QSet>

#include <utility>

namespace pollscope {

using namespace ast;

namespace {

/// Thrown to abandon the current statement or item; the error is already recorded.
struct ParseAbort {
};

constexpr int kMaxDepth = 200;
constexpr int kMaxErrors = 50;

class Parser
{
public:
    Parser(const QString& text, QList<ScriptError>& errors)
        : m_errors(errors)
        , m_tokens(tokenize(text, errors))
    {
        for (const ScriptError& error : m_errors)
            m_linesWithLexErrors.insert(error.location.line);
    }

    Script run()
    {
        Script script;
        while (!at(TokenKind::End) && m_errors.size() < kMaxErrors) {
            const int before = m_pos;
            try {
                topLevel(script);
            } catch (const ParseAbort&) {
                syncTopLevel(before);
            }
        }
        if (m_errors.size() >= kMaxErrors && !at(TokenKind::End))
            noteErrorLimit();
        return script;
    }

private:
    // --- Tokens ---

    const Token& peek(int ahead = 0) const
    {
        const int i = std::min(m_pos + ahead, int(m_tokens.size()) - 1);
        return m_tokens[i];
    }
    bool at(TokenKind kind) const { return peek().kind == kind; }
    const Token& advance()
    {
        const Token& token = m_tokens[m_pos];
        if (m_pos < int(m_tokens.size()) - 1)
            ++m_pos;
        return token;
    }
    bool accept(TokenKind kind)
    {
        if (!at(kind))
            return false;
        advance();
        return true;
    }
    const Token& expect(TokenKind kind, const QString& context)
    {
        if (!at(kind)) {
            const QString expected = context.isEmpty() ? describeToken(kind) : describeToken(kind) + u' ' + context;
            fail(missingAt(), QStringLiteral("expected %1, found %2").arg(expected, found(peek())));
        }
        return advance();
    }
    /// Where something missing belongs: at the next token, or, if that is on a later line,
    /// just after the previous token (a forgotten `;` is reported on its own line).
    SourceLocation missingAt() const
    {
        if (m_pos == 0)
            return peek().location;
        const SourceLocation& previous = m_tokens[m_pos - 1].location;
        if (peek().location.line <= previous.line)
            return peek().location;
        SourceLocation after = previous;
        after.offset += previous.length;
        after.column += previous.length;
        after.length = 1;
        return after;
    }

    static QString found(const Token& token)
    {
        switch (token.kind) {
        case TokenKind::Identifier:
            return u'`' + token.text + u'`';
        case TokenKind::Integer:
            return QStringLiteral("the number %1").arg(token.number);
        case TokenKind::String:
            return u"a string"_qs;
        case TokenKind::Duration:
            return u"a duration"_qs;
        default:
            return describeToken(token.kind);
        }
    }

    /// Past kMaxErrors the parser stops; the last error says so, where it stopped.
    void noteErrorLimit()
    {
        if (std::exchange(m_notedErrorLimit, true))
            return;
        m_errors.append(ScriptError { peek().location,
            u"too many errors: the check stops here (fix the ones above first)"_qs });
    }

    [[noreturn]] void fail(const SourceLocation& location, const QString& message)
    {
        // A line with a bad token already has its error; what follows from it would repeat it.
        if (!m_linesWithLexErrors.contains(location.line))
            m_errors.append(ScriptError { location, message });
        throw ParseAbort {};
    }

    /// Skips to the next top-level item; always moves forward. Inside a variant it also stops,
    /// without consuming it, at a `}` it has not seen opened: the one that closes the variant.
    void syncTopLevel(int before, bool insideVariant = false)
    {
        if (m_pos == before)
            advance();
        int depth = 0;
        while (!at(TokenKind::End)) {
            const TokenKind k = peek().kind;
            if (depth == 0
                && (k == TokenKind::KwFn || k == TokenKind::KwAsync || k == TokenKind::KwScenario
                    || k == TokenKind::KwAbout || k == TokenKind::KwRuntime || k == TokenKind::KwSeed
                    || k == TokenKind::KwVariant))
                return;
            if (depth == 0 && k == TokenKind::RBrace && insideVariant)
                return;
            if (k == TokenKind::LBrace)
                ++depth;
            if (k == TokenKind::RBrace)
                depth = std::max(0, depth - 1);
            advance();
        }
    }

    /// Skips the rest of a broken statement: past its `;`, or up to the `}` that closes the
    /// block, or up to the next line that starts a statement.
    void syncStatement(int before)
    {
        if (m_pos == before)
            advance();
        int depth = 0;
        int line = m_tokens[std::max(0, m_pos - 1)].location.line;
        while (!at(TokenKind::End)) {
            const Token& t = peek();
            if (depth == 0 && t.kind == TokenKind::RBrace)
                return;
            if (depth == 0 && t.kind == TokenKind::Semicolon) {
                advance();
                return;
            }
            if (depth == 0 && t.location.line > line && startsStatement(t.kind))
                return;
            if (t.kind == TokenKind::LBrace || t.kind == TokenKind::LParen || t.kind == TokenKind::LBracket)
                ++depth;
            if (t.kind == TokenKind::RBrace || t.kind == TokenKind::RParen || t.kind == TokenKind::RBracket)
                depth = std::max(0, depth - 1);
            line = t.location.line;
            advance();
        }
    }

    static bool startsStatement(TokenKind kind)
    {
        switch (kind) {
        case TokenKind::KwLet:
        case TokenKind::KwIf:
        case TokenKind::KwFor:
        case TokenKind::KwWhile:
        case TokenKind::KwLoop:
        case TokenKind::KwReturn:
        case TokenKind::KwBreak:
        case TokenKind::KwContinue:
        case TokenKind::KwFn:
        case TokenKind::KwAsync:
            return true;
        default:
            return false;
        }
    }

    /// Bounds recursion, so that deeply nested input is an error, not a stack overflow.
    struct DepthGuard {
        DepthGuard(Parser& parser, const SourceLocation& location)
            : m_parser(parser)
        {
            if (m_parser.m_depth >= kMaxDepth)
                m_parser.fail(location, u"nested too deeply"_qs);
            ++m_parser.m_depth;
        }
        ~DepthGuard() { --m_parser.m_depth; }
        DepthGuard(const DepthGuard&) = delete;
        DepthGuard& operator=(const DepthGuard&) = delete;
        Parser& m_parser;
    };

    /// Counts the operators of a loop (`a + b + c`, `x?.await?`) against the same bound: each
    /// one nests the tree a level deeper, and the compiler and destructors recurse over it.
    struct ChainDepth {
        explicit ChainDepth(Parser& parser)
            : m_parser(parser)
        {
        }
        void add(const SourceLocation& location)
        {
            if (m_parser.m_depth >= kMaxDepth)
                m_parser.fail(location, u"nested too deeply"_qs);
            ++m_parser.m_depth;
            ++m_added;
        }
        ~ChainDepth() { m_parser.m_depth -= m_added; }
        ChainDepth(const ChainDepth&) = delete;
        ChainDepth& operator=(const ChainDepth&) = delete;
        Parser& m_parser;
        int m_added = 0;
    };

    // --- Items ---

    void topLevel(Script& script)
    {
        switch (peek().kind) {
        case TokenKind::KwScenario:
            advance();
            script.title = decodePlain(expect(TokenKind::String, u"after `scenario` (its title)"_qs));
            return;
        case TokenKind::KwAbout:
            advance();
            script.about = decodePlain(expect(TokenKind::String, u"after `about`"_qs));
            return;
        case TokenKind::KwRuntime:
            script.runtime.push_back(runtimeHeader());
            return;
        case TokenKind::KwSeed: {
            advance();
            const Token& value = expect(TokenKind::Integer, u"after `seed`"_qs);
            script.seed = value.number;
            return;
        }
        case TokenKind::KwVariant:
            script.variants.push_back(variant());
            return;
        case TokenKind::KwAsync:
        case TokenKind::KwFn:
            script.functions.push_back(function());
            return;
        default:
            fail(peek().location,
                 QStringLiteral("expected `async fn`, `scenario`, `about`, `runtime`, `seed` or `variant`, found %1")
                     .arg(found(peek())));
        }
    }

    RuntimeHeader runtimeHeader()
    {
        RuntimeHeader header;
        header.location = advance().location;
        const Token& flavor = expect(TokenKind::Identifier, u"after `runtime` (e.g. current_thread)"_qs);
        header.flavor = flavor.text;
        header.location = flavor.location;
        expect(TokenKind::LParen, u"after the runtime flavor"_qs);
        while (!at(TokenKind::RParen)) {
            const Token& name = expect(TokenKind::Identifier, u"(a runtime setting, e.g. poll_cost)"_qs);
            expect(TokenKind::Colon, u"after the setting name"_qs);
            header.settings.push_back(RuntimeSetting { name.text, name.location, expression() });
            if (!accept(TokenKind::Comma))
                break;
        }
        expect(TokenKind::RParen, u"to close the runtime settings"_qs);
        return header;
    }

    Variant variant()
    {
        Variant v;
        v.location = advance().location;
        v.name = decodePlain(expect(TokenKind::String, u"after `variant` (its name)"_qs));
        expect(TokenKind::LBrace, u"to open the variant"_qs);
        while (!at(TokenKind::RBrace) && !at(TokenKind::End)) {
            const int before = m_pos;
            try {
                if (at(TokenKind::KwAbout)) {
                    advance();
                    v.about = decodePlain(expect(TokenKind::String, u"after `about`"_qs));
                } else if (at(TokenKind::KwRuntime)) {
                    v.runtime.push_back(runtimeHeader());
                } else if (at(TokenKind::KwAsync) || at(TokenKind::KwFn)) {
                    v.functions.push_back(function());
                } else {
                    fail(peek().location, QStringLiteral("a variant holds `about`, `runtime` and functions, found %1")
                                              .arg(found(peek())));
                }
            } catch (const ParseAbort&) {
                syncTopLevel(before, true);
                if (at(TokenKind::KwScenario) || at(TokenKind::KwSeed) || at(TokenKind::KwVariant))
                    return v;
            }
        }
        expect(TokenKind::RBrace, u"to close the variant"_qs);
        return v;
    }

    Function function()
    {
        Function fn;
        fn.location = peek().location;
        fn.isAsync = accept(TokenKind::KwAsync);
        expect(TokenKind::KwFn, fn.isAsync ? u"after `async`"_qs : QString());
        const Token& name = expect(TokenKind::Identifier, u"(the function name)"_qs);
        fn.name = name.text;
        fn.nameLocation = name.location;
        expect(TokenKind::LParen, u"after the function name"_qs);
        while (!at(TokenKind::RParen)) {
            const Token& param = expect(TokenKind::Identifier, u"(a parameter name)"_qs);
            fn.params.push_back(Param { param.text, param.location });
            if (!accept(TokenKind::Comma))
                break;
        }
        expect(TokenKind::RParen, u"to close the parameters"_qs);
        fn.body = block(u"to open the function body"_qs, true);
        fn.end = m_tokens[m_pos - 1].location;
        return fn;
    }

    // --- Statements ---

    Block block(const QString& context, bool allowTail = false)
    {
        const Token& open = expect(TokenKind::LBrace, context);
        DepthGuard guard(*this, open.location);
        Block statements;
        while (!at(TokenKind::RBrace) && !at(TokenKind::End)) {
            if (m_errors.size() >= kMaxErrors) {
                noteErrorLimit();
                throw ParseAbort {};
            }
            const int before = m_pos;
            try {
                statements.push_back(statement());
                const Stmt& last = *statements.back();
                if (last.kind == StmtKind::Expr && !last.hasSemicolon && !(allowTail && at(TokenKind::RBrace)))
                    fail(missingAt(), QStringLiteral("expected `;` after the statement, found %1").arg(found(peek())));
            } catch (const ParseAbort&) {
                syncStatement(before);
            }
        }
        if (!at(TokenKind::RBrace))
            fail(open.location, u"this `{` is never closed"_qs);
        advance();
        return statements;
    }

    StmtPtr statement()
    {
        auto stmt = std::make_unique<Stmt>();
        stmt->location = peek().location;
        switch (peek().kind) {
        case TokenKind::KwLet: {
            advance();
            stmt->kind = StmtKind::Let;
            stmt->isMutable = accept(TokenKind::KwMut);
            const Token& name = expect(TokenKind::Identifier, u"after `let`"_qs);
            stmt->name = name.text;
            stmt->nameLocation = name.location;
            expect(TokenKind::Assign, QStringLiteral("after `let %1` (every variable starts with a value)").arg(name.text));
            stmt->expr = expression();
            expect(TokenKind::Semicolon, u"after the `let` statement"_qs);
            return stmt;
        }
        case TokenKind::KwIf:
            return ifStatement();
        case TokenKind::KwWhile:
            advance();
            stmt->kind = StmtKind::While;
            stmt->expr = expression();
            stmt->body = block(u"after the `while` condition"_qs);
            return stmt;
        case TokenKind::KwLoop:
            advance();
            stmt->kind = StmtKind::Loop;
            stmt->body = block(u"after `loop`"_qs);
            return stmt;
        case TokenKind::KwFor: {
            advance();
            stmt->kind = StmtKind::For;
            const Token& name = expect(TokenKind::Identifier, u"after `for`"_qs);
            stmt->name = name.text;
            stmt->nameLocation = name.location;
            expect(TokenKind::KwIn, QStringLiteral("after `for %1`").arg(name.text));
            stmt->expr = expression();
            stmt->body = block(u"after the `for` range"_qs);
            return stmt;
        }
        case TokenKind::KwBreak:
        case TokenKind::KwContinue:
            stmt->kind = advance().kind == TokenKind::KwBreak ? StmtKind::Break : StmtKind::Continue;
            expect(TokenKind::Semicolon, stmt->kind == StmtKind::Break ? u"after `break`"_qs : u"after `continue`"_qs);
            return stmt;
        case TokenKind::KwReturn:
            advance();
            stmt->kind = StmtKind::Return;
            if (!at(TokenKind::Semicolon))
                stmt->expr = expression();
            expect(TokenKind::Semicolon, u"after `return`"_qs);
            return stmt;
        case TokenKind::KwFn:
        case TokenKind::KwAsync:
            fail(peek().location, u"functions cannot be nested: move this `fn` to the top level"_qs);
        default:
            break;
        }
        if (at(TokenKind::Identifier)
            && (peek(1).kind == TokenKind::Assign || peek(1).kind == TokenKind::PlusAssign
                || peek(1).kind == TokenKind::MinusAssign)) {
            const Token& name = advance();
            stmt->kind = StmtKind::Assign;
            stmt->name = name.text;
            stmt->nameLocation = name.location;
            const TokenKind op = advance().kind;
            stmt->compound = op != TokenKind::Assign;
            stmt->compoundOp = op == TokenKind::MinusAssign ? BinaryOp::Sub : BinaryOp::Add;
            stmt->expr = expression();
            expect(TokenKind::Semicolon, u"after the assignment"_qs);
            return stmt;
        }
        stmt->kind = StmtKind::Expr;
        stmt->expr = expression();
        stmt->hasSemicolon = accept(TokenKind::Semicolon);
        return stmt;
    }

    StmtPtr ifStatement()
    {
        auto stmt = std::make_unique<Stmt>();
        stmt->location = advance().location;
        stmt->kind = StmtKind::If;
        stmt->expr = expression();
        stmt->body = block(u"after the `if` condition"_qs);
        if (accept(TokenKind::KwElse)) {
            if (at(TokenKind::KwIf)) {
                DepthGuard guard(*this, peek().location);
                stmt->elseBody.push_back(ifStatement());
            } else {
                stmt->elseBody = block(u"after `else`"_qs);
            }
        }
        return stmt;
    }

    // --- Expressions ---

    ExprPtr node(ExprKind kind, const SourceLocation& location)
    {
        auto e = std::make_unique<Expr>();
        e->kind = kind;
        e->location = location;
        return e;
    }

    ExprPtr binary(BinaryOp op, ExprPtr lhs, ExprPtr rhs, const SourceLocation& location)
    {
        auto e = node(ExprKind::Binary, location);
        e->binaryOp = op;
        e->lhs = std::move(lhs);
        e->rhs = std::move(rhs);
        return e;
    }

    ExprPtr expression()
    {
        DepthGuard guard(*this, peek().location);
        return logicalOr();
    }

    ExprPtr logicalOr()
    {
        ExprPtr lhs = logicalAnd();
        ChainDepth chain(*this);
        while (at(TokenKind::OrOr)) {
            chain.add(peek().location);
            const SourceLocation location = advance().location;
            lhs = binary(BinaryOp::Or, std::move(lhs), logicalAnd(), location);
        }
        return lhs;
    }

    ExprPtr logicalAnd()
    {
        ExprPtr lhs = comparison();
        ChainDepth chain(*this);
        while (at(TokenKind::AndAnd)) {
            chain.add(peek().location);
            const SourceLocation location = advance().location;
            lhs = binary(BinaryOp::And, std::move(lhs), comparison(), location);
        }
        return lhs;
    }

    ExprPtr comparison()
    {
        ExprPtr lhs = range();
        static const std::pair<TokenKind, BinaryOp> ops[] = {
            { TokenKind::Eq, BinaryOp::Eq }, { TokenKind::Ne, BinaryOp::Ne }, { TokenKind::Lt, BinaryOp::Lt },
            { TokenKind::Le, BinaryOp::Le }, { TokenKind::Gt, BinaryOp::Gt }, { TokenKind::Ge, BinaryOp::Ge },
        };
        for (const auto& [kind, op] : ops) {
            if (at(kind)) {
                const SourceLocation location = advance().location;
                lhs = binary(op, std::move(lhs), range(), location);
                for (const auto& [again, _] : ops)
                    if (at(again))
                        fail(peek().location, u"comparisons cannot be chained: use `&&`"_qs);
                break;
            }
        }
        return lhs;
    }

    ExprPtr range()
    {
        ExprPtr lhs = additive();
        if (at(TokenKind::DotDot)) {
            const SourceLocation location = advance().location;
            lhs = binary(BinaryOp::Range, std::move(lhs), additive(), location);
        }
        return lhs;
    }

    ExprPtr additive()
    {
        ExprPtr lhs = multiplicative();
        ChainDepth chain(*this);
        while (at(TokenKind::Plus) || at(TokenKind::Minus)) {
            chain.add(peek().location);
            const Token& op = advance();
            lhs = binary(op.kind == TokenKind::Plus ? BinaryOp::Add : BinaryOp::Sub, std::move(lhs),
                         multiplicative(), op.location);
        }
        return lhs;
    }

    ExprPtr multiplicative()
    {
        ExprPtr lhs = unary();
        ChainDepth chain(*this);
        while (at(TokenKind::Star) || at(TokenKind::Slash) || at(TokenKind::Percent)) {
            chain.add(peek().location);
            const Token& op = advance();
            const BinaryOp binaryOp = op.kind == TokenKind::Star ? BinaryOp::Mul
                : op.kind == TokenKind::Slash                    ? BinaryOp::Div
                                                                 : BinaryOp::Rem;
            lhs = binary(binaryOp, std::move(lhs), unary(), op.location);
        }
        return lhs;
    }

    ExprPtr unary()
    {
        if (at(TokenKind::Minus) || at(TokenKind::Bang)) {
            DepthGuard guard(*this, peek().location);
            const Token& op = advance();
            auto e = node(ExprKind::Unary, op.location);
            e->unaryOp = op.kind == TokenKind::Minus ? UnaryOp::Neg : UnaryOp::Not;
            e->lhs = unary();
            return e;
        }
        return postfix(primary());
    }

    ExprPtr postfix(ExprPtr e)
    {
        ChainDepth chain(*this);
        for (;;) {
            if (at(TokenKind::Dot) || at(TokenKind::Question) || at(TokenKind::LBracket))
                chain.add(peek().location);
            if (at(TokenKind::Dot)) {
                advance();
                const Token& name = expect(TokenKind::Identifier, u"after `.` (e.g. `.await`)"_qs);
                if (name.text == u"await") {
                    auto await = node(ExprKind::Await, name.location);
                    await->lhs = std::move(e);
                    e = std::move(await);
                } else if (at(TokenKind::LParen)) {
                    auto call = node(ExprKind::Method, name.location);
                    call->name = name.text;
                    call->args = arguments();
                    call->location = e->location;
                    spanTo(call->location, m_tokens[m_pos - 1].location);
                    call->lhs = std::move(e);
                    e = std::move(call);
                } else {
                    auto field = node(ExprKind::Field, name.location);
                    field->name = name.text;
                    field->lhs = std::move(e);
                    e = std::move(field);
                }
            } else if (at(TokenKind::Question)) {
                auto tryExpr = node(ExprKind::Try, advance().location);
                tryExpr->lhs = std::move(e);
                e = std::move(tryExpr);
            } else if (at(TokenKind::LBracket)) {
                auto index = node(ExprKind::Index, advance().location);
                index->lhs = std::move(e);
                index->rhs = expression();
                expect(TokenKind::RBracket, u"to close the index"_qs);
                e = std::move(index);
            } else {
                return e;
            }
        }
    }

    std::vector<ExprPtr> arguments()
    {
        expect(TokenKind::LParen, u"to start the arguments"_qs);
        std::vector<ExprPtr> args;
        while (!at(TokenKind::RParen)) {
            args.push_back(expression());
            if (!accept(TokenKind::Comma))
                break;
        }
        expect(TokenKind::RParen, u"to close the arguments"_qs);
        return args;
    }

    ExprPtr primary()
    {
        const Token& token = peek();
        switch (token.kind) {
        case TokenKind::Integer:
        case TokenKind::Duration: {
            advance();
            auto e = node(token.kind == TokenKind::Integer ? ExprKind::Integer : ExprKind::Duration, token.location);
            e->number = token.number;
            return e;
        }
        case TokenKind::KwTrue:
        case TokenKind::KwFalse: {
            advance();
            auto e = node(ExprKind::Bool, token.location);
            e->number = token.kind == TokenKind::KwTrue;
            return e;
        }
        case TokenKind::String: {
            advance();
            auto e = node(ExprKind::String, token.location);
            e->parts = decodeTemplate(token);
            return e;
        }
        case TokenKind::Identifier: {
            advance();
            if (at(TokenKind::LParen)) {
                auto call = node(ExprKind::Call, token.location);
                call->name = token.text;
                call->args = arguments();
                spanTo(call->location, m_tokens[m_pos - 1].location);
                return call;
            }
            auto e = node(ExprKind::Name, token.location);
            e->name = token.text;
            return e;
        }
        case TokenKind::LBracket: {
            advance();
            auto list = node(ExprKind::List, token.location);
            while (!at(TokenKind::RBracket)) {
                list->args.push_back(expression());
                if (!accept(TokenKind::Comma))
                    break;
            }
            expect(TokenKind::RBracket, u"to close the list"_qs);
            return list;
        }
        case TokenKind::LParen: {
            advance();
            ExprPtr inner = expression();
            expect(TokenKind::RParen, u"to close the parenthesis"_qs);
            return inner;
        }
        case TokenKind::KwSpawn: {
            advance();
            auto spawn = node(ExprKind::Spawn, token.location);
            const Token& callee = peek();
            if (callee.kind != TokenKind::Identifier || peek(1).kind != TokenKind::LParen)
                fail(callee.location, u"`spawn` takes a call of an async fn, e.g. `spawn fetch(url)`"_qs);
            spawn->lhs = primary();
            if (accept(TokenKind::KwAs))
                spawn->rhs = unary();
            return spawn;
        }
        default:
            fail(token.location, QStringLiteral("expected an expression, found %1").arg(found(token)));
        }
    }

    /// Stretches `location` to the end of `last` when both lie on one line: a call's location
    /// covers the whole call, so carets underline it and ghosts are described by its text.
    static void spanTo(SourceLocation& location, const SourceLocation& last)
    {
        if (last.line == location.line)
            location.length = last.offset + last.length - location.offset;
    }

    // --- Strings ---

    /// Decodes escapes; `{name}` interpolations become separate parts.
    std::vector<StringPart> decodeTemplate(const Token& token)
    {
        std::vector<StringPart> parts;
        const QString& raw = token.text;
        QString literal;
        auto locationAt = [&](int index, int length) {
            SourceLocation l = token.location;
            l.offset += 1 + index;
            l.column += 1 + index;
            l.length = length;
            return l;
        };
        for (int i = 0; i < raw.size(); ++i) {
            const QChar c = raw[i];
            if (c == u'\\') {
                const QChar e = i + 1 < raw.size() ? raw[i + 1] : QChar();
                static const QHash<QChar, QChar> escapes {
                    { u'n', u'\n' }, { u't', u'\t' }, { u'"', u'"' }, { u'\\', u'\\' }, { u'{', u'{' }, { u'}', u'}' },
                };
                if (!escapes.contains(e)) {
                    m_errors.append(ScriptError { locationAt(i, 2), u"unknown escape; use \\n, \\t, \\\", \\\\, \\{ or \\}"_qs });
                } else {
                    literal += escapes.value(e);
                }
                ++i;
            } else if (c == u'{') {
                const int close = int(raw.indexOf(u'}', i + 1));
                const QString name = close < 0 ? QString() : raw.mid(i + 1, close - i - 1).trimmed();
                const bool valid = !name.isEmpty() && (name[0].isLetter() || name[0] == u'_')
                    && std::all_of(name.begin(), name.end(), [](QChar ch) { return ch.isLetterOrNumber() || ch == u'_'; });
                if (!valid) {
                    m_errors.append(ScriptError { locationAt(i, close < 0 ? 1 : close - i + 1),
                                                  u"`{` starts an interpolation like {name}; write \\{ for a brace"_qs });
                    if (close < 0)
                        break;
                    i = close;
                    continue;
                }
                if (!literal.isEmpty())
                    parts.push_back(StringPart { std::exchange(literal, {}), false, {} });
                parts.push_back(StringPart { name, true, locationAt(i + 1, close - i - 1) });
                i = close;
            } else {
                literal += c;
            }
        }
        if (!literal.isEmpty() || parts.empty())
            parts.push_back(StringPart { literal, false, {} });
        return parts;
    }

    /// A string that may not interpolate (titles, names).
    QString decodePlain(const Token& token)
    {
        QString text;
        for (const StringPart& part : decodeTemplate(token)) {
            if (part.isName) {
                m_errors.append(ScriptError { part.location, u"this string cannot interpolate names"_qs });
                continue;
            }
            text += part.text;
        }
        return text;
    }

    QList<ScriptError>& m_errors;
    QList<Token> m_tokens;
    QSet<int> m_linesWithLexErrors;
    bool m_notedErrorLimit = false;
    int m_pos = 0;
    int m_depth = 0;
};

} // namespace

Script parseScript(const QString& text, QList<ScriptError>& errors)
{
    return Parser(text, errors).run();
}

} // namespace pollscope
