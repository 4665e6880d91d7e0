import CanvassCore
import Foundation
import Testing

/// A SIPAS 2017 phiếu as written on paper, and the keys a clerk presses to key it.
struct PaperPhieu {
    var unit = "1", formNo = 15, procedure = "Chứng thực bản sao", submission = "1"
    var profile = ["1", "2", "1", "5", "6", "1", "1"]  // gender, age, ethnicity, education, occupation, area, respondent type
    var criteria = Array(repeating: "4", count: 22)
    var trips = "1", trouble = "2", extra = "2", comment = ""

    static let criteriaNames = ["e1_1", "e1_2", "e1_3", "e1_4", "e2_1", "e2_2", "e2_3", "e2_4", "e2_5",
                                "e3_1", "e3_2", "e3_3", "e3_4", "e3_5", "e3_6", "e4_1", "e4_2", "e4_3",
                                "e5_1", "e5_2", "e5_3", "e5_4"]

    /// The keys, field by field (a digit alone moves on; text ends with Enter); `carried` leaves
    /// out the unit and form number that carry over from the phiếu before.
    func keys(carried: Bool) -> [String] {
        (carried ? [] : [unit, "\(formNo)\r"]) + ["\(procedure)\r", submission] + profile + ["2"] + criteria
            + [trips, "1", trouble, extra, "2", "\(comment)\r", "\r"]
    }

    /// Random answers from a seed, as a batch of real phiếu would vary.
    static func random(_ generator: inout SplitMix64, formNo: Int) -> PaperPhieu {
        var phieu = PaperPhieu()
        phieu.formNo = formNo
        phieu.procedure = ["Đăng ký khai sinh", "Chứng thực chữ ký", "Cấp phiếu lý lịch tư pháp"][Int(generator.next() % 3)]
        phieu.submission = String(1 + generator.next() % 3)
        phieu.criteria = (0..<22).map { _ in String(2 + generator.next() % 4) }
        phieu.trips = String(1 + generator.next() % 3)
        return phieu
    }
}

struct KeyCommandTests {
    static let form = CLI.form("sipas-2017.yaml")

    func answers(_ dir: URL, _ file: String, _ id: String) throws -> [String: Any] {
        let show = try CLI.run(["show", file, id, "--json"], in: dir)
        return try #require((try CLI.json(show.out) as? [String: Any])?["answers"] as? [String: Any])
    }

    func interviews(_ dir: URL, _ file: String) throws -> [[String: Any]] {
        try #require(try CLI.json(try CLI.run(["list", file, "--json"], in: dir).out) as? [[String: Any]])
    }

    /// Three phiếu keyed heads-down: unit carried over, form number counting up, every phiếu
    /// completed in mode 'key', Vietnamese on the screen.
    @Test func keyingABatchOfPhieu() throws {
        let dir = try CLI.scratch()
        let pty = try PTY(["key", Self.form, "--db", "k.canvass", "--as", "hoa", "--persistent", "unit", "--count", "form_no"], in: dir)
        try pty.wait(for: "người nhập hoa · phiếu 1")
        var batch = [PaperPhieu(), PaperPhieu(), PaperPhieu()]
        batch[1].formNo = 16
        batch[1].criteria[3] = "5"
        batch[2].formNo = 17
        batch[2].procedure = "Đăng ký kết hôn"
        for (n, phieu) in batch.enumerated() { pty.send(phieu.keys(carried: n > 0).joined()) }
        try pty.wait(for: "đã lưu phiếu stp-17 (3 phiếu trong lượt này)")
        try pty.wait(for: "phiếu 4 · stp-18")
        #expect(pty.screen.text.contains("Sở Tư pháp ↻"))
        pty.send("\u{04}")
        #expect(try pty.exit() == 0)
        #expect(pty.screen.text.contains("đã dừng nhập: 3 phiếu hoàn tất trong lượt này"))
        let rows = try interviews(dir, "k.canvass")
        #expect(rows.map { $0["status"] as? String } == ["completed", "completed", "completed"])
        #expect(rows.map { $0["mode"] as? String } == ["key", "key", "key"])
        #expect(rows.map { $0["key"] as? String } == ["stp-15", "stp-16", "stp-17"])
        let second = try answers(dir, "k.canvass", try #require(rows[1]["id"] as? String))
        #expect(second["e1_4"] as? String == "5")
        #expect(second["unit"] as? String == "stp")
        #expect(second["procedure"] as? String == "Chứng thực bản sao")
        #expect(second["respondent_name"] == nil)
        // Keyed in seconds, but the speed check does not apply to keying: valid, no findings.
        let validate = try CLI.run(["validate", "k.canvass"], in: dir)
        #expect(validate.code == 0)
        #expect(validate.out == "3 interviews: 3 valid, 0 invalid, 0 findings\n")
    }

    /// The paper is the truth: a code out of range and an answer skip logic hides are kept after one
    /// confirming Enter, a blank is recorded as such, and validate reports each; nothing blocks.
    @Test func whatDoesNotFitIsKeptAfterOneConfirmation() throws {
        let dir = try CLI.scratch()
        let pty = try PTY(["key", Self.form, "--db", "k.canvass", "--as", "hoa", "--lang", "en"], in: dir)
        try pty.wait(for: "clerk hoa · phiếu 1")
        var phieu = PaperPhieu()
        phieu.criteria[0] = "*"
        let keys = phieu.keys(carried: false)
        let trips = 34  // unit, form_no, procedure, submission, 7 profile, consent, 22 criteria
        pty.send(keys[..<trips].joined())
        pty.send("7")
        try pty.wait(for: "7 is not a code of this question (1-4). Enter keeps it as on paper")
        pty.send("\r")
        // on_time: yes, so late_apology is hidden and keying goes on at trouble; the keyer goes back up.
        pty.send("1" + PTY.up)
        pty.send("1")
        try pty.wait(for: "skip logic says this question does not apply. Enter keeps the answer as on paper")
        pty.send("\r" + keys[(trips + 2)...].joined())
        try pty.wait(for: "phiếu stp-15 saved (1 this session)")
        pty.send("\u{03}")  // Ctrl-C stops keying too, and saves nothing half-done
        #expect(try pty.exit() == 0)
        let validate = try CLI.run(["validate", "k.canvass", "--json"], in: dir)
        #expect(validate.code == 1)
        let findings = try #require((try CLI.json(validate.out) as? [String: Any])?["findings"] as? [[String: Any]])
        #expect(findings.map { "\($0["code"]!) \($0["field"]!)" }.sorted()
                == ["blank-on-paper e1_1", "not-relevant late_apology", "out-of-range trips"])
    }

