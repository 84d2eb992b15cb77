#include "commandline.h"

#include "analysis/comparison.h"
#include "analysis/diagnostics.h"
#include "analysis/summary.h"
#include "export/comparisonexporter.h"
#include "export/timelineexporter.h"
#include "io/outputfile.h"
#include "script/compiler.h"
#include "script/interpreter.h"
#include "script/scenariolibrary.h"
#include "trace/chrometrace.h"
#include "trace/jsonlines.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace pollscope {

namespace {

enum ExitCode { Success = 0, ScenarioFailed = 1, UsageError = 2 };

void print(FILE* stream, const QString& text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), stream);
}

/// A command's own parser: its description, options and `--help`.
struct Command {
    QCommandLineParser parser;
    QString name;
    QString argumentName;
    QString usage;

    /// `arguments` names the positional argument, `argumentHelp` says what it is.
    Command(const QString& commandName, const QString& description, const QString& arguments = {},
        const QString& argumentHelp = {})
        : name(commandName)
        , argumentName(arguments)
    {
        parser.setApplicationDescription(description);
        parser.addHelpOption();
        usage = QStringLiteral("usage: pollscope %1 %2").arg(name, arguments).trimmed();
        if (!arguments.isEmpty())
            parser.addPositionalArgument(arguments, argumentHelp);
    }

    /// Parses; on `--help` or an error prints and returns the exit code to stop with.
    std::optional<int> parse(const QStringList& arguments, int positionals)
    {
        if (!parser.parse(arguments)) {
            print(stderr, QStringLiteral("pollscope: %1\n%2\n").arg(parser.errorText(), usage));
            return UsageError;
        }
        // The help lists --help-all (QCommandLineParser adds it); a command has no Qt options
        // to add, so it shows the same help.
        if (parser.isSet(u"help"_qs) || parser.isSet(u"help-all"_qs)) {
            print(stdout,
                parser.helpText().replace(
                    QRegularExpression(u"^Usage: \\S+"_qs), u"Usage: pollscope "_qs + name));
            return Success;
        }
        const QStringList given = parser.positionalArguments();
        if (given.size() < positionals) {
            print(stderr,
                QStringLiteral("pollscope: %1 needs %2\n%3\n").arg(name, argumentName, usage));
            return UsageError;
        }
        if (given.size() > positionals) {
            print(stderr,
                QStringLiteral("pollscope: unexpected argument \"%1\"\n%2\n")
                    .arg(given.at(positionals), usage));
            return UsageError;
        }
        return std::nullopt;
    }
};

int list(const QStringList& arguments)
{
    Command command(u"list"_qs, u"Lists the built-in scenarios: name, title and variants."_qs);
    if (auto code = command.parse(arguments, 0))
        return *code;
    const auto& entries = ScenarioLibrary::builtins();
    qsizetype width = 0;
    for (const ScenarioEntry& entry : entries)
        width = std::max(width, entry.name.size());
    for (const ScenarioEntry& entry : entries) {
        QString line = entry.name.leftJustified(width + 2) + entry.title;
        if (!entry.variants.isEmpty())
            line += QStringLiteral("  [variants: %1]").arg(entry.variants.join(u", "));
        print(stdout, line + u'\n');
    }
    return Success;
}

/// Finds FILE or a built-in NAME. On failure prints why and returns false.
bool resolve(const QString& what, ScenarioEntry& entry)
{
    QString error;
    if (QFileInfo::exists(what)) {
        if (ScenarioLibrary::load(what, entry, error))
            return true;
    } else if (const ScenarioEntry* builtin = ScenarioLibrary::find(what)) {
        entry = *builtin;
        return true;
    } else {
        error = QStringLiteral(
            "%1: no such file, and no built-in scenario of that name (see `pollscope list`)")
                    .arg(what);
    }
    print(stderr, u"pollscope: "_qs + error + u'\n');
    return false;
}

