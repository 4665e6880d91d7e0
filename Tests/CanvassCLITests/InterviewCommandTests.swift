import CanvassStore
import Foundation
import Testing

struct InterviewCommandTests {
    @Test func pipedSipasInterviewRunsToCompleted() throws {
        let dir = try CLI.scratch()
        let input = try String(contentsOfFile: CLI.fixture("interviews/sipas-2017-complete.txt"), encoding: .utf8)
        let result = try CLI.run(["interview", CLI.form("sipas-2017.yaml"), "--db", "lan.canvass", "--surveyor", "lan",
                                  "--device", "laptop-07", "--lang", "vi"], input: input, in: dir)
        #expect(result.code == 0)
        // Messages in the form's language (Vietnamese), as well as its questions.
        #expect(result.out.hasSuffix("phiếu id-0002 đã hoàn tất\n"))
        #expect(result.out.contains("  Số phiếu phải từ 1 trở lên\n"))  // 0 refused, asked again
        #expect(result.out.contains("ℹ Số tiêu chí hài lòng hoặc rất hài lòng: 20/22 (90.9%)"))
        let show = try CLI.run(["show", "lan.canvass", "id-0002", "--json"], in: dir)
        let report = try #require(try CLI.json(show.out) as? [String: Any])
        let interview = try #require(report["interview"] as? [String: Any])
        #expect(interview["status"] as? String == "completed")
        #expect(interview["key"] as? String == "stp-15")
        #expect(interview["device"] as? String == "laptop-07")
        let answers = try #require(report["answers"] as? [String: Any])
        #expect(answers["form_no"] as? Int == 15)
        #expect(answers["e1_3"] as? String == "4")  // answered 3, then :back and 4
        #expect(answers["comment"] as? String == "Cán bộ nhiệt tình, chu đáo")
        #expect(answers["username"] as? String == "lan")
        #expect(answers["deviceid"] as? String == "laptop-07")
        #expect(answers["start"] as? String == "2026-03-01T08:00:03Z")
        let notes = try #require(report["notes"] as? [[String: Any]])
        #expect(notes.map { $0["text"] as? String } == ["Người trả lời bận, phỏng vấn nhanh"])
        #expect(report["findings"] as? [Any] != nil && (report["findings"] as? [Any])?.isEmpty == true)
        // Done in seconds (the test clock): validate warns that it was too fast, but it is valid.
        let validate = try CLI.run(["validate", "lan.canvass", "--json"], in: dir)
        #expect(validate.code == 0)
        let findings = try #require((try CLI.json(validate.out) as? [String: Any])?["findings"] as? [[String: Any]])
        #expect(findings.map { $0["code"] as? String } == ["speed"])
        #expect(findings.first?["severity"] as? String == "warning")
    }

    @Test func inputEndingEarlyKeepsADraftThatResumes() throws {
        let dir = try CLI.scratch()
        let first = try CLI.run(["interview", CLI.form("household.yaml"), "--db", "h.canvass", "--surveyor", "minh"],
                                input: "AB123\n4\n", in: dir)
        #expect(first.code == 0)
        #expect(first.out.contains("phiếu id-0002 đã lưu nháp; tiếp tục bằng --resume id-0002"))
        let list = try CLI.run(["list", "h.canvass", "--json"], in: dir)
        let rows = try #require(try CLI.json(list.out) as? [[String: Any]])
        #expect(rows.map { $0["status"] as? String } == ["draft"])
        #expect(rows.map { $0["key"] as? String } == ["AB123-4"])
        let resumed = try CLI.run(["interview", CLI.form("household.yaml"), "--db", "h.canvass", "--surveyor", "minh", "--resume", "id-0002"],
                                  input: ":save\n", in: dir)
        #expect(resumed.code == 0)
        // It continues after the two answers already given, not at the start.
        #expect(!resumed.out.contains(" cluster "))
    }

