import Foundation

/// Works on a stream of items on every core while the calling thread goes on reading: items are
/// gathered in batches; while up to `depth` batches are worked on, the next is read; results come
/// back to `deliver`, on the calling thread, in the order the items came. Memory holds at most
/// `depth + 1` batches.
final class BatchPipeline<Item: Sendable, Output: Sendable> {
    let size: Int
    /// Two batches in flight let reading and working even out each other's slow patches.
    let depth = 2
    let work: @Sendable (Item) throws -> Output
    let deliver: ([Output]) throws -> Void
    private var batch: [Item] = []
    private var running: [(group: DispatchGroup, results: Results)] = []

    /// Filled by the workers, each at its own index; read once the group has finished.
    private final class Results: @unchecked Sendable {
        let lock = NSLock()
        var outputs: [Output?]
        var failure: Error?
        init(count: Int) { outputs = Array(repeating: nil, count: count) }
    }

    init(size: Int = 512, work: @escaping @Sendable (Item) throws -> Output, deliver: @escaping ([Output]) throws -> Void) {
        self.size = size
        self.work = work
        self.deliver = deliver
    }

    func add(_ item: Item) throws {
        batch.append(item)
        if batch.count == size { try launch() }
    }

    /// Works on what is left and delivers everything.
    func finish() throws {
        try launch()
        while !running.isEmpty { try collectOldest() }
    }

    private func launch() throws {
        while running.count >= depth { try collectOldest() }
        guard !batch.isEmpty else { return }
        let items = batch, work = self.work, results = Results(count: batch.count)
        batch.removeAll(keepingCapacity: true)
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            let parts = min(ProcessInfo.processInfo.activeProcessorCount, items.count)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                for index in stride(from: part, to: items.count, by: parts) {
                    do {
                        let output = try work(items[index])
                        results.lock.withLock { results.outputs[index] = output }
                    } catch {
                        results.lock.withLock { results.failure = error }
                    }
                }
            }
        }
        running.append((group, results))
    }

    private func collectOldest() throws {
        let (group, results) = running.removeFirst()
        group.wait()
        if let failure = results.failure { throw failure }
        try deliver(results.outputs.map { $0! })
    }
}