/// Prints `errors` of `compiled`; those of a variant under a heading that names it, since
/// shared code can be wrong in one variant only.
void printErrors(
    const CompileResult& compiled, const QList<ScriptError>& errors, const QString& variant = {})
{
    if (!variant.isEmpty())
        print(stderr, QStringLiteral("with variant \"%1\":\n").arg(variant));
    print(stderr, formatErrors(compiled.source, errors));
}
void printErrors(const CompileResult& compiled, const QString& variant = {})
{
    printErrors(compiled, compiled.errors, variant);
}

int check(const QStringList& arguments)
{
    Command command(u"check"_qs,
        u"Parses and checks a scenario without running it; errors as FILE:LINE:COL: message."_qs,
        u"FILE|NAME"_qs, u"A scenario file (.scn), or the name of a built-in scenario."_qs);
    if (auto code = command.parse(arguments, 1))
        return *code;
    ScenarioEntry entry;
    if (!resolve(command.parser.positionalArguments().front(), entry))
        return UsageError;
    const auto failed = [](qsizetype errors) {
        print(stderr,
            errors == 1 ? QStringLiteral("1 error\n") : QStringLiteral("%1 errors\n").arg(errors));
        return ScenarioFailed;
    };
    // The base first, then each variant on its own, also when the base has errors: a variant
    // may replace the code that has them, or bring its own. A text that does not parse has no
    // variants to compile (CompileResult::variants is empty): its errors are all there is.
    const CompileResult compiled = compileScenario(entry.source, entry.path);
    printErrors(compiled);
    qsizetype errors = compiled.errors.size();
    for (const QString& variant : compiled.variants) {
        const CompileResult other = compileScenario(entry.source, entry.path, variant);
        // A variant compiles the base's shared code too: what the base reported is not repeated.
        QList<ScriptError> own;
        for (const ScriptError& error : other.errors)
            if (!compiled.errors.contains(error))
                own << error;
        if (!own.isEmpty()) {
            printErrors(other, own, variant);
            errors += own.size();
        }
    }
    if (errors > 0)
        return failed(errors);
    // A built-in is named as the user named it, not by its resource path.
    const bool builtin = entry.path.startsWith(u':');
    print(stdout, QStringLiteral("%1: ok\n").arg(builtin ? entry.name : entry.path));
    return Success;
}

bool writeFile(const QString& path, const std::function<bool(QIODevice&)>& write)
{
    QString error;
    if (!writeOutputFile(path, write, error)) {
        print(stderr, QStringLiteral("pollscope: cannot write %1: %2\n").arg(path, error));
        return false;
    }
    return true;
}

/// A duration for --range: "250ms", "1.5 s", "80us", "500ns"; a plain number is microseconds,
/// as the `_us` fields of --events and --summary=json.
std::optional<TimeNs> parseDuration(const QString& text)
{
    static const QRegularExpression pattern(
        u"^\\s*(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*(ns|us|\u00b5s|ms|s)?\\s*$"_qs);
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const QString unit = match.captured(2);
    const double scale = unit == u"ns" ? 1.0 : unit == u"ms" ? 1e6 : unit == u"s" ? 1e9 : 1e3;
    const double ns = std::round(match.captured(1).toDouble() * scale);
    if (ns > 1e18)
        return std::nullopt;
    return TimeNs(ns);
}

/// `run`'s --export and the options that shape the image.
struct ImageOptions {
    const QCommandLineOption path { u"export"_qs,
        u"Write the timeline as an image, PNG, SVG or PDF by the extension; needs no display. With "
        u"--compare or --compare-variant: both timelines on one time axis under the comparison's "
        u"headline."_qs,
        u"OUT.png|OUT.svg|OUT.pdf"_qs };
    const QCommandLineOption width { u"width"_qs,
        u"With --export: the width in pixels (default 1600)."_qs, u"W"_qs, u"1600"_qs };
    const QCommandLineOption height { u"height"_qs,
        u"With --export: the height in pixels (default: as tall as all lanes need). With a "
        u"comparison, the whole picture's, shared by the two timelines."_qs,
        u"H"_qs };
    const QCommandLineOption range { u"range"_qs,
        u"With --export: only the times FROM..TO, e.g. 10ms..250ms (units ns, us, ms, s; a plain "
        u"number is "
        "microseconds). Default: the whole run."_qs,
        u"FROM..TO"_qs };
    const QCommandLineOption theme { u"theme"_qs, u"With --export: light (default) or dark."_qs,
        u"light|dark"_qs, u"light"_qs };
    const QCommandLineOption scale { u"scale"_qs,
        u"With --export to PNG: pixels per pixel, e.g. 2 for high-DPI screens (default 1)."_qs,
        u"R"_qs, u"1"_qs };

