@testable import CanvassCore
import Foundation
import Testing

/// What each question type accepts and how it is stored.
struct FieldValueTests {
    func normalize(_ text: String, _ type: String, parameters: String? = nil, choices: [String]? = nil) -> String? {
        var entry = Entry(type: FieldType(parsing: type), name: "q")
        entry.parameters = parameters
        guard case .success(let value) = FieldValue.normalize(text, for: entry, choices: choices?.map { Choice(name: $0) }) else { return nil }
        return value
    }

    @Test func locations() {
        #expect(normalize("21.0285  105.8542", "geopoint") == "21.0285 105.8542")
        #expect(normalize("21.0285 105.8542 12 4.5", "geopoint") == "21.0285 105.8542 12 4.5")
        #expect(normalize("91 105", "geopoint") == nil)
        #expect(normalize("21 181", "geopoint") == nil)
        #expect(normalize("21 105 1 2 3", "geopoint") == nil)
        #expect(normalize("21 nan", "geopoint") == nil)
        #expect(normalize("21 105; 21.1 105.1 0 0", "geotrace") == "21 105;21.1 105.1 0 0")
        #expect(normalize("21 105", "geotrace") == nil)
        #expect(normalize("0 0;0 1;1 1;0 0", "geoshape") == "0 0;0 1;1 1;0 0")
        #expect(normalize("0 0;0 1;1 1;1 0", "geoshape") == nil)  // not closed
        #expect(normalize("0 0;0 1;0 0", "geoshape") == nil)  // too few points
        #expect(normalize("10.7 106.7", "start-geopoint") == "10.7 106.7")
    }

    @Test func rangesFollowTheirParameters() {
        #expect(normalize("6", "range", parameters: "start=0 end=10 step=2") == "6")
        #expect(normalize("5", "range", parameters: "start=0 end=10 step=2") == nil)
        #expect(normalize("12", "range", parameters: "start=0 end=10 step=2") == nil)
        #expect(normalize("0.6", "range", parameters: "start=0;end=1;step=0.25") == nil)
        #expect(normalize("0.75", "range", parameters: "start=0;end=1;step=0.25") == "0.75")
        #expect(normalize("3", "range", parameters: "start=5 end=1 step=-1") == "3")  // a range may run down
        #expect(normalize("7", "range") == "7")  // XLSForm's defaults: 1 to 10 by 1
        #expect(normalize("11", "range") == nil)
        #expect(RangeParameters("start=0 end=10 step=2").description == "a number from 0 to 10 in steps of 2")
    }

    @Test func rankIsEachChoiceOnceInOrder() {
        #expect(normalize("b a c", "rank l", choices: ["a", "b", "c"]) == "b a c")
        #expect(normalize("b b", "rank l", choices: ["a", "b", "c"]) == nil)
        #expect(normalize("b x", "rank l", choices: ["a", "b", "c"]) == nil)
    }

    @Test func filesAreNamedByTheirContent() {
        let sha = MediaFile.sha256(of: Data("ảnh".utf8))
        #expect(sha.count == 64)
        #expect(MediaFile.storedName(sha256: sha, originalName: "/home/lan/Ảnh nhà.JPG") == sha + ".jpg")
        #expect(MediaFile.storedName(sha256: sha, originalName: "no-extension") == sha)
        #expect(MediaFile.storedName(sha256: sha, originalName: "x.tar.ngũ") == sha)  // not an ASCII extension
        #expect(normalize(sha + ".jpg", "image") == sha + ".jpg")
        #expect(normalize("/home/lan/house.jpg", "image") == nil)  // a path is turned into a name by the command
        #expect(normalize(String(repeating: "g", count: 64), "file") == nil)
        #expect(MediaFile.sha256(ofStoredName: sha + ".JPG") == nil)  // names are written lowercase
    }

