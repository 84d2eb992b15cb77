#pragma once

#include "script/program.h"
#include "script/scripterror.h"

#include <memory>

namespace pollscope {

/// The outcome of compiling a scenario: a program, or the errors that prevent one.
struct CompileResult {
    std::shared_ptr<const script::Program> program;
    QList<ScriptError> errors;
    SourceText source;

    bool ok() const { return program != nullptr; }
    /// Every error as `FILE:LINE:COL: error: message`, its line and a caret.
    QString errorText() const { return formatErrors(source, errors); }
};

/// Parses and checks a scenario and compiles it to bytecode. With `variant`, the functions and
/// settings that variant declares replace the base ones. Never throws; never crashes on any text.
CompileResult compileScenario(const QString& text, const QString& fileName, const QString& variant = {});

} // namespace pollscope
