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
    QString title; ///< the `scenario "..."` header as parsed, also when there are errors
    /// Whether the text parsed without errors; only then are `variants` known.
    bool parsed = false;
    /// The variants the scenario declares, each once, also when there are errors, as long as
    /// the text parsed: after a syntax error a variant may be missing or cut short.
    QStringList variants;

    bool ok() const { return program != nullptr; }
    /// Every error as `FILE:LINE:COL: error: message`, its line and a caret.
    QString errorText() const { return formatErrors(source, errors); }
};

struct CompileOptions {
    QString variant; ///< compile this variant: its functions and settings replace the base ones
    /// Lines of sequential-await loops (Program::sequentialLoops) to compile in their concurrent
    /// form: an async fn's calls spawned first, then their handles awaited in order; a leaf
    /// future's (io, sleep, spawn_blocking) made first, then awaited together with join.
    QList<int> concurrentLoopsAt;
};

/// Parses and checks a scenario and compiles it to bytecode. Never throws; never crashes on
/// any text.
CompileResult compileScenario(const QString& text, const QString& fileName, const CompileOptions& options);
inline CompileResult compileScenario(const QString& text, const QString& fileName, const QString& variant = {})
{
    return compileScenario(text, fileName, CompileOptions { variant, {} });
}

} // namespace pollscope
