#pragma once

#include "script/ast.h"
#include "script/lexer.h"

namespace pollscope {

/// Parses a scenario into its syntax tree. Recovers after an error (at the next statement or
/// item) so that one pass reports several; never throws, never recurses without bound.
ast::Script parseScript(const QString& text, QList<ScriptError>& errors);

} // namespace pollscope
