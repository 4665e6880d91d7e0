import CanvassCore
import CanvassStore
import Foundation
import GRDB
import Testing

/// XLSForm's question types on the built binary (Tests/Fixtures/types/field-types.yaml and the
/// files beside it): locations typed and checked and exported as columns, choices from CSV, XML and
/// GeoJSON files and a pulldata() CSV embedded with the form, rank, range, barcode, hidden, and
/// photos, recordings and documents stored in the data file by their SHA-256, merged as a union and
/// exported beside the tables; types a laptop cannot collect are named and the rest runs.
struct FieldTypeTests {
    static let directory = CLI.root.appendingPathComponent("Tests/Fixtures/types")
    static let form = directory.appendingPathComponent("field-types.yaml").path

    /// One interview as a JSON line; `overrides` (a JSON object) replaces or adds answers, and a
    /// null removes one.
    static func answers(_ overrides: String = "{}") -> String {
        let files = directory.path
        var object: [String: Any] = [
            "_id": "f1", "village": "phu_my", "stations": ["s2"], "plot": "p2", "house": "21.0285  105.8542 12 4.5",
            "path": "21.0 105.8; 21.01 105.81", "field": "0 0;0 0.001;0.001 0.001;0.001 0;0 0", "crops": ["maize", "rice"],
            "rating": 6, "code": "8934567000012", "photo": "\(files)/house.png", "voice": "voice.wav", "share": 40,
        ]
        let changes = (try? JSONSerialization.jsonObject(with: Data(overrides.utf8))) as? [String: Any] ?? [:]
        for (key, value) in changes { object[key] = value is NSNull ? nil : value }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Records into a.canvass in a scratch directory; `voice.wav` is given relative to the answers file there.
    func recorded() throws -> URL {
        let dir = try CLI.scratch()
        try FileManager.default.copyItem(at: Self.directory.appendingPathComponent("voice.wav"), to: dir.appendingPathComponent("voice.wav"))
        try Self.answers().write(to: dir.appendingPathComponent("a.jsonl"), atomically: true, encoding: .utf8)
        let record = try CLI.run(["record", Self.form, "--db", "a.canvass", "--surveyor", "lan", "--answers", "a.jsonl", "--complete"], in: dir)
        #expect(record.code == 0, "\(record.out)\(record.err)")
        return dir
    }

    @Test func typesALaptopCannotCollectAreNamedAndTheRestRuns() throws {
        let check = try CLI.run(["form", "check", Self.form])
        #expect(check.code == 0)
        #expect(check.out.contains("[audit] 'audit' has the type audit, which is ODK Collect's log of screen events"), "\(check.out)")
        #expect(check.out.contains("[sound] 'sound' has the type background-audio, which records sound in the background on a phone"))
        #expect(check.out.hasSuffix("ok (0 errors, 2 warnings)\n"), "\(check.out)")
    }

    @Test func everyTypeIsRecordedShownAndComputed() throws {
        let dir = try recorded()
        let json = try #require(try CLI.json(try CLI.run(["show", "a.canvass", "f1", "--json"], in: dir).out) as? [String: Any])
        let answers = try #require(json["answers"] as? [String: Any])
        #expect(answers["house"] as? String == "21.0285 105.8542 12 4.5")  // one space between numbers
        #expect(answers["path"] as? String == "21.0 105.8;21.01 105.81")
        #expect(answers["village_code"] as? String == "VN-PM-02")  // pulldata('codes', ...) from codes.csv
        #expect(answers["field_area"] as? String == "12392")
        #expect(answers["walk"] as? String == "1522.9")
        #expect(answers["crops"] as? [String] == nil && answers["crops"] as? String == "maize rice")
        #expect(answers["batch"] as? String == "B7")  // a hidden field holds its default
        #expect(answers["stations"] as? [String] == nil && answers["stations"] as? String == "s2")  // held as text, like crops
        let png = try Data(contentsOf: Self.directory.appendingPathComponent("house.png"))
        #expect(answers["photo"] as? String == MediaFile.sha256(of: png) + ".png")
    }

    @Test(arguments: [
        (#"{"house": "95 105"}"#, "'house' must be a location as 'latitude longitude [altitude accuracy]'"),
        (#"{"path": "21 105"}"#, "'path' must be a line of 2 points or more"),
        (#"{"field": "0 0;0 1;1 1"}"#, "'field' must be a closed shape of 4 points or more"),
        (#"{"crops": ["rice", "rice"]}"#, "'crops' must be the choices in order, each once"),
        (#"{"rating": 5}"#, "'rating' must be a number from 0 to 10 in steps of 2"),
        (#"{"village": "ha_noi"}"#, "'village' must be one of the choices (an_binh, phu_my)"),
        (#"{"stations": ["s9"]}"#, "'stations' must be choices from (s1, s2)"),
        (#"{"consent": "nowhere.pdf"}"#, "'consent' names a file that cannot be stored"),
        (#"{"consent": "0000000000000000000000000000000000000000000000000000000000000000.pdf"}"#, "names a stored file that a.canvass does not hold"),
    ])
    func wrongValuesRefuseTheBatchAndSayWhy(overrides: String, message: String) throws {
        let dir = try CLI.scratch()
        let input = Self.answers(String(overrides.dropLast()) + #", "voice": null}"#)
        let record = try CLI.run(["record", Self.form, "--db", "a.canvass", "--surveyor", "lan", "--answers", "-"], input: input, in: dir)
        #expect(record.code == 1)
        #expect(record.err.contains(message), "\(record.err)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("a.canvass").path))  // nothing written
    }

    @Test func locationsAreColumnsAndFilesAreWrittenBesideTheTables() throws {
        let dir = try recorded()
        let export = try CLI.run(["export", "a.canvass", "--format", "csv", "-o", "out"], in: dir)
        #expect(export.code == 0, "\(export.err)")
        let table = try String(contentsOf: dir.appendingPathComponent("out/field_types.csv"), encoding: .utf8).components(separatedBy: "\r\n")
        let header = table[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let row = table[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let cell = { (column: String) in header.firstIndex(of: column).map { row[$0] } }
        #expect(cell("house-Latitude") == "21.0285" && cell("house-Longitude") == "105.8542" && cell("house-Altitude") == "12" && cell("house-Accuracy") == "4.5")
        for (name, column) in [("house.png", "photo"), ("voice.wav", "voice")] {
            let original = try Data(contentsOf: Self.directory.appendingPathComponent(name))
            let stored = try #require(cell(column))
            #expect(try Data(contentsOf: dir.appendingPathComponent("out/media/\(stored)")) == original, "\(name)")
        }
        // JSON lines to a file: media/ beside it.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("out"))
        #expect(try CLI.run(["export", "a.canvass", "-o", "all.jsonl"], in: dir).code == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("media").path).count == 2)
    }

    @Test func filesMergeAsAUnionAndAreCheckedOnTheWay() throws {
        let dir = try recorded()
        // Another laptop records the same photo and another file: the photo is stored once.
        let other = try CLI.scratch()
        try Self.answers(#"{"_id": "f2", "voice": null, "consent": "\#(Self.directory.path)/consent.pdf"}"#)
            .write(to: other.appendingPathComponent("b.jsonl"), atomically: true, encoding: .utf8)
        #expect(try CLI.run(["record", Self.form, "--db", "b.canvass", "--surveyor", "hoa", "--answers", "b.jsonl"], in: other,
                            environment: ["CANVASS_ID_PREFIX": "b"]).code == 0)
        try FileManager.default.copyItem(at: other.appendingPathComponent("b.canvass"), to: dir.appendingPathComponent("b.canvass"))
        let merge = try CLI.run(["merge", "hub.canvass", "a.canvass", "b.canvass"], in: dir, environment: ["CANVASS_ID_PREFIX": "hub"])
        #expect(merge.code == 0, "\(merge.out)\(merge.err)")
        let count = { (file: String) in try DatabaseQueue(path: dir.appendingPathComponent(file).path).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM attachment") } }
        #expect(try count("hub.canvass") == 3)  // house.png (both), voice.wav, consent.pdf
        #expect(try CLI.run(["merge", "hub.canvass", "a.canvass", "b.canvass"], in: dir).out.contains("already merged"))
        // A hub that holds the answers but lost a file takes it again from a source that has it.
        try DatabaseQueue(path: dir.appendingPathComponent("hub.canvass").path).write { db in
            try db.execute(sql: "DELETE FROM attachment WHERE sha256 IN (SELECT sha256 FROM attachment LIMIT 1)")
        }
        #expect(try CLI.run(["merge", "hub.canvass", "a.canvass", "b.canvass"], in: dir).code == 0)
        #expect(try count("hub.canvass") == 3)

        // A file whose attachment is not the bytes its name says is refused whole.
        try DatabaseQueue(path: dir.appendingPathComponent("b.canvass").path).write { db in
            try db.execute(sql: "UPDATE attachment SET data = x'00' WHERE sha256 IN (SELECT sha256 FROM attachment LIMIT 1)")
        }
        let fresh = try CLI.run(["merge", "other.canvass", "b.canvass"], in: dir, environment: ["CANVASS_ID_PREFIX": "o"])
        #expect(fresh.code == 1)
        #expect(fresh.out.contains("is not the file its name says"), "\(fresh.out)")
    }

    @Test func anXLSFormWithFilesBesideItLoadsThemAndKeepsThemInTheDataFile() throws {
        let dir = try CLI.scratch()
        for name in ["villages.csv", "stations.xml", "plots.geojson", "codes.csv"] {
            try FileManager.default.copyItem(at: Self.directory.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        let export = try CLI.run(["form", "export", Self.form, "-o", "types.xlsx"], in: dir)
        #expect(export.code == 0, "\(export.err)")
        try CLI.run(["record", "types.xlsx", "--db", "x.canvass", "--surveyor", "lan", "--answers", "-"],
                    input: #"{"_id": "x1", "village": "an_binh", "stations": "s1", "plot": "p1"}"# + "\n", in: dir)
        // The files are gone; the data file has what they held.
        for name in ["villages.csv", "stations.xml", "plots.geojson", "codes.csv"] { try FileManager.default.removeItem(at: dir.appendingPathComponent(name)) }
        let show = try CLI.run(["show", "x.canvass", "x1", "--lang", "vi"], in: dir)
        #expect(show.out.contains("village = an_binh (An Bình)") && show.out.contains("village_code = VN-AB-01"), "\(show.out)")
        #expect(show.out.contains("stations = s1 (Trạm y tế xã)") && show.out.contains("plot = p1 (Thửa 1)"))
    }

    @Test func theInterviewPromptTakesLocationsRanksRangesAndFiles() throws {
        let dir = try CLI.scratch()
        try """
            form_id: prompt_types
            version: "1"
            survey:
              - {type: geopoint, name: house, label: House}
              - {type: rank crops, name: crops, label: Crops}
              - {type: range, name: rating, label: Rating, parameters: "start=0 end=10 step=2"}
              - {type: image, name: photo, label: Photo}
            choices:
              crops: [{name: rice, label: Rice}, {name: maize, label: Maize}]
            """.write(to: dir.appendingPathComponent("f.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: Self.directory.appendingPathComponent("house.png"), to: dir.appendingPathComponent("house.png"))
        let result = try CLI.run(["interview", "f.yaml", "--db", "p.canvass", "--surveyor", "lan"],
                                 input: "95 105\n21.02 105.85\n2 1\n5\n4\nnowhere.png\nhouse.png\n", in: dir)
        #expect(result.code == 0, "\(result.err)")
        for line in ["   (latitude longitude [altitude accuracy], e.g. 21.0285 105.8542)", "  expected a location as 'latitude longitude [altitude accuracy]'",
                     "   (the choices in order, by number, e.g. 3 1 2)", "  expected a number from 0 to 10 in steps of 2",
                     "nowhere.png is not a file; give the path of the photo, recording or document", "interview id-0002 completed"] {
            #expect(result.out.contains(line), "\(line)\n\(result.out)")
        }
        let answers = try #require((try CLI.json(try CLI.run(["show", "p.canvass", "id-0002", "--json"], in: dir).out) as? [String: Any])?["answers"] as? [String: Any])
        #expect(answers["house"] as? String == "21.02 105.85")
        #expect(answers["crops"] as? String == "maize rice")
        #expect(answers["rating"] as? Int == 4)
        let png = try Data(contentsOf: Self.directory.appendingPathComponent("house.png"))
        #expect(answers["photo"] as? String == MediaFile.sha256(of: png) + ".png")
        #expect(try DataFile(path: dir.appendingPathComponent("p.canvass").path, mode: .readOnly).attachment(MediaFile.sha256(of: png)) == png)

        // In the interview's language, as every other refusal at the prompt.
        let vietnamese = try CLI.run(["interview", "f.yaml", "--db", "p.canvass", "--surveyor", "lan", "--lang", "vi"],
                                     input: "21.02 105.85\n2 1\n4\nnowhere.png\nhouse.png\n", in: dir)
        #expect(vietnamese.code == 0, "\(vietnamese.err)")
        #expect(vietnamese.out.contains("nowhere.png không phải là tệp; hãy nhập đường dẫn của ảnh, bản ghi âm hoặc tài liệu"), "\(vietnamese.out)")
        #expect(!vietnamese.out.contains("is not a file"))
    }
}