    /// `--lang` first, then the form's default language, then LANG.
    @Test func messagesComeInTheChosenLanguage() throws {
        let dir = try CLI.scratch()
        let form = CLI.form("sipas-2017.yaml")
        let english = try CLI.run(["interview", form, "--db", "a.canvass", "--surveyor", "lan", "--lang", "en"], input: "stp\n0\n", in: dir)
        #expect(english.out.contains("  The form number must be 1 or more\n"))
        #expect(english.out.hasSuffix("input ended: interview id-0002 saved as a draft; continue with --resume id-0002\n"))
        let vietnamese = try CLI.run(["interview", form, "--db", "b.canvass", "--surveyor", "lan"], input: "9\n", in: dir,
                                     environment: ["LANG": "en_US.UTF-8"])
        #expect(vietnamese.out.contains("  cần nhập số thứ tự của một lựa chọn, từ 1 đến 6\n"))
        // A form with no default language: LANG decides.
        let yaml = "form_id: plain\nversion: '1'\nsurvey:\n  - {type: integer, name: n, label: N, required: true}\n"
        try yaml.write(to: dir.appendingPathComponent("plain.yaml"), atomically: true, encoding: .utf8)
        let byLang = try CLI.run(["interview", "plain.yaml", "--db", "c.canvass", "--surveyor", "lan"], input: "x\n\n", in: dir,
                                 environment: ["LANG": "vi_VN.UTF-8"])
        #expect(byLang.out.contains("  cần nhập một số nguyên\n  câu này bắt buộc trả lời\n"))
        let byC = try CLI.run(["interview", "plain.yaml", "--db", "d.canvass", "--surveyor", "lan"], input: "x\n", in: dir,
                              environment: ["LANG": "C"])
        #expect(byC.out.contains("  expected a whole number\n"))
    }

    /// The counter says where the question stands: going back to question 2 shows 2 again.
    @Test func theCounterDoesNotJumpAfterBack() throws {
        let dir = try CLI.scratch()
        let result = try CLI.run(["interview", CLI.form("sipas-2017.yaml"), "--db", "a.canvass", "--surveyor", "lan", "--lang", "en"],
                                 input: "stp\n15\n:back\n:back\n", in: dir)
        let counters = result.out.split(separator: "\n").compactMap { line in line.split(separator: " ").first.flatMap { $0.contains("/") ? String($0) : nil } }
        #expect(counters == ["1/40", "2/40", "3/40", "2/40", "1/40"])
    }

    @Test func resumingAnUnknownInterviewNamesIt() throws {
        let dir = try CLI.scratch()
        try CLI.run(["record", CLI.form("household.yaml"), "--db", "h.canvass", "--surveyor", "minh", "--answers", "-"],
                    input: "{\"_id\": \"a\", \"cluster\": \"AB123\"}\n", in: dir)
        let result = try CLI.run(["interview", CLI.form("household.yaml"), "--db", "h.canvass", "--surveyor", "minh", "--resume", "zzz"], in: dir)
        #expect(result.code == 1)
        #expect(result.err == "Error: h.canvass has no interview 'zzz'; see canvass list h.canvass\n")
    }

