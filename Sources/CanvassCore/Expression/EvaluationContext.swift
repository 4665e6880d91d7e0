import Foundation

/// What an expression can see while it is evaluated: field values, the current answer, the repeat position and the clock.
public struct EvaluationContext: Sendable {
    /// Node-set for `${name}`: one typed value per node (`NodeKind.value`; "" = unanswered). nil =
    /// unknown name, which is an evaluation error.
    public var lookup: @Sendable (String) -> [Value]?
    /// The value of `.` (the current question's answer, typed as its field); nil reads as "".
    public var current: Value?
    /// 1-based position of the current repeat instance, for `position(..)`.
    public var position: Int?
    /// Value of `field` in the instances `path` names (repeat name and 1-based index, outermost
    /// first); nil reads as "".
    public var indexedRepeat: @Sendable (_ field: String, _ path: [(repeatName: String, index: Int)]) -> Value?
    /// The label of choice `name` of the select field `field`, for `jr:choice-name()`; nil when
    /// there is none (the name itself is shown).
    public var choiceLabel: @Sendable (_ field: String, _ name: String) -> String?
    /// The columns of CSV files beside the form, for `pulldata()`: file name (without `.csv`) →
    /// rows of column → value. nil when the form has no such file.
    public var dataFile: @Sendable (_ name: String) -> [[String: String]]?
    /// Whether `${name}` names a group or repeat (nodes that hold fields), for count-non-empty().
    public var hasChildren: @Sendable (_ name: String) -> Bool
    /// The moment `now()` and `today()` report, fixed so one evaluation sees one clock.
    public var now: Date
    /// The zone in which dates are calendar days and date-times show their offset.
    public var timeZone: TimeZone
    /// Where `random()` and `uuid()` draw from: the system's randomness, or a seeded generator in tests.
    public var random: RandomSource
    /// The form's version, for `version()`.
    public var formVersion: String

    public init(
        lookup: @escaping @Sendable (String) -> [Value]?,
        current: Value? = nil,
        position: Int? = nil,
        indexedRepeat: @escaping @Sendable (String, [(repeatName: String, index: Int)]) -> Value? = { _, _ in nil },
        choiceLabel: @escaping @Sendable (String, String) -> String? = { _, _ in nil },
        dataFile: @escaping @Sendable (String) -> [[String: String]]? = { _ in nil },
        hasChildren: @escaping @Sendable (String) -> Bool = { _ in false },
        now: Date = Date(),
        timeZone: TimeZone = .current,
        random: RandomSource = .system,
        formVersion: String = ""
    ) {
        self.lookup = lookup
        self.current = current
        self.position = position
        self.indexedRepeat = indexedRepeat
        self.choiceLabel = choiceLabel
        self.dataFile = dataFile
        self.hasChildren = hasChildren
        self.now = now
        self.timeZone = timeZone
        self.random = random
        self.formVersion = formVersion
    }
}

/// The source of `random()` and `uuid()`: the system's generator, or SplitMix64 from a seed so
/// that a test run (`CANVASS_NOW`) is repeatable. A class, so that one evaluation's draws follow
/// each other.
public final class RandomSource: @unchecked Sendable {
    private let lock = NSLock()
    private var generator: SplitMix64?

    /// The system's randomness.
    public static let system = RandomSource(seed: nil)

    public init(seed: UInt64?) {
        generator = seed.map { SplitMix64(seed: $0) }
    }

    /// A seed from text (e.g. the fixed clock of a test run).
    public convenience init(seedText: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for byte in seedText.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        self.init(seed: hash)
    }

    public func next() -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        if var seeded = generator {
            let value = seeded.next()
            generator = seeded
            return value
        }
        var system = SystemRandomNumberGenerator()
        return system.next()
    }

    /// A number in [0, 1).
    public func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}
