import Foundation
import Testing

struct RecordCommandTests {
    /// A surveyor name typed in decomposed Vietnamese (as some input modes do) is stored in NFC, in
    /// the interview's facts and in the `username` answer, so the file merges (merge refuses text
    /// in other forms).
    @Test func decomposedNamesAreStoredInNFCAndTheFileMerges() throws {
        let dir = try CLI.scratch()
        let decomposed = "Le\u{0302} Thi\u{0323} Hoa\u{0300}"
        let composed = decomposed.precomposedStringWithCanonicalMapping
        #expect(Array(decomposed.utf8) != Array(composed.utf8))
        let record = try CLI.run(["record", CLI.form("sipas-2017.yaml"), "--db", "a.canvass", "--surveyor", decomposed, "--device", decomposed,
                                  "--answers", "-"], input: SupervisorCommandTests.sipas("p1", unit: "stp", number: 1, score: 4), in: dir)
        #expect(record.code == 0, "\(record.err)")
        let merge = try CLI.run(["merge", "t.canvass", "a.canvass"], in: dir, environment: ["CANVASS_ID_PREFIX": "t"])
        #expect(merge.code == 0 && merge.out.contains("a.canvass: merged: 1 new interviews"), "\(merge.out)")
        let export = try CLI.run(["export", "t.canvass", "--format", "jsonl"], in: dir)
        let object = try #require(try CLI.json(export.out) as? [String: Any])
        let username = try #require(object["username"] as? String), surveyor = try #require(object["_surveyor"] as? String)
        #expect(Array(username.utf8) == Array(composed.utf8) && Array(surveyor.utf8) == Array(composed.utf8))
    }

    @Test func plantedErrorsGiveExactlyTheirFindings() throws {
        let dir = try CLI.scratch()
        let result = try CLI.run(["record", CLI.form("sipas-2017.yaml"), "--db", "a.canvass", "--surveyor", "lan",
                                  "--answers", CLI.fixture("batches/sipas-planted.jsonl"), "--complete"], in: dir)
        #expect(result.code == 1)
        #expect(result.out == """
            error [required] phieu-003: 'e3_2': an answer is required
            error [constraint] phieu-004: 'form_no': Số phiếu phải từ 1 trở lên
            error [constraint] phieu-005: 'phone': Số điện thoại gồm 10 chữ số, bắt đầu bằng 0
            recorded 6 interviews into a.canvass: 3 completed, 3 drafts, 3 invalid

            """)
        let list = try CLI.run(["list", "a.canvass", "--json"], in: dir)
        let rows = try #require(try CLI.json(list.out) as? [[String: Any]])
        #expect(rows.map { $0["id"] as? String } == ["phieu-001", "phieu-002", "phieu-003", "phieu-004", "phieu-005", "phieu-006"])
        #expect(rows.map { $0["status"] as? String } == ["completed", "completed", "draft", "draft", "draft", "completed"])
        #expect(rows.map { $0["key"] as? String } == ["stp-1", "stp-2", "stp-3", "stp-0", "stp-5", "stp-6"])
        let validate = try CLI.run(["validate", "a.canvass", "--json"], in: dir)
        #expect(validate.code == 1)
        let report = try #require(try CLI.json(validate.out) as? [String: Any])
        #expect(report["summary"] as? [String: Int] == ["interviews": 6, "valid": 3, "invalid": 3, "findings": 3])
        let findings = try #require(report["findings"] as? [[String: Any]])
        #expect(findings.map { "\($0["interview"]!) \($0["field"]!) \($0["code"]!)" } == [
            "phieu-003 e3_2 required", "phieu-004 form_no constraint", "phieu-005 phone constraint",
        ])
    }

    @Test func aRefusedBatchWritesNothing() throws {
        let dir = try CLI.scratch()
        let result = try CLI.run(["record", CLI.form("sipas-2017.yaml"), "--db", "a.canvass", "--surveyor", "lan",
                                  "--answers", CLI.fixture("batches/sipas-refused.jsonl")], in: dir)
        #expect(result.code == 1)
        #expect(result.out == "")
        let refused = CLI.fixture("batches/sipas-refused.jsonl")
        #expect(result.err == """
            error: \(refused):2: 'e1_1' must be one of the choices (1, 2, 3, 4, 5)
            error: \(refused):3: 'unknown_field' is not a field of the form; check the name
            refused the batch: nothing was written to a.canvass; fix the lines above and run again

            """)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("a.canvass").path))
    }

    @Test func aRefusedBatchLeavesAnExistingFileAsItWas() throws {
        let dir = try CLI.scratch()
        try CLI.run(["record", CLI.form("sipas-2017.yaml"), "--db", "a.canvass", "--surveyor", "lan",
                     "--answers", CLI.fixture("batches/sipas-planted.jsonl")], in: dir)
        let before = try CLI.run(["list", "a.canvass", "--json"], in: dir).out
        let notJSON = try CLI.run(["record", CLI.form("sipas-2017.yaml"), "--db", "a.canvass", "--surveyor", "lan", "--answers", "-"],
                                  input: "{\"unit\": \"stp\"}\nthis is not json\n", in: dir)
        #expect(notJSON.code == 1)
        #expect(notJSON.err == "Error: <stdin>:2: not a JSON object; nothing was written\n")
        // The same _id again is refused inside the transaction: the first, new interview is rolled back too.
        let again = try CLI.run(["record", CLI.form("sipas-2017.yaml"), "--db", "a.canvass", "--surveyor", "lan", "--answers", "-"],
                                input: "{\"_id\": \"new-1\", \"unit\": \"stp\"}\n{\"_id\": \"phieu-001\", \"unit\": \"stp\"}\n", in: dir)
        #expect(again.code == 1)
        #expect(again.err.contains("already has an interview with id 'phieu-001'"))
        #expect(try CLI.run(["list", "a.canvass", "--json"], in: dir).out == before)
    }

    @Test func vietnameseTypedTwoWaysIsOneValue() throws {
        let dir = try CLI.scratch()
        let decomposed = "Nguye\u{302}\u{303}n"  // "Nguyễn" with combining marks
        let input = "{\"_id\": \"x\", \"unit\": \"stp\", \"form_no\": 9, \"procedure\": \"\(decomposed)\"}\n"
        try CLI.run(["record", CLI.form("sipas-2017.yaml"), "--db", "a.canvass", "--surveyor", "lan", "--answers", "-"], input: input, in: dir)
        let show = try CLI.run(["show", "a.canvass", "x", "--json"], in: dir)
        let report = try #require(try CLI.json(show.out) as? [String: Any])
        let procedure = try #require((report["answers"] as? [String: Any])?["procedure"] as? String)
        #expect(Array(procedure.utf8) == Array("Nguy\u{1EC5}n".utf8))
    }
}
