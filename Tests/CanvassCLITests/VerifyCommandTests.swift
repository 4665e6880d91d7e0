import CanvassCore
import Foundation
import Testing

/// Double-entry verification through a real terminal: a second clerk keys the paper again, blind.
struct VerifyCommandTests {
    static let form = CLI.form("sipas-2017.yaml")

    /// Keys `batch` as clerk hoa (unit carried, form number counted), as `canvass key` would.
    func key(_ batch: [PaperPhieu], in dir: URL) throws {
        let pty = try PTY(["key", Self.form, "--db", "k.canvass", "--as", "hoa", "--persistent", "unit", "--count", "form_no"], in: dir)
        try pty.wait(for: "phiếu 1")
        for (n, phieu) in batch.enumerated() { pty.send(phieu.keys(carried: n > 0).joined()) }
        try pty.wait(for: "(\(batch.count) phiếu trong lượt này)")
        pty.send("\u{04}")
        #expect(try pty.exit() == 0)
    }

    func report(_ dir: URL) throws -> [String: [String: Any]] {
        let result = try CLI.run(["verify", "k.canvass", "--report", "--json"], in: dir)
        let rows = try #require(try CLI.json(result.out) as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: rows.map { ("\($0["clerk"]!) \($0["role"]!)", $0) })
    }

    /// One wrong digit: verification stops there, shows both values; keeping the verifier's
    /// corrects the phiếu and charges the keyer. Stopped halfway, it resumes where it stopped.
    @Test func aPlantedMismatchIsCaughtAndSettled() throws {
        let dir = try CLI.scratch()
        let truth = PaperPhieu()
        var keyed = truth
        keyed.criteria[0] = "3"  // e1_1 on paper is 4; the keyer typed 3
        try key([keyed], in: dir)
        let keys = truth.keys(carried: false)
        let verify = try PTY(["verify", "k.canvass", "--as", "lan"], in: dir)
        try verify.wait(for: "Kiểm tra phiếu stp-15 (1/1) do hoa nhập · người kiểm tra lan")
        // Blind: nothing the keyer typed is shown.
        #expect(verify.screen.lines.contains { $0.hasPrefix("▸ unit") && !$0.contains("Sở Tư pháp") })
        verify.send(keys[..<13].joined())  // up to and including e1_1
        try verify.wait(for: "e1_1: lần nhập 1 là '3', lần này là '4'. 1 giữ lần 1 · 2 giữ lần này · 3 nhập lại")
        verify.send("2" + keys[13..<15].joined())  // keep mine; then e1_2 and e1_3
        try verify.wait(for: "e1_4 · Trang thiết bị")
        verify.send("\u{04}")
        #expect(try verify.exit() == 0)
        #expect(verify.screen.text.contains("đã dừng kiểm tra: 0 phiếu"))

        let resumed = try PTY(["verify", "k.canvass", "--as", "lan"], in: dir)
        try resumed.wait(for: "e1_4 · Trang thiết bị")  // where it stopped
        resumed.send(keys[15...].joined())
        #expect(try resumed.exit() == 0)
        #expect(resumed.screen.text.contains("đã kiểm tra phiếu stp-15: 40 trường, 1 lỗi"))

        let list = try #require(try CLI.json(try CLI.run(["list", "k.canvass", "--json"], in: dir).out) as? [[String: Any]])
        let id = try #require(list.first?["id"] as? String)
        let show = try CLI.run(["show", "k.canvass", id, "--json"], in: dir)
        let answers = try #require((try CLI.json(show.out) as? [String: Any])?["answers"] as? [String: Any])
        #expect(answers["e1_1"] as? String == "4")
        let rows = try report(dir)
        #expect(rows["hoa key"]?["errors"] as? Int == 1)
        #expect(rows["hoa key"]?["verified_fields"] as? Int == 40)
        #expect(rows["hoa key"]?["errors_per_1000"] as? Double == 25)
        #expect(rows["lan verify"]?["errors"] as? Int == 0)
        #expect(rows["lan verify"]?["phieu"] as? Int == 1)
        // Nothing left: a second run says so and exits at once.
        let again = try CLI.run(["verify", "k.canvass", "--as", "lan", "--lang", "en"], in: dir)
        #expect(again.out == "nothing to verify in k.canvass: no phiếu keyed by another clerk awaits verification\n")
        // The keyer cannot verify their own phiếu; a second verifier has nothing to do either.
        let own = try CLI.run(["verify", "k.canvass", "--as", "hoa", "--lang", "en"], in: dir)
        #expect(own.out.hasPrefix("nothing to verify"))
    }

