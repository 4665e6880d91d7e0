/// A hybrid logical clock: milliseconds since 1970 in the high bits, a counter in the low 16.
///
/// Always increases, even when the wall clock goes back, so the revisions one file writes are
/// ordered; clocks only order what is shown, they never decide which value wins.
public struct HybridClock: Sendable, Hashable {
    public private(set) var last: Int64

    public init(last: Int64 = 0) { self.last = last }

    public mutating func tick(wallMilliseconds: Int64) -> Int64 {
        last = max(last + 1, wallMilliseconds << 16)
        return last
    }

    /// Moves past a clock reading from elsewhere (a merged revision).
    public mutating func observe(_ remote: Int64) {
        last = max(last, remote)
    }
}