    QList<QCommandLineOption> all() const { return { path, width, height, range, theme, scale }; }

    /// The exporter's options in `out` (nullopt without --export), checked before the run so
    /// that a typo costs nothing. Returns false after printing why they are bad.
    bool parse(const QCommandLineParser& p, std::optional<TimelineExportOptions>& out) const
    {
        const auto fail = [](const QString& message) {
            print(stderr, u"pollscope: "_qs + message + u'\n');
            return false;
        };
        if (!p.isSet(path)) {
            for (const QCommandLineOption& option : { width, height, range, theme, scale })
                if (p.isSet(option))
                    return fail(QStringLiteral("--%1 needs --export").arg(option.names().front()));
            return true;
        }
        TimelineExportOptions o;
        o.format = imageFormatOf(p.value(path));
        if (!o.format)
            return fail(QStringLiteral("%1: unknown image format: use .png, .svg or .pdf")
                            .arg(p.value(path)));
        // A vector image has no pixels to multiply.
        if (p.isSet(scale) && *o.format != ImageFormat::Png)
            return fail(QStringLiteral("--scale needs a PNG export; %1 is a vector image")
                            .arg(p.value(path)));
        bool ok = false;
        o.width = p.value(width).toInt(&ok);
        if (!ok || o.width < ImageExportOptions::kMinWidth ||
            o.width > ImageExportOptions::kMaxSide)
            return fail(QStringLiteral("--width takes %1 to %2 pixels, not \"%3\"")
                            .arg(ImageExportOptions::kMinWidth)
                            .arg(ImageExportOptions::kMaxSide)
                            .arg(p.value(width)));
        if (p.isSet(height)) {
            o.height = p.value(height).toInt(&ok);
            if (!ok || o.height < ImageExportOptions::kMinHeight ||
                o.height > ImageExportOptions::kMaxSide)
                return fail(QStringLiteral("--height takes %1 to %2 pixels, not \"%3\"")
                                .arg(ImageExportOptions::kMinHeight)
                                .arg(ImageExportOptions::kMaxSide)
                                .arg(p.value(height)));
        }
        o.scale = p.value(scale).toDouble(&ok);
        if (!ok || !(o.scale >= 0.5 && o.scale <= 8))
            return fail(QStringLiteral("--scale takes 0.5 to 8, not \"%1\"").arg(p.value(scale)));
        if (p.value(theme) != u"light" && p.value(theme) != u"dark")
            return fail(QStringLiteral("--theme is light or dark, not \"%1\"").arg(p.value(theme)));
        o.dark = p.value(theme) == u"dark";
        if (p.isSet(range)) {
            const QString text = p.value(range);
            const qsizetype dots = text.indexOf(u"..");
            const std::optional<TimeNs> from =
                dots < 0 ? std::nullopt : parseDuration(text.left(dots));
            const std::optional<TimeNs> to =
                dots < 0 ? std::nullopt : parseDuration(text.mid(dots + 2));
            if (!from || !to)
                return fail(QStringLiteral("--range takes FROM..TO, e.g. 10ms..250ms, not \"%1\"")
                                .arg(text));
            if (*from >= *to)
                return fail(QStringLiteral("--range %1: FROM must lie before TO").arg(text));
            o.range = TimeRange { *from, *to };
        }
        out = o;
        return true;
    }
};