    /// A seeded batch with seeded keying errors: every one is caught, charged to the keyer, and
    /// corrected; nothing else is flagged.
    @Test func everyPlantedMismatchInABatchIsCaught() throws {
        let dir = try CLI.scratch()
        var generator = SplitMix64(seed: 2017)
        var truths: [PaperPhieu] = []
        var planted: [[Int]] = []
        var keyed: [PaperPhieu] = []
        for n in 0..<6 {
            let truth = PaperPhieu.random(&generator, formNo: 15 + n)
            var typed = truth
            let errors = Array(Set((0..<Int(generator.next() % 3)).map { _ in Int(generator.next() % 22) })).sorted()
            for index in errors { typed.criteria[index] = truth.criteria[index] == "5" ? "1" : "5" }
            truths.append(truth)
            planted.append(errors)
            keyed.append(typed)
        }
        #expect(planted.map(\.count).reduce(0, +) >= 4)
        try key(keyed, in: dir)
        let verify = try PTY(["verify", "k.canvass", "--as", "lan"], in: dir)
        for (n, truth) in truths.enumerated() {
            try verify.wait(for: "(\(n + 1)/\(truths.count))")
            let keys = truth.keys(carried: false)
            var chunk = ""
            for (index, key) in keys.enumerated() {
                chunk += key
                guard (12..<34).contains(index), planted[n].contains(index - 12) else { continue }
                verify.send(chunk)
                chunk = ""
                let field = PaperPhieu.criteriaNames[index - 12]
                try verify.wait(for: "\(field): lần nhập 1 là '\(keyed[n].criteria[index - 12])', lần này là '\(key)'")
                verify.send("2")
            }
            verify.send(chunk)
        }
        #expect(try verify.exit() == 0)
        let rows = try report(dir)
        let total = planted.map(\.count).reduce(0, +)
        #expect(rows["hoa key"]?["errors"] as? Int == total)
        #expect(rows["hoa key"]?["phieu"] as? Int == truths.count)
        #expect(rows["lan verify"]?["errors"] as? Int == 0)
        // The file now says what the paper says.
        let export = try CLI.run(["export", "k.canvass", "--format", "jsonl"], in: dir)
        let lines = export.out.split(separator: "\n").compactMap { try? CLI.json(String($0)) as? [String: Any] }
        #expect(lines.count == truths.count)
        for (line, truth) in zip(lines.sorted { ($0["form_no"] as? Int ?? 0) < ($1["form_no"] as? Int ?? 0) }, truths) {
            #expect(PaperPhieu.criteriaNames.map { line[$0] as? String } == truth.criteria)
        }
    }

