#include "script/builtins.h"

#include <QStringList>

namespace pollscope::script {

const std::vector<BuiltinInfo>& builtins()
{
    using K = ValueKind;
    static const std::vector<BuiltinInfo> table {
        { BuiltinId::Sleep, u"sleep"_qs, { K::Duration }, 0, false, K::Future, u"sleep(duration)"_qs,
          u"A future that is Ready once the timer reaches now + duration (rounded up to the timer resolution)."_qs },
        { BuiltinId::Io, u"io"_qs, { K::String, K::Duration }, 0, false, K::Future, u"io(label, duration)"_qs,
          u"A simulated I/O operation: started at its first poll, completed by the reactor `duration` later."_qs },
        { BuiltinId::YieldNow, u"yield_now"_qs, {}, 0, false, K::Future, u"yield_now()"_qs,
          u"Pending once; the task's wake waits until the reactor has run; Ready on the next poll."_qs },
        { BuiltinId::SpawnBlocking, u"spawn_blocking"_qs, { K::String, K::Duration }, 0, false, K::Future,
          u"spawn_blocking(label, duration)"_qs,
          u"Starts a job on the blocking pool now; awaiting it is Ready when the job has ended."_qs },
        { BuiltinId::Block, u"block"_qs, { K::String, K::Duration }, 0, false, K::None, u"block(label, duration)"_qs,
          u"A blocking call inside the poll: holds the worker, nothing else runs."_qs },
        { BuiltinId::Compute, u"compute"_qs, { K::String, K::Duration }, 0, false, K::None,
          u"compute(label, duration)"_qs, u"CPU-heavy work inside the poll: holds the worker like block."_qs },
        { BuiltinId::Mark, u"mark"_qs, { K::String }, 0, false, K::None, u"mark(label)"_qs,
          u"Puts a labelled mark on the task's lane."_qs },
        { BuiltinId::Fail, u"fail"_qs, { K::String }, 0, false, std::nullopt, u"fail(message)"_qs,
          u"Returns an error from the current function; `?` passes errors on; a task that ends with one failed."_qs },
        { BuiltinId::Channel, u"channel"_qs, { K::Int, K::String }, 1, false, K::Channel,
          u"channel(capacity[, label])"_qs,
          u"A bounded channel: ch.send(v) waits for room, ch.recv() for a value (none once closed), ch.close()."_qs },
        { BuiltinId::Join, u"join"_qs, {}, 0, true, K::Future, u"join(a, b, ...)"_qs,
          u"Polls every branch on each poll (starting one further each time); Ready with the list of values."_qs },
        { BuiltinId::Select, u"select"_qs, {}, 0, true, K::Future, u"select(a, b, ...)"_qs,
          u"Polls the branches in order; the first Ready wins (.index, .value), the others are dropped."_qs },
        { BuiltinId::Rand, u"rand"_qs, { K::Range }, 0, false, std::nullopt, u"rand(a..b)"_qs,
          u"A number or duration from a to b (b excluded); `seed N` fixes the sequence."_qs },
    };
    return table;
}

const BuiltinInfo* findBuiltin(const QString& name)
{
    for (const BuiltinInfo& info : builtins())
        if (info.name == name)
            return &info;
    return nullptr;
}

const std::vector<MethodInfo>& methods()
{
    using K = ValueKind;
    static const std::vector<MethodInfo> table {
        { MethodId::Push, K::List, u"push"_qs, { std::nullopt }, K::None, u"list.push(value)"_qs },
        { MethodId::Len, K::List, u"len"_qs, {}, K::Int, u"list.len()"_qs },
        { MethodId::Len, K::String, u"len"_qs, {}, K::Int, u"string.len()"_qs },
        { MethodId::Send, K::Channel, u"send"_qs, { std::nullopt }, K::Future, u"channel.send(value)"_qs },
        { MethodId::Recv, K::Channel, u"recv"_qs, {}, K::Future, u"channel.recv()"_qs },
        { MethodId::Close, K::Channel, u"close"_qs, {}, K::None, u"channel.close()"_qs },
    };
    return table;
}

const MethodInfo* findMethod(ValueKind receiver, const QString& name)
{
    for (const MethodInfo& info : methods())
        if (info.receiver == receiver && info.name == name)
            return &info;
    return nullptr;
}

std::vector<const MethodInfo*> methodsNamed(const QString& name)
{
    std::vector<const MethodInfo*> found;
    for (const MethodInfo& info : methods())
        if (info.name == name)
            found.push_back(&info);
    return found;
}

namespace {
int editDistance(const QString& a, const QString& b)
{
    std::vector<int> row(std::size_t(b.size() + 1));
    for (int j = 0; j <= b.size(); ++j)
        row[std::size_t(j)] = j;
    for (int i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = i;
        for (int j = 1; j <= b.size(); ++j) {
            const int above = row[std::size_t(j)];
            row[std::size_t(j)] = std::min({ above + 1, row[std::size_t(j - 1)] + 1,
                                             diagonal + (a[i - 1] == b[j - 1] ? 0 : 1) });
            diagonal = above;
        }
    }
    return row[std::size_t(b.size())];
}
} // namespace

QString closestName(const QString& name, const QStringList& candidates)
{
    QString best;
    int bestDistance = std::max<int>(2, int(name.size()) / 3) + 1;
    for (const QString& candidate : candidates) {
        const int distance = editDistance(name, candidate);
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

} // namespace pollscope::script