/// Draws the run's timeline into `path`, as the window would with the same settings.
bool exportImage(std::shared_ptr<const Trace> trace, const QString& title, const QString& path,
    TimelineExportOptions options)
{
    options.title = title;
    TimelineExporter exporter(std::make_shared<const TimelineModel>(std::move(trace)));
    if (!exporter.exportTo(path, options)) {
        print(stderr, u"pollscope: "_qs + exporter.errorString() + u'\n');
        return false;
    }
    return true;
}

/// Draws both runs' timelines under the comparison's headline into `path`, as the comparison
/// window's Export Image does with the same settings.
bool exportComparison(ComparedRun first, ComparedRun second, const QString& headline,
    const QString& path, const TimelineExportOptions& options)
{
    ComparisonExportOptions o;
    static_cast<ImageExportOptions&>(o) = options;
    o.headline = headline;
    ComparisonExporter exporter(std::move(first), std::move(second));
    if (!exporter.exportTo(path, o)) {
        print(stderr, u"pollscope: "_qs + exporter.errorString() + u'\n');
        return false;
    }
    return true;
}

/// How `run` prints its summary, from `--summary`, `--summary json` or `--summary=json`.
struct SummaryRequest {
    enum class Format { None, Table, Json };
    Format format = Format::None;
    std::optional<QString> unknown; ///< the first format given that is none of ours

    void take(const QString& value)
    {
        format = value == u"json" ? Format::Json : Format::Table;
        if (value != u"json" && !unknown)
            unknown = value;
    }
};

/// Takes every `--summary` out of `arguments`: QCommandLineParser knows no option whose value
/// may be left out. A bare `--summary` is the table. The word after it is its format when it is
/// `json`, or when it names no scenario (no file, no `.scn`, no built-in) and another argument is
/// there to be the scenario; otherwise it is the scenario, which a format must never swallow.
/// `options` are the command's, so that `--trace --summary` leaves `--summary` to `--trace`, as
/// the parser reads it.
SummaryRequest takeSummary(QStringList& arguments, const QList<QCommandLineOption>& options)
{
    QStringList takesValue;
    for (const QCommandLineOption& option : options)
        if (!option.valueName().isEmpty())
            for (const QString& name : option.names())
                takesValue << (name.size() == 1 ? u"-"_qs : u"--"_qs) + name;
    enum class Kind { Other, Positional, Summary, SummaryWithValue, FollowsSummary };
    std::vector<Kind> kinds(std::size_t(arguments.size()), Kind::Other);
    qsizetype positionals = 0;
    bool optionsEnded = false;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString& argument = arguments[i];
        auto& kind = kinds[std::size_t(i)];
        if (optionsEnded || !argument.startsWith(u'-') || argument == u"-") {
            kind = !optionsEnded && kinds[std::size_t(i - 1)] == Kind::Summary
                ? Kind::FollowsSummary
                : Kind::Positional;
            positionals += kind == Kind::Positional;
        } else if (argument == u"--") {
            optionsEnded = true;
        } else if (argument == u"--summary") {
            kind = Kind::Summary;
        } else if (argument.startsWith(u"--summary=")) {
            kind = Kind::SummaryWithValue;
        } else if (takesValue.contains(argument)) {
            ++i; // its value, whatever it looks like
        }
    }
    const auto namesScenario = [](const QString& word) {
        return word.endsWith(u".scn") || QFileInfo::exists(word) || ScenarioLibrary::find(word);
    };
    SummaryRequest request;
    QStringList rest;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& argument = arguments[i];
        switch (kinds[std::size_t(i)]) {
        case Kind::Summary:
            request.format = SummaryRequest::Format::Table;
            break;
        case Kind::SummaryWithValue:
            request.take(argument.mid(argument.indexOf(u'=') + 1));
            break;
        case Kind::FollowsSummary:
            if (argument == u"json" || (positionals > 0 && !namesScenario(argument)))
                request.take(argument);
            else
                rest << argument;
            break;
        case Kind::Other:
        case Kind::Positional:
            rest << argument;
            break;
        }
    }
    arguments = rest;
    return request;
}

