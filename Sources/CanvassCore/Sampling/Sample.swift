/// Draws the official and reserve samples from a register of completed procedures (sipas.md,
/// "Sampling and fieldwork"): a simple random sample per stratum, without replacement.
///
/// The same frame and seed give the same sample on any machine: the generator is our own
/// (SplitMix64), not the system's, and each stratum is shuffled by a generator seeded from the
/// seed and the stratum's name, so adding a stratum to the frame does not change the others.
public struct Sample: Sendable, Hashable {
    public enum Size: Sendable, Hashable {
        /// The same number from every stratum.
        case fixed(Int)
        /// n = ceil(N / (1 + N·E²)) per stratum, E the margin of error as a fraction (0.05).
        case margin(Double)

        public func count(population: Int) -> Int {
            switch self {
            case .fixed(let n): return min(n, population)
            case .margin(let e):
                let n = Double(population)
                return min(population, Int((n / (1 + n * e * e)).rounded(.up)))
            }
        }
    }

    public struct Draw: Sendable, Hashable {
        /// Row index in the frame.
        public var row: Int
        public var stratum: String
        public var reserve: Bool
        /// 1, 2, ... within the stratum and list: reserves replace non-respondents in this order.
        public var order: Int
    }

    public struct Stratum: Sendable, Hashable, Codable {
        public var stratum: String
        public var population: Int
        public var official: Int
        public var reserve: Int
        /// The size asked for was more than the stratum holds.
        public var short: Bool
    }

    public var draws: [Draw]
    public var strata: [Stratum]

    /// `strata` gives each frame row's stratum ("" for all when unstratified); strata are reported
    /// in the order they first appear in the frame.
    public init(strata rowStrata: [String], size: Size, reserve: Double, seed: UInt64) {
        var members: [String: [Int]] = [:]
        var order: [String] = []
        for (row, stratum) in rowStrata.enumerated() {
            if members[stratum] == nil { order.append(stratum) }
            members[stratum, default: []].append(row)
        }
        draws = []
        strata = []
        for stratum in order {
            var rows = members[stratum]!
            var random = SplitMix64(seed: seed ^ SplitMix64.hash(stratum))
            // Fisher-Yates, only as far as the rows drawn.
            let wanted = size.count(population: rows.count)
            let reserves = min(rows.count - wanted, Int((Double(wanted) * reserve).rounded(.up)))
            for i in 0..<(wanted + reserves) {
                let j = i + Int(random.next(below: UInt64(rows.count - i)))
                rows.swapAt(i, j)
            }
            for i in 0..<wanted { draws.append(Draw(row: rows[i], stratum: stratum, reserve: false, order: i + 1)) }
            for i in 0..<reserves { draws.append(Draw(row: rows[wanted + i], stratum: stratum, reserve: true, order: i + 1)) }
            let asked: Int
            switch size {
            case .fixed(let n): asked = n
            case .margin: asked = wanted
            }
            strata.append(Stratum(stratum: stratum, population: rows.count, official: wanted, reserve: reserves,
                                  short: asked > rows.count))
        }
    }
}

/// A small, fast, well-studied generator with a published reference output (Steele, Lea and Flood 2014).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<bound, without modulo bias (Lemire's method with rejection).
    public mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0)
        let threshold = (0 &- bound) % bound
        while true {
            let (high, low) = next().multipliedFullWidth(by: bound)
            if low >= threshold { return high }
        }
    }

    /// FNV-1a over UTF-8: stable across runs and machines, unlike `Hasher`.
    public static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01B3
        }
        return hash
    }
}
