import Foundation

/// What an expression can see while it is evaluated: field values, the current answer, the repeat position and the clock.
public struct EvaluationContext: Sendable {
    /// Node-set for `${name}`: one string per node ("" = unanswered). nil = unknown name, which is an evaluation error.
    public var lookup: @Sendable (String) -> [String]?
    /// The value of `.` (the current question's answer); nil reads as "".
    public var current: String?
    /// 1-based position of the current repeat instance, for `position(..)`.
    public var position: Int?
    /// Value of `field` in instance `index` (1-based) of repeat `repeatName`; nil reads as "".
    public var indexedRepeat: @Sendable (_ field: String, _ repeatName: String, _ index: Int) -> String?
    /// The moment `now()` and `today()` report, fixed so one evaluation sees one clock.
    public var now: Date
    /// The zone in which dates are calendar days and date-times show their offset.
    public var timeZone: TimeZone

    public init(
        lookup: @escaping @Sendable (String) -> [String]?,
        current: String? = nil,
        position: Int? = nil,
        indexedRepeat: @escaping @Sendable (String, String, Int) -> String? = { _, _, _ in nil },
        now: Date = Date(),
        timeZone: TimeZone = .current
    ) {
        self.lookup = lookup
        self.current = current
        self.position = position
        self.indexedRepeat = indexedRepeat
        self.now = now
        self.timeZone = timeZone
    }
}