/// Compiles `e` into `out`, as its variant `variant` unless that is empty. On failure prints
/// the errors as `check` does, or that `e` has no such variant (a usage error that lists the
/// ones it has), and returns the exit code to stop with.
std::optional<int> compileEntry(const ScenarioEntry& e, const QString& variant, CompileResult& out)
{
    out = compileScenario(e.source, e.path, variant);
    if (out.ok())
        return std::nullopt;
    // The errors of the code that would run: the base's that the variant does not replace, and
    // the variant's own, as `check` reports them under the variant's name.
    if (variant.isEmpty() || out.variants.contains(variant)) {
        printErrors(out, variant);
        return ScenarioFailed;
    }
    // A text that does not parse has no variants to look for: as `check` does, its errors say
    // what is wrong.
    if (!out.parsed) {
        printErrors(compileScenario(e.source, e.path));
        return ScenarioFailed;
    }
    const QStringList& variants = out.variants;
    const QString has = variants.isEmpty()
        ? u"it has none"_qs
        : u"its variants are \""_qs + variants.join(u"\", \""_qs) + u'"';
    print(stderr,
        QStringLiteral("pollscope: %1 has no variant \"%2\"; %3\n").arg(e.name, variant, has));
    return UsageError;
}

int run(const QStringList& arguments)
{
    Command command(u"run"_qs, u"Runs a scenario headless and reports what happened."_qs,
        u"FILE|NAME"_qs,
        u"A scenario file, or the name of a built-in scenario (see pollscope list)."_qs);
    QCommandLineParser& p = command.parser;
    // Shown in the help; takeSummary() reads it, with or without its format.
    const QCommandLineOption summary(u"summary"_qs,
        u"Print a table per task and the diagnostics; --summary json (or --summary=json) prints "
        u"them as JSON (with --compare: one document, both runs and their differences)."_qs);
    const QCommandLineOption events(u"events"_qs, u"Print every event as a JSON line."_qs);
    const QCommandLineOption trace(
        u"trace"_qs, u"Write a Chrome trace (Perfetto) to OUT.json."_qs, u"OUT.json"_qs);
    const QCommandLineOption variant(
        u"variant"_qs, u"Run the named variant of the scenario."_qs, u"NAME"_qs);
    const QCommandLineOption compare(u"compare"_qs,
        u"Also run FILE|NAME (its variant with --compare-variant) and print a table of the differences."_qs,
        u"FILE|NAME"_qs);
    const QCommandLineOption compareVariant(u"compare-variant"_qs,
        u"Also run variant NAME of the scenario, or of --compare's, and print the differences."_qs,
        u"NAME"_qs);
    const QCommandLineOption runtime(u"runtime"_qs,
        u"model (default): the deterministic tokio model on a virtual clock; qt: a real Qt event loop."_qs,
        u"model|qt"_qs, u"model"_qs);
    const ImageOptions image;
    const QList<QCommandLineOption> all = QList<QCommandLineOption> {
        summary, events, trace, variant, compare, compareVariant, runtime
    } + image.all();
    p.addOptions(all);
    QStringList args = arguments;
    const SummaryRequest summaryRequest = takeSummary(args, all);
    if (auto code = command.parse(args, 1))
        return *code;
    if (summaryRequest.unknown) {
        print(stderr,
            QStringLiteral("pollscope: unknown summary format \"%1\": use --summary for the table, "
                           "or --summary json (also --summary=json) for JSON\n")
                .arg(*summaryRequest.unknown));
        return UsageError;
    }
    const bool wantsSummary = summaryRequest.format != SummaryRequest::Format::None;
    const bool asJson = summaryRequest.format == SummaryRequest::Format::Json;
    if (p.value(runtime) != u"model" && p.value(runtime) != u"qt") {
        print(stderr,
            QStringLiteral("pollscope: --runtime is model or qt, not \"%1\"\n")
                .arg(p.value(runtime)));
        return UsageError;
    }
    RunOptions options;
    options.runtime = p.value(runtime) == u"qt" ? RuntimeKind::EventLoop : RuntimeKind::Model;
    std::optional<TimelineExportOptions> imageOptions;
    if (!image.parse(p, imageOptions))
        return UsageError;

    ScenarioEntry entry;
    if (!resolve(p.positionalArguments().front(), entry))
        return UsageError;
    // --compare-variant names a variant of --compare's scenario, or of this one without it.
    std::optional<ScenarioEntry> comparedEntry;
    if (p.isSet(compare) || p.isSet(compareVariant)) {
        comparedEntry = entry;
        if (p.isSet(compare) && !resolve(p.value(compare), *comparedEntry))
            return UsageError;
    }
    // Both scenarios are checked before anything runs or is written.
    CompileResult compiled;
    if (auto code = compileEntry(entry, p.value(variant), compiled))
        return *code;
    std::optional<CompileResult> otherCompiled;
    if (comparedEntry) {
        otherCompiled.emplace();
        if (auto code = compileEntry(*comparedEntry, p.value(compareVariant), *otherCompiled))
            return *code;
    }
    const auto titleOf = [](const ScenarioEntry& e, const script::Program& program) {
        QString title = program.info.title.isEmpty() ? e.name : program.info.title;
        if (!program.info.variant.isEmpty())
            title += QStringLiteral(" (variant \"%1\")").arg(program.info.variant);
        return title;
    };
    const auto diagnosticsOf = [&](const Trace& run, const script::Program& program) {
        return diagnose(run, options.runtime == RuntimeKind::Model ? &program : nullptr);
    };
    // --summary json's object for one run: the summary, its variant if any, the diagnostics.
    const auto summaryObject = [&](const Trace& run, const ScenarioEntry& e,
                                   const script::Program& program,
                                   const std::vector<Diagnostic>& found) {
        QJsonObject json = summaryJson(run, titleOf(e, program));
        if (!program.info.variant.isEmpty())
            json.insert(u"variant"_qs, program.info.variant);
        json.insert(u"diagnostics"_qs, diagnosticsJson(run, found));
        return json;
    };
    // After --events' lines a JSON summary is one more line: stdout stays JSON Lines.
    const bool jsonLines = p.isSet(events);
    const auto printJson = [jsonLines](const QJsonObject& json) {
        const QJsonDocument document(json);
        print(stdout,
            jsonLines ? QString::fromUtf8(document.toJson(QJsonDocument::Compact)) + u'\n'
                      : QString::fromUtf8(document.toJson(QJsonDocument::Indented)));
    };
    // Shared, not copied, with the exporter's timeline model.
    const auto shared = std::make_shared<const Trace>(runScenario(*compiled.program, options));
    const Trace& result = *shared;
    QString title = titleOf(entry, *compiled.program);
    // --compare's run, before anything is printed: a comparison's export draws both, and its
    // --range is checked against both.
    std::shared_ptr<const Trace> otherRun;
    QString thisLabel, otherLabel;
    std::optional<Comparison> comparison;
    std::vector<Diagnostic> otherDiagnostics; ///< for --summary json and --export
    if (comparedEntry) {
        const script::Program& otherProgram = *otherCompiled->program;
        otherRun = std::make_shared<const Trace>(runScenario(otherProgram, options));
        const auto label = [](const ScenarioEntry& e, const script::Program& program) {
            if (!program.info.variant.isEmpty())
                return program.info.variant;
            return program.info.title.isEmpty() ? e.name : program.info.title;
        };
        thisLabel = label(entry, *compiled.program);
        otherLabel = label(*comparedEntry, otherProgram);
        // Variants of one name in two scenarios: their scenarios' titles tell them apart (the
        // headline quotes a label whole, so the variant's name goes without quotes of its own).
        if (thisLabel == otherLabel && !otherProgram.info.variant.isEmpty()) {
            const auto full = [&](const ScenarioEntry& e, const script::Program& program) {
                return QStringLiteral("%1 (variant %2)")
                    .arg(program.info.title.isEmpty() ? e.name : program.info.title,
                        program.info.variant);
            };
            thisLabel = full(entry, *compiled.program);
            otherLabel = full(*comparedEntry, otherProgram);
        }
        comparison = compareRuns(result, thisLabel, *otherRun, otherLabel);
        if (asJson || imageOptions)
            otherDiagnostics = diagnosticsOf(*otherRun, otherProgram);
    }
    // Only the runs tell where they end: a range that starts there or later would draw nothing.
    const TimeNs end =
        std::max(result.report.elapsed, otherRun ? otherRun->report.elapsed : TimeNs(0));
    if (imageOptions && imageOptions->range && imageOptions->range->start >= end) {
        print(stderr,
            QStringLiteral("pollscope: --range starts at %1, %2 the %3 ended at %4\n")
                .arg(formatTime(imageOptions->range->start),
                    imageOptions->range->start > end ? u"after"_qs : u"as"_qs,
                    otherRun ? u"later run"_qs : u"run"_qs, formatTime(end)));
        return UsageError;
    }

    if (p.isSet(events)) {
        QFile out;
        // A failed write leaves stdout's error flag set: runCommandLine() reports it.
        if (!out.open(stdout, QIODevice::WriteOnly) || !writeJsonLines(result, out) || !out.flush())
            return UsageError;
    }
    // The window shows diagnostics as warning signs; an export does the same.
    std::vector<Diagnostic> diagnostics;
    if (wantsSummary || imageOptions)
        diagnostics = diagnosticsOf(result, *compiled.program);
    if (imageOptions)
        imageOptions->markers = diagnosticMarkers(diagnostics);
    // With --events standard output is JSON Lines: tables for people go to standard error.
    FILE* const tables = p.isSet(events) ? stderr : stdout;
    // With a comparison, the JSON summary waits for the other run: one document holds both.
    if (wantsSummary && !(asJson && comparedEntry)) {
        if (asJson) {
            printJson(summaryObject(result, entry, *compiled.program, diagnostics));
        } else {
            print(tables, summaryTable(result, title));
            if (!diagnostics.empty())
                print(tables, u"\n"_qs + diagnosticsText(result, diagnostics));
        }
    }
    if (p.isSet(trace) && !writeFile(p.value(trace), [&](QIODevice& d) {
            return writeChromeTrace(result, title, d);
        }))
        return UsageError;
    if (imageOptions) {
        const bool written = comparison
            ? exportComparison({ std::make_shared<const TimelineModel>(shared), thisLabel,
                                   imageOptions->markers },
                  { std::make_shared<const TimelineModel>(otherRun), otherLabel,
                      diagnosticMarkers(otherDiagnostics) },
                  comparison->headline, p.value(image.path), *imageOptions)
            : exportImage(shared, title, p.value(image.path), *imageOptions);
        if (!written)
            return UsageError;
    }
    if (options.runtime == RuntimeKind::EventLoop)
        title += u" [Qt event loop]"_qs;
    if (comparison) {
        if (asJson) {
            printJson(QJsonObject {
                { u"runs"_qs,
                    QJsonArray { summaryObject(result, entry, *compiled.program, diagnostics),
                        summaryObject(*otherRun, *comparedEntry, *otherCompiled->program,
                            otherDiagnostics) } },
                { u"comparison"_qs, comparisonJson(*comparison) },
            });
        } else {
            // After the summary's table and diagnostics, a blank line as between those two.
            print(tables, (wantsSummary ? u"\n"_qs : QString()) + comparisonTable(*comparison));
        }
    } else if (!p.isSet(events) && !wantsSummary) {
        const auto count = [](std::uint64_t n, const QString& noun) {
            return QStringLiteral("%1 %2%3").arg(n).arg(noun, n == 1 ? QString() : u"s"_qs);
        };
        print(stdout,
            QStringLiteral("%1: %2 in %3 (%4, %5)\n")
                .arg(title, runStatusName(result.report.status), formatTime(result.report.elapsed),
                    count(result.tables.tasks.size(), u"task"_qs),
                    count(result.report.polls, u"poll"_qs)));
    }
    // A run that did not complete says why, after `failed` when it failed (the message is then
    // the task's own) or else after `other` (the message says what stopped it).
    const auto stopped = [](const RunReport& report, const QString& failed, const QString& other) {
        if (report.status == RunStatus::Completed)
            return false;
        const QString& prefix = report.status == RunStatus::Failed ? failed : other;
        print(stderr, u"pollscope: "_qs + prefix + report.message + u'\n');
        return true;
    };
    const bool thisStopped = stopped(result.report, u"the run failed: "_qs, QString());
    const QString compared = QStringLiteral("the compared run (%1)").arg(otherLabel);
    const bool otherStopped =
        otherRun && stopped(otherRun->report, compared + u" failed: "_qs, compared + u": "_qs);
    return thisStopped || otherStopped ? ScenarioFailed : Success;
}