    /// SIGKILL at a random moment: every answer the prompt acknowledged (by asking the next
    /// question) is in the file, and the file opens.
    @Test(arguments: [3, 11, 24])
    func killedInterviewKeepsEveryAcknowledgedAnswer(acknowledged: Int) throws {
        let dir = try CLI.scratch()
        let lines = ["stp", "15", "Chứng thực bản sao hợp đồng", "1", "2", "3", "1", "5", "6", "1", "1", "2"]
            + Array(repeating: "4", count: 22) + ["1", "yes", "no", "no", "no", "Tốt"]
        let process = CLI.background(["interview", CLI.form("sipas-2017.yaml"), "--db", "k.canvass", "--surveyor", "lan"], in: dir,
                                     environment: ["CANVASS_NOW": "2026-03-01T08:00:00Z"])
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        var seen = ""
        func questionsShown() -> Int {
            seen.split(separator: "\n").filter { $0.range(of: #"^[0-9]+/[0-9]+ "#, options: .regularExpression) != nil }.count
        }
        for (index, line) in lines.prefix(acknowledged).enumerated() {
            stdin.fileHandleForWriting.write(Data((line + "\n").utf8))
            // The next question appears only after the answer was committed.
            while questionsShown() < index + 2 {
                let chunk = stdout.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                seen += String(decoding: chunk, as: UTF8.self)
            }
        }
        // Copied while the interview runs, without its -wal (people copy the file): every answer
        // acknowledged is in the copy too, as each write goes into the main file at once.
        try Data(contentsOf: dir.appendingPathComponent("k.canvass")).write(to: dir.appendingPathComponent("copy.canvass"))
        // One more answer in flight, then the kill: it may or may not be saved, but nothing before it may be lost.
        stdin.fileHandleForWriting.write(Data((lines[acknowledged] + "\n").utf8))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        for (name, inFlight) in [("k.canvass", 3), ("copy.canvass", 0)] {
            let file = try DataFile(path: dir.appendingPathComponent(name).path, mode: .readOnly)
            let interview = try #require(try file.interviews().first)
            let answers = try file.state(interview.id).answers
            let expected = [("unit", "stp"), ("form_no", "15"), ("procedure", "Chứng thực bản sao hợp đồng"), ("submission", "in_person")]
            for (field, value) in expected.prefix(acknowledged) {
                #expect(answers[field] == value, "\(name)")
            }
            let answered = answers.keys.filter { !$0.hasPrefix("_") && !["start", "today", "deviceid", "username"].contains($0) }
            #expect(answered.count >= acknowledged, "\(name)")
            #expect(answered.count <= acknowledged + inFlight, "\(name)")  // the answer in flight, and the calculations it triggers
        }
        // Both merge, the copy adding nothing the file lacks.
        let merge = try CLI.run(["merge", "t.canvass", "copy.canvass", "k.canvass", "--json"], in: dir)
        #expect(merge.code == 0, "\(merge.out)")
    }
}

struct HouseholdInterviewTests {
    @Test func rosterRepeatIsSizedByTheHouseholdAndCheckedForOneHead() throws {
        let dir = try CLI.scratch()
        let member = { (name: String, sex: String, age: String, relation: String) in [name, sex, age, relation, "2", "1"] }
        let lines = ["AB123", "7", "Số 5 ngõ 12 Trúc Bạch", "", "1", "2"]
            + member("Nguyễn Văn An", "1", "45", "2")   // nobody is the head yet
            + member("Trần Thị Bình", "2", "40", "2")
            + ["OK", ":jump members[1]/relation", "1", "", "", "", "", "", "", "", "", "OK", ""]
        let result = try CLI.run(["interview", CLI.form("household.yaml"), "--db", "h.canvass", "--surveyor", "minh", "--lang", "en"],
                                 input: lines.joined(separator: "\n") + "\n", in: dir)
        #expect(result.out.contains("== Household member #2 =="))
        #expect(result.out.contains("The household must have exactly one head"))
        #expect(result.code == 0)
        #expect(result.out.hasSuffix("interview id-0002 completed\n"))
        let show = try CLI.run(["show", "h.canvass", "id-0002", "--json"], in: dir)
        let answers = try #require((try CLI.json(show.out) as? [String: Any])?["answers"] as? [String: Any])
        let members = try #require(answers["members"] as? [[String: Any]])
        #expect(members.map { $0["member_name"] as? String } == ["Nguyễn Văn An", "Trần Thị Bình"])
        #expect(members.map { $0["relation"] as? String } == ["head", "spouse"])
        #expect(answers["heads"] as? String == "1")
    }
}
