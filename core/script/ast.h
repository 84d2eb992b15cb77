#pragma once

#include "script/scripterror.h"

#include <QString>

#include <memory>
#include <vector>

namespace pollscope::ast {

struct Expr;
struct Stmt;
using ExprPtr = std::unique_ptr<Expr>;
using StmtPtr = std::unique_ptr<Stmt>;
using Block = std::vector<StmtPtr>;

enum class BinaryOp : std::uint8_t { Add, Sub, Mul, Div, Rem, Eq, Ne, Lt, Le, Gt, Ge, And, Or, Range };
enum class UnaryOp : std::uint8_t { Neg, Not };

/// A piece of a string literal: literal text, or an interpolated `{name}`.
struct StringPart {
    QString text; ///< the literal text, or the interpolated name
    bool isName = false;
    SourceLocation location; ///< of the name, for errors
};

enum class ExprKind : std::uint8_t {
    Integer, ///< number
    Duration, ///< number (ns)
    Bool, ///< number (0/1)
    String, ///< parts
    Name, ///< name
    List, ///< args
    Unary, ///< unaryOp, lhs
    Binary, ///< binaryOp, lhs, rhs
    Call, ///< name(args): a built-in or a function of the scenario
    Method, ///< lhs.name(args)
    Field, ///< lhs.name
    Index, ///< lhs[rhs]
    Await, ///< lhs.await
    Try, ///< lhs?
    Spawn, ///< spawn lhs (a Call) [as rhs]
};

struct Expr {
    ExprKind kind = ExprKind::Integer;
    SourceLocation location;
    qint64 number = 0;
    QString name;
    std::vector<StringPart> parts;
    std::vector<ExprPtr> args;
    ExprPtr lhs;
    ExprPtr rhs;
    BinaryOp binaryOp = BinaryOp::Add;
    UnaryOp unaryOp = UnaryOp::Neg;
};

enum class StmtKind : std::uint8_t {
    Let, ///< let [mut] name = expr;
    Assign, ///< name = expr;  name += expr;  name -= expr;  (binaryOp Add/Sub for compound)
    Expr, ///< expr;   (or the tail expression of a function body: hasSemicolon false)
    If, ///< if expr { body } else { elseBody }
    While, ///< while expr { body }
    Loop, ///< loop { body }
    For, ///< for name in expr { body }
    Break,
    Continue,
    Return, ///< return [expr];
};

struct Stmt {
    StmtKind kind = StmtKind::Expr;
    SourceLocation location; ///< the whole statement's start (and first line's length)
    QString name;
    SourceLocation nameLocation;
    bool isMutable = false;
    bool hasSemicolon = true;
    bool compound = false; ///< Assign: += or -=
    BinaryOp compoundOp = BinaryOp::Add;
    ExprPtr expr;
    Block body;
    Block elseBody;
};

struct Param {
    QString name;
    SourceLocation location;
};

struct Function {
    QString name;
    SourceLocation location; ///< of `fn` (or `async`)
    SourceLocation nameLocation;
    bool isAsync = false;
    std::vector<Param> params;
    Block body;
    SourceLocation end; ///< the closing brace
};

/// `runtime current_thread(name: value, ...)`
struct RuntimeSetting {
    QString name;
    SourceLocation location;
    ExprPtr value;
};

struct RuntimeHeader {
    QString flavor;
    SourceLocation location;
    std::vector<RuntimeSetting> settings;
};

/// `variant "name" { about "..." runtime ... fn ... }`: replaces functions and settings.
struct Variant {
    QString name;
    QString about;
    SourceLocation location;
    std::vector<RuntimeHeader> runtime;
    std::vector<Function> functions;
};

struct Script {
    QString title;
    QString about;
    std::vector<RuntimeHeader> runtime;
    std::optional<qint64> seed;
    std::vector<Function> functions;
    std::vector<Variant> variants;
};

} // namespace pollscope::ast