const char* const kUsage =
    "usage: pollscope [FILE.scn | --scenario NAME] [--runtime model|qt]   open the window\n"
    "       pollscope list                           list the built-in scenarios\n"
    "       pollscope check FILE|NAME                check a scenario without running it\n"
    "       pollscope run FILE|NAME [options]        run headless; see pollscope run --help\n"
    "       pollscope help [COMMAND]                 this usage, or a command's options\n"
    "       pollscope --version                      print the version\n";

/// The words that make pollscope a command-line tool; anything else at the front is the window's.
/// `--version` is here so that it answers without a display.
const QStringList kCommands = { u"list"_qs, u"check"_qs, u"run"_qs, u"help"_qs, u"--help"_qs,
    u"-h"_qs, u"--version"_qs, u"-v"_qs };

} // namespace

bool isCommand(const QStringList& arguments)
{
    // The window takes options (--scenario NAME, --scenario=NAME, --runtime qt, Qt's own such
    // as -platform) and a scenario file; a command is a known word at the front. Another word
    // that is no file is a mistyped command, which the command line reports without a window.
    const QString first = arguments.value(1);
    if (kCommands.contains(first))
        return true;
    return !first.isEmpty() && !first.startsWith(u'-') && !first.endsWith(u".scn") &&
        !QFileInfo::exists(first);
}

