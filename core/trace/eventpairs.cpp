#include "trace/eventpairs.h"

namespace pollscope {

std::vector<std::uint32_t> pairStartsAndEnds(const EventLog& events, std::size_t taskCount)
{
    std::vector<std::uint32_t> partner(events.size(), kUnpaired);
    std::vector<std::uint32_t> openPoll(taskCount, kUnpaired);
    std::vector<std::uint32_t> openBlock(taskCount, kUnpaired);
    const auto close = [&](std::uint32_t& open, std::uint32_t end) {
        if (open == kUnpaired)
            return;
        partner[open] = end;
        partner[end] = open;
        open = kUnpaired;
    };
    for (std::uint32_t i = 0; i < events.size(); ++i) {
        const TraceEvent& e = events[i];
        if (e.task >= taskCount)
            continue;
        switch (e.kind) {
        case EventKind::PollStart:
            openPoll[e.task] = i;
            break;
        case EventKind::PollEnd:
            close(openPoll[e.task], i);
            break;
        case EventKind::BlockStart:
            openBlock[e.task] = i;
            break;
        case EventKind::BlockEnd:
            close(openBlock[e.task], i);
            break;
        default:
            break;
        }
    }
    return partner;
}

} // namespace pollscope
