import CanvassCore
import CanvassStore
import Foundation

/// The blind second keying of one phiếu: what the verifier keys is compared with the first
/// keying, never shown before; on a mismatch the verifier sees both and decides, and the
/// outcome (with who is charged) is written as `_verify/PATH` with any correction, in one
/// transaction.
final class Verifier {
    /// The verifier's outcomes so far, by field path (read back from the file on resume).
    var records: [String: FieldVerification]
    /// A mismatch waiting for the verifier's decision: the field, the first keying, the second.
    var mismatch: (index: Int, first: PaperValue, second: PaperValue)?
    /// The verifier chose to key the field a third time.
    var again: (first: PaperValue, second: PaperValue)?
    var errors = 0

    init(reserved: [String: String]) {
        var records: [String: FieldVerification] = [:]
        for (field, value) in reserved {
            if let path = FieldVerification.verifiedPath(field), let record = FieldVerification(text: value) { records[path] = record }
        }
        self.records = records
        errors = records.values.filter { $0.charged != nil }.count
    }

    func hasRecord(_ path: String) -> Bool { records[path] != nil }

    /// What the verifier has keyed for a field (after any decision): never the first keying
    /// unless the verifier saw it at a mismatch.
    func keyed(_ path: String) -> PaperValue {
        records[path].map(\.final) ?? .empty
    }

    /// The verifier's values, for skip logic and choice filters while keying blind.
    var answers: Answers {
        var answers: Answers = [:]
        for (path, record) in records { if case .value(let value) = record.final { answers[path] = value } }
        return answers
    }

    func first(_ path: String, on screen: KeyingScreen) -> PaperValue {
        if let record = records[path] { return PaperValue(text: record.first) ?? .empty }
        return PaperValue.of(path, answers: screen.answers, marks: screen.marks)
    }

    /// A value keyed by the verifier: equal to the first, it is recorded and keying moves on;
    /// otherwise keying stops at the mismatch.
    func keyed(_ value: PaperValue, at index: Int, on screen: KeyingScreen) throws {
        let path = screen.fields[index].path
        if let again {
            self.again = nil
            return try record(FieldVerification(first: again.first, second: again.second, decision: .keyAgain(value)), at: index, on: screen)
        }
        let first = self.first(path, on: screen)
        if value == first { return try record(FieldVerification(agreed: value), at: index, on: screen) }
        mismatch = (index, first, value)
        screen.message = screen.messages(.mismatch, ["field": path, "first": describe(first, screen), "second": describe(value, screen)])
    }

    /// 1 keeps the first keying, 2 the second, 3 keys the field again.
    func decide(_ key: Key, on screen: KeyingScreen) throws -> KeyingScreen.Step {
        guard let mismatch else { return .stay }
        if case .control(let letter) = key, ["d", "c", "q", "\\"].contains(letter) { return .stop }
        switch key {
        case .character("1"):
            self.mismatch = nil
            try record(FieldVerification(first: mismatch.first, second: mismatch.second, decision: .keepFirst), at: mismatch.index, on: screen)
        case .character("2"):
            self.mismatch = nil
            try record(FieldVerification(first: mismatch.first, second: mismatch.second, decision: .keepSecond), at: mismatch.index, on: screen)
        case .character("3"):
            self.mismatch = nil
            again = (mismatch.first, mismatch.second)
            screen.cursor = mismatch.index
            screen.message = screen.messages(.keyAgain, ["field": screen.fields[mismatch.index].path])
        default: return .stay
        }
        screen.swallowEnter = screen.lineMode
        return .stay
    }

    func record(_ verification: FieldVerification, at index: Int, on screen: KeyingScreen) throws {
        let path = screen.fields[index].path
        let first = PaperValue(text: verification.first) ?? .empty
        let extra: [String: String?] = [FieldVerification.field(path): verification.text]
        if verification.final != first {
            try screen.store(verification.final, path: path, author: screen.clerk, extra: extra)
        } else {
            let id = screen.interview ?? ""
            try screen.file.write { writer in try writer.set(extra, interview: id, author: screen.clerk, device: screen.device) }
        }
        records[path] = verification
        if verification.charged != nil { errors += 1 }
        screen.refresh()
        if again == nil && mismatch == nil { screen.advance() }
    }

    /// The end of the phiếu: every field the first keying filled must have been keyed again.
    func finish(on screen: KeyingScreen) throws -> KeyingScreen.Step {
        if let missing = screen.fields.indices.first(where: { records[screen.fields[$0].path] == nil && first(screen.fields[$0].path, on: screen) != .empty }) {
            screen.cursor = missing
            screen.message = screen.messages(.mustVisit)
            return .stay
        }
        let summary = "\(records.count) fields, \(errors) errors"
        let id = screen.interview ?? ""
        try screen.file.write { writer in try writer.set([FieldVerification.done: summary], interview: id, author: screen.clerk, device: screen.device) }
        return .phieuDone
    }

    func describe(_ value: PaperValue, _ screen: KeyingScreen) -> String {
        switch value {
        case .empty: return "—"
        case .blank: return screen.messages(.blank)
        case .raw(let raw): return "'\(raw)'"
        case .value(let text): return "'\(text)'"
        }
    }
}