    /// Line by line (a pipe, a screen reader): the decision on a mismatch is a line of its own.
    @Test func verifyingLineByLine() throws {
        let dir = try CLI.scratch()
        func lines(_ phieu: PaperPhieu) -> [String] { phieu.keys(carried: false).map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 } }
        var keyed = PaperPhieu()
        keyed.criteria[1] = "5"
        let key = try CLI.run(["key", Self.form, "--db", "k.canvass", "--as", "hoa"], input: lines(keyed).joined(separator: "\n") + "\n", in: dir)
        #expect(key.code == 0)
        var input = lines(PaperPhieu())
        input.insert("3", at: 14)  // after e1_2 (the 14th line): key it again
        input.insert("4", at: 15)  // the third keying agrees with the verifier
        let verify = try CLI.run(["verify", "k.canvass", "--as", "lan", "--lang", "en"], input: input.joined(separator: "\n") + "\n", in: dir)
        #expect(verify.code == 0, "\(verify.err)")
        #expect(verify.out.contains("\n  e1_2: first keying '5', yours '4'. 1 keep the first · 2 keep yours · 3 key again\n  e1_2: key it again from the paper, then Enter\n"))
        #expect(verify.out.contains("phiếu stp-15 verified: 40 fields, 1 errors\n"))
        let rows = try report(dir)
        #expect(rows["hoa key"]?["errors"] as? Int == 1)
    }

    /// A seeded sample is the same phiếu on every run: as many as the rule picks.
    @Test func aSampleIsSeeded() throws {
        let dir = try CLI.scratch()
        try key((0..<8).map { n in var phieu = PaperPhieu(); phieu.formNo = 15 + n; return phieu }, in: dir)
        let list = try #require(try CLI.json(try CLI.run(["list", "k.canvass", "--json"], in: dir).out) as? [[String: Any]])
        let picked = list.compactMap { $0["id"] as? String }.filter { VerificationSample.contains($0, percent: 50, seed: 9) }
        #expect(!picked.isEmpty && picked.count < 8)
        let verify = try PTY(["verify", "k.canvass", "--as", "lan", "--sample", "50%", "--seed", "9"], in: dir)
        try verify.wait(for: "(1/\(picked.count)) do hoa nhập")
        verify.send("\u{11}")  // Ctrl-Q
        #expect(try verify.exit() == 0)
    }
}

/// Verification results are revisions: verified on a copy, they merge back like answers.
struct VerificationMergeTests {
    @Test func aVerificationMadeOnACopyMerges() throws {
        let dir = try CLI.scratch()
        var keyed = PaperPhieu()
        keyed.criteria[5] = "2"
        let tests = VerifyCommandTests()
        try tests.key([keyed], in: dir)
        try FileManager.default.copyItem(at: dir.appendingPathComponent("k.canvass"), to: dir.appendingPathComponent("copy.canvass"))
        let verify = try PTY(["verify", "copy.canvass", "--as", "lan", "--lang", "en"], in: dir)
        try verify.wait(for: "Verify phiếu stp-15 (1 of 1)")
        let keys = PaperPhieu().keys(carried: false)
        verify.send(keys[..<18].joined())
        try verify.wait(for: "e2_2: first keying '2', yours '4'")
        verify.send("3")
        try verify.wait(for: "e2_2: key it again from the paper, then Enter")
        verify.send("4" + keys[18...].joined())
        #expect(try verify.exit() == 0)
        let merge = try CLI.run(["merge", "k.canvass", "copy.canvass"], in: dir)
        #expect(merge.code == 0, "\(merge.out)\(merge.err)")
        let report = try CLI.run(["verify", "k.canvass", "--report", "--json"], in: dir)
        let rows = try #require(try CLI.json(report.out) as? [[String: Any]])
        #expect(rows.map { "\($0["clerk"]!) \($0["role"]!) \($0["errors"]!)" } == ["hoa key 1", "lan verify 0"])
        let again = try CLI.run(["verify", "k.canvass", "--as", "minh", "--lang", "en"], in: dir)
        #expect(again.out.hasPrefix("nothing to verify"))
        let list = try #require(try CLI.json(try CLI.run(["list", "k.canvass", "--json"], in: dir).out) as? [[String: Any]])
        let show = try CLI.run(["show", "k.canvass", try #require(list.first?["id"] as? String), "--json"], in: dir)
        #expect(((try CLI.json(show.out) as? [String: Any])?["answers"] as? [String: Any])?["e2_2"] as? String == "4")
        // The merged file validates: the verification fields are Canvass's own.
        #expect(try CLI.run(["validate", "k.canvass"], in: dir).code == 0)
    }
}
