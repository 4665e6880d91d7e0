@testable import CanvassStore
import Foundation
import Testing

/// The halves of a merge, driven one at a time: what the write does with a check that is no
/// longer true. (Through `merge(sources:)`, which source is checked when depends on timing.)
struct MergeStaleTests {
    /// A source holding one interview, i1, and an empty target.
    func sourceAndTarget() throws -> (source: DataFile, target: DataFile) {
        let dir = try StoreFixtures.scratch()
        let source = try DataFile(path: dir.appendingPathComponent("s.canvass").path, mode: .create, environment: StoreFixtures.environment("s"))
        try source.write { writer in _ = try writer.createInterview(id: "i1", form: StoreFixtures.form, surveyor: "lan", device: "d", mode: .bulk) }
        return (source, try DataFile(path: dir.appendingPathComponent("t.canvass").path, mode: .create))
    }

    @Test func aSourceChangedAfterItsCheckIsRefusedAndWritesNothing() throws {
        let (source, target) = try sourceAndTarget()
        let offer = try target.check(source: source.path, against: target.mergeSnapshot())
        // The surveyor goes on working in the file between its check and its write.
        try source.write { writer in _ = try writer.createInterview(id: "i2", form: StoreFixtures.form, surveyor: "lan", device: "d", mode: .bulk) }
        let before = try StoreFixtures.snapshot(target.path)
        let reports = target.write([(source.path, .success(offer))], dryRun: false)
        #expect(reports.map(\.outcome) == [.refused])
        #expect(reports[0].reason?.contains("it changed while it was being merged; merge it again") == true, "\(reports[0].reason ?? "")")
        #expect(try StoreFixtures.snapshot(target.path) == before)
        // Merged again, all of it comes.
        #expect(target.merge(source: source.path).outcome == .merged)
        #expect(try target.interviews().map(\.id) == ["i1", "i2"])
    }

    /// A check made before another source brought some of the same rows is made again, against
    /// the target as it is, inside the write.
    @Test func aCheckOvertakenByAnotherSourceIsMadeAgain() throws {
        let (a, target) = try sourceAndTarget()
        let stale = try target.check(source: a.path, against: target.mergeSnapshot())
        #expect(target.merge(source: a.path).outcome == .merged)
        #expect(!stale.alreadyMerged)
        #expect(target.write([(a.path, .success(stale))], dryRun: false).map(\.outcome) == [.alreadyMerged])
        #expect(try target.mergeLog().count == 1)
    }
}
