import Foundation

/// The clock, id generator and machine identity a data file uses; injected so tests are repeatable.
public struct StoreEnvironment: Sendable {
    public var now: @Sendable () -> Date
    public var newID: @Sendable () -> String
    /// This machine, as seen from the file system device (`st_dev`) holding a data file: what a
    /// file's writer records so that a copy on a cloned disk knows it is one (`Machine`).
    public var machine: @Sendable (UInt64) -> String

    public init(now: @escaping @Sendable () -> Date, newID: @escaping @Sendable () -> String,
                machine: @escaping @Sendable (UInt64) -> String = Machine.identity(device:)) {
        self.now = now
        self.newID = newID
        self.machine = machine
    }

    public static let live = StoreEnvironment(now: { Date() }, newID: { UUID().uuidString.lowercased() })

    /// A fixed start that advances one second per reading, ids `prefix-0001`, `prefix-0002`…,
    /// and the machine named `machine`.
    public static func fixed(start: Date, idPrefix: String = "id", machine: String = "test-machine") -> StoreEnvironment {
        let state = FixedState(start: start)
        return StoreEnvironment(now: { state.nextTime() }, newID: { "\(idPrefix)-\(state.nextID())" }, machine: { _ in machine })
    }

    final class FixedState: @unchecked Sendable {
        private let lock = NSLock()
        private var time: Date
        private var id = 0

        init(start: Date) { time = start }

        func nextTime() -> Date {
            lock.withLock {
                defer { time += 1 }
                return time
            }
        }

        func nextID() -> String {
            lock.withLock {
                id += 1
                return String(format: "%04d", id)
            }
        }
    }
}

extension Date {
    /// ISO 8601 in UTC with milliseconds: sortable as text.
    public var iso8601: String {
        formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
