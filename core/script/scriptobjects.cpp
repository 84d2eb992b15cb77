#include "script/scriptobjects.h"

#include "runtime/combinators.h"
#include "runtime/taskfailure.h"
#include "script/fiber.h"
#include "script/scripterror.h"

namespace pollscope::script {

ScriptContext::ScriptContext(const Program& compiled, Runtime& runningOn)
    : program(compiled)
    , runtime(runningOn)
    , spawnCounts(compiled.functions.size(), 0)
    , randomState(std::uint64_t(compiled.info.seed) ^ 0x9e3779b97f4a7c15ULL)
    , maxStepsPerPoll(runningOn.settings().maxStepsPerPoll)
{
    constants.reserve(compiled.constants.size());
    for (const Constant& c : compiled.constants) {
        switch (c.kind) {
        case ValueKind::String:
            constants.push_back(Value::string(c.text));
            break;
        case ValueKind::Duration:
            constants.push_back(Value::duration(c.number));
            break;
        case ValueKind::Bool:
            constants.push_back(Value::boolean(c.number != 0));
            break;
        default:
            constants.push_back(Value::integer(c.number));
            break;
        }
    }
}

void ScriptContext::runtimeError(SpanId where, const QString& message)
{
    stop(RunStatus::Failed, where, message);
}

void ScriptContext::boundReached(SpanId where, const QString& message)
{
    stop(RunStatus::LimitReached, where, message);
}

void ScriptContext::stop(RunStatus status, SpanId where, const QString& message)
{
    if (stopped)
        return;
    stopped = true;
    atBound = status == RunStatus::LimitReached;
    stopSpan = where;
    stopMessage = message;
    // The poll that hit it ends there: its end, and for an error the task's failed
    // completion, carry its span.
    runtime.setSpan(where);
    // The notes come as the fibers unwind; the run's report gets the whole text at its end.
    runtime.abortRun(status, stopText());
}

void ScriptContext::noteCall(SpanId where, const QString& callee, bool bySpawn)
{
    if (!m_calls.empty() && m_calls.back().where == where)
        ++m_calls.back().times;
    else if (m_calls.size() < kMaxCallNotes)
        m_calls.push_back(NotedCall { where, callee, bySpawn, 1 });
    else
        ++m_callsLeft;
}

std::vector<ErrorNote> ScriptContext::stopNotes() const
{
    std::vector<ErrorNote> notes;
    for (const NotedCall& call : m_calls) {
        QString text = QStringLiteral("`%1` %2 from here")
                           .arg(call.callee, call.bySpawn ? u"spawned"_qs : u"called"_qs);
        if (call.times > 1)
            text += QStringLiteral(" (%1 nested calls)").arg(call.times);
        notes.push_back(ErrorNote { call.where, text });
    }
    if (m_callsLeft > 0) {
        notes.push_back(ErrorNote { 0,
            QStringLiteral("and %1 more call%2 further out")
                .arg(m_callsLeft)
                .arg(m_callsLeft == 1 ? QString() : u"s"_qs) });
    }
    return notes;
}

QString ScriptContext::stopText() const
{
    // The error stays where it happened; the notes after it say how the run got there.
    QString text = ScriptError { SourceLocation::of(program.spans[stopSpan]), stopMessage }.format(
        program.source);
    for (const ErrorNote& note : stopNotes())
        text += ScriptNote::of(program.spans[note.span], note.message).format(program.source);
    return text.trimmed();
}

QString ScriptContext::sourceText(SpanId id) const
{
    const SourceSpan& span = program.spans[id];
    const QStringView line = program.source.line(span.line);
    return line.mid(span.column - 1, std::max(1, span.endColumn - span.column)).toString().simplified();
}

std::uint64_t ScriptContext::nextRandom()
{
    // splitmix64: small, fast, and the same sequence on every platform.
    std::uint64_t z = (randomState += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

FutureObject::FutureObject(ScriptContext& context, SpanId span, bool ghostIfUnpolled)
    : m_context(context)
    , m_span(span)
    , m_ghostIfUnpolled(ghostIfUnpolled)
{
}

FutureObject::~FutureObject()
{
    if (!m_polled && m_ghostIfUnpolled) {
        Runtime& runtime = m_context.runtime;
        runtime.recordUnpolled(runtime.intern(description()), m_span);
    }
}

bool FutureObject::nestedTooDeeply()
{
    m_context.runtimeError(m_span,
        QStringLiteral("recursion too deep: futures awaited inside one another more than %1 "
                       "deep (an async fn that awaits a stored call of itself?)")
            .arg(ScriptContext::kMaxPollDepth));
    return false;
}

bool FutureObject::awaitedByTwoTasks()
{
    m_context.runtimeError(m_span,
        u"this future is awaited by two tasks: its wake goes to the one that "
        "polled it first, so the other would wait forever (spawn it, and await "
        "its handle in both)"_qs);
    return false;
}

Value FutureObject::result()
{
    if (!m_hasResult) {
        m_result = makeResult();
        m_hasResult = true;
    }
    return m_result;
}

Value JoinFutureObject::makeResult()
{
    try {
        return m_join.result();
    } catch (const TaskFailure& failure) {
        return Value::error(failure.message());
    }
}

JoinAllObject::JoinAllObject(ScriptContext& context, SpanId span, std::vector<Ref<FutureObject>> branches)
    : FutureObject(context, span)
    , m_branches(std::move(branches))
    , m_done(new bool[m_branches.size()]())
{
}

// A join or select dropped before its first poll is one forgotten `.await`: its branches,
// never polled either, are not reported again.
JoinAllObject::~JoinAllObject()
{
    for (Ref<FutureObject>& branch : m_branches)
        branch->disown();
}

bool JoinAllObject::pollOnce()
{
    if (m_branches.empty())
        return true;
    // Once a branch has stopped the run (an error, a bound) no other branch runs, and the join
    // is Pending like that branch (see FutureObject::pollOnce()): the task ends where it stopped.
    const bool ready = pollJoinBranches(m_branches.size(), m_nextStart, m_done.get(),
        [this](std::size_t i) { return !m_context.stopped && m_branches[i]->poll(); });
    if (m_context.stopped)
        return false;
    if (!ready)
        setTaskSpan(); // the task waits at the join, not at the branch polled last
    return ready;
}

Value JoinAllObject::makeResult()
{
    std::vector<Value> values;
    values.reserve(m_branches.size());
    for (const Ref<FutureObject>& branch : m_branches)
        values.push_back(branch->result());
    return Value::list(std::move(values));
}

SelectObject::SelectObject(ScriptContext& context, SpanId span, std::vector<Ref<FutureObject>> branches)
    : FutureObject(context, span)
    , m_branches(std::move(branches))
{
}

SelectObject::~SelectObject()
{
    for (Ref<FutureObject>& branch : m_branches)
        branch->disown();
}

bool SelectObject::pollOnce()
{
    for (std::size_t i = 0; i < m_branches.size(); ++i) {
        const bool ready = m_branches[i]->poll();
        if (m_context.stopped)
            return false; // the run stopped there: no other branch runs, none is dropped
        if (!ready)
            continue;
        m_winner = i;
        m_value = m_branches[i]->result();
        // The losers are dropped now, by this select (their cancels carry its span, not the
        // winner's last statement): their timers, I/O and awaits are withdrawn. One never
        // polled was still consumed by the select: it is no forgotten `.await`.
        setTaskSpan();
        for (Ref<FutureObject>& branch : m_branches)
            branch->disown();
        m_branches.clear();
        return true;
    }
    setTaskSpan(); // the task waits at the select, not at the branch polled last
    return false;
}

Value SelectObject::makeResult() { return Value::selected(qint64(m_winner), m_value); }

} // namespace pollscope::script