    /// The window shrinks while keying: the screen is drawn again to the new size.
    @Test func aResizedWindowIsRedrawn() throws {
        let dir = try CLI.scratch()
        let pty = try PTY(["key", Self.form, "--db", "k.canvass", "--as", "hoa"], in: dir, columns: 100, rows: 40)
        try pty.wait(for: "trang 1/1")
        pty.resize(columns: 70, rows: 20)
        try pty.wait(for: "trang 1/3")
        #expect(pty.screen.lines.allSatisfy { $0.count <= 70 })
        #expect(pty.screen.text.contains("▸ unit"))
        pty.send("\u{04}")
        #expect(try pty.exit() == 0)
    }

    /// Piped (and with TERM=dumb or --line): a field per line, each announced on a line of its own.
    @Test func withoutATerminalKeyingIsLineByLine() throws {
        let dir = try CLI.scratch()
        let phieu = PaperPhieu()
        let lines = phieu.keys(carried: false).map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
        var second = PaperPhieu()
        second.formNo = 16
        let more = second.keys(carried: true).map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
        let result = try CLI.run(["key", Self.form, "--db", "k.canvass", "--as", "hoa", "--persistent", "unit", "--count", "form_no", "--lang", "en"],
                                 input: (lines + more).joined(separator: "\n") + "\n", in: dir)
        #expect(result.code == 0, "\(result.err)")
        #expect(result.out.hasPrefix("== sipas_2017 · clerk hoa · phiếu 1 · -\n1/45 unit Agency or unit surveyed [1 Department of Justice; "))
        #expect(result.out.contains("\n  phiếu stp-15 saved (1 this session)\n"))
        #expect(result.out.contains("== sipas_2017 · clerk hoa · phiếu 2 · stp-16\n3/45 procedure "))
        #expect(result.out.hasSuffix("keying stopped: 2 phiếu completed this session; a phiếu begun is kept as a draft and continues next time\n"))
        let rows = try interviews(dir, "k.canvass")
        #expect(rows.map { $0["key"] as? String } == ["stp-15", "stp-16"])
        #expect(rows.map { $0["status"] as? String } == ["completed", "completed"])
        // Errors too come in the user's language.
        let count = try CLI.run(["key", Self.form, "--db", "k.canvass", "--as", "hoa", "--count", "procedure"], in: dir)
        #expect(count.code == 64)
        #expect(count.err.contains("--count procedure: trường này phải là số nguyên"))
        let persistent = try CLI.run(["key", Self.form, "--db", "k.canvass", "--as", "hoa", "--persistent", "unit,batch", "--lang", "en"], in: dir)
        #expect(persistent.err.contains("the form has no field 'batch' to key (outside repeats) for --persistent or --count"))
    }

    /// A household roster keyed from paper: the household size brings its members' fields in,
    /// each member's skip logic applies to that member alone, and the phiếu validates clean.
    @Test func aRosterIsKeyedMemberByMember() throws {
        let dir = try CLI.scratch()
        let keys = ["HN001", "7", "Số 12 ngõ Huế", "*", "1", "2",
                    "Nguyễn Văn An", "1", "45", "1", "2", "1",    // name, sex, age, relation, marital, occupation
                    "Trần Thị Bình", "2", "12", "3", "1",         // name, sex, age, relation, in school
                    "OK", "", ""]
        let result = try CLI.run(["key", CLI.form("household.yaml"), "--db", "k.canvass", "--as", "hoa", "--lang", "en"],
                                 input: keys.joined(separator: "\n") + "\n", in: dir)
        #expect(result.code == 0, "\(result.err)")
        #expect(result.out.contains("\n7/9 hh_size How many people usually live in this household?\n8/23 members[1]/member_name Full name\n"), "\(result.out)")
        #expect(result.out.contains("\n20/23 members[2]/in_school Is Trần Thị Bình currently attending school? [1 Yes; 2 No]\n"))
        #expect(result.out.contains("phiếu HN001-7 saved (1 this session)"))
        let id = try #require(try interviews(dir, "k.canvass").first?["id"] as? String)
        let members = try #require(try answers(dir, "k.canvass", id)["members"] as? [[String: Any]])
        #expect(members.map { $0["member_name"] as? String } == ["Nguyễn Văn An", "Trần Thị Bình"])
        #expect(members[0]["occupation"] as? String == "wage_work" && members[0]["in_school"] == nil)
        #expect(members[1]["in_school"] as? String == "yes" && members[1]["marital"] == nil)
        let validate = try CLI.run(["validate", "k.canvass"], in: dir)
        #expect(validate.out == "1 interviews: 1 valid, 0 invalid, 0 findings\n", "\(validate.out)")
        let show = try CLI.run(["show", "k.canvass", id, "--lang", "en"], in: dir)
        #expect(show.out.contains("members[2]/sex = female (Female)  Sex of Trần Thị Bình"), "\(show.out)")
    }
}