namespace {

/// runCommandLine() without the check of standard output.
std::optional<int> runCommand(const QStringList& arguments)
{
    const QString command = arguments.value(1);
    QStringList rest = arguments.mid(1);
    rest[0] = u"pollscope "_qs + command;
    if (command == u"list")
        return list(rest);
    if (command == u"check")
        return check(rest);
    if (command == u"run")
        return run(rest);
    if (command == u"help" && arguments.size() > 2) {
        // `pollscope help run` is `pollscope run --help`.
        const QString topic = arguments.at(2);
        if (topic == u"list" || topic == u"check" || topic == u"run")
            return runCommand({ arguments.at(0), topic, u"--help"_qs });
        print(stderr,
            QStringLiteral("pollscope: no command \"%1\" to help with\n").arg(topic) +
                QString::fromLatin1(kUsage));
        return UsageError;
    }
    if (command == u"--help" || command == u"-h" || command == u"help") {
        print(stdout, QString::fromLatin1(kUsage));
        return Success;
    }
    if (command == u"--version" || command == u"-v") {
        print(stdout,
            QStringLiteral("%1 %2\n").arg(
                QCoreApplication::applicationName(), QCoreApplication::applicationVersion()));
        return Success;
    }
    if (!isCommand(arguments))
        return std::nullopt;
    print(stderr,
        QStringLiteral("pollscope: unknown command \"%1\"\n").arg(command) +
            QString::fromLatin1(kUsage));
    return UsageError;
}

} // namespace

std::optional<int> runCommandLine(const QStringList& arguments)
{
    const std::optional<int> code = runCommand(arguments);
    // Output cut short (a full disk) is an I/O error, whatever the command did.
    if (code && (std::fflush(stdout) != 0 || std::ferror(stdout))) {
        print(stderr,
            QStringLiteral("pollscope: cannot write the output: %1\n")
                .arg(QString::fromLocal8Bit(std::strerror(errno))));
        return UsageError;
    }
    return code;
}

} // namespace pollscope