    @Test func choicesFilesInXMLAndGeoJSON() throws {
        let xml = Data("""
            <?xml version="1.0"?><root><item><name>s1</name><label>Trạm y tế</label><kind>health</kind></item>
            <item><name>s2</name><label>Trường</label></item><item><label>no name</label></item></root>
            """.utf8)
        let choices = try ExternalChoices.parse(xml, file: "s.xml", defaultLanguage: nil)
        #expect(choices.map(\.name) == ["s1", "s2"])
        #expect(choices[0].label == .plain("Trạm y tế") && choices[0].extra == ["kind": "health"])
        #expect(throws: XLSXError.self) {
            try ExternalChoices.parse(Data(#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]><root/>"#.utf8), file: "s.xml", defaultLanguage: nil)
        }
        let geojson = Data("""
            {"type": "FeatureCollection", "features": [{"type": "Feature", "id": 7, "geometry": {"type": "Point", "coordinates": [105.85, 21.03]},
             "properties": {"title": "Thửa 7", "owner": "Lan", "area": 120.5}}]}
            """.utf8)
        let plots = try ExternalChoices.parse(geojson, file: "p.geojson", defaultLanguage: nil)
        #expect(plots.map(\.name) == ["7"])
        #expect(plots[0].label == .plain("Thửa 7"))
        #expect(plots[0].extra == ["owner": "Lan", "area": "120.5", "geometry": "21.03 105.85 0 0"])
        let csv = Data("code,title\nc1,Một\nc2,Hai\n".utf8)
        let custom = try ExternalChoices.parse(csv, file: "c.csv", defaultLanguage: nil, value: "code", label: "title")
        #expect(custom.map(\.name) == ["c1", "c2"] && custom[0].label == .plain("Một"))
    }

    @Test func pulldataReadsTheRowsOfAFileBesideTheForm() throws {
        var form = try Repo.yaml("""
            form_id: p
            version: "1"
            survey:
              - {type: text, name: item, label: Item}
              - {type: calculate, name: price, calculation: "pulldata('prices', 'price', 'item', ${item})"}
            """)
        #expect(form.pulldataFiles == ["prices.csv"])
        let warnings = form.loadFiles { $0 == "prices.csv" ? Data("item,price\ngạo,12000\nmuối,3000\n".utf8) : nil }
        #expect(warnings.isEmpty)
        let engine = try FormEngine(form: form)
        #expect(engine.recalculated(["item": "muối"])["price"] == "3000")
        #expect(engine.recalculated(["item": "đường"])["price"] == nil)
        #expect(FormChecker.check(form).filter { $0.code == "unused-choices" }.isEmpty)
        var missing = form
        missing.choices = []
        let absent = missing.loadFiles { _ in nil }
        #expect(absent.map(\.message) == ["'prices.csv' is not beside the form, so what it holds is missing; put the file next to the form"])
        #expect(absent.map(\.field) == ["price"], "the warning names the field that reads the file")
    }

    /// A choices file's other value and label columns, written as XLSForm writes them (commas or
    /// spaces), and its rows looked up by pulldata() by their value, numbers as codes included.
    @Test func aChoicesFileTakesItsParametersAndServesPulldata() throws {
        var form = try Repo.yaml("""
            form_id: v
            version: "1"
            survey:
              - {type: select_one_from_file villages.csv, name: village, label: Village, parameters: "value=code,label=title"}
              - {type: calculate, name: district, calculation: "pulldata('villages', 'district', 'name', ${village})"}
            """)
        let warnings = form.loadFiles { $0 == "villages.csv" ? Data("code,title,district\n101,An Bình,Ba Đình\n102,Phúc Xá,Hoàn Kiếm\n".utf8) : nil }
        #expect(warnings.isEmpty)
        let villages = try #require(form.choiceList("villages.csv"))
        #expect(villages.choices.map(\.name) == ["101", "102"] && villages.choices[1].label == .plain("Phúc Xá"))
        #expect(try FormEngine(form: form).recalculated(["village": "102"])["district"] == "Hoàn Kiếm")
    }
}
